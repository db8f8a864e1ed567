"""Posting payments and reversing them: exact, idempotent, one transaction each.

Lock order (every money service): the account rows involved, by ascending id; then the plan row;
then promise rows. A payment counts toward the account's active (or broken) plan, fills its
installments, and is evaluated against the account's promises in the same transaction.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from collections_app.constants import (
    AccountStatus,
    EventType,
    LedgerKind,
    PaymentMethod,
    PaymentStatus,
    PlanStatus,
    ReversalReason,
)
from collections_app.models import Account, Payment, Plan
from collections_app.services.accounts import CENT
from collections_app.services.ledger import (
    Posting,
    account_balances,
    account_transition,
    accounts_lock,
    allocation_split,
    ledger_post,
    money_event,
)
from collections_app.services.plans import LIVE_PLAN_STATUSES, plan_account_ids, plan_payments_match
from collections_app.services.promises import promises_evaluate
from collections_app.services.settlements import settlement_after_plan_change


@dataclass(frozen=True)
class PaymentResult:
    payment: Payment
    created: bool


class _LockSetChanged(Exception):
    """More rows must be locked than were; start the transaction again locking ``account_ids`` first."""

    def __init__(self, account_ids: set[int]) -> None:
        super().__init__()
        self.account_ids = account_ids


def _existing(client_id: int, external_id: str) -> Payment | None:
    if not external_id:
        return None
    return Payment.objects.filter(client_id=client_id, external_id=external_id).first()


def _clean_amount(amount: Any) -> Decimal:
    try:
        value = Decimal(str(amount))
    except ArithmeticError as exc:
        raise ValidationError({"amount": ["must be a decimal amount such as 50.00."]}) from exc
    if not value.is_finite() or value != value.quantize(CENT):
        raise ValidationError({"amount": ["must be a decimal amount with at most two places."]})
    if value <= 0:
        raise ValidationError({"amount": ["must be greater than zero."]})
    return value.quantize(CENT)


def _plan_for(account_id: int) -> Plan | None:
    """The plan a payment on this account counts toward (at most one is live per account)."""
    return Plan.objects.filter(accounts=account_id, status__in=LIVE_PLAN_STATUSES).first()


def _plan_account_ids(plan: Plan) -> set[int]:
    ids = set(plan_account_ids(plan))
    if hasattr(plan, "settlement"):
        ids |= set(plan.settlement.accounts.values_list("id", flat=True))
    return ids


def _lock_plan(plan: Plan | None, accounts: dict[int, Account]) -> Plan | None:
    """Lock the plan row after its accounts. When the plan spans accounts not yet locked, start the
    transaction again with all of them locked up front (locking them now could break the ascending
    order and deadlock). Plans change state only with their accounts locked, so what we read is current."""
    if plan is None:
        return None
    if missing := _plan_account_ids(plan) - set(accounts):
        raise _LockSetChanged(set(accounts) | missing)
    return Plan.objects.select_for_update().get(pk=plan.pk)


def payment_post(
    *,
    account: Account,
    amount: Any,
    received_at: dt.datetime,
    method: str,
    external_id: str = "",
    created_by: Any = None,
) -> PaymentResult:
    """Record money received and allocate it; the same ``external_id`` again returns the original."""
    amount = _clean_amount(amount)
    if received_at.tzinfo is None:
        raise ValidationError({"received_at": ["must carry a UTC offset."]})
    if method not in PaymentMethod.values:
        raise ValidationError({"method": [f"must be one of {', '.join(PaymentMethod.values)}."]})
    external_id = (external_id or "").strip()
    if existing := _existing(account.client_id, external_id):
        return PaymentResult(existing, created=False)
    lock_ids = {account.id}
    for _attempt in range(3):
        try:
            return _post(account.id, lock_ids, amount, received_at, method, external_id, created_by)
        except IntegrityError:
            # Another transaction committed the same key for another account of this client.
            if existing := _existing(account.client_id, external_id):
                return PaymentResult(existing, created=False)
            raise
        except _LockSetChanged as retry:
            lock_ids = retry.account_ids
    raise ValidationError({"detail": ["The account is changing too quickly; try again."]})


@transaction.atomic
def _post(account_id: int, lock_ids: set[int], amount: Decimal, received_at: dt.datetime, method: str,
          external_id: str, created_by: Any) -> PaymentResult:
    accounts = {a.id: a for a in accounts_lock(lock_ids | {account_id})}
    plan = _lock_plan(_plan_for(account_id), accounts)
    account = accounts[account_id]
    if existing := _existing(account.client_id, external_id):  # a racing twin committed first
        return PaymentResult(existing, created=False)
    if account.is_closed:
        raise ValidationError({"account": [f"The account is {account.get_status_display().lower()}; "
                                           "it takes no payments."]})
    client = account.client
    balance = account.balance_now()
    if amount > balance and not client.allow_overpayment:
        raise ValidationError({"amount": [f"{amount} is more than the balance of {balance}."]})
    allocations, unapplied = allocation_split(account_balances(account), amount, client.allocation_components)
    payment = Payment.objects.create(
        client_id=account.client_id, account=account, amount=amount, unapplied=unapplied, received_at=received_at,
        method=method, external_id=external_id, plan=plan, created_by=created_by,
    )
    ledger_post(account, [Posting(LedgerKind.ALLOCATION, c, -a) for c, a in allocations], payment=payment,
                created_by=created_by)
    money_event([account.id], debtor_id=account.debtor_id, client_id=account.client_id,
                type=EventType.PAYMENT_RECEIVED, occurred_at=received_at, created_by=created_by,
                data={"payment": payment.id, "amount": str(amount), "method": method,
                      "allocations": {c: str(a) for c, a in allocations}, "unapplied": str(unapplied),
                      "balance": str(account.balance)})
    if account.balance == 0:
        account_transition(account, "close_paid", reason="paid in full", created_by=created_by)
    if plan is not None:
        plan_payments_match(plan, accounts=accounts, created_by=created_by)
        settlement_after_plan_change(plan, accounts=accounts, created_by=created_by)
    promises_evaluate(account, created_by=created_by)
    return PaymentResult(payment, created=True)


def payment_reverse(payment: Payment, *, reason: str, created_by: Any = None) -> tuple[Payment, bool]:
    """Undo a payment's allocations exactly once. Returns the payment and whether this call reversed it."""
    if reason not in ReversalReason.values:
        raise ValidationError({"reason": [f"must be one of {', '.join(ReversalReason.values)}."]})
    lock_ids = {payment.account_id}
    for _attempt in range(3):
        try:
            return _reverse(payment.pk, lock_ids, reason, created_by)
        except _LockSetChanged as retry:
            lock_ids = retry.account_ids
    raise ValidationError({"detail": ["The account is changing too quickly; try again."]})


@transaction.atomic
def _reverse(payment_id: int, lock_ids: set[int], reason: str, created_by: Any) -> tuple[Payment, bool]:
    snapshot = Payment.objects.select_related("plan").get(pk=payment_id)
    accounts = {a.id: a for a in accounts_lock(lock_ids | {snapshot.account_id})}
    plan = _lock_plan(snapshot.plan, accounts)
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.status == PaymentStatus.REVERSED:
        return payment, False
    account = accounts[payment.account_id]
    postings = [Posting(LedgerKind.REVERSAL, e.component, -e.amount)
                for e in payment.entries.filter(kind=LedgerKind.ALLOCATION)]
    if postings:
        ledger_post(account, postings, payment=payment, created_by=created_by)
    payment.status = PaymentStatus.REVERSED
    payment.reversal_reason = reason
    payment.reversed_at = timezone.now()
    payment.reversed_by = created_by
    payment.save(update_fields=["status", "reversal_reason", "reversed_at", "reversed_by", "updated_at"])
    money_event([account.id], debtor_id=account.debtor_id, client_id=account.client_id,
                type=EventType.PAYMENT_REVERSED, created_by=created_by,
                data={"payment": payment.id, "amount": str(payment.amount), "reason": reason,
                      "balance": str(account.balance)})
    if plan is not None:
        settlement_after_plan_change(plan, accounts=accounts, created_by=created_by, reversing=True)
        plan_payments_match(plan, accounts=accounts, created_by=created_by)
    if account.status == AccountStatus.PAID and account.balance > 0:
        account_transition(account, "reopen", reason=f"payment {payment.id} reversed ({reason})",
                           created_by=created_by)
        if plan is not None and plan.status == PlanStatus.ACTIVE:
            account_transition(account, "enter_plan", reason=f"plan {plan.pk} is active", created_by=created_by)
    promises_evaluate(account, created_by=created_by)
    return payment, True
