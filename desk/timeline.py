"""The debtor's timeline on the account page: which facts it lists, and how each one reads.

Each entry is worded here, once, in the debtor's zone (``formatting``): a timeline of 40 entries
worded by template filters cost more than the rest of the account page's rendering together.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.dateparse import parse_date

from accounts.models import User
from collections_app.constants import CONTACT_EVENT_TYPES, CallOutcome, Channel, Direction, EventType, PaymentMethod
from collections_app.models import CaseEvent, Debtor, Note
from collections_app.selectors import account_placements, accounts_visible_to, events_visible_to
from compliance.models import Decision
from desk.formatting import debtor_zone, money

TIMELINE_GROUPS: dict[str, tuple[str, Q]] = {
    "contacts": ("Contacts", Q(type__in=CONTACT_EVENT_TYPES)),
    "money": ("Money", Q(type__regex=r"^(payment|plan|promise|settlement)")),
    "notices": ("Notices", Q(type__in=(
        EventType.DISPUTE_RECEIVED, EventType.VERIFICATION_SENT, EventType.CEASE_NOTICE_RECEIVED,
        EventType.ATTORNEY_REPRESENTATION_NOTICE, EventType.ATTORNEY_CONSENT_TO_DIRECT_CONTACT,
        EventType.ORIGINAL_CREDITOR_REQUEST_RECEIVED, EventType.VALIDATION_NOTICE_SENT, EventType.MEDIUM_OPT_OUT,
        EventType.INCONVENIENT_TIME_DESIGNATION, EventType.INCONVENIENT_PLACE_DESIGNATION,
        EventType.BANKRUPTCY_FILED, EventType.BANKRUPTCY_DISCHARGED, EventType.DECEASED_NOTICE,
        EventType.PRIOR_CONSENT_RECORDED, EventType.LOCATION_STATED, EventType.EMPLOYER_PROHIBITS_CONTACT,
        EventType.UNDELIVERABLE_NOTICE_RECEIVED))),
    "notes": ("Notes", Q(type=EventType.NOTE_ADDED)),
    "account": ("Account", Q(type__in=(EventType.PLACEMENT, EventType.STATUS_CHANGED, EventType.BALANCE_ADJUSTED))),
}
DECISIONS_GROUP = ("decisions", "Refusals")
TIMELINE_PAGE = 40

# Labels by value, looked up once (a model's get_FOO_display builds a dict of its choices per call).
EVENT_LABELS = dict(EventType.choices)
OUTCOME_LABELS = dict(CallOutcome.choices)
DIRECTION_LABELS = dict(Direction.choices)
CHANNEL_LABELS = dict(Channel.choices)
METHOD_LABELS = dict(PaymentMethod.choices)


@dataclass
class TimelineEntry:
    """One line of the timeline: a fact (an event, with its note) or a contact the gate refused."""

    at: dt.datetime
    kind: str  # the event type, or "gate_refusal"
    headline: str
    zone: str
    outcome: tuple[str, str] | None = None  # (value, label)
    how: str = ""  # "outbound call"
    written: bool = False
    note: Note | None = None
    detail: str = ""
    reasons: list[dict] = field(default_factory=list)
    byline: str = ""
    event: CaseEvent | None = None
    decision: Decision | None = None

    @property
    def day(self) -> str:
        return f"{self.at.astimezone(ZoneInfo(self.zone)):%b %-d, %Y}"

    @property
    def clock(self) -> str:
        local = self.at.astimezone(ZoneInfo(self.zone))
        return f"{local:%-I:%M %p} {local.tzname()}"

    @property
    def utc(self) -> str:
        return f"{self.at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"


def _amount(value: object) -> str:
    """An amount kept as a string in an event's JSON, as money."""
    try:
        return money(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


def event_detail(event: CaseEvent) -> str:
    """The line under an event's headline: what was promised, paid, disputed, changed."""
    data = event.data or {}
    match event.type:
        case EventType.DISPUTE_RECEIVED:
            portion = f"{str(data.get('portion', '')).capitalize()} debt"
            return portion + (f" · {_amount(data['amount'])}" if data.get("amount") else "")
        case EventType.ATTORNEY_REPRESENTATION_NOTICE:
            return " · ".join(str(data[k]) for k in ("attorney", "contact") if data.get(k))
        case EventType.PROMISE_MADE:
            due = parse_date(str(data.get("due_date", "")))
            return f"{_amount(data.get('amount'))} by {due:%a %b %-d, %Y}" if due else _amount(data.get("amount"))
        case EventType.PAYMENT_RECEIVED | EventType.PAYMENT_REVERSED:
            parts = [_amount(data.get("amount"))]
            if data.get("method"):
                parts.append(METHOD_LABELS.get(data["method"], str(data["method"])))
            if data.get("balance"):
                parts.append(f"balance {_amount(data['balance'])}")
            return " · ".join(parts)
        case EventType.PLAN_CREATED:
            count = data.get("installments")
            schedule = f"{count} × {data['frequency']}" if data.get("frequency") else f"{count} payments"
            return f"{schedule} · {_amount(data.get('total'))}" if count else ""
        case EventType.SETTLEMENT_OFFERED:
            if not data.get("amount"):
                return ""
            limit = f", limit {data['limit_pct']}%" if data.get("limit_pct") else ""
            return (f"{_amount(data['amount'])} of {_amount(data.get('balance'))} "
                    f"({data.get('discount_pct')}% off{limit})")
        case EventType.STATUS_CHANGED:
            return f"{data['from']} → {data['to']}" if data.get("from") and data.get("to") else ""
    return ""


def _event_entry(event: CaseEvent, note: Note | None, zone: str) -> TimelineEntry:
    how = ""
    if event.direction:
        how = DIRECTION_LABELS.get(event.direction, event.direction).lower()
        if event.channel:
            how += " " + CHANNEL_LABELS.get(event.channel, event.channel).lower()
    author = f"by {event.created_by.username}" if event.created_by else "system"
    return TimelineEntry(
        at=event.occurred_at, kind=event.type, headline=EVENT_LABELS.get(event.type, event.type), zone=zone,
        outcome=(event.outcome, OUTCOME_LABELS.get(event.outcome, event.outcome)) if event.outcome else None,
        how=how, written=event.written, note=note, detail=event_detail(event),
        byline=f"{event.target} · {author}" if event.target else author, event=event)


def _refusal_entry(decision: Decision, zone: str) -> TimelineEntry:
    how = decision.channel + (f" to {decision.target}" if decision.target else "") + f" · asked by {decision.source}"
    return TimelineEntry(
        at=decision.at, kind="gate_refusal", headline="Contact refused by the gate", zone=zone, how=how,
        reasons=list(decision.reasons), byline=f"by {decision.actor.username}" if decision.actor else "system",
        decision=decision)


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    group: str
    account_filter: int | None
    has_more: bool
    limit: int
    account_reference: str = ""  # of ``account_filter``


def debtor_timeline(user: User, debtor: Debtor, *, group: str = "", account_id: int | None = None,
                    limit: int = TIMELINE_PAGE) -> Timeline:
    """The debtor's facts and the contacts the gate refused, newest first, optionally one group or
    one account, in the debtor's zone (placements come from the accounts' rows): at most six queries."""
    group = group if group in TIMELINE_GROUPS or group == DECISIONS_GROUP[0] else ""
    reference = ""
    if account_id:  # one of this debtor's accounts (anything else shows every account)
        reference = accounts_visible_to(user).filter(pk=account_id, debtor=debtor).values_list(
            "reference", flat=True).first() or ""
        account_id = account_id if reference else None
    events: list[CaseEvent] = []
    if group != DECISIONS_GROUP[0]:
        # Stored gate decisions are case events too (compliance_decision); the desk shows the
        # refusals from the decisions themselves, with their reasons, and not each allowed check.
        qs = (events_visible_to(user).filter(debtor=debtor).exclude(type=EventType.COMPLIANCE_DECISION)
              .select_related("created_by"))
        if group:
            qs = qs.filter(TIMELINE_GROUPS[group][1])
        if account_id:
            qs = qs.filter(Q(account_ids__contains=[account_id]) | Q(account_ids=[]))
        events = list(qs.order_by("-occurred_at", "-id")[: limit + 1])
        if group in ("", "account"):  # placements are on the accounts' rows
            placed = accounts_visible_to(user).filter(debtor=debtor)
            events += account_placements(placed.filter(id=account_id) if account_id else placed)
    refusals: list[Decision] = []
    if group in ("", DECISIONS_GROUP[0]):
        # The debtor is the caller's already (account_for_desk); the evidence snapshot stays in the database.
        decisions = Decision.objects.filter(debtor=debtor, allowed=False).defer("snapshot").select_related("actor")
        if account_id:
            decisions = decisions.filter(account_id=account_id)
        refusals = list(decisions.order_by("-created_at", "-id")[: limit + 1])
    note_ids = [e.data.get("note") for e in events if e.type == EventType.NOTE_ADDED and e.data.get("note")]
    notes = Note.objects.in_bulk(note_ids) if note_ids else {}
    zone = debtor_zone(debtor.timezones)
    entries = [_event_entry(e, notes.get(e.data.get("note")) if e.type == EventType.NOTE_ADDED else None, zone)
               for e in events]
    entries += [_refusal_entry(d, zone) for d in refusals]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return Timeline(entries=entries[:limit], group=group, account_filter=account_id,
                    has_more=len(entries) > limit, limit=limit, account_reference=reference)
