"""Build the engine's snapshots from the database — in sets — and (de)serialise them for replay."""

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, get_args, get_origin, get_type_hints

from collections_app.models import Account, Address, CaseEvent, Email, Phone
from compliance.engine import facts as F
from compliance.engine.constants import (
    AddressKind,
    AddressStatus,
    Channel,
    DebtorKind,
    Direction,
    EmailStatus,
    PhoneKind,
    PhoneStatus,
    Purpose,
)

PHONE_PRIORITY = {"mobile": 0, "home": 1, "work": 2, "other": 3}


def message_facts(message: Mapping[str, Any] | None) -> F.Message | None:
    if not message:
        return None
    amount = message.get("amount_demanded")
    period_end = message.get("validation_period_end")
    return F.Message(
        purpose=Purpose(message.get("purpose") or "collection"),
        subject=message.get("subject") or None,
        text=message.get("text") or None,
        amount_demanded=Decimal(str(amount)) if amount not in (None, "") else None,
        validation_period_end=dt.date.fromisoformat(str(period_end)) if period_end else None,
    )


def _client_facts(client: Any) -> F.ClientFacts:
    return F.ClientFacts(
        operator_type=client.operator_type,
        policy=F.ClientPolicy(
            call_window_start=client.call_window_start,
            call_window_end=client.call_window_end,
            max_calls_per_7_days=client.max_calls_per_7_days,
            sms_enabled=client.sms_enabled,
            email_enabled=client.email_enabled,
        ),
    )


def _account_facts(row: Mapping[str, Any], today: dt.date) -> F.AccountFacts:
    return F.AccountFacts(
        id=row["id"], kind=row["kind"], governing_state=row["governing_state"] or None,
        principal_balance=row["principal_balance"], interest_balance=row["interest_balance"],
        fees_balance=row["fees_balance"], open_date=row["open_date"], delinquency_date=row["delinquency_date"],
        charge_off_date=row["charge_off_date"], last_payment_date=row["last_payment_date"],
        itemization_date=row["itemization_date"], validation_period_end=row["validation_period_end"],
        time_barred=row["sol_expires_on"] is not None and row["sol_expires_on"] < today,
        sol_expires_on=row["sol_expires_on"],
    )


ACCOUNT_FIELDS = ("id", "debtor_id", "kind", "governing_state", "principal_balance", "interest_balance",
                  "fees_balance", "open_date", "delinquency_date", "charge_off_date", "last_payment_date",
                  "itemization_date", "validation_period_end", "sol_expires_on")
EVENT_FIELDS = ("id", "debtor_id", "type", "occurred_at", "account_ids", "direction", "channel", "target",
                "outcome", "written", "data")


@dataclasses.dataclass
class DebtorBundle:
    """Everything about one debtor that a decision on any of their accounts needs."""

    client: F.ClientFacts
    debtor: F.DebtorFacts
    accounts: tuple[F.AccountFacts, ...]
    events: tuple[F.Event, ...]


def load_bundles(accounts: Sequence[Account], at: dt.datetime) -> dict[int, DebtorBundle]:
    """Facts for the debtors of ``accounts`` in six queries, whatever their number.

    ``accounts`` must carry ``client`` and ``debtor`` (select_related). Events after ``at`` are
    left out: the engine decides "assuming no new events".
    """
    debtors = {a.debtor_id: a.debtor for a in accounts}
    clients = {a.client_id: a.client for a in accounts}
    ids = list(debtors)
    phones: dict[int, list[F.Phone]] = defaultdict(list)
    for p in Phone.objects.filter(debtor_id__in=ids).values("id", "debtor_id", "number", "kind", "sms_consent",
                                                              "status"):
        phones[p["debtor_id"]].append(F.Phone(p["id"], p["number"], PhoneKind(p["kind"]), p["sms_consent"],
                                              PhoneStatus(p["status"])))
    emails: dict[int, list[F.Email]] = defaultdict(list)
    for e in Email.objects.filter(debtor_id__in=ids).values("id", "debtor_id", "address", "employer_provided",
                                                              "consent", "status"):
        email_status = EmailStatus.BOUNCED if e["status"] == "bounced" else EmailStatus.ACTIVE
        emails[e["debtor_id"]].append(F.Email(e["id"], e["address"], e["employer_provided"], e["consent"],
                                              email_status))
    addresses: dict[int, list[F.Address]] = defaultdict(list)
    for a in Address.objects.filter(debtor_id__in=ids).values("id", "debtor_id", "kind", "state", "status"):
        address_status = AddressStatus.UNDELIVERABLE if a["status"] == "undeliverable" else AddressStatus.ACTIVE
        addresses[a["debtor_id"]].append(F.Address(a["id"], AddressKind(a["kind"]), a["state"], address_status))
    today = at.date()
    debtor_accounts: dict[int, list[F.AccountFacts]] = defaultdict(list)
    for row in Account.objects.filter(debtor_id__in=ids).values(*ACCOUNT_FIELDS).order_by("id"):
        debtor_accounts[row["debtor_id"]].append(_account_facts(row, today))
    events: dict[int, list[F.Event]] = defaultdict(list)
    rows = CaseEvent.objects.filter(debtor_id__in=ids, occurred_at__lte=at).values_list(*EVENT_FIELDS)
    for eid, debtor_id, type_, occurred_at, account_ids, direction, channel, target, outcome, written, data in \
            rows.order_by("occurred_at", "id"):
        events[debtor_id].append(F.Event(eid, type_, occurred_at, tuple(account_ids), direction or None,
                                         channel or None, target or None, outcome or None, written, data))
    bundles = {}
    for debtor_id, debtor in debtors.items():
        client = clients[next(a.client_id for a in accounts if a.debtor_id == debtor_id)]
        bundles[debtor_id] = DebtorBundle(
            client=_client_facts(client),
            debtor=F.DebtorFacts(DebtorKind(debtor.kind), tuple(debtor.timezones), tuple(phones[debtor_id]),
                                 tuple(emails[debtor_id]), tuple(addresses[debtor_id])),
            accounts=tuple(debtor_accounts[debtor_id]),
            events=tuple(events[debtor_id]),
        )
    return bundles


def primary_target(debtor: F.DebtorFacts, channel: str) -> str:
    """The contact point a queue would use: best active phone, first usable e-mail, home address."""
    if channel in (Channel.CALL, Channel.VOICEMAIL, Channel.SMS):
        phones = [p for p in debtor.phones if p.status == "active"] or list(debtor.phones)
        phones.sort(key=lambda p: (PHONE_PRIORITY.get(p.kind, 9), p.id))
        return phones[0].number if phones else ""
    if channel == Channel.EMAIL:
        emails = [e for e in debtor.emails if e.status == "active"] or list(debtor.emails)
        return emails[0].address if emails else ""
    if channel == Channel.LETTER:
        addresses = sorted(debtor.addresses, key=lambda a: (a.status != "active", a.kind != "home", a.id))
        return f"address:{addresses[0].id}" if addresses else ""
    return ""


def snapshot_of(bundle: DebtorBundle, *, account_id: int, channel: str, target: str, at: dt.datetime,
                direction: str = Direction.OUTBOUND, message: F.Message | None = None) -> F.Snapshot:
    return F.Snapshot(
        request=F.ContactRequest(account_id, Channel(channel), target, at, Direction(direction), message),
        client=bundle.client, debtor=bundle.debtor, accounts=bundle.accounts, events=bundle.events,
    )


# -- JSON codec for stored decisions -------------------------------------------------------------

def to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    return value


def _from_json(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin, args = get_origin(kind), get_args(kind)
    if origin in (tuple, Sequence) or kind is tuple:
        inner = args[0] if args else Any
        return tuple(_from_json(inner, v) for v in value)
    if origin is not None and type(None) in args:  # Optional[X] / X | None
        return _from_json(next(a for a in args if a is not type(None)), value)
    if dataclasses.is_dataclass(kind):
        hints = get_type_hints(kind)
        factory: Any = kind
        return factory(**{f.name: _from_json(hints[f.name], value[f.name]) for f in dataclasses.fields(kind)
                       if f.name in value})
    if isinstance(kind, type):
        if issubclass(kind, Enum):
            return kind(value)
        if kind is dt.datetime:
            return dt.datetime.fromisoformat(value)
        if kind is dt.date:
            return dt.date.fromisoformat(value)
        if kind is dt.time:
            return dt.time.fromisoformat(value)
        if kind is Decimal:
            return Decimal(value)
    return value


def snapshot_from_json(data: Mapping[str, Any]) -> F.Snapshot:
    return _from_json(F.Snapshot, data)


