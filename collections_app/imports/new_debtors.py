"""A chunk's debtors the client does not have yet, with their accounts and contact points, COPYed
straight into their tables.

Most rows of a placement file are new: their debtor reference is not the client's (nor an earlier
chunk's) and none of their account references is. Nothing needs looking up for them, so their
rows are built here from the checked chunk -- the rows ``portfolio_load``'s set-based SQL would
insert, with ids in the same order (``tests/collections_app/test_imports_new_debtors.py`` compares
the two) -- with ids reserved from the tables' sequences, and each table gets one ``COPY``: no
staging table, no joins, no ``INSERT … SELECT``. Someone creating one of those references
meanwhile makes a unique constraint refuse the chunk, which is then loaded again with every row
looked up.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

TABLES = {"debtor": "collections_app_debtor", "account": "collections_app_account",
          "address": "collections_app_address", "phone": "collections_app_phone", "email": "collections_app_email"}
PHONES = (("phone_mobile", "mobile"), ("phone_home", "home"), ("phone_work", "work"))
ADDRESS = ("address_line1", "address_line2", "city", "state", "postal_code")
ACCOUNT_TEXT = {"kind": "account_kind", "original_creditor": "original_creditor",
                "current_creditor": "current_creditor", "product": "product", "governing_state": "state"}
DATES = ("open_date", "delinquency_date", "charge_off_date", "last_payment_date", "itemization_date")
MONEY = ("principal", "interest", "fees")


def split(part: pa.Table, *, look_up_all: bool) -> tuple[pa.Table, pa.Table]:
    """(the rows of debtors wholly new -- their reference and every account reference of theirs
    unknown, and a name to create them with -- and the other rows, which the SQL path loads)."""
    if look_up_all or not part.num_rows:
        return part.slice(0, 0), part
    codes, first = _debtors(part)
    known = pc.or_(part["account_known"], part["debtor_known"]).to_numpy(zero_copy_only=False)
    old = np.bincount(codes, weights=known, minlength=len(first)) > 0
    names = pc.fill_null(_flat(part["name"]).take(pa.array(first)), "")
    old |= pc.equal(names, "").to_numpy(zero_copy_only=False)  # the SQL path rejects a new debtor without a name
    new_row = ~old[codes]
    if new_row.all():
        return part, part.slice(0, 0)
    mask = pa.array(new_row)
    return part.filter(mask), part.filter(pc.invert(mask))


class Plan:
    """Which rows of ``part`` (all of new debtors) become which table's rows, in insertion order.
    Sorting and comparing run in Arrow's C++ kernels: no Python object per value."""

    def __init__(self, part: pa.Table) -> None:
        self.part = part
        codes, first = _debtors(part)
        # NEW_DEBTORS_SQL inserts in reference order: the debtors' ids follow it.
        self.debtor_rows = first[pc.sort_indices(_flat(part["debtor_ref"]).take(pa.array(first))).to_numpy()]
        rank = np.empty(len(first), dtype=np.int64)
        rank[codes[self.debtor_rows]] = np.arange(len(first))
        self.owner = rank[codes]  # per row, its debtor's position among the new debtors (= id order)
        self.address_rows = self._addresses()
        self.phone_rows, self.phone_kinds, self.phone_numbers = self._phones()
        self.email_rows = self._emails()

    def _present(self, column: str) -> np.ndarray:
        return np.flatnonzero(pc.not_equal(pc.fill_null(_flat(self.part[column]), ""), "").to_numpy(
            zero_copy_only=False))

    def _addresses(self) -> np.ndarray:
        """ADDRESSES_SQL: one per (debtor, address), the first row's; in (debtor, address) order."""
        rows = self._present(ADDRESS[0])
        take = pa.array(rows, pa.int64())
        keys = [pa.array(self.owner[rows]), *(pc.fill_null(_flat(self.part[f]).take(take), "") for f in ADDRESS)]
        return rows[_first_of_each(keys, rows)]

    def _phones(self) -> tuple[np.ndarray, pa.Array, pa.Array]:
        """PHONES_SQL: one per (debtor, number), the first by (line, column); in (number, debtor) order."""
        rows, kinds, numbers, columns = [], [], [], []
        for column, (name, kind) in enumerate(PHONES):
            at = self._present(name)
            rows.append(at)
            kinds.append(pa.repeat(pa.scalar(kind), len(at)))
            numbers.append(_flat(self.part[name]).take(pa.array(at, pa.int64())))
            columns.append(np.full(len(at), column))
        row = np.concatenate(rows)
        number = pa.concat_arrays(numbers)
        keep = _first_of_each([number, pa.array(self.owner[row])], row * len(PHONES) + np.concatenate(columns))
        chosen = pa.array(keep, pa.int64())
        return row[keep], pa.concat_arrays(kinds).take(chosen), number.take(chosen)

    def _emails(self) -> np.ndarray:
        """EMAILS_SQL: one per (debtor, address); in (debtor, address) order."""
        rows = self._present("email")
        keys = [pa.array(self.owner[rows]), _flat(self.part["email"]).take(pa.array(rows, pa.int64()))]
        return rows[_first_of_each(keys, rows)]


def copies(plan: Plan, debtor_ids: np.ndarray, *, client: int, job: int) -> Iterator[tuple[str, pa.Table]]:
    """(``COPY … FROM STDIN`` statement, its rows) for each table, debtors first with the reserved
    ``debtor_ids``; the other tables' rows take their ids from their column default as they go in
    (nothing here refers to them), in the order given."""
    part = plan.part
    owner = debtor_ids[plan.owner]

    def same(value: Any, rows: int) -> pa.Array:
        return pa.repeat(pa.scalar(value), rows)  # text, int64 or bool from the value

    def at(rows: np.ndarray, column: str) -> pa.Array:
        return pc.fill_null(_flat(part[column]).take(pa.array(rows)), "")

    def table(name: str, columns: dict[str, Any]) -> tuple[str, pa.Table]:
        # created_at, updated_at (and an account's placed_at) are left to their column default, the
        # statement's time: a timestamp parsed per row and column cost ~0.3 µs, ~3 s per 1M rows.
        data = pa.table([pa.array(v) if isinstance(v, np.ndarray) else v for v in columns.values()],
                        names=list(columns))
        return f"COPY {TABLES[name]} ({', '.join(columns)}) FROM STDIN (FORMAT csv)", data

    d = plan.debtor_rows
    yield table("debtor", {
        "id": debtor_ids, "client_id": same(client, len(d)), "kind": at(d, "debtor_kind"),
        "name": at(d, "name"), "external_ref": at(d, "debtor_ref"),
        "date_of_birth": _null_if_empty(at(d, "dob_token")), "ssn_index": same("", len(d)),
        "preferred_language": same("en", len(d)), "timezones": at(d, "zones"),
    })
    n = part.num_rows
    money = {m: pc.cast(pc.fill_null(_flat(part[m]), "0"), pa.decimal128(14, 2)) for m in MONEY}
    opening = pc.add(pc.add(money["principal"], money["interest"]), money["fees"])
    # In balance order, largest first: the desk's team-queue index (score, balance, id) takes a new,
    # unscored account by its balance, so the part's entries go in one sweep over its leaf pages
    # instead of one random page each (as phones go in number order).
    rows = pc.sort_indices(opening, sort_keys=[("", "descending")]).to_numpy()
    take = pa.array(rows)
    yield table("account", {
        "client_id": same(client, n), "debtor_id": owner[rows],
        "reference": at(rows, "account_ref"),
        **{field: at(rows, source) for field, source in ACCOUNT_TEXT.items()},
        **{c: _null_if_empty(at(rows, c)) for c in DATES},
        **{m: v.take(take) for m, v in money.items()}, **{f"{m}_balance": v.take(take) for m, v in money.items()},
        "opening_balance": opening.take(take),
        "status": same("open", n), "placed_by_import_id": same(job, n),
        "segment": same("", n), "sol_expires_on": _null_if_empty(at(rows, "sol_expires_on")), "import_digest": _flat(part["digest"]).take(take),
    })
    a = plan.address_rows
    yield table("address", {
        "debtor_id": owner[a],
        "kind": pc.if_else(pc.equal(at(a, "debtor_kind"), "business"), "mailing", "home"),
        **{field: at(a, column) for field, column in zip(("line1", "line2", "city", "state", "postal_code"), ADDRESS,
                                                         strict=True)},
        "country": same("US", len(a)), "status": same("active", len(a)),
    })
    p = plan.phone_rows
    yield table("phone", {
        "debtor_id": owner[p], "kind": plan.phone_kinds,
        "number": plan.phone_numbers, "sms_consent": same(False, len(p)),
        "status": same("active", len(p)),
    })
    e = plan.email_rows
    yield table("email", {
        "debtor_id": owner[e], "address": at(e, "email"),
        "employer_provided": same(False, len(e)), "consent": same(False, len(e)),
        "status": same("active", len(e)),
    })


RESERVE_IDS_SQL = """SELECT coalesce(array_agg(v ORDER BY v), '{}')
                    FROM (SELECT nextval(%s::regclass) AS v FROM generate_series(1, %s)) ids"""
"""That many ids from a sequence, ascending (others may take ids from it at the same time)."""


DEBTOR_SEQUENCE_SQL = f"SELECT pg_get_serial_sequence('{TABLES['debtor']}', 'id')"


# -- helpers ---------------------------------------------------------------------------------------

def _flat(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _null_if_empty(values: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def _debtors(part: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """(per row, a code for its debtor: 0, 1, ... in order of first appearance; per code, its first row)."""
    encoded = pc.dictionary_encode(_flat(part["debtor_ref"]))
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    _, first = np.unique(codes, return_index=True)
    return codes, first


def _first_of_each(keys: list[pa.Array], tiebreak: np.ndarray) -> np.ndarray:
    """Positions (into the key arrays) of the first element of each distinct combination of ``keys``
    by ``tiebreak``, ordered by ``keys`` -- ``DISTINCT ON (keys) … ORDER BY keys, tiebreak``."""
    if not len(tiebreak):
        return np.empty(0, dtype=np.int64)
    table = pa.table([*keys, pa.array(tiebreak)], names=[f"k{i}" for i in range(len(keys) + 1)])
    order = pc.sort_indices(table, sort_keys=[(name, "ascending") for name in table.column_names])
    repeated = np.ones(len(order), dtype=bool)  # the same keys as the element before
    repeated[0] = False
    for name in table.column_names[:-1]:
        ordered = _flat(table[name]).take(order)
        repeated[1:] &= pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1)).to_numpy(zero_copy_only=False)
    return order.to_numpy()[~repeated]
