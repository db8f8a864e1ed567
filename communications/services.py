"""The one outbound path: every sender (cadence step, collector, portal, API) calls ``message_request``.

It renders the template, asks the compliance gate, stores the decision and an outbox row
(``queued``, ``blocked`` with reasons, or ``scheduled`` for the next allowed instant when the
client defers blocked messages) and enqueues delivery after the transaction commits. Delivery
(``communications.delivery``) asks the gate again just before sending.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from collections_app.models import Account, Address
from communications.constants import MessageChannel, MessageStatus, Purpose, Source
from communications.models import Message, MessageTemplate
from communications.rendering import Rendered, message_context, render, render_one_off, unsubscribe_url_for
from compliance.services import ContactDecision, contact_check

log = logging.getLogger(__name__)
# The gate's decision.source for each kind of sender (delivery re-checks are "outbox").
GATE_SOURCE = {Source.API: "api", Source.CADENCE: "cadence", Source.COLLECTOR: "desk", Source.PORTAL: "portal",
               Source.SYSTEM: "outbox"}


def template_current(code: str, channel: str, language: str) -> MessageTemplate | None:
    """The newest active version for the language, else the English one."""
    for lang in dict.fromkeys((language, "en")):
        template = (MessageTemplate.objects.filter(code=code, channel=channel, language=lang, is_active=True)
                    .order_by("-version").first())
        if template is not None:
            return template
    return None


def phone_e164(number: str) -> str | None:
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def target_resolve(account: Account, channel: str, target: str | None) -> tuple[str, Address | None]:
    """The contact point to use: the one named (it must be the debtor's), else the best one we hold.

    We only send to contact points recorded for the debtor: anything else risks telling a third
    party about the debt.
    """
    debtor = account.debtor
    if channel == MessageChannel.EMAIL:
        emails = debtor.emails.order_by("status", "-consent", "id")
        if target:
            email = emails.filter(address__iexact=target.strip()).first()
            if email is None:
                raise ValidationError({"target": ["not an email address recorded for this debtor."]})
            return email.address, None
        email = emails.filter(status="active").first()
        if email is None:
            raise ValidationError({"target": ["this debtor has no email address on record."]})
        return email.address, None
    if channel == MessageChannel.SMS:
        phones = debtor.phones.order_by("status", "-sms_consent", "id")
        if target:
            wanted = phone_e164(target)
            phone = next((p for p in phones if wanted and phone_e164(p.number) == wanted), None)
            if phone is None:
                raise ValidationError({"target": ["not a telephone number recorded for this debtor."]})
            return phone.number, None
        phone = phones.filter(status="active", kind="mobile").first()
        if phone is None:
            raise ValidationError({"target": ["this debtor has no mobile number on record."]})
        return phone.number, None
    addresses = debtor.addresses.order_by("status", "id")
    if target:
        address_id = target.removeprefix("address:")
        address = addresses.filter(id=int(address_id)).first() if address_id.isdigit() else None
        if address is None:
            raise ValidationError({"target": ['a letter target is "address:<id>" of an address of this debtor.']})
    else:
        address = sorted(addresses.filter(status="active"), key=lambda a: (a.kind != "home", a.id))[0] \
            if addresses.filter(status="active").exists() else None
        if address is None:
            raise ValidationError({"target": ["this debtor has no mailing address on record."]})
    return f"address:{address.pk}", address


def gate_message(message: Message | Rendered, purpose: str) -> dict[str, Any]:
    """The contract's message dict the gate's content rules read."""
    return {
        "purpose": purpose,
        "subject": message.subject,
        "text": message.text,
        "amount_demanded": str(message.amount_demanded) if message.amount_demanded is not None else None,
        "validation_period_end": message.validation_period_end.isoformat() if message.validation_period_end
        else None,
    }


def decision_apply(message: Message, decision: ContactDecision) -> None:
    """Record the gate's answer on the row; a refusal blocks it or, if the client defers, schedules it."""
    message.decision = decision.as_contract()
    if decision.decision_id is not None:
        message.decisions = [*message.decisions, decision.decision_id]
    if decision.allowed:
        return
    if message.client.defer_blocked_messages and decision.next_allowed_at is not None:
        message.defer()
        message.scheduled_for = decision.next_allowed_at
    else:
        message.block()


def message_request(
    *,
    account: Account,
    channel: str,
    target: str | None = None,
    template_code: str | None = None,
    subject: str = "",
    text: str = "",
    purpose: str | None = None,
    language: str | None = None,
    source: str = Source.API,
    actor: Any = None,
    key: str | None = None,
    extra: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    enqueue: bool = True,
) -> Message:
    """Queue one message through the gate. Same ``key`` twice → the first message, unchanged."""
    if key:
        existing = Message.objects.filter(key=key).first()
        if existing is not None:
            return existing
    if channel not in MessageChannel.values:
        raise ValidationError({"channel": [f"must be one of {', '.join(MessageChannel.values)}."]})
    if not template_code and not text.strip():
        raise ValidationError({"template": ['give a template code, or "subject" and "text" for a one-off.']})
    if purpose and purpose not in Purpose.values:
        raise ValidationError({"purpose": [f"must be one of {', '.join(Purpose.values)}."]})
    at = at or timezone.now()
    key = key or f"{source}:{uuid.uuid4().hex}"
    target, address = target_resolve(account, channel, target)
    language = language or account.debtor.preferred_language or "en"
    template = None
    if template_code:
        template = template_current(template_code, channel, language)
        if template is None:
            raise ValidationError({"template": [f"no {channel} template {template_code!r}."]})
        context = message_context(account, at=at, key=key, language=template.language, target_address=address,
                                  extra=extra)
        rendered = render(template, context)
        purpose = purpose or template.purpose
        language = template.language
    else:
        rendered = render_one_off(channel=channel, subject=subject, text=text, unsubscribe_url=unsubscribe_url_for(key))
        purpose = purpose or Purpose.COLLECTION
    decision = contact_check(account=account, channel=channel, target=target, at=at,
                             message=gate_message(rendered, purpose), actor=actor, store=True,
                             source=GATE_SOURCE.get(source, "api"))
    message = Message(
        client=account.client, account=account, channel=channel, target=target, template=template,
        language=language, purpose=purpose, subject=rendered.subject, text=rendered.text, html=rendered.html,
        amount_demanded=rendered.amount_demanded, validation_period_end=rendered.validation_period_end,
        key=key, source=source, created_by=actor if getattr(actor, "pk", None) else None,
    )
    decision_apply(message, decision)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:  # the same key raced in from another request
        return Message.objects.get(key=key)
    if message.status == MessageStatus.QUEUED and enqueue:
        messages_enqueue([message.pk])
    log.info("message.requested id=%s account=%s channel=%s status=%s source=%s",
             message.pk, account.pk, channel, message.status, source)
    return message


def messages_enqueue(message_ids: Iterable[int]) -> None:
    """Hand ids to the delivery workers once the current transaction commits, several per task."""
    from communications.constants import DELIVERY_BATCH_SIZE
    from communications.tasks import deliver

    ids = list(message_ids)
    if not ids:
        return
    Message.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
    for start in range(0, len(ids), DELIVERY_BATCH_SIZE):
        deliver.delay_on_commit(ids[start:start + DELIVERY_BATCH_SIZE])


def templates_seed_defaults() -> int:
    """Create version 1 of every default template that is missing (the data migration does the same)."""
    from communications.defaults import DEFAULT_TEMPLATES

    created = 0
    for spec in DEFAULT_TEMPLATES:
        created += MessageTemplate.objects.get_or_create(
            code=spec["code"], channel=spec["channel"], language=spec["language"], version=1,
            defaults={"purpose": spec["purpose"], "subject": spec["subject"], "body": spec["body"],
                      "html": spec.get("html", ""), "description": "Seeded default"},
        )[1]
    return created
