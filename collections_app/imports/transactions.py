"""The client's updates feed: payments, balance adjustments and recalls, keyed by ``external_id``.

Columns: ``account_ref, type (payment | adjustment | recall), amount, date, external_id`` and,
optionally, ``component`` (principal | interest | fees, for adjustments; default principal) and
``method`` (card | ach | check | cash | other, for payments; default other).

Every applied line is remembered as a ``FeedTransaction`` under its ``external_id``, so a feed sent
twice changes nothing the second time. Adjustments and recalls are applied with set-based SQL;
payments go one by one through the payment service (``payment_post``), which allocates them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from collections_app.constants import CLOSED_STATUSES
from collections_app.imports.portfolio_load import ChunkResult
from collections_app.imports.reader import Chunk
from collections_app.models import Account
from collections_app.services.payments import payment_post

TYPES = ("payment", "adjustment", "recall")
COMPONENTS = ("principal", "interest", "fees")
METHODS = ("card", "ach", "check", "cash", "other")

SETUP_SQL = """
CREATE TEMP TABLE IF NOT EXISTS import_feed (
  line int, account_ref text, type text, amount numeric(14, 2), date date, external_id text, component text,
  method text, account_id bigint
)
"""

LINK_SQL = """
UPDATE import_feed t SET account_id = a.id FROM collections_app_account a
WHERE a.client_id = %(client)s AND a.reference = t.account_ref
"""

UNKNOWN_SQL = "DELETE FROM import_feed WHERE account_id IS NULL RETURNING line"

SEEN_SQL = """
DELETE FROM import_feed t USING collections_app_feedtransaction f
WHERE f.client_id = %(client)s AND f.external_id = t.external_id
RETURNING t.line
"""

# An adjustment that would take a balance below zero, or touches a closed account, is refused;
# the amounts of one account's adjustments in a chunk are added up before the check.
REFUSED_ADJUSTMENTS_SQL = """
WITH totals AS (
  SELECT account_id, component, sum(amount) AS amount FROM import_feed WHERE type = 'adjustment'
  GROUP BY account_id, component
), refused AS (
  SELECT t.account_id, t.component,
         CASE WHEN a.status = ANY(%(closed)s) THEN 'the account is closed'
              ELSE 'would make the ' || t.component || ' balance negative' END AS reason
  FROM totals t JOIN collections_app_account a ON a.id = t.account_id
  WHERE a.status = ANY(%(closed)s)
     OR CASE t.component WHEN 'principal' THEN a.principal_balance WHEN 'interest' THEN a.interest_balance
                         ELSE a.fees_balance END + t.amount < 0
)
DELETE FROM import_feed f USING refused r
WHERE f.type = 'adjustment' AND f.account_id = r.account_id AND f.component = r.component
RETURNING f.line, r.reason
"""

ADJUST_SQL = """
WITH totals AS (
  SELECT account_id,
         sum(amount) FILTER (WHERE component = 'principal') AS principal,
         sum(amount) FILTER (WHERE component = 'interest') AS interest,
         sum(amount) FILTER (WHERE component = 'fees') AS fees
  FROM import_feed WHERE type = 'adjustment' GROUP BY account_id
), before AS (
  SELECT a.id, a.balance FROM collections_app_account a JOIN totals t ON t.account_id = a.id
), up AS (
  UPDATE collections_app_account a
  SET principal_balance = a.principal_balance + coalesce(t.principal, 0),
      interest_balance = a.interest_balance + coalesce(t.interest, 0),
      fees_balance = a.fees_balance + coalesce(t.fees, 0), updated_at = now()
  FROM totals t WHERE a.id = t.account_id
  RETURNING a.id, a.debtor_id, a.reference, a.principal_balance + a.interest_balance + a.fees_balance AS balance
)
INSERT INTO collections_app_caseevent (client_id, debtor_id, account_ids, type, occurred_at, direction, channel, target,
                                       outcome, written, data, created_by_id, created_at)
SELECT %(client)s, up.debtor_id, ARRAY[up.id], 'balance_adjusted', f.date + time '12:00' AT TIME ZONE 'UTC', '', '', '',
       '', false,
       jsonb_build_object('source', 'client_feed', 'import_job', %(job)s, 'reference', up.reference,
                          'external_id', f.external_id, 'component', f.component, 'amount', f.amount::text,
                          'balance', jsonb_build_array(before.balance::text, up.balance::text)),
       %(user)s, now()
FROM import_feed f JOIN up ON up.id = f.account_id JOIN before ON before.id = f.account_id
WHERE f.type = 'adjustment'
"""

RECALL_SQL = """
WITH targets AS (
  SELECT DISTINCT ON (f.account_id) f.account_id, f.date, f.external_id FROM import_feed f
  WHERE f.type = 'recall' ORDER BY f.account_id, f.line
), before AS (
  SELECT a.id, a.status FROM collections_app_account a JOIN targets t ON t.account_id = a.id
  WHERE a.status <> 'recalled'
), up AS (
  UPDATE collections_app_account a SET status = 'recalled', updated_at = now()
  FROM before WHERE a.id = before.id
  RETURNING a.id, a.debtor_id, a.reference
), events AS (
  INSERT INTO collections_app_caseevent (client_id, debtor_id, account_ids, type, occurred_at, direction, channel,
                                         target, outcome, written, data, created_by_id, created_at)
  SELECT %(client)s, up.debtor_id, ARRAY[up.id], 'status_changed', t.date + time '12:00' AT TIME ZONE 'UTC', '', '', '',
         '', false,
         jsonb_build_object('from', before.status, 'to', 'recalled', 'reason', 'recalled by the client',
                            'source', 'client_feed', 'import_job', %(job)s, 'external_id', t.external_id),
         %(user)s, now()
  FROM up JOIN before ON before.id = up.id JOIN targets t ON t.account_id = up.id
)
SELECT count(*) FROM up
"""

REMEMBER_SQL = """
INSERT INTO collections_app_feedtransaction (client_id, external_id, kind, account_id, component, amount, occurred_on,
                                             job_id, created_at, updated_at)
SELECT %(client)s, f.external_id, f.type, f.account_id, coalesce(f.component, ''), coalesce(f.amount, 0), f.date,
       %(job)s, now(), now()
FROM import_feed f WHERE f.type = ANY(%(types)s)
"""


@dataclass
class FeedChunk:
    rows: pd.DataFrame
    errors: list[tuple[int, str, str]]
    read: int
    payments: list[dict[str, Any]] = field(default_factory=list)


class TransactionRows:
    """Checks the lines of an updates feed, chunk by chunk (external ids must not repeat in a file)."""

    def __init__(self, present: set[str], *, date_format: str = "", today: dt.date) -> None:
        self.present = present
        self.date_format = date_format
        self.today = today
        self.seen: dict[str, int] = {}

    def _date(self, value: str) -> dt.date | None:
        formats = [self.date_format] if self.date_format else ["%Y-%m-%d", "%m/%d/%Y"]
        for fmt in formats:
            try:
                return dt.datetime.strptime(value, fmt).date()
            except ValueError:
                continue
        return None

    def prepare(self, chunk: Chunk) -> FeedChunk:
        frame = chunk.frame
        errors: list[tuple[int, str, str]] = [(line, "", f"malformed record: {why}") for line, why in chunk.malformed]
        good_rows = []
        for record in frame.to_dict("records"):
            row = {k: (v.strip() if isinstance(v, str) else v) for k, v in record.items()}
            problems = self._check(row)
            if problems:
                errors.extend((int(row["line"]), column, reason) for column, reason in problems)
            else:
                good_rows.append(row)
        rows = pd.DataFrame(good_rows, columns=["line", "account_ref", "type", "amount", "date", "external_id",
                                                "component", "method"])
        errors.sort(key=lambda e: e[0])
        return FeedChunk(rows, errors, read=len(frame) + len(chunk.malformed))

    def _check(self, row: dict[str, Any]) -> list[tuple[str, str]]:
        problems = []
        kind = str(row.get("type", "")).lower()
        row["type"] = kind
        if not row.get("account_ref"):
            problems.append(("account_ref", "missing account reference"))
        if kind not in TYPES:
            problems.append(("type", "must be payment, adjustment or recall"))
        external_id = row.get("external_id") or ""
        if not external_id:
            problems.append(("external_id", "missing external_id"))
        elif external_id in self.seen:
            problems.append(("external_id", f"duplicate external_id: first on line {self.seen[external_id]}"))
        else:
            self.seen[external_id] = int(row["line"])
        raw_date = row.get("date") or ""
        date = self._date(raw_date) if raw_date else self.today
        if date is None:
            problems.append(("date", "not a date (YYYY-MM-DD or MM/DD/YYYY)"))
        elif date > self.today:
            problems.append(("date", "is in the future"))
        row["date"] = date
        amount = _amount(str(row.get("amount") or ""))
        if kind == "payment" and (amount is None or amount <= 0):
            problems.append(("amount", "a payment needs a positive amount"))
        if kind == "adjustment" and (amount is None or amount == 0):
            problems.append(("amount", "an adjustment needs a non-zero amount with at most two decimals"))
        row["amount"] = amount if kind != "recall" else None
        component = str(row.get("component") or "principal").lower() if kind == "adjustment" else ""
        if kind == "adjustment" and component not in COMPONENTS:
            problems.append(("component", "must be principal, interest or fees"))
        row["component"] = component
        method = str(row.get("method") or "other").lower() if kind == "payment" else ""
        if kind == "payment" and method not in METHODS:
            problems.append(("method", "must be card, ach, check, cash or other"))
        row["method"] = method
        return problems


def _amount(text: str) -> Any:
    from decimal import Decimal, InvalidOperation

    cleaned = text.replace("$", "").replace(",", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        return None
    return value.quantize(Decimal("0.01"))


class TransactionLoader:
    def __init__(self, *, client_id: int, job_id: int, user: Any) -> None:
        self.params = {"client": client_id, "job": job_id, "user": getattr(user, "pk", None)}
        self.user = user

    def load(self, chunk: FeedChunk) -> ChunkResult:
        result = ChunkResult(errors=list(chunk.errors))
        with connection.cursor() as cursor:
            cursor.execute(SETUP_SQL)
            cursor.execute("TRUNCATE import_feed")
            with cursor.copy("COPY import_feed (line, account_ref, type, amount, date, external_id, component, method) "
                             "FROM STDIN") as copy:
                for record in chunk.rows.replace({np.nan: None}).itertuples(index=False, name=None):
                    copy.write_row(record)
            cursor.execute(LINK_SQL, self.params)
            cursor.execute(UNKNOWN_SQL)
            result.errors += [(line, "account_ref", "no account with this account_ref") for (line,) in cursor]
            cursor.execute(SEEN_SQL, self.params)
            result.unchanged += len(cursor.fetchall())
            cursor.execute(REFUSED_ADJUSTMENTS_SQL, {**self.params, "closed": [str(s) for s in CLOSED_STATUSES]})
            result.errors += [(line, "amount", reason) for line, reason in cursor]
            cursor.execute("SELECT count(*) FILTER (WHERE type = 'adjustment'), "
                           "count(*) FILTER (WHERE type = 'recall') FROM import_feed")
            adjustments, recalls = cursor.fetchone()
            cursor.execute(ADJUST_SQL, self.params)
            cursor.execute(RECALL_SQL, self.params)
            (recalled,) = cursor.fetchone()
            result.created += adjustments + recalled
            result.unchanged += recalls - recalled
            self._payments(cursor, result)
            cursor.execute(REMEMBER_SQL, {**self.params, "types": ["adjustment", "recall", "payment"]})
        result.errors.sort(key=lambda e: e[0])
        return result

    def _payments(self, cursor: Any, result: ChunkResult) -> None:
        """Each payment through the payment service, in its own savepoint."""
        cursor.execute("SELECT line, account_id, amount, date, method, external_id FROM import_feed "
                       "WHERE type = 'payment' ORDER BY line")
        payments = cursor.fetchall()
        if not payments:
            return
        accounts = Account.objects.in_bulk([account_id for _, account_id, *_ in payments])
        refused = []
        for line, account_id, amount, date, method, external_id in payments:
            received_at = dt.datetime.combine(date, dt.time(12), tzinfo=dt.UTC)
            try:
                with transaction.atomic():
                    posted = payment_post(account=accounts[account_id], amount=amount, received_at=received_at,
                                          method=method, external_id=external_id, created_by=self.user)
            except ValidationError as exc:
                refused.append(line)
                result.errors.append((line, "amount", " ".join(exc.messages)))
                continue
            if posted.created:
                result.created += 1
            else:
                result.unchanged += 1
        if refused:
            cursor.execute("DELETE FROM import_feed WHERE line = ANY(%s)", [refused])
