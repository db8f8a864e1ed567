"""What the batch form of the gate reads per account, computed once and kept (``EligibilityFacts``).

``refresh(account_ids, as_of)`` reads the accounts, their debtors' contact points and their
timelines in sets -- the one pass over the events the batch used to make every time -- and writes
one row per account in *absolute* terms: instants rather than "days ago", so that the same row
answers any later instant:

* the static part of the engine's signature for each kind of contact point (phone, e-mail,
  address, none): zones, kinds, Massachusetts, the primary contact point's facts, the designated
  inconvenient times -- stored once per distinct value in ``EligibilitySignature``;
* the validation notice, the initial communication, the first written communication and the last
  conversation by telephone (instants);
* the counted calls of the nine days before ``as_of`` (epoch seconds, by whose number they went
  to), Massachusetts' counted contacts of the 32 days before it;
* the absolute stops' ``StopKey`` per kind of contact point, with the account's dates and quoted
  values to write back (they compare their events only with each other, never with the instant
  asked about), or ``engine`` when only the full engine can say;
* the channels only the full engine decides (consent, a stated location, place designations,
  duplicate contact points, ...).

A row is good for an instant no earlier than its timeline's last event and than a day before
``as_of``. Triggers (migration 0003) delete the rows of every account whose sources change.
"""

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from compliance.engine import facts as F
from compliance.engine.clock import local_date
from compliance.engine.constants import UNKNOWN_LOCATION_ZONES, CallOutcome, Channel, EventType
from compliance.engine.history import WRITTEN_COMMUNICATION_TYPES
from compliance.engine.mediums import normalize_target, same_target
from compliance.engine.rules.state_overlays import REACHED

E = EventType

STOP_TYPES = frozenset({
    E.BANKRUPTCY_FILED, E.BANKRUPTCY_DISCHARGED, E.CEASE_NOTICE_RECEIVED, E.DISPUTE_RECEIVED,
    E.ORIGINAL_CREDITOR_REQUEST_RECEIVED, E.VERIFICATION_SENT, E.ATTORNEY_REPRESENTATION_NOTICE,
    E.ATTORNEY_CONSENT_TO_DIRECT_CONTACT, E.MEDIUM_OPT_OUT, E.DECEASED_NOTICE,
})
"""Read by the absolute stops (``verification_sent`` ends a dispute; it is also a written
communication, projected with the others)."""

COMPLEX_TYPES = frozenset({
    E.PRIOR_CONSENT_RECORDED, E.LOCATION_STATED, E.INCONVENIENT_PLACE_DESIGNATION,
    E.EMPLOYER_PROHIBITS_CONTACT, E.UNDELIVERABLE_NOTICE_RECEIVED,
})
"""Facts that reach across rule families or compare exact instants: the full engine decides."""

CHANNEL_COMPLEX_TYPES = {Channel.EMAIL: E.INBOUND_EMAIL, Channel.SMS: E.INBOUND_SMS}
"""The consumer's own e-mails (texts) qualify an address (number) for e-mail (text) procedures."""

SPECIAL_TYPES = frozenset({*STOP_TYPES, *COMPLEX_TYPES, *CHANNEL_COMPLEX_TYPES.values(),
                           E.INCONVENIENT_TIME_DESIGNATION})

PROJECTED_TYPES = frozenset({
    E.CALL_ATTEMPT, E.VOICEMAIL_LEFT, E.CONVERSATION, E.INCONVENIENT_TIME_DESIGNATION,
    *WRITTEN_COMMUNICATION_TYPES,
})
"""Carried by the signature (counts, days, designations)."""

ANSWER_ONLY_TYPES = frozenset({E.INBOUND_CALL, E.INBOUND_LETTER, E.INBOUND_EMAIL, E.INBOUND_SMS})
"""Read only to answer the consumer's own contact (direction ``inbound_response``), which the
batch never asks about -- except the two in ``CHANNEL_COMPLEX_TYPES``."""

PHONE_CHANNELS = frozenset({Channel.CALL, Channel.VOICEMAIL, Channel.SMS})
FAMILIES = ("phone", "email", "letter", "none")
"""Kinds of contact point: each channel asks about its family's primary one (``family``)."""
CALL_WINDOW = dt.timedelta(days=9)
MA_WINDOW = dt.timedelta(days=32)
VALID_BEFORE_AS_OF = dt.timedelta(days=1)
"""A row answers instants from a day before ``as_of`` on: the counted calls it keeps start nine
days before ``as_of``, and a call counts for eight days at most (seven local days)."""
ENGINE = "engine"
ANALYZE_FROM = 1000
"""From this many accounts a refresh gives the planner its table's statistics."""
PHONE_PRIORITY_SQL = ("case {k} when 'mobile' then 0 when 'home' then 1 when 'work' then 2 "
                      "when 'other' then 3 else 9 end")


def bit(channel: Channel) -> int:
    """The channel's bit in ``EligibilityFacts.engine_channels``."""
    return 1 << list(Channel).index(channel)


def family(channel: Channel) -> str:
    if channel in PHONE_CHANNELS:
        return "phone"
    return {Channel.EMAIL: "email", Channel.LETTER: "letter"}.get(channel, "none")


def _norm(column: str) -> str:
    """SQL twin of ``mediums.normalize_target`` (no case, no blanks; E.164 keeps only digits)."""
    compact = f"regexp_replace(lower({column}), '\\s', '', 'g')"
    return (f"(case when {column} ~ '^\\+[0-9]+$' then {column} when left({compact}, 1) = '+' "
            f"then '+' || regexp_replace({column}, '[^0-9]', '', 'g') else {compact} end)")


def _types(types: Iterable[str]) -> str:
    return "(" + ", ".join(f"'{t}'" for t in sorted(types)) + ")"


NOT_INBOUND = "e.direction <> 'inbound'"
CONVERSATION_SQL = (f"(e.type = '{E.CONVERSATION}' or (e.type = '{E.CALL_ATTEMPT}' "
                    f"and e.outcome = '{CallOutcome.RIGHT_PARTY_CONTACT}'))")
# A conversation held by telephone (history.telephone_conversations): one in person starts no week.
PHONE_TALK_SQL = f"({CONVERSATION_SQL} and e.channel in ('', '{Channel.CALL}', '{Channel.VOICEMAIL}'))"
ABOUT_ACCOUNT = "(e.account_ids = '{}' or ea.id = any(e.account_ids))"
TO_A_DEBTOR_PHONE = (
    # No number, or one of the debtor's (a call to someone else's number is a call to that person).
    # Most calls go to the primary number: that test comes first, then the debtor's other numbers,
    # which ``elig_ref.phones`` holds normalised.
    f"(coalesce(e.target, '') = '' or e.target = ea.p_value or {_norm('e.target')} = ea.tn "
    f"or {_norm('e.target')} = any(ea.phones))")


# -- the absolute stops' key ----------------------------------------------------------------------

MESSAGE_ONLY = frozenset({"case_number", "attorney"})
"""Event data the absolute stops only quote in their messages (a bankruptcy case number, the
attorney's name): the key carries a placeholder, the account's reasons get the value back."""
RELATIVE_BASE = dt.date(2000, 1, 3)
"""The representative's first stopping day: the stops compare their events' days and instants with
each other (and with the validation-period end), never with the request instant, so the key keeps
only day offsets and the reasons' dates are written back per account."""
OTHER_TARGET = "+19999999999"
SYNTHETIC_TARGET = "+10000000000"
SUSPENDING = frozenset({E.DISPUTE_RECEIVED, E.ORIGINAL_CREDITOR_REQUEST_RECEIVED})


class StopKey(NamedTuple):
    """What the absolute stops read for one account, with every account-specific value made
    relative (days) or symbolic (message-only data, targets as "the request's" / "another").
    The client's operator type is filled in by the batch (it is the client's, not the account's)."""

    operator_type: str
    account_kind: str
    debtor_kind: str
    california: bool
    period_end: int | None
    has_target: bool
    events: tuple[tuple[Any, ...], ...]
    opened: int | None = None
    """The debt's open date, in days from the first stopping day (clamped to just outside the
    stopping days), when the debtor filed for bankruptcy: a debt opened after the petition is not stayed."""


def _placeholder(n: int) -> str:
    return f"\x1e{n}\x1e"  # no message holds this control character otherwise


@dataclasses.dataclass
class _Account:
    """One account's facts while a refresh works them out."""

    id: int
    account_kind: str
    validation_period_end: dt.date | None
    ca: bool
    debtor_kind: str
    timezones: tuple[str, ...]
    open_date: dt.date | None
    targets: dict[str, str]
    special: list[F.Event] = dataclasses.field(default_factory=list)

    @property
    def zone(self) -> str:
        return self.timezones[0] if self.timezones else UNKNOWN_LOCATION_ZONES[0]


def stop_key(account: _Account, target: str) -> tuple[StopKey | None, tuple[tuple[str, str], ...]] | str:
    """(key, substitutions) for this account's stopping events (key None when it has none), or
    ``ENGINE`` when the absolute stops also read what the key does not carry (a validation period
    known only from the notices) or the representative dates would not all precede the account's
    (so that writing the dates back cannot rewrite one twice)."""
    stops = [e for e in account.special if e.type in STOP_TYPES]
    if not stops:
        return None, ()
    if account.validation_period_end is None and any(e.type in SUSPENDING for e in stops):
        return ENGINE
    zone = ZoneInfo(account.zone)
    days = [local_date(e.occurred_at, zone) for e in stops]
    base = min(days)
    if (max(days) - base) + RELATIVE_BASE + dt.timedelta(days=3) > base:
        return ENGINE
    substitutions: dict[str, str] = {}
    values: dict[str, str] = {}
    representative = SYNTHETIC_TARGET if target else ""
    ranks: dict[tuple[dt.date, dt.datetime], int] = {}
    projected = []
    for e, day in zip(stops, days, strict=True):
        rank = ranks.setdefault((day, e.occurred_at), sum(1 for d, _ in ranks if d == day))
        offset = (day - base).days
        substitutions[(RELATIVE_BASE + dt.timedelta(days=offset)).isoformat()] = day.isoformat()
        data: dict[str, Any] = {}
        for name, value in e.data.items():
            if name in MESSAGE_ONLY and value:
                text = str(value)
                if text not in values:
                    values[text] = _placeholder(len(values))
                    substitutions[values[text]] = text
                value = values[text]
            elif name == "target" and value:
                value = representative if same_target(str(value), target) else OTHER_TARGET
            data[name] = value
        event_target = e.target
        if event_target:
            event_target = representative if same_target(event_target, target) else OTHER_TARGET
        projected.append((e.type, offset, rank, not e.account_ids or account.id in e.account_ids, e.direction,
                          e.channel, event_target, e.outcome, e.written, json.dumps(data, sort_keys=True, default=str)))
    period_end = None
    if account.validation_period_end is not None:
        suspending = sorted(day for e, day in zip(stops, days, strict=True) if e.type in SUSPENDING)
        timely = [day for day in suspending if day <= account.validation_period_end]
        # Only its order against the requests' days matters: the latest timely one, else before all.
        period_end = ((timely[-1] if timely else base - dt.timedelta(days=1)) - base).days
    opened = None
    if account.open_date is not None and any(e.type == E.BANKRUPTCY_FILED for e in stops):
        opened = min(max((account.open_date - base).days, -1), (max(days) - base).days + 1)
    key = StopKey("", account.account_kind, account.debtor_kind, account.ca, period_end, bool(target),
                  tuple(projected), opened)
    return key, tuple(substitutions.items())


def stop_text(account: _Account, target: str) -> str:
    """``stop_key`` as stored: '' (no stopping events), ``ENGINE``, or the key's JSON and the
    substitutions' JSON on two lines (accounts share keys, not substitutions)."""
    found = stop_key(account, target)
    if isinstance(found, str):
        return found
    key, substitutions = found
    if key is None:
        return ""
    return json.dumps(key, separators=(",", ":")) + "\t" + json.dumps(substitutions, separators=(",", ":"))


def stop_key_from_text(text: str) -> StopKey:
    """The key of a stored ``stop_text`` (before the tab)."""
    fields = json.loads(text)
    fields[6] = tuple(tuple(event) for event in fields[6])
    return StopKey._make(fields)


def substitutions_from_text(text: str) -> tuple[tuple[str, str], ...]:
    """The substitutions of a stored ``stop_text`` (after the tab)."""
    return tuple((a, b) for a, b in json.loads(text))


# -- the passes over the database ------------------------------------------------------------------

def _phone_target_sql() -> str:
    """Per debtor, the number ``snapshots.primary_target`` picks."""
    return f"""select distinct on (p.debtor_id) p.debtor_id, p.number as value, p.kind, p.status,
                      p.sms_consent as consent, false as employer, {_norm('p.number')} as tn
               from collections_app_phone p join deb on deb.debtor_id = p.debtor_id
               order by p.debtor_id, p.status <> 'active', {PHONE_PRIORITY_SQL.format(k='p.kind')}, p.id"""


def _email_target_sql() -> str:
    return """select distinct on (m.debtor_id) m.debtor_id, m.address as value, null::text as kind,
                     case when m.status = 'bounced' then 'bounced' else 'active' end as status,
                     m.consent, m.employer_provided as employer
              from collections_app_email m join deb on deb.debtor_id = m.debtor_id
              order by m.debtor_id, m.status = 'bounced', m.id"""


def _letter_target_sql() -> str:
    return """select distinct on (d.debtor_id) d.debtor_id, 'address:' || d.id as value, d.kind,
                     case when d.status = 'undeliverable' then 'undeliverable' else 'active' end as status
              from collections_app_address d join deb on deb.debtor_id = d.debtor_id
              order by d.debtor_id, d.status = 'undeliverable', d.kind <> 'home', d.id"""


def _duplicates_sql(table: str, column: str) -> str:
    """Debtors with two contact points that compare equal (the engine would take the first)."""
    return f"""select distinct x.debtor_id from {table} x join deb on deb.debtor_id = x.debtor_id
               group by x.debtor_id, {_norm('x.' + column)} having count(*) > 1"""


ACCOUNTS_SQL = f"""
create temp table elig_ref on commit drop as
with ids as (select a.id, a.debtor_id, a.client_id, a.kind, a.validation_period_end, a.governing_state, a.open_date
             from collections_app_account a where a.id = any(%(ids)s::bigint[])),
     deb as (select distinct debtor_id from ids),
     pt as ({_phone_target_sql()}), et as ({_email_target_sql()}), lt as ({_letter_target_sql()}),
     pdup as ({_duplicates_sql('collections_app_phone', 'number')}),
     edup as ({_duplicates_sql('collections_app_email', 'address')}),
     st as (select x.debtor_id, bool_or(upper(x.state) = 'MA') as ma, bool_or(upper(x.state) = 'CA') as ca
            from collections_app_address x join deb on deb.debtor_id = x.debtor_id
            where x.kind in ('home', 'mailing') and upper(x.state) in ('MA', 'CA') group by x.debtor_id),
     wp as (select x.debtor_id, bool_or(x.status = 'wrong_number') as wrong_phones, array_agg({_norm('x.number')}) as phones
            from collections_app_phone x join deb on deb.debtor_id = x.debtor_id group by x.debtor_id)
select ids.id, ids.debtor_id, ids.client_id, ids.kind as account_kind, ids.validation_period_end, ids.open_date,
       coalesce(st.ma, false) or upper(ids.governing_state) = 'MA' as ma,
       coalesce(st.ca, false) or upper(ids.governing_state) = 'CA' as ca,
       d.kind as debtor_kind, d.timezones,
       coalesce(pt.value, '') as p_value, pt.kind as p_kind, pt.status as p_status,
       coalesce(pt.consent, false) as p_consent, pt.tn, pdup.debtor_id is not null as p_dup,
       coalesce(wp.wrong_phones, false) as wrong_phones, coalesce(wp.phones, '{{}}') as phones,
       coalesce(et.value, '') as m_value, et.status as m_status, coalesce(et.consent, false) as m_consent,
       coalesce(et.employer, false) as m_employer, edup.debtor_id is not null as m_dup,
       coalesce(lt.value, '') as l_value, lt.kind as l_kind, lt.status as l_status
from ids join collections_app_debtor d on d.id = ids.debtor_id
left join pt on pt.debtor_id = ids.debtor_id left join et on et.debtor_id = ids.debtor_id
left join lt on lt.debtor_id = ids.debtor_id left join pdup on pdup.debtor_id = ids.debtor_id
left join edup on edup.debtor_id = ids.debtor_id left join st on st.debtor_id = ids.debtor_id
left join wp on wp.debtor_id = ids.debtor_id"""

WRITTEN = _types(WRITTEN_COMMUNICATION_TYPES)
IDENTIFYING = f"('{CallOutcome.WRONG_NUMBER}', '{CallOutcome.RIGHT_PARTY_CONTACT}')"
COUNTED = (f"e.type in {_types([E.CALL_ATTEMPT, E.VOICEMAIL_LEFT])} and {NOT_INBOUND} "
           f"and e.occurred_at > %(calls_from)s and e.outcome not in ('busy', 'disconnected', 'wrong_number') "
           f"and {TO_A_DEBTOR_PHONE}")
RELEVANT = {*WRITTEN_COMMUNICATION_TYPES, *SPECIAL_TYPES, E.CONVERSATION, E.CALL_ATTEMPT, E.VOICEMAIL_LEFT}

TIMELINE_SQL = f"""
with f as (
select aid, bool_or(about and sent and notice) as notice,
       least(min(at_) filter (where about and sent), min(at_) filter (where about and talk)) as first_at,
       min(at_) filter (where about and sent) as first_written_at,
       coalesce(bool_or(about and talk), false) as talked,
       max(at_) filter (where about and phone_talk) as last_talk_at,
       max(at_) filter (where identified = '{CallOutcome.WRONG_NUMBER}') as wrong_last,
       max(at_) filter (where identified = '{CallOutcome.RIGHT_PARTY_CONTACT}') as right_last,
       coalesce(bool_or(wrong), false) as any_wrong, coalesce(bool_or(special), false) as special,
       string_agg(epoch, ' ' order by epoch) filter (where about and to_target = 'target') as calls_target,
       string_agg(epoch, ' ' order by epoch) filter (where about and to_target = 'other') as calls_other,
       string_agg(epoch, ' ' order by epoch) filter (where about and to_target = 'none') as calls_none
from (
    select ea.id as aid, e.occurred_at as at_,
           (e.account_ids = '{{}}' or ea.id = any(e.account_ids)) as about,
           e.type in {WRITTEN} and {NOT_INBOUND} as sent,
           e.type in {WRITTEN} and (e.type = '{E.VALIDATION_NOTICE_SENT}'
                                    or e.data->>'template' = 'validation_notice') as notice,
           {CONVERSATION_SQL} as talk, {PHONE_TALK_SQL} as phone_talk,
           e.type = '{E.CALL_ATTEMPT}' and e.outcome = '{CallOutcome.WRONG_NUMBER}' as wrong,
           e.type in {_types(SPECIAL_TYPES)} as special,
           case when e.type = '{E.CALL_ATTEMPT}' and e.outcome in {IDENTIFYING}
                     and e.target <> '' and ea.tn is not null
                     and {_norm('e.target')} = ea.tn then e.outcome end as identified,
           case when {COUNTED} then floor(extract(epoch from e.occurred_at))::bigint::text end as epoch,
           case when {COUNTED} then case when e.target = '' then 'none' when {_norm('e.target')} = ea.tn
                                         then 'target' else 'other' end end as to_target
    from elig_ref ea join collections_app_caseevent e on e.debtor_id = ea.debtor_id
    where e.type in {_types(RELEVANT)}
      and (e.type not in {_types([E.CALL_ATTEMPT, E.VOICEMAIL_LEFT])} or e.occurred_at > %(calls_from)s
           or (e.type = '{E.CALL_ATTEMPT}' and e.outcome in {IDENTIFYING}))
    offset 0) x
group by aid),
last as (select e.debtor_id, max(e.occurred_at) as at_ from collections_app_caseevent e
         where e.debtor_id in (select debtor_id from elig_ref) group by e.debtor_id)
select ea.id, ea.debtor_id, ea.client_id, ea.account_kind, ea.validation_period_end, ea.open_date, ea.ma, ea.ca,
       ea.debtor_kind, ea.timezones, ea.p_value, ea.p_kind, ea.p_status, ea.p_consent, ea.p_dup, ea.wrong_phones,
       ea.m_value, ea.m_status, ea.m_consent, ea.m_employer, ea.m_dup, ea.l_value, ea.l_kind, ea.l_status,
       last.at_, coalesce(f.notice, false), floor(extract(epoch from f.first_at))::bigint,
       floor(extract(epoch from f.first_written_at))::bigint, coalesce(f.talked, false),
       floor(extract(epoch from f.last_talk_at))::bigint,
       f.wrong_last is not null and (f.right_last is null or f.wrong_last > f.right_last),
       coalesce(f.wrong_last = f.right_last, false), coalesce(f.any_wrong, false), coalesce(f.special, false),
       coalesce(f.calls_target, ''), coalesce(f.calls_other, ''), coalesce(f.calls_none, '')
from elig_ref ea left join f on f.aid = ea.id left join last on last.debtor_id = ea.debtor_id"""

SPECIAL_SQL = f"""
select debtor_id, id, type, occurred_at, account_ids, direction, channel, target, outcome, written, data
from collections_app_caseevent
where debtor_id = any(%(debtors)s::bigint[]) and type in {_types(SPECIAL_TYPES)}
order by occurred_at, id"""

MASSACHUSETTS_SQL = f"""
select ea.id, floor(extract(epoch from e.occurred_at))::bigint, {ABOUT_ACCOUNT},
       (select case when p.kind = 'work' then 'work' else 'personal' end from collections_app_phone p
        where p.debtor_id = e.debtor_id and e.target <> '' and {_norm('p.number')} = {_norm('e.target')}
        order by p.id limit 1)
from elig_ref ea join collections_app_caseevent e on e.debtor_id = ea.debtor_id
where ea.ma and e.type in {_types([E.CALL_ATTEMPT, E.VOICEMAIL_LEFT, E.SMS_SENT])}
  and e.occurred_at > %(ma_from)s and {NOT_INBOUND}
  and (e.type <> '{E.CALL_ATTEMPT}' or e.outcome in ({", ".join(f"'{o}'" for o in sorted(REACHED))}))
  and {TO_A_DEBTOR_PHONE}
order by 1, 2"""

COLUMNS = ("account_id", "debtor_id", "client_id", "as_of", "last_event_at", "zone", "sig_phone", "sig_email",
           "sig_letter", "sig_none", "target_phone", "target_email", "target_letter", "notice", "first_at",
           "first_written_at", "talked", "last_talk_at", "calls_target", "calls_other", "calls_none",
           "target_calls_count", "wrong_other", "attorney_contact", "engine_channels", "ma_contacts",
           "stop_phone", "stop_email", "stop_letter", "stop_none")
ALL_CHANNELS = tuple(Channel)


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def refresh(account_ids: list[int], as_of: dt.datetime) -> None:
    """Compute and store the facts of these accounts (those that exist), replacing any kept."""
    if not account_ids:
        return
    params: dict[str, Any] = {"ids": account_ids, "calls_from": as_of - CALL_WINDOW, "ma_from": as_of - MA_WINDOW}
    with transaction.atomic(), connection.cursor() as cur:
        # Changes committed from here on wait for this transaction, then delete what it wrote.
        cur.execute("lock table compliance_eligibilityfacts in share row exclusive mode; "
                    "set local work_mem = '256MB'; set local jit = off")
        cur.execute(ACCOUNTS_SQL, params)
        if len(account_ids) > ANALYZE_FROM:
            cur.execute("analyze elig_ref")
        cur.execute(TIMELINE_SQL, params)
        rows = cur.fetchall()
        special = {row[0]: _Account(row[0], row[3], row[4], row[7], row[8], tuple(row[9] or ()), row[5],
                                    {"phone": row[10], "email": row[16], "letter": row[21], "none": ""})
                   for row in rows if row[33]}
        _load_special(cur, special, rows)
        ma = {row[0] for row in rows if row[6]}
        contacts: dict[int, list[tuple[int, str | None, bool]]] = {}
        if ma:
            cur.execute(MASSACHUSETTS_SQL, params)
            for account_id, epoch, about, line in cur.fetchall():
                contacts.setdefault(account_id, []).append((epoch, line, about))
        signatures: dict[int, str] = {}
        seen: dict[tuple[Any, ...], int] = {}
        facts = [_facts_row(row, as_of, special.get(row[0]), contacts.get(row[0], []), signatures, seen)
                 for row in rows]
        cur.execute("drop table elig_ref")
        cur.execute("delete from compliance_eligibilityfacts where account_id = any(%(ids)s::bigint[])", params)
        with cur.copy(f"copy compliance_eligibilityfacts ({', '.join(COLUMNS)}) from stdin") as copy:
            for fact in facts:
                copy.write_row(fact)
        cur.execute("insert into compliance_eligibilitysignature (key, text) select * from unnest(%s::bigint[], %s::text[]) "
                    "on conflict do nothing", [list(signatures), list(signatures.values())])


MISSING_SQL = """
select a.id from collections_app_account a
where not exists (select 1 from compliance_eligibilityfacts f where f.account_id = a.id)
order by a.id"""


def missing_account_ids() -> list[int]:
    """The accounts that have no facts kept (new, or changed since)."""
    with connection.cursor() as cur:
        cur.execute(MISSING_SQL)
        return [row[0] for row in cur.fetchall()]


def refresh_missing(ids: list[int] | None = None, *, chunk: int = 50_000,
                    progress: Callable[[int], object] | None = None) -> int:
    """Work out the facts of every account that has none (``ids``: those found already): one
    transaction per ``chunk`` accounts, so writers wait on the table's lock for one chunk at most.
    Returns how many accounts it did. The batch would do it for the accounts it is asked about;
    doing it ahead (a beat task, after an import) keeps the batch's own time for deciding."""
    if ids is None:
        ids = missing_account_ids()
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        refresh(part, as_of=dt.datetime.now(dt.UTC))
        if progress is not None:
            progress(len(part))
    return len(ids)


def _load_special(cur: Any, accounts: dict[int, _Account], rows: list[tuple[Any, ...]]) -> None:
    by_debtor: dict[int, list[_Account]] = {}
    debtor_of = {row[0]: row[1] for row in rows}
    for account in accounts.values():
        by_debtor.setdefault(debtor_of[account.id], []).append(account)
    if not by_debtor:
        return
    cur.execute(SPECIAL_SQL, {"debtors": sorted(by_debtor)})
    for debtor_id, eid, type_, occurred_at, account_ids, direction, ch, target, outcome, written, data in \
            cur.fetchall():
        event = F.Event(eid, type_, occurred_at, tuple(account_ids), direction or None, ch or None,
                        target or None, outcome or None, written, json.loads(data) if isinstance(data, str) else data)
        for account in by_debtor[debtor_id]:
            account.special.append(event)


def _facts_row(row: tuple[Any, ...], as_of: dt.datetime, account: _Account | None,
               contacts: list[tuple[int, str | None, bool]], signatures: dict[int, str],
               seen: dict[tuple[Any, ...], int]) -> tuple[Any, ...]:
    (account_id, debtor_id, client_id, account_kind, _vpe, _open, ma, _ca, debtor_kind, timezones, p_value, p_kind,
     p_status, p_consent, p_dup, wrong_phones, m_value, m_status, m_consent, m_employer, m_dup, l_value, l_kind,
     l_status, last_event_at, notice, first_at, first_written_at, talked, last_talk_at, wrong_wins, tie, any_wrong,
     _special, calls_target, calls_other, calls_none) = row
    zones = list(timezones or ())
    events = account.special if account else []
    designations = [json.dumps(e.data, sort_keys=True, default=str) for e in events
                    if e.type == E.INCONVENIENT_TIME_DESIGNATION]
    targets = {
        "phone": (p_value, [p_kind, p_status, p_consent, False, wrong_wins]),
        "email": (m_value, [None, m_status, m_consent, m_employer, False]),
        "letter": (l_value, [l_kind, l_status, False, False, False]),
        "none": ("", None),
    }
    keys = []
    for name in FAMILIES:
        value, target_facts = targets[name]
        static = (tuple(zones), account_kind, debtor_kind, ma, tuple(target_facts) if value and target_facts else None,
                  tuple(designations))
        key = seen.get(static)
        if key is None:  # most accounts share their static facts with many others
            text = json.dumps([zones, account_kind, debtor_kind, ma, target_facts if value else None, designations],
                              separators=(",", ":"))
            key = seen[static] = _key(text)
            signatures[key] = text
        keys.append(key)
    complex_channels: set[Channel] = set()
    if tie or p_dup:
        complex_channels |= PHONE_CHANNELS
    if m_dup:
        complex_channels.add(Channel.EMAIL)
    attorney_contact = False
    stops = {name: "" for name in FAMILIES}
    if account is not None:
        for e in events:
            if e.type in COMPLEX_TYPES:
                complex_channels |= set(ALL_CHANNELS)
            elif e.type == E.INBOUND_EMAIL:
                complex_channels.add(Channel.EMAIL)
            elif e.type == E.INBOUND_SMS:
                complex_channels.add(Channel.SMS)
            elif e.type == E.ATTORNEY_REPRESENTATION_NOTICE and e.data.get("contact"):
                attorney_contact = True  # calls to the attorney are not counted
                contact = normalize_target(str(e.data["contact"]))
                for name, channels in (("phone", PHONE_CHANNELS), ("email", {Channel.EMAIL}),
                                       ("letter", {Channel.LETTER})):
                    if targets[name][0] and contact == normalize_target(targets[name][0]):
                        complex_channels |= channels
        stops = {name: stop_text(account, targets[name][0]) for name in FAMILIES}
    ma_contacts = json.dumps(contacts, separators=(",", ":")) if ma and contacts else ""
    return (account_id, debtor_id, client_id, as_of, last_event_at, zones[0] if zones else UNKNOWN_LOCATION_ZONES[0],
            *keys, p_value, m_value, l_value, notice, first_at, first_written_at, talked, last_talk_at,
            calls_target, calls_other, calls_none, not (wrong_wins or p_status == "wrong_number"),
            any_wrong or wrong_phones, attorney_contact, sum(map(bit, complex_channels)), ma_contacts,
            stops["phone"], stops["email"], stops["letter"], stops["none"])
