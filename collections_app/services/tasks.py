"""Work for people: callbacks a consumer asked for, escalations a supervisor decides, bulk reassignment."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_fsm import can_proceed

from accounts.models import User
from collections_app.constants import EventType
from collections_app.models import Account, CaseEvent, Task
from collections_app.models.timeline import TaskKind, TaskStatus

ESCALATION_TARGETS = {"legal": "Legal placement", "agency": "Outside-agency placement"}
REASSIGN_LIMIT = 500
CALLBACK_EARLY = dt.timedelta(minutes=30)  # a call this close to a callback's time answers it


def callback_schedule(*, account: Account, due_at: dt.datetime, created_by: User, title: str = "") -> Task:
    """A callback the consumer asked for, on the worker's list at ``due_at``."""
    if due_at.tzinfo is None:
        raise ValidationError({"due_at": ["must carry a time zone."]})
    if due_at < timezone.now() - dt.timedelta(minutes=5):
        raise ValidationError({"due_at": ["A callback must be in the future."]})
    return Task.objects.create(
        debtor_id=account.debtor_id,
        account=account,
        kind=TaskKind.CALLBACK,
        due_at=due_at,
        assigned_to=account.assigned_to or created_by,
        title=title.strip() or "Call back",
        created_by=created_by,
    )


def callbacks_due_close(*, account: Account, now: dt.datetime | None = None) -> int:
    """A call to the account answers the callbacks already due on it; later ones stay open."""
    now = now or timezone.now()
    return Task.objects.filter(account=account, kind=TaskKind.CALLBACK, status=TaskStatus.OPEN,
                               due_at__lte=now + CALLBACK_EARLY).update(status=TaskStatus.DONE, updated_at=now)


def escalation_request(*, account: Account, target: str, reason: str, created_by: User) -> Task:
    """Ask a supervisor to place the account with an attorney or an outside agency."""
    if target not in ESCALATION_TARGETS:
        raise ValidationError({"target": [f"target must be one of {', '.join(ESCALATION_TARGETS)}."]})
    if not can_proceed(account.place_legal):
        raise ValidationError({"__all__": [f"A {account.get_status_display().lower()} account cannot be placed."]})
    if Task.objects.filter(account=account, kind=TaskKind.ESCALATION, status=TaskStatus.OPEN).exists():
        raise ValidationError({"__all__": ["A placement request for this account is already waiting."]})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the account should be placed."]})
    return Task.objects.create(
        debtor_id=account.debtor_id,
        account=account,
        kind=TaskKind.ESCALATION,
        due_at=timezone.now(),
        title=f"{ESCALATION_TARGETS[target]}: {reason}"[:200],
        created_by=created_by,
    )


@transaction.atomic
def escalation_decide(*, task: Task, approve: bool, decided_by: User) -> Task:
    """Approve (the account goes to legal placement, with a ``status_changed`` fact) or decline."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.kind != TaskKind.ESCALATION or task.status != TaskStatus.OPEN:
        raise ValidationError({"__all__": ["This request was already decided."]})
    if not decided_by.is_supervisor:
        raise ValidationError({"__all__": ["Only a supervisor may decide a placement."]})
    task.status = TaskStatus.DONE if approve else TaskStatus.CANCELLED
    task.save(update_fields=["status", "updated_at"])
    if approve and task.account_id:
        account = Account.objects.select_for_update().get(pk=task.account_id)
        if not can_proceed(account.place_legal):
            raise ValidationError({"__all__": [f"A {account.get_status_display().lower()} account cannot be placed."]})
        before = account.status
        account.place_legal()
        account.save(update_fields=["status", "updated_at"])
        CaseEvent.objects.create(
            client_id=account.client_id,
            debtor_id=account.debtor_id,
            account_ids=[account.id],
            type=EventType.STATUS_CHANGED,
            occurred_at=timezone.now(),
            data={"from": before, "to": account.status, "task": task.id},
            created_by=decided_by,
        )
    return task


def accounts_reassign(*, accounts: QuerySet[Account], account_ids: Iterable[int], to: User | None) -> int:
    """Give the chosen accounts (from a queryset already scoped to the caller) to another collector."""
    ids = sorted(set(account_ids))
    if not ids:
        raise ValidationError({"accounts": ["Choose at least one account."]})
    if len(ids) > REASSIGN_LIMIT:
        raise ValidationError({"accounts": [f"Reassign at most {REASSIGN_LIMIT} accounts at a time."]})
    with transaction.atomic():
        chosen = accounts.filter(id__in=ids)
        if chosen.count() != len(ids):
            raise ValidationError({"accounts": ["Some of those accounts are not yours to reassign."]})
        if to is not None and chosen.exclude(client__members=to).exists():
            raise ValidationError({"to": [f"{to.username} does not work every client of those accounts."]})
        return chosen.update(assigned_to=to, updated_at=timezone.now())
