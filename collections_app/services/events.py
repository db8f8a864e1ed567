"""Recording facts on the append-only case timeline, with their effects on accounts and contacts."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import can_proceed

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
        for account in accounts:
            account.validation_notice_sent_at = event.occurred_at
            account.validation_period_end = dt.date.fromisoformat(event.data["validation_period_end"])
            account.save(update_fields=["validation_notice_sent_at", "validation_period_end", "updated_at"])
    transition_name = STATUS_EFFECTS.get(event.type)
    if transition_name:
        for account in accounts:
            transition = getattr(account, transition_name)
            if can_proceed(transition):
                transition()
                account.save(update_fields=["status", "updated_at"])


@transaction.atomic
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
    if occurred_at.tzinfo is None:
        raise ValidationError({"occurred_at": ["must carry a UTC offset."]})
    if type == EventType.CALL_ATTEMPT and not outcome:
        raise ValidationError({"outcome": ["a call attempt needs an outcome."]})
    if outcome and type != EventType.CALL_ATTEMPT:
        raise ValidationError({"outcome": ["only call attempts have an outcome."]})
    if channel and channel not in Channel.values:
        raise ValidationError({"channel": [f"unknown channel {channel!r}."]})
    account_ids = sorted(set(account_ids))
    accounts = list(Account.objects.select_for_update().filter(debtor=debtor, id__in=account_ids)) if account_ids \
        else list(Account.objects.select_for_update().filter(debtor=debtor))
    if account_ids and len(accounts) != len(account_ids):
        raise ValidationError({"accounts": ["every account must belong to this debtor."]})
    data = validate_event_data(type, data or {})
    if type == EventType.VALIDATION_NOTICE_SENT and not data.get("validation_period_end"):
        data["validation_period_end"] = validation_period_end(_local_date(debtor, occurred_at)).isoformat()
    event = CaseEvent.objects.create(
        client_id=debtor.client_id,
        debtor=debtor,
        account_ids=list(account_ids),
        type=type,
        occurred_at=occurred_at,
        direction=direction,
        channel=channel,
        target=target,
        outcome=outcome,
        written=written,
        data=data,
        created_by=created_by,
    )
    _apply_contact_status(debtor, event)
    _apply_account_effects(accounts, event)
    if type == EventType.LOCATION_STATED or (event.type == EventType.CALL_ATTEMPT and outcome in (
        "wrong_number",
        "disconnected",
    )):
        debtor_timezones_refresh(debtor)
    return event
