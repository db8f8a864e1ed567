"""Build the engine's snapshots from the database — in sets — and (de)serialise them for replay."""

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, NamedTuple, get_args, get_origin, get_type_hints

from django.db import connection

from collections_app.models import Account
from compliance.engine import facts as F
from compliance.engine.constants import (
    Channel,
    DebtorKind,
    Direction,
    EventType,
    Purpose,
)
from compliance.prepared import PreparedStatement

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


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _account_facts(row: Mapping[str, Any]) -> F.AccountFacts:
    return F.AccountFacts(
        id=row["id"], kind=row["kind"], governing_state=row["governing_state"],
        principal_balance=Decimal(row["principal_balance"]), interest_balance=Decimal(row["interest_balance"]),
        fees_balance=Decimal(row["fees_balance"]), open_date=_date(row["open_date"]),
        delinquency_date=_date(row["delinquency_date"]), charge_off_date=_date(row["charge_off_date"]),
        last_payment_date=_date(row["last_payment_date"]), itemization_date=_date(row["itemization_date"]),
        validation_period_end=_date(row["validation_period_end"]), time_barred=row["time_barred"],
        sol_expires_on=_date(row["sol_expires_on"]),
    )


ENGINE_EVENT_TYPES = tuple(sorted(EventType))
"""The timeline types the engine reads (it ignores any other, e.g. money facts and its own
decisions), so only these are loaded."""

BUNDLE_COLUMNS = f"""d.id, d.kind, d.timezones,
      (select coalesce(json_agg(json_build_object('id', p.id, 'number', p.number, 'kind', p.kind,
                                                  'sms_consent', p.sms_consent, 'status', p.status)
                                order by p.id), '[]')::text
       from collections_app_phone p where p.debtor_id = d.id),
      (select coalesce(json_agg(json_build_object('id', m.id, 'address', m.address,
                                                  'employer_provided', m.employer_provided, 'consent', m.consent,
                                                  'status', case when m.status = 'bounced' then 'bounced'
                                                                 else 'active' end)
                                order by m.id), '[]')::text
       from collections_app_email m where m.debtor_id = d.id),
      (select coalesce(json_agg(json_build_object('id', r.id, 'kind', r.kind, 'state', r.state,
                                                  'status', case when r.status = 'undeliverable'
                                                                 then 'undeliverable' else 'active' end)
                                order by r.id), '[]')::text
       from collections_app_address r where r.debtor_id = d.id),
      (select coalesce(json_agg(json_build_object(
                 'id', a.id, 'kind', a.kind, 'governing_state', nullif(a.governing_state, ''),
                 'principal_balance', a.principal_balance::text, 'interest_balance', a.interest_balance::text,
                 'fees_balance', a.fees_balance::text, 'open_date', a.open_date,
                 'delinquency_date', a.delinquency_date, 'charge_off_date', a.charge_off_date,
                 'last_payment_date', a.last_payment_date, 'itemization_date', a.itemization_date,
                 'validation_period_end', a.validation_period_end,
                 'time_barred', coalesce(a.sol_expires_on < %(today)s, false), 'sol_expires_on', a.sol_expires_on)
                                order by a.id), '[]')::text
       from collections_app_account a where a.debtor_id = d.id),
      (select coalesce(json_agg(json_build_object(
                 'id', e.id, 'type', e.type, 'occurred_at', e.occurred_at, 'account_ids', e.account_ids,
                 'direction', nullif(e.direction, ''), 'channel', nullif(e.channel, ''),
                 'target', nullif(e.target, ''), 'outcome', nullif(e.outcome, ''), 'written', e.written,
                 'data', e.data) order by e.occurred_at, e.id), '[]')::text
       from collections_app_caseevent e
       where e.debtor_id = d.id and e.occurred_at <= %(at)s
         and e.type in ({", ".join(f"'{t}'" for t in ENGINE_EVENT_TYPES)}))"""
"""A debtor ``d``'s facts as JSON texts: contact points, accounts, events up to ``at``."""

BUNDLE_SQL = f"select {BUNDLE_COLUMNS} from collections_app_debtor d where d.id = any(%(debtors)s::bigint[])"

ACCOUNT_BUNDLE_SQL = f"""
    select a.id, a.client_id, c.operator_type, c.call_window_start, c.call_window_end, c.max_calls_per_7_days,
           c.sms_enabled, c.email_enabled, {BUNDLE_COLUMNS}
    from collections_app_account a join collections_app_client c on c.id = a.client_id
    join collections_app_debtor d on d.id = a.debtor_id
    where a.id = %(account)s
      and (%(everyone)s or a.client_id in (select m.client_id from collections_app_client_members m
                                            where m.user_id = %(user)s))"""
"""One account, only if the viewer may see it (``collections_app.selectors``' scope: a superuser
sees every client, anyone else the clients they are a member of), with its debtor's facts."""
ACCOUNT_BUNDLE = PreparedStatement("compliance_account_bundle", ACCOUNT_BUNDLE_SQL)


def _event(row: Mapping[str, Any]) -> F.Event:
    return F.Event(row["id"], row["type"], dt.datetime.fromisoformat(row["occurred_at"]), tuple(row["account_ids"]),
                   row["direction"], row["channel"], row["target"], row["outcome"], row["written"], row["data"])


@dataclasses.dataclass
class DebtorBundle:
    """Everything about one debtor that a decision on any of their accounts needs.

    ``stored`` holds the debtor's, accounts' and events' JSON exactly as read, so a decision's
    snapshot is stored without serialising them again (``snapshot_text``)."""

    client: F.ClientFacts
    debtor: F.DebtorFacts
    accounts: tuple[F.AccountFacts, ...]
    events: tuple[F.Event, ...]
    stored: Mapping[str, str] | None = None


def load_bundles(accounts: Sequence[Account], at: dt.datetime) -> dict[int, DebtorBundle]:
    """Facts for the debtors of ``accounts`` in one query, whatever their number.

    ``accounts`` must carry ``client`` (select_related or cached). Events after ``at`` are left
    out: the engine decides "assuming no new events".
    """
    clients: dict[int, Any] = {}
    for account in accounts:
        clients.setdefault(account.debtor_id, account.client)
    if not clients:
        return {}
    with connection.cursor() as cur:
        cur.execute(BUNDLE_SQL, {"debtors": list(clients), "at": at, "today": at.date()})
        rows = cur.fetchall()
    return {row[0]: _bundle(_client_facts(clients[row[0]]), *row[1:]) for row in rows}


def _bundle(client: F.ClientFacts, kind: str, zones: list[str], phones: str, emails: str, addresses: str,
            accounts: str, events: str) -> DebtorBundle:
    debtor = F.DebtorFacts(
        DebtorKind(kind), tuple(zones),
        tuple(F.Phone(p["id"], p["number"], p["kind"], p["sms_consent"], p["status"]) for p in json.loads(phones)),
        tuple(F.Email(m["id"], m["address"], m["employer_provided"], m["consent"], m["status"])
              for m in json.loads(emails)),
        tuple(F.Address(r["id"], r["kind"], r["state"], r["status"]) for r in json.loads(addresses)),
    )
    return DebtorBundle(
        client=client, debtor=debtor,
        accounts=tuple(_account_facts(a) for a in json.loads(accounts)),
        events=tuple(_event(e) for e in json.loads(events)),
        stored={"kind": json.dumps(kind), "timezones": json.dumps(list(zones)), "phones": phones, "emails": emails,
                "addresses": addresses, "accounts": accounts, "events": events},
    )


class AccountRef(NamedTuple):
    id: int
    client_id: int
    debtor_id: int


def load_account_bundle(account_id: int, at: dt.datetime, *, viewer_id: int | None,
                        everyone: bool) -> tuple[AccountRef, DebtorBundle] | None:
    """One account visible to the viewer (``everyone``: a superuser) and its debtor's facts, in one
    query; None when there is no such account or the viewer may not see it."""
    with connection.cursor() as cur:
        ACCOUNT_BUNDLE.execute(cur, {"account": account_id, "everyone": everyone, "user": viewer_id, "at": at,
                                     "today": at.date()})
        row = cur.fetchone()
    if row is None:
        return None
    aid, client_id, operator_type, start, end, max_calls, sms, email, debtor_id, *bundle = row
    client = F.ClientFacts(operator_type, F.ClientPolicy(start, end, max_calls, sms, email))
    return AccountRef(aid, client_id, debtor_id), _bundle(client, *bundle)


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


def snapshot_text(bundle: DebtorBundle, snapshot: F.Snapshot) -> str:
    """``to_json(snapshot)`` as JSON text, reusing the bundle's stored JSON where it has it."""
    stored = bundle.stored
    if stored is None or snapshot.events is not bundle.events or snapshot.accounts is not bundle.accounts:
        return json.dumps(to_json(snapshot))
    debtor = (f'{{"kind": {stored["kind"]}, "timezones": {stored["timezones"]}, "phones": {stored["phones"]}, '
              f'"emails": {stored["emails"]}, "addresses": {stored["addresses"]}}}')
    return (f'{{"request": {json.dumps(to_json(snapshot.request))}, "client": {json.dumps(to_json(snapshot.client))}, '
            f'"debtor": {debtor}, "accounts": {stored["accounts"]}, "events": {stored["events"]}}}')


# -- JSON codec for stored decisions -------------------------------------------------------------

_PLAIN = (str, int, float, bool, type(None))


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def to_json(value: Any) -> Any:
    if isinstance(value, Enum):  # before the plain types: a StrEnum is a str
        return value.value
    if isinstance(value, _PLAIN):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_json(getattr(value, name)) for name in _field_names(type(value))}
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


