"""Checking and normalising the rows of a portfolio file, a chunk at a time, with column operations.

Every check looks at whole columns (Arrow-backed pandas strings, so the string work runs in C++)
and, where a column has few distinct values (dates, states, postal codes, products), at each
distinct value once. A row that fails any check is rejected with one error per bad column: its
line, the column and the reason — never the value, which may be personal data. Rows that pass
come out in the staging table's layout with what the database needs: E.164 phones, lower-case
e-mails, 5-digit or ZIP+4 postal codes, the debtor's candidate time zones, the statute of
limitations period and the encrypted date of birth.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from collections_app.constants import US_STATES, AccountKind, DebtorKind
from collections_app.fields import blind_index, encrypt_text
from collections_app.geo.limitations import expiry_after, late_payment_revives, limitation_period_years
from collections_app.imports.columns import DATE_COLUMNS, MAX_LENGTHS, MONEY_COLUMNS, PHONE_COLUMNS, PORTFOLIO_COLUMNS
from collections_app.imports.reader import TEXT, Chunk
from collections_app.imports.zones import ZoneResolver

STAGING_COLUMNS = (
    "line", "account_ref", "debtor_ref", "account_known", "debtor_known", "debtor_first", "debtor_kind", "name", "dob_token", "dob_mac", "zones",
    "address_line1", "address_line2", "city", "state", "postal_code", "address_kind", "phone_mobile", "phone_home",
    "phone_work", "email", "original_creditor", "current_creditor", "product", "account_kind", "principal",
    "interest", "fees", "open_date", "delinquency_date", "charge_off_date", "last_payment_date", "itemization_date",
    "sol_expires_on", "digest",
)  # fmt: skip
_FLAGS = ("line", "account_known", "debtor_known", "debtor_first", "digest")
# What a row says, for its digest (an account's ``import_digest``): every text column but the
# date-of-birth token (encrypted anew by each job: its keyed hash ``dob_mac`` stands for it).
DIGEST_COLUMNS = tuple(c for c in STAGING_COLUMNS if c not in (*_FLAGS, "dob_token"))
# Text columns of the staging rows: an empty value is loaded as NULL (COPY's FORCE_NULL).
COPY_NULL_COLUMNS = tuple(c for c in STAGING_COLUMNS if c not in _FLAGS)

_MONEY_RE = r"\d{1,12}(?:\.\d{1,2})?"
_EMAIL_RE = r"[^@\s]+@[^@\s]+\.[^@\s]+"
_ZIP_RE = re.compile(r"(\d{5})(?:[-\s]?(\d{4}))?")
_STATES = frozenset(US_STATES)
_COLUMN_ORDER = {column: i for i, column in enumerate(PORTFOLIO_COLUMNS, start=1)}

Errors = list[tuple[np.ndarray, str, Any]]  # (rows that fail, column, reason or per-row reasons)


@dataclass
class Prepared:
    # The good rows in STAGING_COLUMNS order (text as text, flags as booleans, the digest as int64):
    # one part per loading lane, a debtor's rows (by a hash of debtor_ref) all in the same part.
    parts: list[pa.Table]
    errors: list[tuple[int, str, str]]  # (line, column, reason)
    read: int
    new_dob_tokens: list[tuple[str, str]] = field(default_factory=list)  # (token, keyed hash) made for this chunk

    @property
    def rows(self) -> pa.Table:
        (rows,) = self.parts
        return rows

    def lane(self, index: int) -> Prepared:
        """What lane ``index`` loads: its debtors' rows; the first lane also carries the chunk's errors and count."""
        first = index == 0
        return Prepared([self.parts[index]], self.errors if first else [], self.read if first else 0,
                        self.new_dob_tokens)


def by_value(series: pd.Series, convert: Callable[[str], tuple[Any, str | None]],
             cache: dict[Hashable, tuple[Any, str | None]]) -> tuple[np.ndarray, np.ndarray]:
    """``convert`` applied to each distinct value once (remembered in ``cache`` across chunks).

    ``convert`` returns ``(value, None)`` or ``(anything, reason)``; the result is the per-row
    values and the per-row reasons (None where fine).
    """
    codes, uniques = pd.factorize(series)
    values = np.empty(len(uniques), dtype=object)
    reasons = np.empty(len(uniques), dtype=object)
    for i, unique in enumerate(np.asarray(uniques, dtype=object).tolist()):
        if unique not in cache:
            cache[unique] = convert(unique)
        values[i], reasons[i] = cache[unique]
    return values[codes], reasons[codes]


def text_by_value(series: pd.Series, convert: Callable[[str], tuple[str, str | None]],
                  cache: dict[Hashable, tuple[str, str | None]]) -> tuple[pd.Series, np.ndarray | None]:
    """``by_value`` for conversions to text: the values as Arrow-backed text (spread to the rows in
    C++), and the per-row reasons — ``None`` when every row is fine."""
    codes, uniques = pd.factorize(series)
    pairs = [cache[u] if u in cache else cache.setdefault(u, convert(u))
             for u in np.asarray(uniques, dtype=object).tolist()]
    values = pa.array([value for value, _ in pairs], pa.string()).take(pa.array(codes))
    failed = np.array([reason is not None for _, reason in pairs], dtype=bool)
    reasons = None
    if failed.any():
        reasons = np.array([reason for _, reason in pairs], dtype=object)[codes]
    return pd.Series(pd.arrays.ArrowStringArray(values), index=series.index), reasons


class PortfolioRows:
    """Validates a portfolio file chunk by chunk; remembers what it saw in earlier chunks."""

    def __init__(self, present: set[str], *, date_format: str = "", today: dt.date | None = None,
                 lanes: int = 1, known: KnownReferences | None = None) -> None:
        self.present = present
        # The client's references on file when the job started: only rows whose reference is
        # among them (or whose debtor an earlier chunk had) are looked up in the database.
        self.known = known or KnownReferences.everything()
        self.lanes = lanes
        self.date_format = date_format
        self.today = today or dt.date.today()
        # What earlier chunks held, as 64-bit hashes (a million references in a few MB).
        self.accounts_seen = SeenKeys(0)  # account_ref → its first line
        self.debtors_seen = SeenKeys(3)  # debtor_ref → first line, and hashes of kind, name, date of birth
        self.zones = ZoneResolver()
        self._dates: dict[Hashable, Any] = {}
        self._births: dict[Hashable, Any] = {}
        self._postal: dict[Hashable, Any] = {}
        self._sol: dict[Hashable, Any] = {}
        self._expiries: dict[Hashable, Any] = {}
        self._dob: dict[Hashable, Any] = {}
        self._new_tokens: list[tuple[str, str]] = []  # made since the last chunk was prepared

    # -- value parsers (each distinct value once) -----------------------------------------------
    def _date(self, value: str) -> tuple[str, str | None]:
        value = value.strip()
        if not value:
            return "", None
        formats = [self.date_format] if self.date_format else ["%Y-%m-%d", "%m/%d/%Y"]
        for fmt in formats:
            try:
                parsed = dt.datetime.strptime(value, fmt).date()
            except ValueError:
                continue
            return (parsed.isoformat(), None) if parsed.year >= 1900 else ("", "is before 1900")
        return "", f"not a date ({self.date_format})" if self.date_format else "not a date (YYYY-MM-DD or MM/DD/YYYY)"

    def _birth_date(self, value: str) -> tuple[str, str | None]:
        iso, reason = self._date(value)
        if reason is None and iso > self.today.isoformat():
            return "", "is in the future"
        return iso, reason

    @staticmethod
    def _postal_code(value: str) -> tuple[str, str | None]:
        value = value.strip()
        if not value:
            return "", None
        if value.isdigit() and len(value) in (3, 4):  # a spreadsheet dropped the leading zeros
            value = value.zfill(5)
        match = _ZIP_RE.fullmatch(value)
        if not match:
            return "", "not a 5-digit ZIP or ZIP+4"
        return (f"{match[1]}-{match[2]}" if match[2] else match[1]), None

    @staticmethod
    def _sol_period(key: str) -> tuple[str, None]:
        """``years|r`` (a late payment revives the debt) or ``years|n``; ``|`` where no period is known."""
        state, product, kind = key.split("\x1f")
        consumer = kind == AccountKind.CONSUMER
        years = limitation_period_years(state, product, consumer=consumer)
        if years is None:
            return "|", None
        return f"{years}|{'r' if late_payment_revives(state, consumer=consumer) else 'n'}", None

    @staticmethod
    def _sol_expiry(key: str) -> tuple[str, None]:
        period, paid, late, charged = key.split("\x1f")
        years, _, revives = period.partition("|")
        dates = [dt.date.fromisoformat(d) if d else None for d in (paid, late, charged)]
        expiry = expiry_after(int(years), *dates, late_payment_revives=revives == "r") if years else None
        return ("" if expiry is None else expiry.isoformat()), None

    def _sol_expiries(self, text: dict[str, pd.Series], columns: dict[str, Any]) -> pa.Array:
        """The last day to sue per row (``geo.limitations``: the state's period for the product, from
        the accrual date), worked out once per distinct case for the whole file: where a late
        payment revives the debt only the start of the period matters (the later of last payment and
        delinquency, else charge-off: ISO dates order as text), elsewhere every date does (New York
        consumer credit)."""
        period, _ = text_by_value(text["state"] + "\x1f" + text["product"] + "\x1f" + text["account_kind"],
                                  self._sol_period, self._sol)
        wide = pa.large_string()
        paid, late, charged = (pc.cast(pc.fill_null(columns[c], ""), wide)
                               for c in ("last_payment_date", "delinquency_date", "charge_off_date"))
        later = pc.if_else(pc.greater(paid, late), paid, late)
        accrual = pc.if_else(pc.equal(later, ""), charged, later)
        period = pc.cast(_arrow(period), wide)
        empty, separator = pa.scalar("", wide), pa.scalar("\x1f", wide)
        revives = pc.ends_with(period, "|r")
        key = pc.if_else(revives, pc.binary_join_element_wise(period, accrual, empty, empty, separator),
                         pc.binary_join_element_wise(period, paid, late, charged, separator))
        expiries, _ = text_by_value(pd.Series(pd.arrays.ArrowStringArray(pc.cast(key, pa.string()))),
                                    self._sol_expiry, self._expiries)
        return _arrow(expiries)

    def _dob_token(self, iso: str) -> tuple[tuple[str, str], None]:
        """One token per distinct date within a job: a million encryptions would take minutes."""
        if not iso:
            return ("", ""), None
        pair = (encrypt_text(iso), blind_index(iso))
        self._new_tokens.append(pair)
        return pair, None

    # -- the chunk ---------------------------------------------------------------------------------
    def prepare(self, chunk: Chunk) -> Prepared:
        frame = chunk.frame
        n = len(frame)
        lines = frame["line"].to_numpy(dtype=np.int64)
        bad = np.zeros(n, dtype=bool)
        found: Errors = []

        def fail(mask: Any, column: str, reason: Any) -> None:
            mask = np.asarray(mask, dtype=bool)
            if mask.any():
                found.append((mask, column, reason))
                bad[mask] = True

        def text(name: str) -> pd.Series:
            return frame[name].str.strip() if name in frame else pd.Series("", index=frame.index, dtype=TEXT)

        def parsed(name: str, cache: dict[Hashable, Any], convert: Callable[[str], tuple[str, str | None]],
                   column: str | None = None) -> pd.Series:
            if name not in frame:
                return pd.Series("", index=frame.index, dtype=TEXT)
            values, reasons = text_by_value(frame[name], convert, cache)
            if reasons is not None:
                fail(reasons != None, column or name, reasons)  # noqa: E711 — elementwise on an object array
            return values

        out: dict[str, Any] = {}
        account_ref, debtor_ref = text("account_ref"), text("debtor_ref")
        fail(account_ref == "", "account_ref", "missing account reference")
        fail(debtor_ref == "", "debtor_ref", "missing debtor reference")

        first, last, business = text("first_name"), text("last_name"), text("business_name")
        person_name = (first + " " + last).str.strip()
        kind = text("debtor_kind").str.lower()
        kind = kind.mask(kind == "", pd.Series(np.where((business != "") & (person_name == ""), "business", "person"),
                                               index=frame.index, dtype=TEXT))
        fail(~kind.isin(DebtorKind.values), "debtor_kind", "must be person or business")
        is_business = (kind == DebtorKind.BUSINESS).to_numpy(dtype=bool)
        name = person_name.where(~is_business, business.mask(business == "", person_name))
        if self.present & {"first_name", "last_name", "business_name"}:  # else only existing debtors can load
            fail((name == "").to_numpy(dtype=bool) & ~is_business, "last_name", "missing name")
            fail((name == "").to_numpy(dtype=bool) & is_business, "business_name", "missing business name")
        out["debtor_kind"], out["name"] = kind, name

        dob = parsed("date_of_birth", self._births, self._birth_date)

        state = text("state").str.upper()
        fail((state != "") & ~state.isin(_STATES), "state", "unknown state")
        postal = parsed("postal_code", self._postal, self._postal_code)
        line1 = text("address_line1")
        fail((line1 != "") & (state == ""), "state", "an address needs a state")
        out.update(address_line1=line1, address_line2=text("address_line2"), city=text("city"), state=state,
                   postal_code=postal)

        for column in PHONE_COLUMNS:
            out[column] = self._phones(text(column), column, fail)
        email = text("email").str.lower()
        fail((email != "") & ~email.str.fullmatch(_EMAIL_RE), "email", "not an e-mail address")
        out["email"] = email

        for column in ("original_creditor", "current_creditor", "product"):
            out[column] = text(column)
        account_kind = text("account_kind").str.lower()
        account_kind = account_kind.mask(account_kind == "", pd.Series(np.where(is_business, "commercial", "consumer"),
                                                                       index=frame.index, dtype=TEXT))
        fail(~account_kind.isin(AccountKind.values), "account_kind", "must be consumer or commercial")
        out["account_kind"] = account_kind

        for column in MONEY_COLUMNS:
            out[column] = self._money(text(column), column, fail)
        for column in DATE_COLUMNS:
            out[column] = parsed(column, self._dates, self._date)

        out.update(account_ref=account_ref, debtor_ref=debtor_ref)
        for column, limit in MAX_LENGTHS.items():
            if column in out:
                fail(out[column].str.len() > limit, column, f"longer than {limit} characters")

        # 64-bit hashes of the references: the duplicate and debtor checks, the lookups and the lanes use them.
        account_keys, debtor_keys = _hash(account_ref), _hash(debtor_ref)
        self._check_duplicates(account_ref, account_keys, lines, fail)
        debtor_lines, debtor_earlier = self._check_debtors(
            debtor_ref, debtor_keys, [(kind, "debtor_kind"), (name, "last_name"), (dob, "date_of_birth")],
            lines, bad, fail)

        errors = [
            (int(line), column, reason if isinstance(reason, str) else str(reason[i]))
            for mask, column, reason in found
            for i, line in zip(np.flatnonzero(mask), lines[mask], strict=True)
        ]
        errors.extend((line, "", f"malformed record: {reason}") for line, reason in chunk.malformed)
        errors.sort(key=lambda e: (e[0], _COLUMN_ORDER.get(e[1], 0)))
        good = ~bad
        known = (self.known.account_known(account_keys), debtor_earlier | self.known.debtor_known(debtor_keys))
        parts, tokens = self._staging_rows(lines, out, dob, good, debtor_lines, known, debtor_keys)
        return Prepared(parts, errors, read=n + len(chunk.malformed), new_dob_tokens=tokens)

    @staticmethod
    def _phones(raw: pd.Series, column: str, fail: Callable[[Any, str, str], None]) -> pd.Series:
        """E.164: a North American number in any punctuation (with or without its leading 1) by Arrow's
        string kernels over the whole column; another country's (``+…``, rare) through phonenumbers."""
        values = _arrow(raw)
        text = values.type
        digits = pc.replace_substring_regex(values, r"\D", "")
        with_one = pc.and_(pc.equal(pc.utf8_length(digits), 11), pc.starts_with(digits, "1"))
        national = pc.if_else(with_one, pc.utf8_slice_codeunits(digits, 1), digits)
        nanp = pc.match_substring_regex(national, r"^[2-9]\d{2}[2-9]\d{6}$")
        empty = pa.scalar("", text)
        e164 = pc.if_else(nanp, pc.binary_join_element_wise(pa.scalar("+1", text), national, empty), empty)
        foreign = pc.and_(pc.and_(pc.starts_with(values, "+"), pc.invert(pc.starts_with(values, "+1"))),
                          pc.invert(nanp))
        if pc.any(foreign).as_py():
            mixed = np.asarray(e164.to_numpy(zero_copy_only=False), dtype=object)
            at = foreign.to_numpy(zero_copy_only=False)
            mixed[at] = [_international(v) for v in values.filter(foreign).to_pylist()]
            e164 = pa.array(mixed, text)
        fail(pc.and_(pc.equal(e164, ""), pc.not_equal(values, "")).to_numpy(zero_copy_only=False), column,
             "not a valid phone number")
        return pd.Series(pd.arrays.ArrowStringArray(e164), index=raw.index)

    @staticmethod
    def _money(raw: pd.Series, column: str, fail: Callable[[Any, str, str], None]) -> pd.Series:
        value = raw.mask(raw == "", "0")
        ok = value.str.fullmatch(_MONEY_RE).to_numpy(dtype=bool)
        if ok.all():
            return value
        cleaned = value.str.replace(r"[$,\s]", "", regex=True)
        negative = ~ok & cleaned.str.startswith("-").to_numpy(dtype=bool)
        fail(negative, column, "negative amount")
        still_bad = ~ok & ~negative & ~cleaned.str.fullmatch(_MONEY_RE).to_numpy(dtype=bool)
        fail(still_bad, column, "not an amount with at most two decimals")
        return cleaned

    def _check_duplicates(self, refs: pd.Series, keys: np.ndarray, lines: np.ndarray,
                          fail: Callable[[Any, str, Any], None]) -> None:
        """A reference seen earlier in the file (this chunk or before) rejects the later row."""
        has_ref = (refs != "").to_numpy(dtype=bool)
        found, earlier, _ = self.accounts_seen.lookup(keys)
        first_here = pd.Series(lines).groupby(keys).transform("first").to_numpy()
        first_line = np.where(found, earlier, first_here)
        duplicate = has_ref & (first_line != lines)
        if duplicate.any():
            fail(duplicate, "account_ref", np.char.add("duplicate account_ref: first on line ", first_line.astype(str)))
        new = has_ref & ~duplicate
        self.accounts_seen.add(keys[new], lines[new])

    def _check_debtors(self, refs: pd.Series, keys: np.ndarray, details: list[tuple[pd.Series, str]], lines: np.ndarray,
                       bad: np.ndarray, fail: Callable[[Any, str, Any], None]) -> tuple[np.ndarray, np.ndarray]:
        """Rows sharing a debtor_ref must agree on who the debtor is; the first good row decides.

        Returns, per row, the line of its debtor's first row in the file, and whether that row was in
        an earlier chunk.
        """
        candidates = ~bad & (refs != "").to_numpy(dtype=bool)
        signatures = np.stack([_hash(values) for values, _ in details], axis=1)
        found, seen_lines, seen_signatures = self.debtors_seen.lookup(keys)
        first_here = pd.DataFrame({"key": keys[candidates], "row": np.flatnonzero(candidates)}).drop_duplicates("key")
        new_rows = first_here["row"].to_numpy()[~found[first_here["row"].to_numpy()]]
        self.debtors_seen.add(keys[new_rows], lines[new_rows], signatures[new_rows])
        found, first_lines, first_signatures = self.debtors_seen.lookup(keys)
        for position, (_, label) in enumerate(details):
            differs = candidates & found & (signatures[:, position] != first_signatures[:, position])
            if differs.any():
                fail(differs, label, np.char.add("differs from the same debtor_ref on line ", first_lines.astype(str)))
        del seen_lines, seen_signatures
        return np.where(found, first_lines, 0), found & (first_lines < (lines[0] if len(lines) else 0))

    def _staging_rows(self, lines: np.ndarray, out: dict[str, Any], dob: pd.Series, good: np.ndarray,
                      debtor_lines: np.ndarray, known: tuple[np.ndarray, np.ndarray], debtor_keys: np.ndarray,
                      ) -> tuple[list[pa.Table], list[tuple[str, str]]]:
        """The good rows, one part per lane (a debtor's rows all in one part, in file order); text
        stays in Arrow arrays, derived columns are added to them."""
        kept = np.flatnonzero(good)
        lane = (debtor_keys[kept] % np.uint64(self.lanes)).astype(np.int64)
        if self.lanes > 1:  # rows grouped by lane (stable: a debtor's rows keep their file order)
            kept = kept[np.argsort(lane, kind="stable")]
        take = pa.array(kept)
        columns: dict[str, pa.Array] = {"line": pa.array(lines[kept])}
        for column, series in out.items():
            columns[column] = _arrow(series).take(take)
        refs = columns["debtor_ref"].to_numpy(zero_copy_only=False)
        tokens, _ = by_value(dob.iloc[kept], self._dob_token, self._dob)
        new_tokens, self._new_tokens = self._new_tokens, []
        columns["dob_token"] = pa.array([t[0] for t in tokens], pa.string())
        columns["dob_mac"] = pa.array([t[1] for t in tokens], pa.string())
        text = {name: pd.Series(pd.arrays.ArrowStringArray(columns[name])) for name in
                ("postal_code", "state", "product", "account_kind", *PHONE_COLUMNS)}
        zones = self.zones.rows(text["postal_code"].str.slice(0, 5), text["state"], [text[c] for c in PHONE_COLUMNS])
        columns["zones"] = pa.array(_debtor_zones(refs, zones), pa.string())
        columns["debtor_first"] = pa.array(debtor_lines[kept] == lines[kept])
        columns["account_known"], columns["debtor_known"] = (pa.array(flags[kept]) for flags in known)
        business = pc.equal(columns["debtor_kind"], DebtorKind.BUSINESS.value)
        columns["address_kind"] = pc.if_else(business, "mailing", "home")
        columns["sol_expires_on"] = self._sol_expiries(text, columns)
        columns["digest"] = row_digests(columns)
        table = pa.table([columns[c] for c in STAGING_COLUMNS], names=list(STAGING_COLUMNS))
        counts = np.bincount(lane, minlength=self.lanes)
        return [table.slice(int(end - count), int(count))
                for end, count in zip(np.cumsum(counts), counts, strict=True)], new_tokens


def _arrow(values: Any) -> pa.Array:
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype):
        return pa.chunked_array(values.array._pa_array).combine_chunks()  # type: ignore[attr-defined]
    return pa.array(np.asarray(values, dtype=object), pa.string())


def _hash(values: pd.Series) -> np.ndarray:
    return pd.util.hash_pandas_object(values, index=False).to_numpy()


@dataclass
class KnownReferences:
    """The account and debtor references a client had when the job started, as 64-bit hashes.

    A row whose reference is not among them is new — unless someone else created it since, which
    the loader finds out from the unique constraint (and then looks every row of the chunk up).
    ``None``: nothing known, every reference may exist.
    """

    accounts: SeenKeys | None
    debtors: SeenKeys | None

    @classmethod
    def everything(cls) -> KnownReferences:
        return cls(None, None)

    @classmethod
    def of(cls, accounts: pd.Series, debtors: pd.Series) -> KnownReferences:
        def keys(refs: pd.Series) -> SeenKeys:
            seen = SeenKeys(0)
            hashed = np.unique(_hash(refs))
            seen.add(hashed, np.zeros(len(hashed), dtype=np.int64))
            return seen

        return cls(keys(accounts), keys(debtors))

    def account_known(self, keys: np.ndarray) -> np.ndarray:
        """Per account reference (its 64-bit hash): may the client have it?"""
        return self._known(self.accounts, keys)

    def debtor_known(self, keys: np.ndarray) -> np.ndarray:
        return self._known(self.debtors, keys)

    @staticmethod
    def _known(known: SeenKeys | None, keys: np.ndarray) -> np.ndarray:
        if known is None:
            return np.ones(len(keys), dtype=bool)
        return known.lookup(keys)[0]


class SeenKeys:
    """A growing set of 64-bit keys with a line and ``width`` hashes each, looked up a column at a time."""

    def __init__(self, width: int) -> None:
        self.keys = np.empty(0, dtype=np.uint64)
        self.lines = np.empty(0, dtype=np.int64)
        self.extra = np.empty((0, width), dtype=np.uint64)

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(found, line, extra) for each key; line 0 where not found."""
        if not len(self.keys):
            return (np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64),
                    np.zeros((len(keys), self.extra.shape[1]), dtype=np.uint64))
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        found = self.keys[at] == keys
        return found, np.where(found, self.lines[at], 0), self.extra[at]

    def add(self, keys: np.ndarray, lines: np.ndarray, extra: np.ndarray | None = None) -> None:
        """Add keys not present yet (each once)."""
        if not len(keys):
            return
        extra = np.zeros((len(keys), self.extra.shape[1]), dtype=np.uint64) if extra is None else extra
        # The chunk's keys sorted, then merged in: one pass over what is kept (not a sort of all of it).
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        at = np.searchsorted(self.keys, keys)
        self.keys = np.insert(self.keys, at, keys)
        self.lines = np.insert(self.lines, at, lines[order])
        self.extra = np.insert(self.extra, at, extra[order], axis=0)


def _debtor_zones(refs: np.ndarray, zones: np.ndarray) -> np.ndarray:
    """Each debtor's zones over all its rows here, in row order (most debtors have one row, and the
    rows of most others agree: only debtors whose rows differ are merged, in Python)."""
    by_ref = pd.Series(zones).groupby(refs, sort=False)
    differs = by_ref.transform("nunique").to_numpy() > 1
    if not differs.any():
        return zones
    merged: dict[str, dict[str, None]] = {}
    for ref, literal in zip(refs[differs], zones[differs], strict=True):
        bucket = merged.setdefault(ref, {})
        if literal != "{}":
            bucket.update(dict.fromkeys(literal[1:-1].split(",")))
    result = zones.copy()
    result[differs] = [("{" + ",".join(merged[ref]) + "}") for ref in refs[differs]]
    return result


def row_digests(columns: dict[str, Any]) -> pa.Array:
    """Per row, a 64-bit BLAKE2b hash of what it says (``DIGEST_COLUMNS``), the same in every
    process: the row that placed or last updated an account, again, is recognised by it
    (``import_digest``). Hashed straight off the joined text's Arrow buffer (no str per row)."""
    wide = pa.large_string()
    joined = pc.binary_join_element_wise(*(pc.cast(columns[c], wide) for c in DIGEST_COLUMNS), pa.scalar("\x1f", wide),
                                         null_handling="replace", null_replacement="")
    joined = joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)[joined.offset:joined.offset + len(joined) + 1].tolist()
    data, blake2b = memoryview(joined.buffers()[2]), hashlib.blake2b
    return pa.array(np.fromiter((int.from_bytes(blake2b(data[start:end], digest_size=8).digest(), "little", signed=True)
                                 for start, end in itertools.pairwise(offsets)), dtype=np.int64, count=len(joined)))


def copy_table(cursor: Any, statement: str, table: pa.Table) -> None:
    """``table`` through ``statement`` (``COPY … FROM STDIN (FORMAT csv …)``), written by Arrow's CSV
    writer straight into the COPY, a few thousand rows at a time: null as an empty field, an empty
    text as ``""`` (which ``FORCE_NULL`` turns into NULL where a staging column asks for it)."""
    with cursor.copy(statement) as copy:
        pa_csv.write_csv(table, pa.PythonFile(_CopySink(copy), mode="w"),
                         pa_csv.WriteOptions(include_header=False, quoting_style="needed", batch_size=8192))


class _CopySink:
    """The file Arrow writes to: each block goes to the COPY as it is made."""

    closed = False

    def __init__(self, copy: Any) -> None:
        self.copy = copy

    def write(self, data: bytes) -> int:
        self.copy.write(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def _international(value: str) -> str:
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
