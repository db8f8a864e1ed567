"""The ledger: splitting money over balance components, writing ledger rows, reconciling.

Every balance change goes through :func:`ledger_post`, which writes one row per component and
moves the account's ``*_balance`` fields by exactly those rows, in the caller's transaction.
Callers lock rows first with :func:`accounts_lock` (ascending id), then plan/promise rows.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django_fsm import can_proceed

from collections_app.constants import Component, EventType, LedgerKind, PaymentStatus
from collections_app.models import Account, CaseEvent, LedgerEntry, Payment, Settlement
from collections_app.models.accounts import ZERO

BALANCE_FIELDS: dict[str, str] = {
    Component.FEES: "fees_balance",
    Component.INTEREST: "interest_balance",
    Component.PRINCIPAL: "principal_balance",
}
PLACED_FIELDS: dict[str, str] = {
    Component.FEES: "fees",
    Component.INTEREST: "interest",
    Component.PRINCIPAL: "principal",
}


@dataclass(frozen=True)
class Posting:
    kind: str
    component: str
    amount: Decimal  # signed change to the component's balance


def accounts_lock(account_ids: Iterable[int]) -> list[Account]:
    """Lock account rows in ascending id order (the one lock order for money) and return them."""
    ids = sorted(set(account_ids))
    return list(
        Account.objects.select_for_update(of=("self",)).select_related("client", "debtor").filter(id__in=ids)
        .order_by("id")
    )


def allocation_split(balances: dict[str, Decimal], amount: Decimal, order: Sequence[str]) -> tuple[
    list[tuple[str, Decimal]], Decimal
]:
    """Spread ``amount`` over the components in ``order``; return [(component, amount)] and the leftover."""
    remaining = amount
    allocations = []
    for component in order:
        take = min(remaining, balances[component])
        if take > 0:
            allocations.append((component, take))
            remaining -= take
    return allocations, remaining


def account_balances(account: Account) -> dict[str, Decimal]:
    return {component: getattr(account, field) for component, field in BALANCE_FIELDS.items()}


def ledger_post(
    account: Account,
    postings: Sequence[Posting],
    *,
    payment: Payment | None = None,
    settlement: Settlement | None = None,
    created_by: Any = None,
) -> list[LedgerEntry]:
    """Write ledger rows and move the (locked) account's balances by exactly them."""
    assert transaction.get_connection().in_atomic_block, "ledger_post runs inside the posting's transaction"
    entries = []
    for posting in postings:
        field = BALANCE_FIELDS[posting.component]
        setattr(account, field, getattr(account, field) + posting.amount)
        entries.append(LedgerEntry(account=account, kind=posting.kind, component=posting.component,
                                   amount=posting.amount, payment=payment, settlement=settlement,
                                   created_by=created_by))
    account.save(update_fields=[*BALANCE_FIELDS.values(), "updated_at"])
    account.balance = account.balance_now()  # the database computes the same (a generated column)
    return LedgerEntry.objects.bulk_create(entries)


def ledger_reconcile(account: Account) -> list[str]:
    """Every way the account's balances disagree with its ledger rows; empty when they reconcile.

    Checks: placed + entries = balance per component; no component negative; each posted payment's
    allocations equal what it applied; each reversed payment's rows net to zero.
    """
    account.refresh_from_db()
    problems = []
    sums = dict(
        LedgerEntry.objects.filter(account=account).values("component").annotate(total=Sum("amount"))
        .values_list("component", "total")
    )
    for component, field in BALANCE_FIELDS.items():
        placed = getattr(account, PLACED_FIELDS[component])
        expected = placed + sums.get(component, ZERO)
        actual = getattr(account, field)
        if expected != actual:
            problems.append(f"{component}: placed {placed} + ledger {sums.get(component, ZERO)} != balance {actual}")
        if actual < 0:
            problems.append(f"{component}: negative balance {actual}")
    if account.balance != sum(account_balances(account).values()):
        problems.append("balance is not the sum of its components")
    per_payment = {
        row["payment_id"]: row
        for row in LedgerEntry.objects.filter(account=account, payment__isnull=False)
        .values("payment_id")
        .annotate(
            allocated=Sum("amount", filter=Q(kind=LedgerKind.ALLOCATION)),
            net=Sum("amount"),
        )
    }
    for payment in Payment.objects.filter(account=account):
        row = per_payment.get(payment.id, {"allocated": None, "net": None})
        allocated = -(row["allocated"] or ZERO)
        if allocated + payment.unapplied != payment.amount:
            problems.append(f"payment {payment.id}: allocated {allocated} + unapplied {payment.unapplied} "
                            f"!= amount {payment.amount}")
        if payment.status == PaymentStatus.REVERSED and (row["net"] or ZERO) != ZERO:
            problems.append(f"payment {payment.id}: reversed but its rows net to {row['net']}")
    return problems


def money_event(
    account_ids: Sequence[int],
    *,
    debtor_id: int,
    client_id: int,
    type: str,
    data: dict[str, Any],
    occurred_at: dt.datetime | None = None,
    created_by: Any = None,
    channel: str = "",
) -> CaseEvent:
    """Append a money fact to the debtor's timeline (inside the posting's transaction)."""
    return CaseEvent.objects.create(
        client_id=client_id,
        debtor_id=debtor_id,
        account_ids=sorted(account_ids),
        type=type,
        occurred_at=occurred_at or timezone.now(),
        channel=channel,
        data=data,
        created_by=created_by,
    )


def account_transition(account: Account, name: str, *, reason: str, created_by: Any = None) -> bool:
    """Move a (locked) account through its state machine when allowed; write the status_changed fact."""
    transition_method = getattr(account, name)
    if not can_proceed(transition_method):
        return False
    before = account.status
    transition_method()
    account.save(update_fields=["status", "updated_at"])
    money_event([account.id], debtor_id=account.debtor_id, client_id=account.client_id,
                type=EventType.STATUS_CHANGED, data={"from": before, "to": account.status, "reason": reason},
                created_by=created_by)
    return True
