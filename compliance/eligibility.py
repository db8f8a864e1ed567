"""Eligibility of many accounts for one channel at one instant, computed in sets.

The answer for every account is exactly what ``engine.evaluate`` says on that account's full
snapshot (verdict, reasons, next allowed instant, zones, warnings); it is obtained without
running the engine once per account:

1. Each account's facts are read from ``EligibilityFacts`` (``compliance.eligibility_facts``):
   one row per account, kept between batches, written again for the accounts whose sources
   changed since (triggers delete their rows) or that were never asked about. The rows are read
   in one ``COPY`` into Arrow columns.
2. What the rules compare with the request's day is worked out for all rows at once (numpy): the
   local day in the account's zone, the counted calls of each of the last seven local days, the
   last conversation, an overdue validation notice. Facts the rules only compare with the
   request's day are made relative or dropped (calls below every cap, a conversation more than
   six days old, a notice deadline not yet passed all read as none), and accounts whose facts
   are then equal form one *class*.
3. The engine runs once per class, on a synthetic snapshot that holds exactly those facts, and
   the answer is given to every account of the class. From ``PARALLEL_MIN`` classes a forked
   child decides part of them (the engine is pure), so both cores work.
4. The absolute stops (bankruptcy, cease, dispute, attorney, opt-out, death: catalogue 0.3
   step 2) read only their own events, compare their days and instants only with each other
   (and the validation-period end), and quote dates and values in their messages. They are
   decided apart (``gate.absolute_stops``) once per stored ``StopKey`` -- days relative to the
   first stopping day, message-only values as placeholders, targets as "the request's" or
   "another" -- and each account's dates and values are written back into its reasons.
5. Accounts whose timeline holds facts this projection does not carry (prior consent, a stated
   location, place designations, employer prohibitions, undeliverable notices, the consumer's
   own e-mails or texts for those channels, duplicate contact points, ...), or events after the
   instant asked about, get the full engine on their full snapshot, loaded in sets
   (``snapshots.load_bundles``).

``tests/compliance/test_eligibility_batch.py`` proves the agreement with ``contact_check``.
"""

import datetime as dt
import io
import json
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from django.db import connection

from collections_app.models import Account, Client
from compliance.eligibility_facts import (
    ANSWER_ONLY_TYPES,
    COMPLEX_TYPES,
    ENGINE,
    PHONE_CHANNELS,
    PROJECTED_TYPES,
    RELATIVE_BASE,
    STOP_TYPES,
    SYNTHETIC_TARGET,
    VALID_BEFORE_AS_OF,
    StopKey,
    bit,
    family,
    refresh,
    stop_key_from_text,
    substitutions_from_text,
)
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
from compliance.snapshots import load_bundles, primary_target, snapshot_of

__all__ = ["ANSWER_ONLY_TYPES", "COMPLEX_TYPES", "PROJECTED_TYPES", "STOP_TYPES", "eligibility_in_sets"]

E = EventType
FULL_CHUNK = 2000
RANGES_FROM = 20_000
"""From this many accounts the facts are read by a scan, the ids given as a multirange."""
TWO_READS_FROM = 50_000
"""From this many accounts a batch outside a transaction reads its facts on two connections."""
PARALLEL_MIN = 2000
"""From this many distinct signatures the engine runs in two processes (``_in_two_processes``)."""
SYNTHETIC_NUMBERS = {"personal": "+10000000001", "work": "+10000000002"}
DAYS = 16
"""Local days told apart per zone (``_Days``): seven for calls, fifteen for credit reporting."""


class Signature(NamedTuple):
    """Everything the non-stop rules read for one class of accounts (see the module docstring)."""

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



# -- synthetic snapshots -------------------------------------------------------------------------

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


# -- reading the facts ------------------------------------------------------------------------------

def _policy(client: Client) -> tuple[Any, ...]:
    return (client.call_window_start, client.call_window_end, client.max_calls_per_7_days, client.sms_enabled,
            client.email_enabled)


def _read(ids: list[int], channel: Channel, at: dt.datetime) -> pa.Table:
    """The facts rows of these accounts, as Arrow columns (``fresh`` false: kept for an instant
    too early; ``later`` true: the timeline has events after ``at``)."""
    fam = family(channel)
    target = "''::text" if fam == "none" else f"target_{fam}"
    columns = ["account_id", "client_id", "zone", f"sig_{fam} as sig", f"{target} as target", f"stop_{fam} as stop",
               f"engine_channels & {bit(channel)} <> 0 as complex",
               "as_of - %(valid)s::interval <= %(at)s::timestamptz as fresh",
               "coalesce(last_event_at > %(at)s::timestamptz, false) as later"]
    if channel == Channel.CREDIT_REPORT:
        columns += ["first_written_at", "talked"]
    else:
        columns += ["first_at", "notice"]
    if channel in (Channel.CALL, Channel.VOICEMAIL):
        columns += ["last_talk_at", "calls_target", "calls_other", "calls_none", "target_calls_count", "wrong_other",
                    "attorney_contact"]
    if channel in PHONE_CHANNELS:
        columns.append("ma_contacts")
    # A few ids: looked up in the primary key. Many: tested against their runs as a multirange
    # (parsing and hashing a 1M-element array costs the server 0.6 s), in a scan of the table.
    many = len(ids) >= RANGES_FROM
    sql = (f"copy (select {', '.join(columns)} from compliance_eligibilityfacts where "
           f"{'account_id <@ %(ids)s::int8multirange' if many else 'account_id = any(%(ids)s::bigint[])'}) "
           "to stdout (format csv, header)")
    ordered = np.unique(np.asarray(ids, dtype=np.int64))
    # A large batch asked outside a transaction reads in two halves, the second on a connection
    # of its own (in a thread), so the server formats rows on both cores. Inside a transaction
    # (a request's, a test's) another connection would not see its writes: one read.
    halves = [ordered] if len(ordered) < TWO_READS_FROM or connection.in_atomic_block else [
        ordered[:len(ordered) // 2], ordered[len(ordered) // 2:]]
    with connection.cursor() as cur:
        queries = [cur.mogrify(sql, {"ids": _id_ranges(half) if many else half.tolist(), "at": at,
                                     "valid": VALID_BEFORE_AS_OF}) for half in halves]
        buffers = [io.BytesIO() for _ in halves]
        with ThreadPoolExecutor(max_workers=1) as pool:
            other = pool.submit(_copy_out_elsewhere, queries[1], buffers[1]) if len(halves) == 2 else None
            _copy_out(cur, queries[0], buffers[0])
            if other is not None:
                other.result()
    strings = ["zone", "target", "calls_target", "calls_other", "calls_none", "ma_contacts", "stop"]
    types = {name: pa.string() for name in strings}
    types.update({name: pa.int64() for name in ("account_id", "client_id", "sig", "first_at", "first_written_at",
                                                  "last_talk_at")})
    types.update({name: pa.bool_() for name in ("notice", "talked", "target_calls_count", "wrong_other",
                                                 "attorney_contact", "complex", "fresh", "later")})
    options = pcsv.ConvertOptions(column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False,
                                  true_values=["t"], false_values=["f"])
    return pa.concat_tables([pcsv.read_csv(io.BytesIO(b.getvalue()), convert_options=options) for b in buffers])


def _copy_out_elsewhere(query: str, into: io.BytesIO) -> None:
    """``_copy_out`` on a connection of its own (the thread's), closed afterwards."""
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as own, own.cursor() as cursor:
        _copy_out(cursor, query, into)


def _copy_out(cursor: Any, query: str, into: io.BytesIO) -> None:
    """Run ``COPY ... TO STDOUT`` and write what it sends ``into``."""
    with cursor.copy(query) as copy:
        for chunk in copy:
            into.write(chunk)


def _id_ranges(ordered: np.ndarray) -> str:
    """Sorted, distinct ids as a multirange literal (a portfolio's ids come in long runs)."""
    breaks = np.flatnonzero(np.diff(ordered) != 1) + 1
    starts = np.concatenate([[0], breaks]).astype(np.int64)
    ends = np.concatenate([breaks, [len(ordered)]]).astype(np.int64)
    return "{" + ",".join(f"[{a},{b}]" for a, b in zip(ordered[starts].tolist(), ordered[ends - 1].tolist(),
                                                        strict=True)) + "}"


class _Days:
    """Local days ago, in each account's zone, of many instants at once (DST-aware): the starts
    of the last ``DAYS`` local days of every zone, and a binary search."""

    def __init__(self, zone_names: list[str], at: dt.datetime) -> None:
        self.today: list[dt.date] = []
        starts = []
        for name in zone_names:
            zone = ZoneInfo(name)
            today = local_date(at, zone)
            self.today.append(today)
            starts.append([start_of_day(today - dt.timedelta(days=k), zone).timestamp() for k in range(DAYS)][::-1])
        self.starts = np.array(starts, dtype=np.int64).reshape(len(zone_names), DAYS)

    def ago(self, epochs: np.ndarray, zones: np.ndarray) -> np.ndarray:
        """Local days between each instant and the request's day (``DAYS`` for any older)."""
        out = np.empty(len(epochs), dtype=np.int64)
        for z in np.unique(zones):
            mask = zones == z
            out[mask] = DAYS - np.searchsorted(self.starts[z], epochs[mask], side="right")
        return out


def _epochs(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """(row, epoch) of every instant in a column of space-separated epoch seconds."""
    nonempty = pc.not_equal(column, "")
    rows = np.flatnonzero(np.asarray(nonempty.to_numpy(zero_copy_only=False), dtype=bool))
    lists = pc.split_pattern(pc.filter(column, nonempty), " ")
    parents = pc.list_parent_indices(lists).to_numpy()
    values = pc.cast(pc.list_flatten(lists), pa.int64()).to_numpy()
    return rows[parents], values


class _Batch:
    """The relative facts of every row of ``table`` for ``channel`` at ``at``, as numpy columns."""

    def __init__(self, table: pa.Table, channel: Channel, at: dt.datetime, clients: dict[int, Client]) -> None:
        n = table.num_rows
        self.table, self.channel, self.at, self.n = table, channel, at, n
        self.client_ids = table["client_id"].to_numpy()
        self.sig = table["sig"].to_numpy()
        self.client_list, self.client_code = np.unique(self.client_ids, return_inverse=True)
        zones = pc.dictionary_encode(table["zone"]).combine_chunks()
        self.zone = zones.indices.to_numpy().astype(np.int64)
        self.zone_names = zones.dictionary.to_pylist()
        self.days = _Days(self.zone_names, at)
        self.engine = (_bools(table["later"]) | _bools(table["complex"])
                       | pc.equal(table["stop"], ENGINE).to_numpy(zero_copy_only=False))
        self.conversation = np.full(n, -1, dtype=np.int64)
        self.calls = np.full(n, -1, dtype=np.int64)
        self.overdue = np.full(n, -1, dtype=np.int64)
        self.credit = np.zeros(n, dtype=np.int64)
        self.ma_code = np.zeros(n, dtype=np.int64)
        self.ma_contacts: list[tuple[tuple[int, str | None, bool], ...]] = [()]
        self.caps = {cid: min(MAX_CALLS_IN_7_DAYS, max(c.max_calls_per_7_days, 0)) for cid, c in clients.items()}
        telephone = channel in (Channel.CALL, Channel.VOICEMAIL)
        if telephone:
            self._conversations()
            self._calls()
        if channel == Channel.CREDIT_REPORT:
            self._credit()
        else:
            self._overdue()
        if channel in PHONE_CHANNELS:
            self._massachusetts()

    def _ago(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(rows, local days ago) of the rows with an instant in ``column``."""
        values = self.table[column]
        present = pc.is_valid(values).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(present)
        epochs = pc.fill_null(values, 0).to_numpy()[rows]
        return rows, self.days.ago(epochs, self.zone[rows])

    def _conversations(self) -> None:
        rows, ago = self._ago("last_talk_at")
        self.conversation[rows] = np.where(ago < 7, ago, -1)

    def _calls(self) -> None:
        found = []
        for column in ("calls_target", "calls_other", "calls_none"):
            rows, epochs = _epochs(self.table[column])
            ago = self.days.ago(epochs, self.zone[rows])
            week = ago < 7
            found.append((rows[week], ago[week]))
        with_calls = np.unique(np.concatenate([rows for rows, _ in found]))
        m = len(with_calls)
        to_target, to_others, to_nobody = (
            np.bincount(np.searchsorted(with_calls, rows) * 7 + ago, minlength=m * 7).reshape(m, 7)
            for rows, ago in found)
        # Calls to the attorney or, with a wrong number on file, to the debtor's other numbers: the engine.
        flags = _bools(self.table["wrong_other"])[with_calls] | _bools(self.table["attorney_contact"])[with_calls]
        self.engine[with_calls] |= (to_others.sum(axis=1) > 0) & flags
        counted = to_target * _bools(self.table["target_calls_count"])[with_calls][:, None] + to_nobody + to_others
        caps = np.array([self.caps[c] for c in self.client_list.tolist()], dtype=np.int64)[self.client_code[with_calls]]
        above = counted.sum(axis=1) >= caps  # below the cap the days of the calls do not matter
        self.engine[with_calls] |= above & (counted.max(axis=1, initial=0) > 255)
        code = (counted.astype(np.int64) << (8 * np.arange(7, dtype=np.int64))).sum(axis=1)
        # A client allowing no calls at all: its accounts without any are at the cap too.
        self.calls[np.isin(self.client_ids, [c for c, cap in self.caps.items() if cap <= 0])] = 0
        self.calls[with_calls] = np.where(above, code, -1)

    def _overdue(self) -> None:
        rows, ago = self._ago("first_at")
        notice = _bools(self.table["notice"])[rows]
        late = ~notice & (ago > 5)  # the initial communication's day + 5 < today
        far = late & (ago >= DAYS)
        self.overdue[rows[late]] = ago[late]
        for r in rows[far].tolist():  # older than the days told apart: its own day, exactly
            zone = ZoneInfo(self.zone_names[self.zone[r]])
            epoch = self.table["first_at"][r].as_py()
            day = local_date(dt.datetime.fromtimestamp(epoch, dt.UTC), zone)
            self.overdue[r] = (self.days.today[self.zone[r]] - day).days

    def _credit(self) -> None:
        rows, ago = self._ago("first_written_at")
        self.credit[:] = 31  # no written communication
        self.credit[rows] = np.minimum(ago, 14)
        self.credit += _bools(self.table["talked"]).astype(np.int64) * 32

    def _massachusetts(self) -> None:
        contacts = self.table["ma_contacts"]
        rows = np.flatnonzero(pc.not_equal(contacts, "").to_numpy(zero_copy_only=False))
        codes: dict[tuple[tuple[int, str | None, bool], ...], int] = {(): 0}
        for r in rows.tolist():
            zone = ZoneInfo(self.zone_names[self.zone[r]])
            today = self.days.today[self.zone[r]]
            found = []
            for epoch, line, about in json.loads(contacts[r].as_py()):
                offset = (today - local_date(dt.datetime.fromtimestamp(epoch, dt.UTC), zone)).days
                if 0 <= offset < 30:
                    found.append((offset, line, about))
            if len(found) < 2:
                continue
            if self.overdue[r] >= 0:
                self.engine[r] = True  # synthetic texts would stand in for the initial communication
                continue
            key = tuple(sorted(found, key=lambda c: (c[0], c[1] or "", c[2])))
            self.ma_code[r] = codes.setdefault(key, len(codes))
        self.ma_contacts = list(codes)

    def classes(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(first row of each class, class of each row) among ``rows``."""
        sig = self.sig[rows]
        small = ((self.client_code[rows].astype(np.int64) << 40)
                 + (self.zone[rows] << 32) + ((self.conversation[rows] + 1) << 28)
                 + ((self.overdue[rows] + 1) << 8) + self.credit[rows])
        order = np.lexsort((self.ma_code[rows], small, self.calls[rows], sig))
        keys = np.stack([sig, self.calls[rows], small, self.ma_code[rows]])[:, order]
        starts = np.ones(len(rows), dtype=bool)
        starts[1:] = (keys[:, 1:] != keys[:, :-1]).any(axis=0)
        group = np.cumsum(starts) - 1
        of_row = np.empty(len(rows), dtype=np.int64)
        of_row[order] = group
        return order[starts], of_row

    def signature(self, r: int, client: Client, static: list[Any]) -> Signature:
        zones, account_kind, debtor_kind, ma, target, designations = static
        calls = None
        if self.calls[r] >= 0:
            calls = tuple(int(self.calls[r] >> (8 * d)) & 255 for d in range(7))
        credit = None
        if self.channel == Channel.CREDIT_REPORT:
            written_ago = int(self.credit[r] & 31)
            written = None if written_ago == 31 else self.days.today[self.zone[r]] - dt.timedelta(days=written_ago)
            credit = (bool(self.credit[r] & 32), written)
        overdue = None
        if self.overdue[r] >= 0:
            overdue = self.days.today[self.zone[r]] - dt.timedelta(days=int(self.overdue[r]))
        return Signature(tuple(zones), client.operator_type, _policy(client), account_kind, debtor_kind, ma,
                         None if target is None else tuple(target), tuple(designations), calls,
                         None if self.conversation[r] < 0 else int(self.conversation[r]), overdue,
                         self.ma_contacts[self.ma_code[r]], credit)


def _bools(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(column, False).to_numpy(zero_copy_only=False), dtype=bool)


def _facts(ids: list[int], channel: Channel, at: dt.datetime) -> pa.Table:
    """The facts rows of these accounts good for ``at``, refreshing those missing or kept for an
    earlier instant (accounts that do not exist have none)."""
    table = _read(ids, channel, at)
    if table.num_rows == len(ids) and pc.all(table["fresh"]).as_py():
        return table
    table = table.filter(table["fresh"])
    known = set(table["account_id"].to_pylist())
    missing = [i for i in ids if i not in known]
    refresh(missing, as_of=min(at, dt.datetime.now(dt.UTC)))
    return pa.concat_tables([table, _read(missing, channel, at)])


def eligibility_in_sets(account_ids: Iterable[int], *, channel: str, at: dt.datetime) -> Iterator[
        tuple[int, F.Decision, str]]:
    """(account id, the engine's decision, target) for every existing account among ``account_ids``."""
    channel = Channel(channel)
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        return
    table = _facts(ids, channel, at)
    clients = Client.objects.in_bulk(set(table["client_id"].to_pylist()))
    batch = _Batch(table, channel, at, clients)
    account_ids_ = table["account_id"].to_pylist()
    decided = np.flatnonzero(~batch.engine)
    firsts, of_row = batch.classes(decided)
    sig_keys = batch.sig[decided[firsts]].tolist()
    statics = {key: json.loads(text) for key, text in _signature_texts(sig_keys).items()}
    class_signatures = [batch.signature(r, clients[client_id], statics[key]) for r, client_id, key in
                        zip(decided[firsts].tolist(), batch.client_ids[decided[firsts]].tolist(), sig_keys, strict=True)]
    distinct = list(dict.fromkeys(class_signatures))
    stops = _Stops(table["stop"], decided, batch, clients)
    # The parent also loads and decides the accounts only the full engine decides (their snapshots
    # come from the database), the child the absolute stops: the classes are shared out to even up.
    ours = [i for i in range(len(distinct)) if i % 20 < 9]
    theirs = [i for i in range(len(distinct)) if i % 20 >= 9]
    engine_ids = [account_ids_[r] for r in np.flatnonzero(batch.engine).tolist()]

    def parent() -> tuple[list[F.Decision], list[tuple[int, F.Decision, str]]]:
        full = [(account_id, evaluate(snapshot), target)
                for account_id, snapshot, target in _full_snapshots(engine_ids, channel, at)]
        return _decide([distinct[i] for i in ours], channel, at), full

    def child() -> tuple[list[F.Decision], list[tuple[F.Reason, ...] | None]]:
        return _decide([distinct[i] for i in theirs], channel, at), stops.decide(channel, at)

    (mine, full), (other, stop_reasons) = _in_two_processes(parent, child, len(distinct) >= PARALLEL_MIN)
    decided_work = dict(zip(ours, mine, strict=True))
    decided_work.update(zip(theirs, other, strict=True))
    by_signature = {signature: decided_work[i] for i, signature in enumerate(distinct)}
    decisions = [by_signature[signature] for signature in class_signatures]
    row_decision, stopped_by_engine = stops.decisions(stop_reasons, decisions, of_row)
    targets = table["target"].to_pylist()
    skip = set(stopped_by_engine)
    class_of = of_row.tolist()
    for i, r in enumerate(decided.tolist()):
        if r in skip:
            continue
        yield account_ids_[r], row_decision.get(r) or decisions[class_of[i]], targets[r]
    yield from full
    for account_id, snapshot, target in _full_snapshots([account_ids_[r] for r in stopped_by_engine], channel, at):
        yield account_id, evaluate(snapshot), target


class _Stops:
    """The absolute stops of the rows that have some: one decision per distinct stored key (and
    client operator type), each row's dates and quoted values written back into its reasons."""

    def __init__(self, column: pa.ChunkedArray, decided: np.ndarray, batch: _Batch, clients: dict[int, Client]):
        stored = pc.take(column, pa.array(decided))
        has = np.asarray(pc.not_equal(stored, "").to_numpy(zero_copy_only=False), dtype=bool)
        self.positions = np.flatnonzero(has)  # among the decided rows
        self.rows = decided[self.positions]
        # The stored text: the key, a tab, the account's substitutions.
        lines = pc.split_pattern(pc.filter(stored, pa.array(has)), "\t", max_splits=1)
        keys = pc.dictionary_encode(pc.list_element(lines, 0)).combine_chunks()
        self.substitutions = pc.list_element(lines, 1).to_pylist()
        operator_of = {cid: c.operator_type for cid, c in clients.items()}
        pairs = list(zip(keys.indices.to_pylist(), [operator_of[c] for c in batch.client_ids[self.rows].tolist()],
                         strict=True))
        self.distinct = list(dict.fromkeys(pairs))
        index = {pair: n for n, pair in enumerate(self.distinct)}
        self.of_row = [index[pair] for pair in pairs]
        self.key_texts = keys.dictionary.to_pylist()

    def decide(self, channel: Channel, at: dt.datetime) -> list[tuple[F.Reason, ...] | None]:
        """The absolute stops' reasons per distinct key (None: only the whole gate can answer)."""
        return [absolute_stops(_stop_snapshot(stop_key_from_text(self.key_texts[k])._replace(operator_type=operator),
                                              channel, at)) for k, operator in self.distinct]

    def decisions(self, reasons: list[tuple[F.Reason, ...] | None], decisions: list[F.Decision],
                  of_row: np.ndarray) -> tuple[dict[int, F.Decision], list[int]]:
        """(row: its decision with the stops, rows only the full engine decides)."""
        out: dict[int, F.Decision] = {}
        engine = []
        classes = of_row[self.positions].tolist()
        for r, n, cls, subs in zip(self.rows.tolist(), self.of_row, classes, self.substitutions, strict=True):
            found = reasons[n]
            if found is None:
                engine.append(r)
                continue
            out[r] = with_absolute_stops(decisions[cls], _substituted(found, substitutions_from_text(subs)))
        return out, engine


def _signature_texts(keys: list[int]) -> dict[int, str]:
    with connection.cursor() as cur:
        cur.execute("select key, text from compliance_eligibilitysignature where key = any(%s::bigint[])",
                    [sorted(set(keys))])
        return dict(cur.fetchall())


def _decide(signatures: list[Signature], channel: Channel, at: dt.datetime) -> list[F.Decision]:
    """The engine's decision on each signature's synthetic snapshot."""
    return [evaluate(_synthetic(signature, channel, at)) for signature in signatures]


def _in_two_processes(parent: Callable[[], Any], child: Callable[[], Any], fork: bool) -> tuple[Any, Any]:
    """(parent(), child()), the second computed in a forked child when ``fork``, so both cores
    work. The child only runs the pure engine: it touches no connection, and leaves with
    ``os._exit`` (no clean-up of the parent's objects)."""
    if not fork:
        return parent(), child()
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        status = 1
        try:
            os.close(reading)
            with os.fdopen(writing, "wb") as out:
                pickle.dump(child(), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(writing)
    try:
        mine = parent()
    finally:
        with os.fdopen(reading, "rb") as into:
            data = into.read()
        _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError(f"the engine's second process failed (status {status})")
    return mine, pickle.loads(data)


def _full_snapshots(ids: list[int], channel: Channel, at: dt.datetime) -> list[tuple[int, F.Snapshot, str]]:
    """(account id, its full snapshot, target) for accounts only the whole engine can decide."""
    out = []
    for start in range(0, len(ids), FULL_CHUNK):
        chunk = ids[start:start + FULL_CHUNK]
        accounts = list(Account.objects.filter(id__in=chunk).select_related("client", "debtor"))
        bundles = load_bundles(accounts, at)
        for account in accounts:
            bundle = bundles[account.debtor_id]
            target = primary_target(bundle.debtor, channel)
            out.append((account.id, snapshot_of(bundle, account_id=account.id, channel=channel, target=target, at=at),
                        target))
    return out
