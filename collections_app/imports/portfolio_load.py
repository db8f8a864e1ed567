"""Loading checked portfolio rows: debtors new to the client are COPYed straight into their tables
(``new_debtors``); the other rows go into a temporary staging table, then through set-based SQL.

One transaction per chunk: link rows to existing debtors, update the debtors whose details
changed, insert new debtors (with their time zones), add contact points not on file yet,
recompute the zones of existing debtors who gained one, upsert the accounts by
``(client, reference)`` — ``INSERT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM`` so an
unchanged row is not written at all — and write the timeline facts (``balance_adjusted`` when the
client changed an amount; a new account's placement is on its row) and the job's counters.

Only the columns present in the file are compared and updated: a file without ``fees`` leaves
every account's fees as they are.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from django.db import connection

from collections_app.fields import blind_index, decrypt_text
from collections_app.imports import new_debtors
from collections_app.imports.portfolio_rows import (
    COPY_NULL_COLUMNS,
    STAGING_COLUMNS,
    KnownReferences,
    Prepared,
    copy_table,
)
from collections_app.imports.reader import TEXT
from collections_app.imports.zones import ZoneResolver, refresh_touched_debtors

CHUNK_TABLES = "import_staging, import_debtors, import_accounts, import_changed, import_touched"
TEMP_TABLES = f"{CHUNK_TABLES}, import_dob"
SETUP_SQL = f"""
DROP TABLE IF EXISTS {TEMP_TABLES};
CREATE TEMP TABLE import_staging (
  line int, account_ref text, debtor_ref text, account_known bool, debtor_known bool, debtor_first bool, debtor_kind text, name text, dob_token text,
  dob_mac text, zones text[], address_line1 text, address_line2 text, city text, state text, postal_code text,
  address_kind text, phone_mobile text, phone_home text, phone_work text, email text, original_creditor text,
  current_creditor text, product text, account_kind text, principal numeric(14, 2), interest numeric(14, 2),
  fees numeric(14, 2), open_date date, delinquency_date date, charge_off_date date, last_payment_date date,
  itemization_date date, sol_expires_on date, digest bigint
);
-- The chunk's debtors: existing ones (with the stored date-of-birth token) and the ones it creates.
CREATE TEMP TABLE import_debtors (ref text PRIMARY KEY, id bigint NOT NULL, new bool NOT NULL, old_dob text);
-- The chunk's accounts that exist already, with the debtor they belong to and their placed amounts
-- and balance before the chunk (for balance_adjusted); ``same``: the row is the one that placed or
-- last updated the account (same digest).
CREATE TEMP TABLE import_accounts (ref text PRIMARY KEY, id bigint NOT NULL, debtor_id bigint NOT NULL,
                                   debtor_ref text, same bool NOT NULL, updated bool NOT NULL DEFAULT false,
                                   principal numeric(14, 2), interest numeric(14, 2), fees numeric(14, 2),
                                   balance numeric(14, 2));
CREATE TEMP TABLE import_dob (token text PRIMARY KEY, mac text);
CREATE TEMP TABLE import_changed (debtor_id bigint PRIMARY KEY);
CREATE TEMP TABLE import_touched (debtor_id bigint PRIMARY KEY);
"""

# A 64-bit hash of what a staging row says (``s``; portfolio_rows.row_digests): stored on the account
# it places or updates.
DIGEST_SQL = "s.digest"

# Links are one index lookup per row of the chunk (LATERAL … LIMIT 1): right after a large load
# the big tables' statistics lag behind, and PostgreSQL 15 then hashed the client's whole account
# table for every chunk (3 s a chunk at a million accounts). Account references are unique within
# a chunk: the checks refuse a reference seen before.
ACCOUNTS_LINK_SQL = f"""
INSERT INTO import_accounts (ref, id, debtor_id, debtor_ref, same, principal, interest, fees, balance)
SELECT a.reference, a.id, a.debtor_id, a.debtor_ref, coalesce(a.import_digest = {DIGEST_SQL}, false),
       a.principal, a.interest, a.fees, a.balance
FROM import_staging s
CROSS JOIN LATERAL (
  SELECT a.reference, a.id, a.debtor_id, d.external_ref AS debtor_ref, a.import_digest, a.principal, a.interest,
         a.fees, a.balance
  FROM collections_app_account a JOIN collections_app_debtor d ON d.id = a.debtor_id
  WHERE a.client_id = %(client)s AND a.reference = s.account_ref
  LIMIT 1) a
WHERE s.account_known OR %(look_up_all)s
"""

# A row the same as the one that placed or last updated its account has nothing to apply: it is
# counted unchanged and goes no further (the debtor's details and contact points it carries are
# the ones it gave then; a change in any of them changes the digest).
SAME_ROWS_SQL = "DELETE FROM import_staging s USING import_accounts ia WHERE ia.ref = s.account_ref AND ia.same"

# An account is never moved from one debtor to another by a file: such a row is refused.
CONFLICTS_SQL = """
WITH moved AS (
  DELETE FROM import_accounts ia USING import_staging s
  WHERE ia.ref = s.account_ref AND ia.debtor_ref IS DISTINCT FROM s.debtor_ref
  RETURNING ia.ref
)
DELETE FROM import_staging s USING moved WHERE s.account_ref = moved.ref RETURNING s.line
"""

LINK_SQL = """
INSERT INTO import_debtors (ref, id, new, old_dob)
SELECT d.external_ref, d.id, false, d.date_of_birth
FROM (SELECT DISTINCT debtor_ref FROM import_staging WHERE debtor_known OR %(look_up_all)s) s
CROSS JOIN LATERAL (
  SELECT d.external_ref, d.id, d.date_of_birth FROM collections_app_debtor d
  WHERE d.client_id = %(client)s AND d.external_ref = s.debtor_ref
  LIMIT 1 FOR KEY SHARE) d
"""

FOREIGN_TOKENS_SQL = """
SELECT DISTINCT k.old_dob FROM import_debtors k
WHERE k.old_dob IS NOT NULL AND NOT EXISTS (SELECT 1 FROM import_dob m WHERE m.token = k.old_dob)
"""

NAMELESS_SQL = """
DELETE FROM import_staging s
WHERE coalesce(s.name, '') = '' AND NOT EXISTS (SELECT 1 FROM import_debtors k WHERE k.ref = s.debtor_ref)
RETURNING s.line
"""

NEW_DEBTORS_SQL = """
WITH ins AS (
  INSERT INTO collections_app_debtor (client_id, kind, name, external_ref, date_of_birth, ssn, ssn_index,
                                      preferred_language, timezones, created_at, updated_at)
  SELECT DISTINCT ON (s.debtor_ref) %(client)s, s.debtor_kind, s.name, s.debtor_ref, nullif(s.dob_token, ''), NULL,
         '', 'en', s.zones, now(), now()
  FROM import_staging s WHERE NOT EXISTS (SELECT 1 FROM import_debtors k WHERE k.ref = s.debtor_ref)
  ORDER BY s.debtor_ref, s.line
  RETURNING id, external_ref
)
INSERT INTO import_debtors (ref, id, new) SELECT external_ref, id, true FROM ins
"""

# Contact points not on file yet: a new debtor has none; an existing debtor's are looked up by the
# debtor's index, one row at a time (LATERAL … LIMIT 1: an OR NOT EXISTS was planned as a hash of
# the whole table, every chunk).
# Phones are inserted in number order (bytewise: E.164 is ASCII), so the number index's entries
# for a chunk go in one sweep over its leaf pages instead of one random page each (−0.03 s of CPU
# per 25,000 rows); a debtor's phones still get their ids in number order, as before.
ADDRESSES_SQL = """
WITH ins AS (
  INSERT INTO collections_app_address (debtor_id, kind, line1, line2, city, state, postal_code, country, status,
                                       created_at, updated_at)
  SELECT DISTINCT ON (k.id, s.address_line1, s.address_line2, s.city, s.state, s.postal_code)
         k.id, s.address_kind, s.address_line1, coalesce(s.address_line2, ''), coalesce(s.city, ''), s.state,
         coalesce(s.postal_code, ''), 'US', 'active', now(), now()
  FROM import_staging s JOIN import_debtors k ON k.ref = s.debtor_ref
  LEFT JOIN LATERAL (
    SELECT 1 FROM collections_app_address a
    WHERE NOT k.new AND a.debtor_id = k.id AND a.line1 = s.address_line1 AND a.line2 = coalesce(s.address_line2, '')
      AND a.city = coalesce(s.city, '') AND a.state = s.state AND a.postal_code = coalesce(s.postal_code, '')
    LIMIT 1) AS on_file(found) ON true
  WHERE coalesce(s.address_line1, '') <> '' AND on_file.found IS NULL
  ORDER BY k.id, s.address_line1, s.address_line2, s.city, s.state, s.postal_code, s.line
  RETURNING debtor_id
)
INSERT INTO import_touched SELECT DISTINCT i.debtor_id FROM ins i JOIN import_debtors k ON k.id = i.debtor_id
WHERE NOT k.new ON CONFLICT DO NOTHING
"""

PHONES_SQL = """
WITH numbers AS (
  SELECT k.id AS debtor_id, k.new, p.kind, p.number, s.line, p.ord
  FROM import_staging s JOIN import_debtors k ON k.ref = s.debtor_ref
  CROSS JOIN LATERAL (VALUES ('mobile', s.phone_mobile, 1), ('home', s.phone_home, 2), ('work', s.phone_work, 3))
    AS p(kind, number, ord)
  WHERE coalesce(p.number, '') <> ''
), ins AS (
  INSERT INTO collections_app_phone (debtor_id, kind, number, sms_consent, status, created_at, updated_at)
  SELECT DISTINCT ON (n.number COLLATE "C", n.debtor_id) n.debtor_id, n.kind, n.number, false, 'active', now(), now()
  FROM numbers n
  LEFT JOIN LATERAL (
    SELECT 1 FROM collections_app_phone x WHERE NOT n.new AND x.debtor_id = n.debtor_id AND x.number = n.number
    LIMIT 1) AS on_file(found) ON true
  WHERE on_file.found IS NULL
  ORDER BY n.number COLLATE "C", n.debtor_id, n.line, n.ord
  RETURNING debtor_id
)
INSERT INTO import_touched SELECT DISTINCT i.debtor_id FROM ins i JOIN import_debtors k ON k.id = i.debtor_id
WHERE NOT k.new ON CONFLICT DO NOTHING
"""

EMAILS_SQL = """
WITH ins AS (
  INSERT INTO collections_app_email (debtor_id, address, employer_provided, consent, status, created_at, updated_at)
  SELECT DISTINCT ON (k.id, s.email) k.id, s.email, false, false, 'active', now(), now()
  FROM import_staging s JOIN import_debtors k ON k.ref = s.debtor_ref
  LEFT JOIN LATERAL (
    SELECT 1 FROM collections_app_email e WHERE NOT k.new AND e.debtor_id = k.id AND lower(e.address) = s.email
    LIMIT 1) AS on_file(found) ON true
  WHERE coalesce(s.email, '') <> '' AND on_file.found IS NULL
  ORDER BY k.id, s.email, s.line
  RETURNING debtor_id
)
INSERT INTO import_touched SELECT DISTINCT i.debtor_id FROM ins i JOIN import_debtors k ON k.id = i.debtor_id
WHERE NOT k.new ON CONFLICT DO NOTHING
"""

ACCOUNT_TEXT = ("kind", "original_creditor", "current_creditor", "product", "governing_state")
ACCOUNT_DATES = ("open_date", "delinquency_date", "charge_off_date", "last_payment_date", "itemization_date")
ACCOUNT_MONEY = ("principal", "interest", "fees")
# The file column each account field comes from.
ACCOUNT_SOURCE = {"kind": "account_kind", "governing_state": "state", **{c: c for c in ACCOUNT_DATES + ACCOUNT_MONEY},
                  "original_creditor": "original_creditor", "current_creditor": "current_creditor",
                  "product": "product"}  # fmt: skip
SOL_INPUTS = ("state", "product", "last_payment_date", "delinquency_date", "charge_off_date")


def _account_values(present: set[str]) -> tuple[list[str], list[str]]:
    """(fields this file sets, their values from staging ``s``) for the columns present."""
    fields = [f for f in (*ACCOUNT_TEXT, *ACCOUNT_DATES, *ACCOUNT_MONEY) if ACCOUNT_SOURCE[f] in present]
    values = []
    for f in fields:
        source = f"s.{ACCOUNT_SOURCE[f]}"
        values.append(f"coalesce({source}, '')" if f in ACCOUNT_TEXT else f"coalesce({source}, 0)"
                      if f in ACCOUNT_MONEY else source)
    return fields, values


def _accounts_insert_sql() -> str:
    """New accounts, every field from the row (defaults for absent columns); placed amounts open the balances.

    An account placed by an import holds its placement — the job, ``placed_at`` and the opening
    balance — on its row: the timeline shows it from there (``selectors.account_placements``), where
    a stored ``placement`` event per account cost a heap row and four index entries more.
    """
    fields, values = _account_values(set(ACCOUNT_SOURCE.values()))
    money = [v for f, v in zip(fields, values, strict=True) if f in ACCOUNT_MONEY]
    return f"""
INSERT INTO collections_app_account (
  client_id, debtor_id, reference, {", ".join(fields)}, principal_balance, interest_balance, fees_balance,
  opening_balance, status, placed_at, placed_by_import_id, segment, sol_expires_on, import_digest, created_at,
  updated_at)
SELECT %(client)s, k.id, s.account_ref, {", ".join(values)}, {", ".join(money)}, {" + ".join(money)},
  'open', now(), %(job)s, '', s.sol_expires_on, {DIGEST_SQL}, now(), now()
FROM import_staging s JOIN import_debtors k ON k.ref = s.debtor_ref
WHERE NOT EXISTS (SELECT 1 FROM import_accounts ia WHERE ia.ref = s.account_ref)
"""


def _accounts_update_sql(present: set[str]) -> str | None:
    """Existing accounts whose fields in the file differ; a change of a placed amount moves the
    balance by the same difference (never below zero) and is written on the timeline."""
    fields, values = _account_values(present)
    sets = [f"{f} = {v}" for f, v in zip(fields, values, strict=True)]
    sets += [f"{m}_balance = greatest(0, a.{m}_balance + {v} - a.{m})"
             for m, v in zip(fields, values, strict=True) if m in ACCOUNT_MONEY]
    current, incoming = [f"a.{f}" for f in fields], list(values)
    if all(c in present for c in SOL_INPUTS):
        sets.append("sol_expires_on = s.sol_expires_on")  # worked out while checking (portfolio_rows)
        current.append("a.sol_expires_on")
        incoming.append("s.sol_expires_on")
    if not sets:
        return None
    return f"""
WITH up AS (
  UPDATE collections_app_account a SET {", ".join(sets)}, import_digest = {DIGEST_SQL}, updated_at = now()
  FROM import_staging s JOIN import_accounts ia ON ia.ref = s.account_ref
  WHERE a.id = ia.id AND ({", ".join(current)}) IS DISTINCT FROM ({", ".join(incoming)})
  RETURNING a.id, a.debtor_id, a.reference, a.principal, a.interest, a.fees,
            a.principal_balance + a.interest_balance + a.fees_balance AS balance
), marked AS (
  UPDATE import_accounts ia SET updated = true FROM up WHERE ia.id = up.id
)
INSERT INTO collections_app_caseevent (client_id, debtor_id, account_ids, type, occurred_at, direction, channel,
                                       target, outcome, written, data, created_by_id, created_at)
SELECT %(client)s, up.debtor_id, ARRAY[up.id], 'balance_adjusted', now(), '', '', '', '', false,
       jsonb_build_object('source', 'import', 'import_job', %(job)s, 'reference', up.reference,
                          'principal', jsonb_build_array(old.principal::text, up.principal::text),
                          'interest', jsonb_build_array(old.interest::text, up.interest::text),
                          'fees', jsonb_build_array(old.fees::text, up.fees::text),
                          'balance', jsonb_build_array(old.balance::text, up.balance::text)),
       %(user)s, now()
FROM up JOIN import_accounts old ON old.id = up.id
WHERE (old.principal, old.interest, old.fees) IS DISTINCT FROM (up.principal, up.interest, up.fees)
"""


# Rows whose account fields are as on file but whose digest is not the account's (another row of a
# debtor changed, or an account placed before digests were kept): the digest only, so the same
# row next time goes no further than SAME_ROWS_SQL. Not counted as an update.
DIGEST_ONLY_SQL = f"""
UPDATE collections_app_account a SET import_digest = {DIGEST_SQL}
FROM import_staging s JOIN import_accounts ia ON ia.ref = s.account_ref
WHERE a.id = ia.id AND NOT ia.updated AND a.import_digest IS DISTINCT FROM {DIGEST_SQL}
"""

COUNT_SQL = """
SELECT count(*) FILTER (WHERE ia.updated OR c.debtor_id IS NOT NULL),
       count(*) FILTER (WHERE NOT ia.updated AND c.debtor_id IS NULL)
FROM import_accounts ia LEFT JOIN import_changed c ON c.debtor_id = ia.debtor_id
"""


def _debtors_update_sql(present: set[str]) -> str | None:
    sets, compare = [], []
    if "debtor_kind" in present:
        sets.append("kind = s.debtor_kind")
        compare.append("d.kind IS DISTINCT FROM s.debtor_kind")
    if present & {"first_name", "last_name", "business_name"}:
        sets.append("name = s.name")
        compare.append("d.name IS DISTINCT FROM s.name")
    if "date_of_birth" in present:
        sets.append("date_of_birth = CASE WHEN m.mac IS DISTINCT FROM nullif(s.dob_mac, '') "
                    "THEN nullif(s.dob_token, '') ELSE d.date_of_birth END")
        compare.append("m.mac IS DISTINCT FROM nullif(s.dob_mac, '')")
    if not sets:
        return None
    return f"""
WITH up AS (
  UPDATE collections_app_debtor d SET {", ".join(sets)}, updated_at = now()
  FROM import_staging s JOIN import_debtors k ON k.ref = s.debtor_ref LEFT JOIN import_dob m ON m.token = k.old_dob
  WHERE s.debtor_first AND d.id = k.id AND ({" OR ".join(compare)})
  RETURNING d.id
)
INSERT INTO import_changed SELECT id FROM up ON CONFLICT DO NOTHING
"""


def known_references(client_id: int) -> KnownReferences:
    """The client's account and debtor references now, read with two COPYs (a million in about a second)."""
    with connection.cursor() as cursor:
        return KnownReferences.of(
            _text_column(cursor, f"SELECT reference FROM collections_app_account WHERE client_id = {int(client_id)}"),
            _text_column(cursor, f"SELECT external_ref FROM collections_app_debtor WHERE client_id = {int(client_id)} "
                                 "AND external_ref IS NOT NULL"),
        )


def _text_column(cursor: Any, select: str) -> pd.Series:
    buffer = io.BytesIO()
    with cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT csv)") as copy:
        for block in copy:
            buffer.write(block)
    if not buffer.tell():
        return pd.Series([], dtype=TEXT)
    table = pa_csv.read_csv(io.BytesIO(buffer.getvalue()),
                            read_options=pa_csv.ReadOptions(column_names=["value"]),
                            convert_options=pa_csv.ConvertOptions(column_types={"value": pa.string()},
                                                                  strings_can_be_null=False))
    return table.column("value").to_pandas(types_mapper={pa.string(): TEXT}.get)


@dataclass
class ChunkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)


class PortfolioLoader:
    """Writes prepared chunks for one client and job; call ``setup`` once on the job's connection."""

    def __init__(self, *, client_id: int, job_id: int, user_id: int | None, present: set[str],
                 skip_triggers: tuple[str, ...] = (), insert_mode: str = "audited") -> None:
        self.params: dict[str, Any] = {"client": client_id, "job": job_id, "user": user_id}
        self.skip_triggers = "{" + ",".join(skip_triggers) + "}"
        self.insert_mode = insert_mode
        self.present = present
        self.accounts_insert_sql = _accounts_insert_sql()
        self.accounts_update_sql = _accounts_update_sql(present)
        self.debtors_update_sql = _debtors_update_sql(present)
        self.zones = ZoneResolver()
        self.debtor_sequence = ""

    def setup(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(SETUP_SQL)
            cursor.execute(new_debtors.DEBTOR_SEQUENCE_SQL)
            (self.debtor_sequence,) = cursor.fetchone()

    def teardown(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TEMP_TABLES}")

    def load(self, prepared: Prepared, *, look_up_all: bool = False) -> ChunkResult:
        """Apply one chunk; the caller holds the transaction.

        The rows of debtors wholly new to the client are COPYed straight into the tables
        (``new_debtors``); the others go through the staging table. Only rows whose references the
        client had when the job started (``account_known`` / ``debtor_known``) are looked up;
        ``look_up_all`` looks up every row (after a unique violation: someone else created one of
        the chunk's references since).
        """
        new, rest = new_debtors.split(prepared.rows, look_up_all=look_up_all)
        with connection.cursor() as cursor:
            # A crash may lose the last chunks' commits, never half of one; a re-run loads them again.
            cursor.execute("SET LOCAL synchronous_commit = off")
            # Set-based statements over a chunk: sort and hash in memory; compiling them (JIT) costs more than it saves.
            cursor.execute("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off")
            result = ChunkResult(errors=list(prepared.errors))
            if new.num_rows:
                result.created += self._copy_new(cursor, new)
            if rest.num_rows:
                self._load_staged(cursor, rest, prepared.new_dob_tokens, look_up_all, result)
        result.errors.sort(key=lambda e: e[0])  # stable: a row's errors keep their column order
        return result

    def _copy_new(self, cursor: Any, rows: Any) -> int:
        """New debtors with their accounts and contact points, one COPY per table; the accounts created."""
        plan = new_debtors.Plan(rows)
        cursor.execute(new_debtors.RESERVE_IDS_SQL, [self.debtor_sequence, len(plan.debtor_rows)])
        debtor_ids = np.asarray(cursor.fetchone()[0], dtype=np.int64)
        # (connection.wrap_database_errors: a unique violation raised by COPY is Django's IntegrityError, which
        # _load_lane answers by loading the chunk again with every row looked up.)
        with self._inserting(cursor), connection.wrap_database_errors:
            for statement, table in new_debtors.copies(plan, debtor_ids, client=self.params["client"],
                                                       job=self.params["job"]):
                copy_table(cursor, statement, table)
        return int(rows.num_rows)

    def _load_staged(self, cursor: Any, rows: Any, dob_tokens: list[tuple[str, str]], look_up_all: bool,
                     result: ChunkResult) -> None:
        """The set-based path: the rows into the staging table, then linked, compared and applied."""
        errors = result.errors
        params = {**self.params, "look_up_all": look_up_all}
        # (One import of a client at a time: the job holds the client's import lock, services.client_import_lock.)
        cursor.execute(f"TRUNCATE {CHUNK_TABLES}")
        self._copy(cursor, rows)
        cursor.execute(ACCOUNTS_LINK_SQL, params)
        cursor.execute(CONFLICTS_SQL, self.params)
        errors += [(line, "account_ref", "this account belongs to another debtor_ref") for (line,) in cursor]
        cursor.execute(SAME_ROWS_SQL)
        cursor.execute(LINK_SQL, params)
        if self.debtors_update_sql:
            self._remember_dob_tokens(cursor, dob_tokens)
            cursor.execute(self.debtors_update_sql, self.params)
        cursor.execute(NAMELESS_SQL)
        errors += [(line, "last_name", "a new debtor needs a name") for (line,) in cursor]
        with self._inserting(cursor):
            cursor.execute(NEW_DEBTORS_SQL, self.params)
            self._contact_points(cursor)
            cursor.execute(self.accounts_insert_sql, self.params)
            result.created += cursor.rowcount
        self._refresh_zones(cursor)
        if self.accounts_update_sql:
            cursor.execute(self.accounts_update_sql, self.params)
        cursor.execute(DIGEST_ONLY_SQL)
        cursor.execute(COUNT_SQL)
        updated, unchanged = cursor.fetchone()
        result.updated += updated
        result.unchanged += unchanged

    @contextlib.contextmanager
    def _inserting(self, cursor: Any) -> Iterator[None]:
        """Statements that only insert rows: without their per-row history (and, for a superuser, any trigger)."""
        if self.insert_mode == "audited":
            yield
            return
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [self.skip_triggers])
        if self.insert_mode == "replica":
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        cursor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")
        if self.insert_mode == "replica":
            cursor.execute("SET LOCAL session_replication_role = origin")

    @staticmethod
    def _copy(cursor: Any, rows: Any) -> None:
        columns, nulls = ", ".join(STAGING_COLUMNS), ", ".join(COPY_NULL_COLUMNS)
        copy_table(cursor, f"COPY import_staging ({columns}) FROM STDIN (FORMAT csv, FORCE_NULL ({nulls}))", rows)

    @staticmethod
    def _remember_dob_tokens(cursor: Any, made: list[tuple[str, str]]) -> None:
        """Keyed hashes of the stored dates of birth, to compare without decrypting in SQL."""
        if made:
            with cursor.copy("COPY import_dob (token, mac) FROM STDIN") as copy:
                for pair in made:
                    copy.write_row(pair)
        cursor.execute(FOREIGN_TOKENS_SQL)
        foreign = [token for (token,) in cursor.fetchall()]
        if foreign:
            with cursor.copy("COPY import_dob (token, mac) FROM STDIN") as copy:
                for token in foreign:
                    copy.write_row((token, blind_index(_plain_date(token))))

    def _contact_points(self, cursor: Any) -> None:
        """New addresses, phones and e-mails; existing debtors who gained one get their zones recomputed."""
        for sql in (ADDRESSES_SQL, PHONES_SQL, EMAILS_SQL):
            cursor.execute(sql)

    def _refresh_zones(self, cursor: Any) -> None:
        cursor.execute("INSERT INTO import_changed SELECT debtor_id FROM import_touched ON CONFLICT DO NOTHING")
        if cursor.rowcount:
            refresh_touched_debtors(cursor, self.zones)


def _plain_date(token: str) -> str:
    value = decrypt_text(token)
    return dt.date.fromisoformat(value).isoformat()
