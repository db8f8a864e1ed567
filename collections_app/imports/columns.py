"""The standard layouts of a client's files, and mapping another layout onto them."""

from collections.abc import Iterable, Mapping
from typing import Final

PORTFOLIO_COLUMNS: Final = (
    "account_ref", "debtor_ref", "debtor_kind", "first_name", "last_name", "business_name", "date_of_birth",
    "address_line1", "address_line2", "city", "state", "postal_code", "phone_mobile", "phone_home", "phone_work",
    "email", "original_creditor", "current_creditor", "product", "account_kind", "principal", "interest", "fees",
    "open_date", "delinquency_date", "charge_off_date", "last_payment_date", "itemization_date",
)  # fmt: skip
PORTFOLIO_REQUIRED: Final = ("account_ref", "debtor_ref")

# The updates feed: payments, adjustments and recalls sent by the client.
TRANSACTION_COLUMNS: Final = ("account_ref", "type", "amount", "date", "external_id", "component", "method")
TRANSACTION_REQUIRED: Final = ("account_ref", "type", "external_id")

DATE_COLUMNS: Final = ("open_date", "delinquency_date", "charge_off_date", "last_payment_date", "itemization_date")
MONEY_COLUMNS: Final = ("principal", "interest", "fees")
PHONE_COLUMNS: Final = ("phone_mobile", "phone_home", "phone_work")

# Longest value each text column may hold (the model fields' max_length).
MAX_LENGTHS: Final[Mapping[str, int]] = {
    "account_ref": 100, "debtor_ref": 100, "name": 200, "address_line1": 200, "address_line2": 200, "city": 100,
    "email": 254, "original_creditor": 200, "current_creditor": 200, "product": 100,
}  # fmt: skip


class LayoutError(ValueError):
    """The file's header cannot be read as the layout asked for (the whole file is refused)."""


def _key(header: str) -> str:
    return header.strip().lower().replace(" ", "_")


def resolve_columns(headers: Iterable[str], mapping: Mapping[str, str] | None, known: tuple[str, ...]) -> list[str]:
    """Our column name for each of the file's headers ('' for a column we do not use).

    A mapping renames the client's headers (matched case-insensitively); headers already named like
    ours need no entry. Two headers landing on the same column is an error.
    """
    renames = {_key(theirs): ours for theirs, ours in (mapping or {}).items()}
    unknown_targets = sorted(set(renames.values()) - set(known))
    if unknown_targets:
        raise LayoutError(f"the mapping names columns we do not have: {', '.join(unknown_targets)}")
    resolved: list[str] = []
    for header in headers:
        ours = renames.get(_key(header), _key(header))
        ours = ours if ours in known else ""
        if ours and ours in resolved:
            raise LayoutError(f"two columns of the file map to {ours!r}")
        resolved.append(ours)
    return resolved


def layout_of(resolved: Iterable[str]) -> str:
    """'portfolio' or 'transactions', told apart by the columns present."""
    present = set(resolved)
    if "debtor_ref" not in present and {"type", "amount"} <= present:
        return "transactions"
    return "portfolio"


def missing_required(resolved: Iterable[str], required: tuple[str, ...]) -> list[str]:
    present = set(resolved)
    return [c for c in required if c not in present]
