"""Eligibility of many accounts for one channel at one instant, computed in sets.

The answer for every account is exactly what ``engine.evaluate`` says on that account's full
snapshot (verdict, reasons, next allowed instant, zones, warnings); it is obtained without
running the engine once per account:

1. One set-based SQL pass over the timeline reads, per account, only what the rules read for a
   plain outbound contact on this channel at this instant: the debtor's zones, the client's
   policy, coverage, the primary contact point, the counted calls of the last seven local days,
   the last conversation, the initial communication and validation notice. Facts the rules only
   compare with the request's day are made relative or dropped there (calls below every cap, a
   conversation more than six days old, a notice deadline not yet passed all read as none), and
   PostgreSQL groups the accounts whose facts are then equal: one row per *class*, with the ids
   and targets of its accounts. Accounts with stopping, designation or Massachusetts facts come
   back one by one, and their own events are read next (two more statements).
2. Each row becomes a *signature*; the engine runs once per distinct signature, on a synthetic
   snapshot that holds exactly those facts, and the answer is given to every account of the row.
3. The absolute stops (bankruptcy, cease, dispute, attorney, opt-out, death: catalogue 0.3
   step 2) read only their own events, compare their days and instants only with each other
   (and the validation-period end), and quote dates and values in their messages. They are
   decided apart (``gate.absolute_stops``) once per ``StopKey`` -- days relative to the first
   stopping day, message-only values as placeholders, targets as "the request's" or "another" --
   and each account's dates and values are written back into its reasons.
4. Accounts whose timeline holds facts this projection does not carry (prior consent, a stated
   location, place designations, employer prohibitions, undeliverable notices, the consumer's
   own e-mails or texts for those channels, duplicate contact points, ...) get the full engine
   on their full snapshot, loaded in sets (``snapshots.load_bundles``).

``tests/compliance/test_eligibility_batch.py`` proves the agreement with ``contact_check``.
"""

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection, connections, transaction

from collections_app.models import Account, Client
from compliance.engine import facts as F
from compliance.engine.clock import local_date, start_of_day
from compliance.engine.constants import (
    MAX_CALLS_IN_7_DAYS,
    UNKNOWN_LOCATION_ZONES,
    AccountKind,
    CallOutcome,
    Channel,
    DebtorKind,
    EventType,
    OperatorType,
    PhoneKind,
)
from compliance.engine.gate import absolute_stops, evaluate, with_absolute_stops
from compliance.engine.history import WRITTEN_COMMUNICATION_TYPES
from compliance.engine.mediums import normalize_target, same_target
from compliance.engine.rules.state_overlays import REACHED
from compliance.snapshots import load_bundles, primary_target, snapshot_of

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

PROJECTED_TYPES = frozenset({
    E.CALL_ATTEMPT, E.VOICEMAIL_LEFT, E.CONVERSATION, E.INCONVENIENT_TIME_DESIGNATION,
    *WRITTEN_COMMUNICATION_TYPES,
})
"""Carried by the signature (counts, days, designations)."""

ANSWER_ONLY_TYPES = frozenset({E.INBOUND_CALL, E.INBOUND_LETTER, E.INBOUND_EMAIL, E.INBOUND_SMS})
"""Read only to answer the consumer's own contact (direction ``inbound_response``), which the
batch never asks about -- except the two in ``CHANNEL_COMPLEX_TYPES``."""

PHONE_CHANNELS = frozenset({Channel.CALL, Channel.VOICEMAIL, Channel.SMS})
PHONE_PRIORITY_SQL = ("case {k} when 'mobile' then 0 when 'home' then 1 when 'work' then 2 "
                      "when 'other' then 3 else 9 end")
FULL_CHUNK = 2000
LARGE_BATCH = 20_000
LANE_MIN = 50_000
"""From this many accounts a batch outside a transaction loads in two lanes (``_load_in_lanes``)."""
SYNTHETIC_NUMBERS = {"personal": "+10000000001", "work": "+10000000002"}
SYNTHETIC_TARGET = "+10000000000"


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
    # Most calls go to the primary number, which the accounts' table holds: that test comes first
    # (OR inside the CASE it sits in runs left to right), then the debtor's other numbers, which
    # ``elig_acc.phones`` holds normalised (a lookup in the phone table here was planned as a hash
    # of every phone of every debtor, built twice per statement).
    f"(coalesce(e.target, '') = '' or e.target = ea.t_value or {_norm('e.target')} = ea.tn "
    f"or {_norm('e.target')} = any(ea.phones))")


# -- what one account reduces to ------------------------------------------------------------

class Target(NamedTuple):
    """The primary contact point, as the rules see it (``None`` fields when absent)."""

    value: str
    kind: str | None = None
    status: str | None = None
    consent: bool = False
    employer_provided: bool = False
    wrong_number: bool = False


class Signature(NamedTuple):
    """Everything the non-stop rules read for this account (see the module docstring)."""

    zones: tuple[str, ...]
    operator_type: str
    policy: tuple[Any, ...]
    account_kind: str
    debtor_kind: str
    massachusetts: bool
    target: tuple[Any, ...] | None
    designations: tuple[str, ...]
    calls: tuple[int, ...] | None
    conversation: int | None
    overdue_notice_from: dt.date | None
    ma_contacts: tuple[tuple[int, str | None, bool], ...]
    credit: tuple[bool, dt.date | None] | None


@dataclasses.dataclass
class _Row:
    id: int
    debtor_id: int
    client_id: int
    account_kind: str
    validation_period_end: dt.date | None
    ma: bool
    ca: bool
    debtor_kind: str
    timezones: tuple[str, ...]
    today: dt.date
    target: Target
    notice: bool = False
    first_communication: dt.date | None = None
    first_written: dt.date | None = None
    talked: bool = False
    last_talk: int | None = None
    calls: list[int] = dataclasses.field(default_factory=list)
    other_calls: list[int] = dataclasses.field(default_factory=list)
    special: list[F.Event] = dataclasses.field(default_factory=list)
    ma_contacts: list[tuple[int, str | None, bool]] = dataclasses.field(default_factory=list)
    complex: bool = False
    has_special: bool = False
    open_date: dt.date | None = None
    """Read only for an account whose debtor filed for bankruptcy (a debt opened after the
    petition is not stayed)."""
    members: tuple[tuple[int, str], ...] = ()
    """(account id, target) of every account this row stands for (a class of accounts whose
    facts are equal and hold no stopping or Massachusetts facts), else just its own."""


# -- SQL passes --------------------------------------------------------------------------------

def _target_sql(channel: Channel) -> str:
    """Per debtor, the contact point ``snapshots.primary_target`` picks, as (value, kind, status,
    consent, employer_provided, normalized number)."""
    if channel in PHONE_CHANNELS:
        return f"""select distinct on (p.debtor_id) p.debtor_id, p.number as t_value, p.kind as t_kind,
                          p.status as t_status, p.sms_consent as t_consent, false as t_employer,
                          {_norm('p.number')} as tn
                   from collections_app_phone p join ids on ids.debtor_id = p.debtor_id
                   order by p.debtor_id, p.status <> 'active', {PHONE_PRIORITY_SQL.format(k='p.kind')}, p.id"""
    if channel == Channel.EMAIL:
        return """select distinct on (m.debtor_id) m.debtor_id, m.address as t_value, null::text as t_kind,
                         case when m.status = 'bounced' then 'bounced' else 'active' end as t_status,
                         m.consent as t_consent, m.employer_provided as t_employer, null::text as tn
                  from collections_app_email m join ids on ids.debtor_id = m.debtor_id
                  order by m.debtor_id, m.status = 'bounced', m.id"""
    if channel == Channel.LETTER:
        return """select distinct on (d.debtor_id) d.debtor_id, 'address:' || d.id as t_value, d.kind as t_kind,
                         case when d.status = 'undeliverable' then 'undeliverable' else 'active' end as t_status,
                         false as t_consent, false as t_employer, null::text as tn
                  from collections_app_address d join ids on ids.debtor_id = d.debtor_id
                  order by d.debtor_id, d.status = 'undeliverable', d.kind <> 'home', d.id"""
    return """select null::bigint as debtor_id, ''::text as t_value, null::text as t_kind, null::text as t_status,
                     false as t_consent, false as t_employer, null::text as tn where false"""


def _duplicates_sql(channel: Channel) -> str:
    """Debtors with two contact points that compare equal (the engine would take the first)."""
    if channel in PHONE_CHANNELS:
        table, column = "collections_app_phone", "number"
    elif channel == Channel.EMAIL:
        table, column = "collections_app_email", "address"
    else:
        return "select null::bigint as debtor_id where false"
    return f"""select distinct x.debtor_id from {table} x join (select distinct debtor_id from ids) i
               on i.debtor_id = x.debtor_id group by x.debtor_id, {_norm('x.' + column)} having count(*) > 1"""


def _load_in_lanes(ids: list[int], channel: Channel, at: dt.datetime) -> list[_Row]:
    """``_load`` for a large batch asked outside a transaction: the accounts split by debtor into
    two lanes (debtor id odd or even), each loaded on a connection of its own in a thread of its
    own, so PostgreSQL works on both cores. A debtor's accounts stay in one lane, so every row is
    what one load would have given (classes may come back once per lane). Inside a transaction
    (a request's, a test's) another connection would not see its writes: one lane."""
    if len(ids) < LANE_MIN or connection.in_atomic_block:
        return _load(ids, channel, at)

    def second_lane() -> list[_Row]:
        try:
            return _load(ids, channel, at, lane=1)
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=1) as pool:
        other = pool.submit(second_lane)
        rows = _load(ids, channel, at, lane=0)
        return rows + other.result()


def _load(ids: list[int], channel: Channel, at: dt.datetime, *, lane: int | None = None) -> list[_Row]:
    """Every account's facts in three statements over the timeline (one pass over its events).

    Accounts whose facts are all equal come back as one row (``_Row.members``); an account with
    stopping or designation events, Massachusetts overlays or duplicate contact points comes back
    alone, and its own events are read next. ``lane`` 0 or 1: only the accounts of debtors with
    an even or odd id."""
    params: dict[str, Any] = {"ids": ids, "at": at, "fallback": UNKNOWN_LOCATION_ZONES[0], "lane": lane}
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("drop table if exists elig_acc")
        cur.execute("set local work_mem = '256MB'")
        cur.execute("set local jit = off")
        if len(ids) > LARGE_BATCH:  # the planner takes a portfolio's debtors for a few hundred
            cur.execute("set local enable_nestloop = off")
        # The debtor's numbers, normalised, for the phone channels' call counting (TO_A_DEBTOR_PHONE).
        phones = f"array_agg({_norm('number')})" if channel in PHONE_CHANNELS else "null::text[]"
        cur.execute(f"""
            create temp table elig_acc on commit drop as
            with ids as (select a.id, a.debtor_id from unnest(%(ids)s::bigint[]) as u(id)
                         join collections_app_account a on a.id = u.id
                         where %(lane)s::int is null or mod(a.debtor_id, 2) = %(lane)s::int),
                 tgt as ({_target_sql(channel)}),
                 dup as ({_duplicates_sql(channel)})
            select a.id, a.debtor_id, a.client_id, a.kind as account_kind, a.validation_period_end,
                   coalesce(st.ma, false) or upper(a.governing_state) = 'MA' as ma,
                   coalesce(st.ca, false) or upper(a.governing_state) = 'CA' as ca,
                   d.kind as debtor_kind, d.timezones,
                   coalesce(d.timezones[1], %(fallback)s) as zone,
                   (%(at)s at time zone coalesce(d.timezones[1], %(fallback)s))::date as today,
                   coalesce(tgt.t_value, '') as t_value, tgt.t_kind, tgt.t_status,
                   coalesce(tgt.t_consent, false) as t_consent, coalesce(tgt.t_employer, false) as t_employer,
                   tgt.tn, coalesce(wp.wrong_phones, false) as wrong_phones, dup.debtor_id is not null as dup,
                   coalesce(wp.phones, '{{}}') as phones
            from ids join collections_app_account a on a.id = ids.id
            join collections_app_debtor d on d.id = a.debtor_id
            left join tgt on tgt.debtor_id = a.debtor_id
            left join dup on dup.debtor_id = a.debtor_id
            left join (select debtor_id, bool_or(upper(state) = 'MA') as ma, bool_or(upper(state) = 'CA') as ca
                       from collections_app_address
                       where kind in ('home', 'mailing') and upper(state) in ('MA', 'CA')
                         and debtor_id in (select debtor_id from ids)
                       group by debtor_id) st on st.debtor_id = a.debtor_id
            left join (select debtor_id, bool_or(status = 'wrong_number') as wrong_phones,
                              {phones} as phones
                       from collections_app_phone where debtor_id in (select debtor_id from ids)
                       group by debtor_id) wp on wp.debtor_id = a.debtor_id""", params)
        cur.execute("analyze elig_acc")
        rows = _load_timeline(cur, channel, params)
        alone = {row.id: row for row in rows if row.has_special or row.ma}
        _load_special(cur, channel, alone, params)
        if channel in PHONE_CHANNELS and any(row.ma for row in alone.values()):
            _load_massachusetts(cur, alone, params)
        cur.execute("drop table elig_acc")
    for row in rows:
        if not row.complex:
            row.calls.extend(row.other_calls)
    return rows


def _load_timeline(cur: Any, channel: Channel, params: dict[str, Any]) -> list[_Row]:
    """One pass over the timeline: per account, a validation notice sent? the first written
    communication and the first telephone conversation (local days), the last conversation, the
    counted calls of each of the last seven local days (README "Counting rules"), the last call
    to the target that told whose number it is; then accounts with equal facts grouped."""
    written = _types(WRITTEN_COMMUNICATION_TYPES)
    relevant = {*WRITTEN_COMMUNICATION_TYPES, *_special_types(channel), E.CONVERSATION, E.CALL_ATTEMPT,
                E.VOICEMAIL_LEFT}
    identifying = f"('{CallOutcome.WRONG_NUMBER}', '{CallOutcome.RIGHT_PARTY_CONTACT}')"
    to_target = f"case when e.target = '' then 'none' when {_norm('e.target')} = ea.tn then 'target' else 'other' end"
    counted = "false"
    recent = "false"
    if channel in (Channel.CALL, Channel.VOICEMAIL):
        recent = "e.occurred_at > %(at)s - interval '8 days'"
        counted = (f"e.type in {_types([E.CALL_ATTEMPT, E.VOICEMAIL_LEFT])} and {NOT_INBOUND} and {recent} "
                   f"and e.outcome not in ('busy', 'disconnected', 'wrong_number') "
                   # a call to a number that is not the consumer's is a call to someone else
                   f"and {TO_A_DEBTOR_PHONE}")
    counts = ", ".join(f"count(*) filter (where about and call_day = {n} and to_target = '{which}')"
                       for which in ("target", "other", "none") for n in range(7))
    credit = channel == Channel.CREDIT_REPORT
    telephone = channel in (Channel.CALL, Channel.VOICEMAIL)
    # Each event's derived facts are computed once (the inner query is not flattened: offset 0);
    # a call is read only when it is recent or tells whose number it is (or is a conversation).
    cur.execute(f"""
        with f as (
        select aid, bool_or(about and sent and notice) as notice,
               least(min(at_) filter (where about and sent), min(at_) filter (where about and talk)) as first_at,
               min(at_) filter (where about and sent) as first_written_at,
               bool_or(about and talk) as talked, max(at_) filter (where about and phone_talk) as last_talk_at,
               max(at_) filter (where identified = '{CallOutcome.WRONG_NUMBER}') as wrong_last,
               max(at_) filter (where identified = '{CallOutcome.RIGHT_PARTY_CONTACT}') as right_last,
               bool_or(wrong) as any_wrong, bool_or(special) as special, array[{counts}] as counts
        from (
            select ea.id as aid, e.occurred_at as at_,
                   (e.account_ids = '{{}}' or ea.id = any(e.account_ids)) as about,
                   e.type in {written} and {NOT_INBOUND} as sent,
                   e.type in {written} and (e.type = '{E.VALIDATION_NOTICE_SENT}'
                                            or e.data->>'template' = 'validation_notice') as notice,
                   {CONVERSATION_SQL} as talk, {PHONE_TALK_SQL} as phone_talk,
                   e.type = '{E.CALL_ATTEMPT}' and e.outcome = '{CallOutcome.WRONG_NUMBER}' as wrong,
                   e.type in {_types(_special_types(channel))} as special,
                   case when e.type = '{E.CALL_ATTEMPT}' and e.outcome in {identifying}
                             and e.target <> '' and ea.tn is not null
                             and {_norm('e.target')} = ea.tn then e.outcome end as identified,
                   case when {counted} then ea.today - (e.occurred_at at time zone ea.zone)::date end as call_day,
                   case when {counted} then {to_target} end as to_target
            from elig_acc ea join collections_app_caseevent e on e.debtor_id = ea.debtor_id
            where e.occurred_at <= %(at)s and e.type in {_types(relevant)}
              and (e.type not in {_types([E.CALL_ATTEMPT, E.VOICEMAIL_LEFT])} or {recent}
                   or (e.type = '{E.CALL_ATTEMPT}' and e.outcome in {identifying}))
            offset 0) x
        group by aid),
        g as (
        select ea.id, ea.debtor_id, ea.client_id, ea.account_kind, ea.validation_period_end, ea.ma, ea.ca,
               ea.debtor_kind, ea.timezones, ea.today, ea.t_value, ea.t_kind, ea.t_status, ea.t_consent,
               ea.t_employer, ea.wrong_phones, ea.dup, coalesce(f.notice, false) as notice,
               case when not coalesce(f.notice, false) and not {credit}
                         and (f.first_at at time zone ea.zone)::date + 5 < ea.today
                    then (f.first_at at time zone ea.zone)::date end as first_communication,
               case when {credit} and f.first_written_at is not null
                    then greatest((f.first_written_at at time zone ea.zone)::date, ea.today - 14) end
                    as first_written,
               {credit} and coalesce(f.talked, false) as talked,
               case when {telephone} and ea.today - (f.last_talk_at at time zone ea.zone)::date < 7
                    then ea.today - (f.last_talk_at at time zone ea.zone)::date end as last_talk,
               f.wrong_last is not null and (f.right_last is null or f.wrong_last > f.right_last) as wrong_wins,
               f.wrong_last = f.right_last as tie,
               coalesce(f.any_wrong, false) as any_wrong, coalesce(f.special, false) or ea.ma or ea.dup as alone,
               coalesce(f.special, false) as special, coalesce(f.counts, array_fill(0, array[21])) as counts,
               least({MAX_CALLS_IN_7_DAYS}, greatest(c.max_calls_per_7_days, 0)) as cap
        from elig_acc ea join collections_app_client c on c.id = ea.client_id left join f on f.aid = ea.id),
        h as (
        select *, ({_days(8)}) > 0 and (any_wrong or wrong_phones) or coalesce(tie, false) or dup as complex,
                  ({_days(8)}) + ({_days(15)})
                  + case when wrong_wins or t_status = 'wrong_number' then 0 else {_days(1)} end as counted
        from g)
        select min(debtor_id), client_id, account_kind, min(validation_period_end), bool_or(ma), bool_or(ca),
               debtor_kind, timezones, today, t_kind, t_status, t_consent, t_employer, wrong_wins, notice,
               first_communication, first_written, talked, last_talk, complex, bool_or(special), calls,
               array_agg(id order by id), array_agg(t_value order by id)
        from (select *, case when alone or counted >= cap then counts end as calls from h) k
        group by client_id, account_kind, debtor_kind, timezones, today, t_value <> '', t_kind, t_status,
                 t_consent, t_employer, wrong_wins, notice, first_communication, first_written, talked, last_talk,
                 complex, calls, case when alone then id end""", params)
    rows = []
    for (debtor_id, client_id, account_kind, vpe, ma, ca, debtor_kind, zones, today, kind, status, consent,
         employer, wrong_wins, notice, first_communication, first_written, talked, last_talk, complex_, special,
         per_day, ids, targets) in cur.fetchall():
        row = _Row(ids[0], debtor_id, client_id, account_kind, vpe, ma, ca, debtor_kind, tuple(zones), today,
                   Target(targets[0], kind, status, consent, employer, wrong_wins), notice=notice,
                   first_communication=first_communication, first_written=first_written, talked=talked,
                   last_talk=last_talk, complex=complex_, has_special=special,
                   members=tuple(zip(ids, targets, strict=True)))
        if per_day is not None:  # below the cap the days of the calls do not matter
            to_target, to_others, to_nobody = per_day[:7], per_day[7:14], per_day[14:]
            if not (wrong_wins or status == "wrong_number"):
                row.calls.extend(n for n, count in enumerate(to_target) for _ in range(count))
            row.calls.extend(n for n, count in enumerate(to_nobody) for _ in range(count))
            row.other_calls = [n for n, count in enumerate(to_others) for _ in range(count)]
        rows.append(row)
    return rows


def _days(first: int) -> str:
    """SQL: the sum of seven consecutive entries of the per-day call counts, from ``first``."""
    return "+".join(f"counts[{n}]" for n in range(first, first + 7))


def _special_types(channel: Channel) -> set[str]:
    types: set[str] = {*STOP_TYPES, *COMPLEX_TYPES, E.INCONVENIENT_TIME_DESIGNATION}
    if channel in CHANNEL_COMPLEX_TYPES:
        types.add(CHANNEL_COMPLEX_TYPES[channel])
    return types


def _load_special(cur: Any, channel: Channel, rows: dict[int, _Row], params: dict[str, Any]) -> None:
    """The stopping, designation and "complex" events themselves, for the debtors that have some."""
    by_debtor: dict[int, list[_Row]] = {}
    for row in rows.values():
        if row.has_special:
            by_debtor.setdefault(row.debtor_id, []).append(row)
    if not by_debtor:
        return
    cur.execute(f"""select debtor_id, id, type, occurred_at, account_ids, direction, channel, target, outcome,
                           written, data
                    from collections_app_caseevent
                    where debtor_id = any(%(debtors)s::bigint[]) and type in {_types(_special_types(channel))}
                      and occurred_at <= %(at)s
                    order by occurred_at, id""", {**params, "debtors": sorted(by_debtor)})
    for debtor_id, eid, type_, occurred_at, account_ids, direction, ch, target, outcome, written, data in \
            cur.fetchall():
        event = F.Event(eid, type_, occurred_at, tuple(account_ids), direction or None, ch or None,
                        target or None, outcome or None, written, json.loads(data) if isinstance(data, str) else data)
        for row in by_debtor[debtor_id]:
            row.special.append(event)
            if event.type not in STOP_TYPES and event.type != E.INCONVENIENT_TIME_DESIGNATION:
                row.complex = True
            elif event.type == E.ATTORNEY_REPRESENTATION_NOTICE and event.data.get("contact"):
                row.complex = row.complex or bool(row.other_calls) or (
                    bool(row.target.value) and normalize_target(str(event.data["contact"]))
                    == normalize_target(row.target.value))  # calls to the attorney are not counted
    filed = [row.id for row in rows.values() if any(e.type == E.BANKRUPTCY_FILED for e in row.special)]
    if filed:
        cur.execute("select id, open_date from collections_app_account where id = any(%(ids)s::bigint[])",
                    {"ids": filed})
        for account_id, open_date in cur.fetchall():
            rows[account_id].open_date = open_date


def _load_massachusetts(cur: Any, rows: dict[int, _Row], params: dict[str, Any]) -> None:
    """Massachusetts' counted contacts of the last 30 local days: (day offset, line, about this debt)."""
    reached = ", ".join(f"'{o}'" for o in sorted(REACHED))
    cur.execute(f"""
        select ea.id, ea.today - (e.occurred_at at time zone ea.zone)::date, {ABOUT_ACCOUNT},
               (select case when p.kind = 'work' then 'work' else 'personal' end from collections_app_phone p
                where p.debtor_id = e.debtor_id and e.target <> '' and {_norm('p.number')} = {_norm('e.target')}
                order by p.id limit 1)
        from elig_acc ea join collections_app_caseevent e on e.debtor_id = ea.debtor_id
        where ea.ma and e.type in {_types([E.CALL_ATTEMPT, E.VOICEMAIL_LEFT, E.SMS_SENT])}
          and e.occurred_at <= %(at)s and e.occurred_at > %(at)s - interval '31 days' and {NOT_INBOUND}
          and (e.type <> '{E.CALL_ATTEMPT}' or e.outcome in ({reached}))
          and {TO_A_DEBTOR_PHONE}""", params)
    for aid, offset, about, line in cur.fetchall():
        if 0 <= offset < 30:
            rows[aid].ma_contacts.append((offset, line, about))


# -- signatures and synthetic snapshots ---------------------------------------------------------

def _policy(client: Client) -> tuple[Any, ...]:
    return (client.call_window_start, client.call_window_end, client.max_calls_per_7_days, client.sms_enabled,
            client.email_enabled)


def _zone0(row: _Row) -> ZoneInfo:
    """The day-counting zone (``Context.primary_zone``; a stated location sends the account to
    the full engine)."""
    return ZoneInfo(row.timezones[0] if row.timezones else UNKNOWN_LOCATION_ZONES[0])


def _signature(row: _Row, channel: Channel, client: Client, at: dt.datetime) -> Signature | None:
    """The account's signature, or None when only the full engine can decide it."""
    policy = _policy(client)
    cap = min(MAX_CALLS_IN_7_DAYS, max(client.max_calls_per_7_days, 0))
    telephone = channel in (Channel.CALL, Channel.VOICEMAIL)
    calls = None
    if telephone and len(row.calls) >= cap:
        histogram = [0] * 7
        for offset in row.calls:
            histogram[offset] += 1
        calls = tuple(histogram)
    conversation = row.last_talk if telephone and row.last_talk is not None and row.last_talk < 7 else None
    overdue = None
    if channel != Channel.CREDIT_REPORT and not row.notice and row.first_communication is not None:
        first_day = row.first_communication
        overdue = first_day if first_day + dt.timedelta(days=5) < row.today else None
    credit = None
    if channel == Channel.CREDIT_REPORT:
        written = row.first_written
        if written is not None:
            written = max(written, row.today - dt.timedelta(days=14))
        credit = (row.talked, written)
    ma_contacts: tuple[tuple[int, str | None, bool], ...] = ()
    if row.ma and channel in PHONE_CHANNELS and len(row.ma_contacts) >= 2:
        ma_contacts = tuple(sorted(row.ma_contacts, key=lambda c: (c[0], c[1] or "", c[2])))
        if overdue is not None:
            return None  # synthetic texts would stand in for the initial communication
    designations = tuple(json.dumps(e.data, sort_keys=True, default=str) for e in row.special
                         if e.type == E.INCONVENIENT_TIME_DESIGNATION)
    target_facts = None if not row.target.value else row.target[1:]
    return Signature(row.timezones, client.operator_type, policy, row.account_kind, row.debtor_kind, row.ma,
                     target_facts, designations, calls, conversation, overdue, ma_contacts, credit)


def _event(number: int, type_: str, at: dt.datetime, **fields: Any) -> F.Event:
    return F.Event(-number, type_, at, **fields)


def _synthetic(signature: Signature, channel: Channel, at: dt.datetime) -> F.Snapshot:
    """One snapshot holding exactly the signature's facts; account id 1, contact point ids 1-4."""
    zone = ZoneInfo(signature.zones[0] if signature.zones else UNKNOWN_LOCATION_ZONES[0])
    today = local_date(at, zone)

    def day(offset_or_date: int | dt.date) -> dt.datetime:
        d = offset_or_date if isinstance(offset_or_date, dt.date) else today - dt.timedelta(days=offset_or_date)
        return start_of_day(d, zone)

    long_ago = day(1000)
    phones: list[F.Phone] = []
    emails: list[F.Email] = []
    addresses: list[F.Address] = []
    events: list[F.Event] = []
    target = ""
    facts = signature.target
    if facts is not None:
        kind, status, consent, employer_provided, wrong_number = facts
        if channel in PHONE_CHANNELS:
            target = SYNTHETIC_TARGET
            phones.append(F.Phone(1, target, kind, consent, status))
            if wrong_number:
                events.append(_event(len(events) + 1, E.CALL_ATTEMPT, long_ago, direction="outbound",
                                     target=target, outcome=CallOutcome.WRONG_NUMBER))
        elif channel == Channel.EMAIL:
            target = "person@example.invalid"
            emails.append(F.Email(1, target, employer_provided, consent, status))
        elif channel == Channel.LETTER:
            target = "address:1"
            addresses.append(F.Address(1, kind, "", status))
    for i, data in enumerate(signature.designations):
        events.append(_event(len(events) + 1, E.INCONVENIENT_TIME_DESIGNATION,
                             long_ago + dt.timedelta(microseconds=i), data=json.loads(data)))
    if signature.calls is not None:
        for offset, count in enumerate(signature.calls):
            for _ in range(count):
                events.append(_event(len(events) + 1, E.CALL_ATTEMPT, day(offset), direction="outbound",
                                     outcome=CallOutcome.NO_ANSWER))
    if signature.conversation is not None:
        events.append(_event(len(events) + 1, E.CONVERSATION, day(signature.conversation)))
    if channel == Channel.CREDIT_REPORT:
        assert signature.credit is not None
        talked, written = signature.credit
        if talked:
            events.append(_event(len(events) + 1, E.CONVERSATION, long_ago))
        if written is not None:
            events.append(_event(len(events) + 1, E.LETTER_SENT, day(written), direction="outbound"))
    elif signature.overdue_notice_from is not None:
        events.append(_event(len(events) + 1, E.LETTER_SENT, day(signature.overdue_notice_from),
                             direction="outbound"))
    else:
        events.append(_event(len(events) + 1, E.VALIDATION_NOTICE_SENT, long_ago, direction="outbound"))
    if signature.ma_contacts:
        lines = {line for _, line, _ in signature.ma_contacts}
        for n, line in enumerate(sorted(lines, key=lambda v: v or "")):
            if line is not None:
                kind = PhoneKind.WORK if line == "work" else PhoneKind.HOME
                phones.append(F.Phone(2 + n, SYNTHETIC_NUMBERS[line], kind))
        for offset, line, about in signature.ma_contacts:
            # a contact logged without a number stays without one (it counts toward both lines)
            events.append(_event(len(events) + 1, E.SMS_SENT, day(offset), direction="outbound",
                                 target=SYNTHETIC_NUMBERS[line] if line is not None else None,
                                 account_ids=() if about else (0,)))
    operator_type, policy = signature.operator_type, signature.policy
    client = F.ClientFacts(OperatorType(operator_type), F.ClientPolicy(*policy))
    account = F.AccountFacts(1, AccountKind(signature.account_kind), "MA" if signature.massachusetts else None)
    debtor = F.DebtorFacts(DebtorKind(signature.debtor_kind), signature.zones, tuple(phones), tuple(emails), tuple(addresses))
    return F.Snapshot(F.ContactRequest(1, channel, target, at), client, debtor, (account,), tuple(events))


SUSPENDING = frozenset({E.DISPUTE_RECEIVED, E.ORIGINAL_CREDITOR_REQUEST_RECEIVED})
MESSAGE_ONLY = frozenset({"case_number", "attorney"})
"""Event data the absolute stops only quote in their messages (a bankruptcy case number, the
attorney's name): the key carries a placeholder, the account's reasons get the value back."""
RELATIVE_BASE = dt.date(2000, 1, 3)
"""The representative's first stopping day: the stops compare their events' days and instants with
each other (and with the validation-period end), never with the request instant, so the key keeps
only day offsets and the reasons' dates are written back per account."""
OTHER_TARGET = "+19999999999"


class StopKey(NamedTuple):
    """What the absolute stops read for one account, with every account-specific value made
    relative (days) or symbolic (message-only data, targets as "the request's" / "another")."""

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


def _stop_key(row: _Row, channel: Channel, client: Client, target: str) -> tuple[
        StopKey | None, tuple[tuple[str, str], ...]]:
    """(key, substitutions) for this account's stopping events; key None when it has none, and
    ``NEEDS_ENGINE`` when the absolute stops also read what the key does not carry (a validation
    period known only from the notices) or the representative dates would not all precede the
    account's (so that writing the dates back cannot rewrite one twice)."""
    stops = [e for e in row.special if e.type in STOP_TYPES]
    if not stops:
        return None, ()
    if row.validation_period_end is None and any(e.type in SUSPENDING for e in stops):
        return NEEDS_ENGINE, ()
    zone = _zone0(row)
    days = [local_date(e.occurred_at, zone) for e in stops]
    base = min(days)
    if (max(days) - base) + RELATIVE_BASE + dt.timedelta(days=3) > base:
        return NEEDS_ENGINE, ()  # representative dates must all lie before the actual ones
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
        projected.append((e.type, offset, rank, not e.account_ids or row.id in e.account_ids, e.direction,
                          e.channel, event_target, e.outcome, e.written, json.dumps(data, sort_keys=True, default=str)))
    period_end = None
    if row.validation_period_end is not None:
        suspending = sorted(day for e, day in zip(stops, days, strict=True) if e.type in SUSPENDING)
        timely = [day for day in suspending if day <= row.validation_period_end]
        # Only its order against the requests' days matters: the latest timely one, else before all.
        period_end = ((timely[-1] if timely else base - dt.timedelta(days=1)) - base).days
    opened = None
    if row.open_date is not None and any(e.type == E.BANKRUPTCY_FILED for e in stops):
        opened = min(max((row.open_date - base).days, -1), (max(days) - base).days + 1)
    key = StopKey(client.operator_type, row.account_kind, row.debtor_kind, row.ca, period_end, bool(target),
                  tuple(projected), opened)
    return key, tuple(substitutions.items())


NEEDS_ENGINE = StopKey("", "", "", False, None, False, ())


def _stop_snapshot(key: StopKey, channel: Channel, at: dt.datetime) -> F.Snapshot:
    zone = ZoneInfo("UTC")
    target = SYNTHETIC_TARGET if key.has_target else ""
    events = []
    for n, (type_, offset, rank, about, direction, ch, tgt, outcome, written, data) in enumerate(key.events):
        day = RELATIVE_BASE + dt.timedelta(days=offset)
        events.append(F.Event(n + 1, type_, start_of_day(day, zone) + dt.timedelta(microseconds=rank),
                              () if about else (0,), direction, ch, tgt, outcome, written, json.loads(data)))
    period_end = None if key.period_end is None else RELATIVE_BASE + dt.timedelta(days=key.period_end)
    opened = None if key.opened is None else RELATIVE_BASE + dt.timedelta(days=key.opened)
    account = F.AccountFacts(1, AccountKind(key.account_kind), "CA" if key.california else None,
                             open_date=opened, validation_period_end=period_end)
    return F.Snapshot(F.ContactRequest(1, channel, target, at), F.ClientFacts(OperatorType(key.operator_type)),
                      F.DebtorFacts(DebtorKind(key.debtor_kind), ("UTC",)), (account,), tuple(events))


def _substituted(reasons: tuple[F.Reason, ...], substitutions: tuple[tuple[str, str], ...]) -> tuple[F.Reason, ...]:
    """The representative's reasons with this account's dates and quoted values."""
    if not substitutions:
        return reasons
    out = []
    for reason in reasons:
        message = reason.message
        for representative, actual in substitutions:
            message = message.replace(representative, actual)
        out.append(F.Reason(reason.rule, message, reason.unblocked_by))
    return tuple(out)


# -- the batch ------------------------------------------------------------------------------------

def eligibility_in_sets(account_ids: Iterable[int], *, channel: str, at: dt.datetime) -> Iterator[
        tuple[int, F.Decision, str]]:
    """(account id, the engine's decision, target) for every existing account among ``account_ids``."""
    channel = Channel(channel)
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        return
    rows = _load_in_lanes(ids, channel, at)
    clients = {c.id: c for c in Client.objects.filter(id__in={r.client_id for r in rows})}
    decided: dict[Signature, F.Decision] = {}
    stopped: dict[StopKey, tuple[F.Reason, ...] | None] = {}
    full: list[int] = []
    for row in rows:
        client = clients[row.client_id]
        signature = None if row.complex else _signature(row, channel, client, at)
        if signature is None:
            full.extend(account_id for account_id, _ in row.members)
            continue
        decision = decided.get(signature)
        if decision is None:
            decision = decided[signature] = evaluate(_synthetic(signature, channel, at))
        if not row.has_special:
            for account_id, target in row.members:
                yield account_id, decision, target
            continue
        target = row.target.value
        key, substitutions = _stop_key(row, channel, client, target)
        if key is NEEDS_ENGINE:
            full.append(row.id)
            continue
        if key is not None:
            if key not in stopped:
                stopped[key] = absolute_stops(_stop_snapshot(key, channel, at))
            stops = stopped[key]
            if stops is None:
                full.append(row.id)
                continue
            decision = with_absolute_stops(decision, _substituted(stops, substitutions))
        yield row.id, decision, target
    for start in range(0, len(full), FULL_CHUNK):
        chunk = full[start:start + FULL_CHUNK]
        accounts = list(Account.objects.filter(id__in=chunk).select_related("client", "debtor"))
        bundles = load_bundles(accounts, at)
        for account in accounts:
            bundle = bundles[account.debtor_id]
            target = primary_target(bundle.debtor, channel)
            yield account.id, evaluate(snapshot_of(bundle, account_id=account.id, channel=channel, target=target,
                                                   at=at)), target
