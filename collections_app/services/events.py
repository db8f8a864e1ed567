"""Recording facts on the append-only case timeline, with their effects on accounts and contacts."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django_fsm import can_proceed

from collections_app.bulk import rows_insert
from collections_app.constants import Channel, EventType
from collections_app.models import Account, Address, CaseEvent, Debtor, Email, Phone
from collections_app.services.debtors import debtor_timezones_refresh
from collections_app.validation_period import validation_period_end

MEDIUM_CHANNELS = ("call", "sms", "email", "letter", "voicemail")


def _date(value: Any, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({"data": [f"{field} must be a date YYYY-MM-DD."]}) from exc


def _time(value: Any, field: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({"data": [f"{field} must be a time HH:MM."]}) from exc


def _instant(value: Any, field: str) -> str:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({"data": [f"{field} must be an ISO 8601 instant with an offset."]}) from exc
    if parsed.tzinfo is None:
        raise ValidationError({"data": [f"{field} must carry a UTC offset."]})
    return parsed.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _local_date(debtor: Debtor, instant: dt.datetime) -> dt.date:
    """The calendar date at the debtor's primary location (UTC when unknown)."""
    zone = ZoneInfo(debtor.timezones[0]) if debtor.timezones else dt.UTC
    return instant.astimezone(zone).date()


def validate_event_data(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise the type-specific ``data`` of an event (the contract's table)."""
    data = dict(data or {})
    if event_type == EventType.DISPUTE_RECEIVED:
        portion = data.get("portion", "entire")
        if portion not in ("entire", "partial"):
            raise ValidationError({"data": ["portion must be 'entire' or 'partial'."]})
        data["portion"] = portion
        if portion == "partial":
            try:
                amount = Decimal(str(data.get("amount")))
            except (InvalidOperation, TypeError) as exc:
                raise ValidationError({"data": ["a partial dispute needs an amount."]}) from exc
            if amount <= 0:
                raise ValidationError({"data": ["amount must be positive."]})
            data["amount"] = str(amount.quantize(Decimal("0.01")))
    elif event_type == EventType.MEDIUM_OPT_OUT:
        if data.get("channel") not in MEDIUM_CHANNELS:
            raise ValidationError({"data": [f"channel must be one of {', '.join(MEDIUM_CHANNELS)}."]})
    elif event_type == EventType.INCONVENIENT_TIME_DESIGNATION:
        weekdays = data.get("weekdays", list(range(7)))
        if not isinstance(weekdays, list) or not all(isinstance(d, int) and 0 <= d <= 6 for d in weekdays):
            raise ValidationError({"data": ["weekdays must be a list of 0 (Monday) to 6 (Sunday)."]})
        start, end = _time(data.get("start"), "start"), _time(data.get("end"), "end")
        if start == end:
            raise ValidationError({"data": ["start and end must differ."]})
        data.update(weekdays=sorted(set(weekdays)), start=start.strftime("%H:%M"), end=end.strftime("%H:%M"))
    elif event_type == EventType.INCONVENIENT_PLACE_DESIGNATION:
        if data.get("place") not in ("home", "work"):
            raise ValidationError({"data": ["place must be 'home' or 'work'."]})
    elif event_type == EventType.PRIOR_CONSENT_RECORDED:
        if data.get("channel") not in MEDIUM_CHANNELS:
            raise ValidationError({"data": [f"channel must be one of {', '.join(MEDIUM_CHANNELS)}."]})
        for key in ("starts_at", "ends_at"):
            if data.get(key):
                data[key] = _instant(data[key], key)
    elif event_type == EventType.LOCATION_STATED:
        if data.get("timezone") not in available_timezones():
            raise ValidationError({"data": ["timezone must be an IANA zone such as America/Chicago."]})
        ZoneInfo(data["timezone"])
    elif event_type == EventType.VALIDATION_NOTICE_SENT:
        if data.get("validation_period_end"):
            data["validation_period_end"] = _date(data["validation_period_end"], "validation_period_end").isoformat()
    elif event_type in (EventType.BANKRUPTCY_FILED, EventType.BANKRUPTCY_DISCHARGED):
        if "chapter" in data and data["chapter"] not in (7, 11, 12, 13, "7", "11", "12", "13"):
            raise ValidationError({"data": ["chapter must be 7, 11, 12 or 13."]})
    elif (event_type == EventType.UNDELIVERABLE_NOTICE_RECEIVED and "item_event" in data
          and not isinstance(data["item_event"], int)):
        raise ValidationError({"data": ["item_event must be an event id."]})
    return data


def _apply_contact_status(debtor: Debtor, event: CaseEvent) -> None:
    if event.type == EventType.CALL_ATTEMPT and event.outcome in ("wrong_number", "disconnected"):
        Phone.objects.filter(debtor=debtor, number=event.target).update(status=event.outcome)
    elif event.type == EventType.UNDELIVERABLE_NOTICE_RECEIVED and event.target:
        if event.target.startswith("address:"):
            Address.objects.filter(debtor=debtor, id=event.target.split(":", 1)[1]).update(status="undeliverable")
        elif "@" in event.target:
            Email.objects.filter(debtor=debtor, address__iexact=event.target).update(status="bounced")


STATUS_EFFECTS: dict[str, str] = {
    EventType.DISPUTE_RECEIVED: "mark_disputed",
    EventType.VERIFICATION_SENT: "resolve_dispute",
    EventType.BANKRUPTCY_FILED: "mark_bankrupt",
    EventType.DECEASED_NOTICE: "mark_deceased",
}


def _apply_account_effects(accounts: Sequence[Account], event: CaseEvent) -> None:
    if event.type == EventType.VALIDATION_NOTICE_SENT:
        # The notice states its end date, but the consumer's thirty days run from the (assumed)
        # receipt whatever it says (15 USC 1692g(a)(3), (b)): an earlier stated date never shortens them.
        stated = dt.date.fromisoformat(event.data["validation_period_end"])
        period_end = max(stated, validation_period_end(_local_date(event.debtor, event.occurred_at)))
        for account in accounts:
            account.validation_notice_sent_at = event.occurred_at
            account.validation_period_end = period_end
            account.save(update_fields=["validation_notice_sent_at", "validation_period_end", "updated_at"])
    transition_name = STATUS_EFFECTS.get(event.type)
    if transition_name:
        for account in accounts:
            transition = getattr(account, transition_name)
            if can_proceed(transition):
                transition()
                account.save(update_fields=["status", "updated_at"])


@dataclass(frozen=True)
class EventSpec:
    """One fact for ``events_record``: the same arguments as ``event_record``."""

    debtor: Debtor
    type: str
    occurred_at: dt.datetime
    account_ids: Sequence[int] = ()
    direction: str = ""
    channel: str = ""
    target: str = ""
    outcome: str = ""
    written: bool = False
    data: dict[str, Any] | None = None
    created_by: Any = None


def _spec_errors(spec: EventSpec) -> None:
    if spec.occurred_at.tzinfo is None:
        raise ValidationError({"occurred_at": ["must carry a UTC offset."]})
    if spec.type == EventType.CALL_ATTEMPT and not spec.outcome:
        raise ValidationError({"outcome": ["a call attempt needs an outcome."]})
    if spec.outcome and spec.type != EventType.CALL_ATTEMPT:
        raise ValidationError({"outcome": ["only call attempts have an outcome."]})
    if spec.channel and spec.channel not in Channel.values:
        raise ValidationError({"channel": [f"unknown channel {spec.channel!r}."]})


def _refreshes_timezones(event: CaseEvent) -> bool:
    return event.type == EventType.LOCATION_STATED or (
        event.type == EventType.CALL_ATTEMPT and event.outcome in ("wrong_number", "disconnected"))


@transaction.atomic
def events_record(specs: Sequence[EventSpec]) -> list[CaseEvent]:
    """Append many facts (any debtors) to the timeline in one transaction, in order: one lock of
    the accounts concerned (in id order), one insert, then each fact's effects. Any invalid fact
    → ValidationError and nothing recorded."""
    if not specs:
        return []
    for spec in specs:
        _spec_errors(spec)
    named = {i for spec in specs for i in spec.account_ids}
    whole = {spec.debtor.pk for spec in specs if not spec.account_ids}
    locked = list(Account.objects.select_for_update().filter(Q(id__in=named) | Q(debtor_id__in=whole)).order_by("id"))
    by_id = {a.pk: a for a in locked}
    by_debtor: dict[int, list[Account]] = {}
    for account in locked:
        by_debtor.setdefault(account.debtor_id, []).append(account)
    events, accounts_of = [], []
    for spec in specs:
        account_ids = sorted(set(spec.account_ids))
        accounts = [by_id[i] for i in account_ids if i in by_id and by_id[i].debtor_id == spec.debtor.pk] \
            if account_ids else by_debtor.get(spec.debtor.pk, [])
        if account_ids and len(accounts) != len(account_ids):
            raise ValidationError({"accounts": ["every account must belong to this debtor."]})
        data = validate_event_data(spec.type, spec.data or {})
        if spec.type == EventType.VALIDATION_NOTICE_SENT and not data.get("validation_period_end"):
            data["validation_period_end"] = validation_period_end(_local_date(spec.debtor, spec.occurred_at)).isoformat()
        events.append(CaseEvent(
            client_id=spec.debtor.client_id, debtor=spec.debtor, account_ids=account_ids, type=spec.type,
            occurred_at=spec.occurred_at, direction=spec.direction, channel=spec.channel, target=spec.target,
            outcome=spec.outcome, written=spec.written, data=data, created_by=spec.created_by,
        ))
        accounts_of.append(accounts)
    rows_insert(events)
    for spec, event, accounts in zip(specs, events, accounts_of, strict=True):
        _apply_contact_status(spec.debtor, event)
        _apply_account_effects(accounts, event)
        if _refreshes_timezones(event):
            debtor_timezones_refresh(spec.debtor)
    return events


def event_record(
    *,
    debtor: Debtor,
    type: str,
    occurred_at: dt.datetime,
    account_ids: Sequence[int] = (),
    direction: str = "",
    channel: str = "",
    target: str = "",
    outcome: str = "",
    written: bool = False,
    data: dict[str, Any] | None = None,
    created_by: Any = None,
) -> CaseEvent:
    """Append one fact to the debtor's timeline and apply what it changes, in one transaction."""
    return events_record([EventSpec(debtor, type, occurred_at, account_ids, direction, channel, target, outcome,
                                    written, data, created_by)])[0]
