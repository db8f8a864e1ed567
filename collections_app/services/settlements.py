"""Settlements: offer at a discount, approve within limits, pay through a plan, write off the rest.

A collector may offer a discount up to their own ``settlement_limit_pct`` (else the client's);
a larger one waits for a supervisor (``pending_approval`` → ``approved`` / ``rejected``). Approval
activates a plan for the settlement amount (one installment for a lump sum). When that plan is
paid, the settlement is fulfilled: each account's remaining balance is written off with ledger
rows and the account closes as settled. Reversing a payment that fulfilled it undoes all that.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from collections_app.constants import (
    AccountStatus,
    EventType,
    LedgerKind,
    PlanFrequency,
    PlanStatus,
    SettlementKind,
    SettlementStatus,
)
from collections_app.models import Account, Plan, Settlement, Task
from collections_app.models.accounts import ZERO
from collections_app.models.timeline import TaskKind, TaskStatus
from collections_app.schedules import ScheduleLine, debtor_local_date, schedule_build
from collections_app.services.accounts import CENT
from collections_app.services.ledger import (
    BALANCE_FIELDS,
    Posting,
    account_transition,
    accounts_lock,
    ledger_post,
    money_event,
)
from collections_app.services.plans import plan_activate, plan_propose

HUNDRED = Decimal("100")


def settlement_limit_pct(user: Any, client: Any) -> Decimal:
    own = getattr(user, "settlement_limit_pct", None)
    return own if own is not None else client.settlement_limit_pct


def _event(settlement: Settlement, type_: str, data: dict[str, Any], created_by: Any) -> None:
    money_event(sorted(settlement.accounts.values_list("id", flat=True)), debtor_id=settlement.debtor_id,
                client_id=settlement.client_id, type=type_, created_by=created_by,
                data={"settlement": settlement.pk, **data})


@dataclass(frozen=True)
class SettlementTerms:
    """What an offer would be: the amount, the discount, whose approval it needs, and its schedule."""

    balance: Decimal
    amount: Decimal
    discount_pct: Decimal
    limit_pct: Decimal
    needs_approval: bool
    kind: str
    frequency: str
    installment_count: int
    lines: list[ScheduleLine]


def settlement_terms(
    *,
    accounts: Sequence[Account],
    offered_by: Any,
    due_date: dt.date,
    amount: Decimal | None = None,
    discount_pct: Decimal | None = None,
    kind: str = SettlementKind.LUMP_SUM,
    frequency: str = "",
    installment_count: int = 1,
) -> SettlementTerms:
    """The terms of an offer over these accounts (with their client); writes nothing."""
    if not accounts or len({a.debtor_id for a in accounts}) != 1:
        raise ValidationError({"accounts": ["name one or more accounts of the same debtor."]})
    for account in accounts:
        if account.status not in (AccountStatus.OPEN, AccountStatus.DISPUTED):
            raise ValidationError({"accounts": [f"account {account.reference} is {account.status}."]})
    if due_date < debtor_local_date(accounts[0].debtor.timezones, timezone.now()):
        raise ValidationError({"due_date": ["cannot be in the past."]})
    balance = sum((a.balance_now() for a in accounts), ZERO)
    if (amount is None) == (discount_pct is None):
        raise ValidationError({"amount": ["give either amount or discount_pct."]})
    if amount is None:
        assert discount_pct is not None
        if not 0 <= discount_pct < HUNDRED:
            raise ValidationError({"discount_pct": ["must be at least 0 and below 100."]})
        amount = (balance * (HUNDRED - discount_pct) / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    if not 0 < amount <= balance:
        raise ValidationError({"amount": [f"must be more than 0 and at most the balance of {balance}."]})
    discount = ((balance - amount) * HUNDRED / balance).quantize(CENT, rounding=ROUND_HALF_UP)
    if kind == SettlementKind.LUMP_SUM:
        frequency, installment_count = "", 1
    elif kind == SettlementKind.INSTALLMENTS:
        if frequency not in PlanFrequency.values or not 2 <= installment_count <= 60:
            raise ValidationError({"frequency": ["installments need a frequency and 2 to 60 installments."]})
    else:
        raise ValidationError({"kind": [f"must be one of {', '.join(SettlementKind.values)}."]})
    limit = settlement_limit_pct(offered_by, accounts[0].client)
    lines = schedule_build(total=amount, frequency=frequency or PlanFrequency.MONTHLY, start=due_date,
                           count=installment_count)
    return SettlementTerms(balance=balance, amount=amount, discount_pct=discount, limit_pct=limit,
                           needs_approval=discount > limit and not getattr(offered_by, "is_supervisor", False),
                           kind=kind, frequency=frequency, installment_count=installment_count, lines=lines)


@transaction.atomic
def settlement_offer(
    *,
    accounts: Sequence[Account],
    offered_by: Any,
    due_date: dt.date,
    amount: Decimal | None = None,
    discount_pct: Decimal | None = None,
    kind: str = SettlementKind.LUMP_SUM,
    frequency: str = "",
    installment_count: int = 1,
) -> Settlement:
    """Offer to settle the accounts' balances for less; approved at once within the offerer's limit."""
    locked = accounts_lock(a.id for a in accounts)
    terms = settlement_terms(accounts=locked, offered_by=offered_by, due_date=due_date, amount=amount,
                             discount_pct=discount_pct, kind=kind, frequency=frequency,
                             installment_count=installment_count)
    client = locked[0].client
    settlement = Settlement.objects.create(
        client=client, debtor_id=locked[0].debtor_id, kind=terms.kind, balance=terms.balance, amount=terms.amount,
        discount_pct=terms.discount_pct, due_date=due_date, frequency=terms.frequency,
        installment_count=terms.installment_count, offered_by=offered_by,
    )
    settlement.accounts.set(locked)
    limit = terms.limit_pct
    _event(settlement, EventType.SETTLEMENT_OFFERED,
           {"amount": str(terms.amount), "balance": str(terms.balance), "discount_pct": str(terms.discount_pct),
            "limit_pct": str(limit)},
           offered_by)
    if not terms.needs_approval:
        _approve(settlement, decided_by=offered_by, note="within the offerer's limit")
    else:
        Task.objects.create(debtor_id=settlement.debtor_id, account=locked[0], kind=TaskKind.APPROVAL,
                            due_at=timezone.now(), created_by=offered_by,
                            title=f"Approve settlement {settlement.pk}: {terms.discount_pct}% off (limit {limit}%)")
    return settlement


def _approve(settlement: Settlement, *, decided_by: Any, note: str) -> None:
    try:
        plan = plan_propose(
            accounts=list(settlement.accounts.all()), frequency=settlement.frequency or PlanFrequency.MONTHLY,
            start=settlement.due_date, count=settlement.installment_count, total=settlement.amount,
            created_by=decided_by,
        )
    except ValidationError as exc:
        raise ValidationError({"due_date": exc.messages}) from exc
    settlement.approve()
    settlement.plan = plan
    settlement.decided_by, settlement.decided_at, settlement.decision_note = decided_by, timezone.now(), note
    settlement.save()
    plan_activate(plan, created_by=decided_by)
    _event(settlement, EventType.SETTLEMENT_APPROVED, {"plan": plan.pk, "by": getattr(decided_by, "pk", None)},
           decided_by)


def _decide(settlement: Settlement, decided_by: Any) -> Settlement:
    if not getattr(decided_by, "is_supervisor", False):
        raise PermissionDenied("Only a supervisor may approve or reject a settlement above the limit.")
    accounts_lock(settlement.accounts.values_list("id", flat=True))
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.status != SettlementStatus.PENDING_APPROVAL:
        raise ValidationError({"status": [f"the settlement is already {settlement.status}."]})
    for account in settlement.accounts.all():
        if account.status not in (AccountStatus.OPEN, AccountStatus.DISPUTED):
            raise ValidationError({"accounts": [f"account {account.reference} is now {account.status}."]})
    return settlement


def _close_approval_tasks(settlement: Settlement) -> None:
    Task.objects.filter(debtor_id=settlement.debtor_id, kind=TaskKind.APPROVAL, status=TaskStatus.OPEN,
                        title__startswith=f"Approve settlement {settlement.pk}:").update(
        status=TaskStatus.DONE, updated_at=timezone.now())


@transaction.atomic
def settlement_approve(settlement: Settlement, *, decided_by: Any, note: str = "") -> Settlement:
    settlement = _decide(settlement, decided_by)
    _approve(settlement, decided_by=decided_by, note=note)
    _close_approval_tasks(settlement)
    return settlement


@transaction.atomic
def settlement_reject(settlement: Settlement, *, decided_by: Any, note: str = "") -> Settlement:
    settlement = _decide(settlement, decided_by)
    settlement.reject()
    settlement.decided_by, settlement.decided_at, settlement.decision_note = decided_by, timezone.now(), note
    settlement.save()
    _event(settlement, EventType.SETTLEMENT_REJECTED, {"note": note}, decided_by)
    _close_approval_tasks(settlement)
    return settlement


def settlement_after_plan_change(plan: Plan, *, accounts: Mapping[int, Account], created_by: Any = None,
                                 reversing: bool = False) -> None:
    """Fulfil the plan's settlement when the plan completed, or undo that when a payment is reversed.

    Runs inside the posting's transaction with every settlement account locked.
    """
    settlement = Settlement.objects.filter(plan=plan).first()
    if settlement is None:
        return
    if not reversing and plan.status == PlanStatus.COMPLETED and settlement.status == SettlementStatus.APPROVED:
        written_off = ZERO
        for account in (accounts[i] for i in sorted(settlement.accounts.values_list("id", flat=True))):
            postings = [Posting(LedgerKind.WRITE_OFF, component, -getattr(account, field))
                        for component, field in BALANCE_FIELDS.items() if getattr(account, field) > 0]
            if postings:
                ledger_post(account, postings, settlement=settlement, created_by=created_by)
                written_off -= sum(p.amount for p in postings)
            if account.status in (AccountStatus.OPEN, AccountStatus.IN_PLAN, AccountStatus.DISPUTED):
                account_transition(account, "close_settled", reason=f"settlement {settlement.pk} fulfilled",
                                   created_by=created_by)
        settlement.fulfil()
        settlement.fulfilled_at = timezone.now()
        settlement.save(update_fields=["status", "fulfilled_at", "updated_at"])
        _event(settlement, EventType.SETTLEMENT_FULFILLED, {"written_off": str(written_off)}, created_by)
    elif reversing and settlement.status == SettlementStatus.FULFILLED:
        net = (
            settlement.entries.values("account_id", "component").annotate(total=Sum("amount"))
            .exclude(total=0).order_by("account_id", "component")
        )
        for row in net:
            ledger_post(accounts[row["account_id"]],
                        [Posting(LedgerKind.WRITE_OFF_REVERSAL, row["component"], -row["total"])],
                        settlement=settlement, created_by=created_by)
        for account in (accounts[i] for i in sorted(settlement.accounts.values_list("id", flat=True))):
            if account.status in (AccountStatus.SETTLED, AccountStatus.PAID) and account.balance > 0:
                account_transition(account, "reopen", reason=f"settlement {settlement.pk} payment reversed",
                                   created_by=created_by)
        settlement.unfulfil()
        settlement.fulfilled_at = None
        settlement.save(update_fields=["status", "fulfilled_at", "updated_at"])
