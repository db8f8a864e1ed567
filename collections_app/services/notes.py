"""Free-text notes on a debtor or account, mirrored on the timeline."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from collections_app.constants import EventType
from collections_app.models import Account, CaseEvent, Note

NOTE_MAX_LENGTH = 5000


@transaction.atomic
def note_add(*, account: Account, body: str, author: Any) -> Note:
    """Write a note about an account and a ``note_added`` fact on the timeline beside it."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": ["A note cannot be empty."]})
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationError({"body": [f"Keep a note under {NOTE_MAX_LENGTH} characters."]})
    note = Note.objects.create(debtor_id=account.debtor_id, account=account, author=author, body=body)
    CaseEvent.objects.create(
        client_id=account.client_id,
        debtor_id=account.debtor_id,
        account_ids=[account.id],
        type=EventType.NOTE_ADDED,
        occurred_at=timezone.now(),
        data={"note": note.id},
        created_by=author,
    )
    return note
