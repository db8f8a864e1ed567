"""The one outbound path: every sender (cadence step, collector, portal, API) calls
``message_request`` (one) or ``messages_request`` (many, e.g. a cadence sweep).

It renders the template, asks the compliance gate, stores the decision and an outbox row
(``queued``, ``blocked`` with reasons, or ``scheduled`` for the next allowed instant when the
client defers blocked messages) and enqueues delivery after the transaction commits. Delivery
(``communications.delivery``) asks the gate again just before sending.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from collections_app.bulk import rows_insert
from collections_app.models import Account, Address, Email, Phone
from communications.constants import DELIVERY_BATCH_SIZE, MessageChannel, MessageStatus, Purpose, Source
from communications.models import Message, MessageTemplate
from communications.rendering import Rendered, message_context, render, render_one_off, unsubscribe_url_for
from compliance.services import CheckRequest, ContactDecision, contact_check_many

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


@dataclass
class ContactPoints:
    """A debtor's recorded contact points, loaded once for a batch."""

    emails: list[Email] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)


def contact_points(debtor_ids: Iterable[int], channels: set[str]) -> dict[int, ContactPoints]:
    """Contact points of many debtors, one query per channel needed."""
    ids = list(set(debtor_ids))
    points: dict[int, ContactPoints] = {i: ContactPoints() for i in ids}
    if MessageChannel.EMAIL in channels:
        for email in Email.objects.filter(debtor_id__in=ids).order_by("status", "-consent", "id"):
            points[email.debtor_id].emails.append(email)
    if MessageChannel.SMS in channels:
        for phone in Phone.objects.filter(debtor_id__in=ids).order_by("status", "-sms_consent", "id"):
            points[phone.debtor_id].phones.append(phone)
    if MessageChannel.LETTER in channels:
        for address in Address.objects.filter(debtor_id__in=ids).order_by("status", "id"):
            points[address.debtor_id].addresses.append(address)
    return points


def target_choose(points: ContactPoints, channel: str, target: str | None) -> tuple[str, Address | None]:
    """The contact point to use: the one named (it must be the debtor's), else the best one we hold.

    We only send to contact points recorded for the debtor: anything else risks telling a third
    party about the debt.
    """
    if channel == MessageChannel.EMAIL:
        if target:
            email = next((e for e in points.emails if e.address.lower() == target.strip().lower()), None)
            if email is None:
                raise ValidationError({"target": ["not an email address recorded for this debtor."]})
            return email.address, None
        email = next((e for e in points.emails if e.status == "active"), None)
        if email is None:
            raise ValidationError({"target": ["this debtor has no email address on record."]})
        return email.address, None
    if channel == MessageChannel.SMS:
        if target:
            wanted = phone_e164(target)
            phone = next((p for p in points.phones if wanted and phone_e164(p.number) == wanted), None)
            if phone is None:
                raise ValidationError({"target": ["not a telephone number recorded for this debtor."]})
            return phone.number, None
        phone = next((p for p in points.phones if p.status == "active" and p.kind == "mobile"), None)
        if phone is None:
            raise ValidationError({"target": ["this debtor has no mobile number on record."]})
        return phone.number, None
    if target:
        address_id = target.removeprefix("address:")
        address = next((a for a in points.addresses if address_id.isdigit() and a.pk == int(address_id)), None)
        if address is None:
            raise ValidationError({"target": ['a letter target is "address:<id>" of an address of this debtor.']})
    else:
        active = sorted((a for a in points.addresses if a.status == "active"), key=lambda a: (a.kind != "home", a.pk))
        if not active:
            raise ValidationError({"target": ["this debtor has no mailing address on record."]})
        address = active[0]
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


@dataclass
class MessageSpec:
    """One message a sender wants: a template (rendered with the account's facts) or subject + text."""

    account: Account  # with client and debtor selected
    channel: str
    target: str | None = None
    template_code: str | None = None
    subject: str = ""
    text: str = ""
    purpose: str | None = None
    language: str | None = None
    key: str | None = None
    extra: dict[str, Any] | None = None
    actor: Any = None


def _spec_errors(spec: MessageSpec) -> None:
    if spec.channel not in MessageChannel.values:
        raise ValidationError({"channel": [f"must be one of {', '.join(MessageChannel.values)}."]})
    if not spec.template_code and not spec.text.strip():
        raise ValidationError({"template": ['give a template code, or "subject" and "text" for a one-off.']})
    if spec.purpose and spec.purpose not in Purpose.values:
        raise ValidationError({"purpose": [f"must be one of {', '.join(Purpose.values)}."]})


def _prepare(spec: MessageSpec, points: ContactPoints, templates: dict[tuple, MessageTemplate | None],
             source: str, at: dt.datetime) -> Message:
    """Validate, choose the target, render: an unsaved outbox row (or ValidationError)."""
    _spec_errors(spec)
    account = spec.account
    key = spec.key or f"{source}:{uuid.uuid4().hex}"
    target, address = target_choose(points, spec.channel, spec.target)
    language = spec.language or account.debtor.preferred_language or "en"
    template = None
    if spec.template_code:
        cache_key = (spec.template_code, spec.channel, language)
        if cache_key not in templates:
            templates[cache_key] = template_current(*cache_key)
        template = templates[cache_key]
        if template is None:
            raise ValidationError({"template": [f"no {spec.channel} template {spec.template_code!r}."]})
        context = message_context(account, at=at, key=key, language=template.language, target_address=address,
                                  extra=spec.extra)
        rendered = render(template, context)
        purpose, language = spec.purpose or template.purpose, template.language
    else:
        rendered = render_one_off(channel=spec.channel, subject=spec.subject, text=spec.text,
                                  unsubscribe_url=unsubscribe_url_for(key))
        purpose = spec.purpose or Purpose.COLLECTION
    return Message(
        client=account.client, account=account, channel=spec.channel, target=target, template=template,
        language=language, purpose=purpose, subject=rendered.subject, text=rendered.text, html=rendered.html,
        amount_demanded=rendered.amount_demanded, validation_period_end=rendered.validation_period_end,
        key=key, source=source, created_by=spec.actor if getattr(spec.actor, "pk", None) else None,
    )


def messages_request(specs: list[MessageSpec], *, source: str, at: dt.datetime | None = None,
                     enqueue: bool = True) -> list[Message | ValidationError]:
    """Queue many messages through the gate: per spec, its outbox row or why it was refused as input.

    Facts and contact points load in sets; the gate's decisions are stored with one insert and the
    rows with another. A spec whose ``key`` exists already returns that message, unchanged.
    """
    at = at or timezone.now()
    keys = [s.key for s in specs if s.key]
    existing = {m.key: m for m in Message.objects.filter(key__in=keys)} if keys else {}
    points = contact_points((s.account.debtor_id for s in specs), {s.channel for s in specs})
    templates: dict[tuple, MessageTemplate | None] = {}
    results: list[Message | ValidationError] = []
    fresh: list[Message] = []
    actors: list[Any] = []
    for spec in specs:
        if spec.key and spec.key in existing:
            results.append(existing[spec.key])
            continue
        try:
            message = _prepare(spec, points[spec.account.debtor_id], templates, source, at)
        except ValidationError as error:
            results.append(error)
            continue
        results.append(message)
        fresh.append(message)
        actors.append(spec.actor)
    decisions = contact_check_many(
        [CheckRequest(m.account, m.channel, m.target, gate_message(m, m.purpose), actor)
         for m, actor in zip(fresh, actors, strict=True)],
        at=at, source=GATE_SOURCE.get(Source(source), "api"))
    enqueued_at = timezone.now() if enqueue else None
    for message, decision in zip(fresh, decisions, strict=True):
        decision_apply(message, decision)
        if message.status == MessageStatus.QUEUED:
            message.enqueued_at = enqueued_at  # stamped here: no UPDATE when it is enqueued below
    try:
        with transaction.atomic():
            rows_insert(fresh)
    except IntegrityError:  # a key raced in from another request: that one wins
        taken = {m.key: m for m in Message.objects.filter(key__in=[m.key for m in fresh])}
        results = [taken.get(r.key, r) if isinstance(r, Message) else r for r in results]
        fresh = []
    if enqueue:
        _enqueue_on_commit([m.pk for m in fresh if m.status == MessageStatus.QUEUED])
    log.info("messages.requested source=%s count=%s queued=%s", source, len(fresh),
             sum(m.status == MessageStatus.QUEUED for m in fresh))
    return results


def message_request(*, account: Account, channel: str, target: str | None = None, template_code: str | None = None,
                    subject: str = "", text: str = "", purpose: str | None = None, language: str | None = None,
                    source: str = Source.API, actor: Any = None, key: str | None = None,
                    extra: dict[str, Any] | None = None, at: dt.datetime | None = None,
                    enqueue: bool = True) -> Message:
    """Queue one message through the gate. Same ``key`` twice → the first message, unchanged."""
    if not (Account.client.is_cached(account) and Account.debtor.is_cached(account)):
        account = Account.objects.select_related("client", "debtor").get(pk=account.pk)
    spec = MessageSpec(account=account, channel=channel, target=target, template_code=template_code,
                       subject=subject, text=text, purpose=purpose, language=language, key=key, extra=extra,
                       actor=actor)
    result = messages_request([spec], source=source, at=at, enqueue=enqueue)[0]
    if isinstance(result, ValidationError):
        raise result
    return result


def messages_enqueue(message_ids: Iterable[int], *, countdown: int | None = None) -> None:
    """Hand ids to the delivery workers once the current transaction commits, several per task."""
    ids = list(message_ids)
    if ids:
        Message.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
        _enqueue_on_commit(ids, countdown=countdown)


def _enqueue_on_commit(ids: list[int], *, countdown: int | None = None) -> None:
    from communications.tasks import deliver

    for start in range(0, len(ids), DELIVERY_BATCH_SIZE):
        batch = ids[start:start + DELIVERY_BATCH_SIZE]
        transaction.on_commit(partial(deliver.apply_async, (batch,), countdown=countdown))


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
