"""Payment plans: preview, propose, activate, match payments, renegotiate, cancel, break.

Lock order as everywhere in money: the plan's accounts by ascending id, then the plan row.
Installment ``paid_amount`` is derived: the plan's posted payments fill installments in order
(:func:`plan_payments_match`), so a reversal or a renegotiation simply re-derives it.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from collections_app.constants import (
    AccountStatus,
    EventType,
    InstallmentStatus,
    PaymentStatus,
    PlanFrequency,
    PlanStatus,
)
from collections_app.models import Account, Installment, Plan
from collections_app.models.accounts import ZERO
from collections_app.schedules import (
    MAX_INSTALLMENTS,
    ScheduleLine,
    debtor_local_date,
    next_due_date,
    schedule_build,
    split_amounts,
)
from collections_app.services.ledger import account_transition, accounts_lock, money_event

LIVE_PLAN_STATUSES = (PlanStatus.ACTIVE, PlanStatus.BROKEN)
PLANNABLE_ACCOUNT_STATUSES = (AccountStatus.OPEN, AccountStatus.DISPUTED)


def plan_account_ids(plan: Plan) -> list[int]:
    return sorted(plan.accounts.values_list("id", flat=True))


def _plan_event(plan: Plan, type_: str, data: dict[str, Any], created_by: Any = None) -> None:
    money_event(plan_account_ids(plan), debtor_id=plan.debtor_id, client_id=plan.client_id, type=type_,
                data={"plan": plan.pk, **data}, created_by=created_by)


def plan_today(plan: Plan, now: dt.datetime | None = None) -> dt.date:
    return debtor_local_date(plan.debtor.timezones, now or timezone.now())


def _accounts_check(accounts: Sequence[Account]) -> None:
    if not accounts:
        raise ValidationError({"accounts": ["name at least one account."]})
    if len({a.debtor_id for a in accounts}) != 1:
        raise ValidationError({"accounts": ["every account must belong to the same debtor."]})
    for account in accounts:
        if account.status not in PLANNABLE_ACCOUNT_STATUSES:
            raise ValidationError({"accounts": [f"account {account.reference} is {account.status}; "
                                                "only open or disputed accounts can go on a plan."]})


def plan_preview(
    *,
    accounts: Sequence[Account],
    frequency: str,
    start: dt.date,
    payday: dt.date | None = None,
    count: int | None = None,
    installment_amount: Decimal | None = None,
    total: Decimal | None = None,
) -> tuple[Decimal, list[ScheduleLine]]:
    """The schedule a plan over these accounts would have; writes nothing."""
    _accounts_check(accounts)
    balance = sum((a.balance_now() for a in accounts), ZERO)
    total = balance if total is None else total
    if total <= 0 or total > balance:
        raise ValidationError({"total": [f"must be more than 0 and at most the balance of {balance}."]})
    if frequency not in PlanFrequency.values:
        raise ValidationError({"frequency": [f"must be one of {', '.join(PlanFrequency.values)}."]})
    if (count is None) == (installment_amount is None):
        raise ValidationError({"count": ["give either count or installment_amount."]})
    if count is not None and not 1 <= count <= MAX_INSTALLMENTS:
        raise ValidationError({"count": [f"must be between 1 and {MAX_INSTALLMENTS}."]})
    if installment_amount is not None:
        if installment_amount <= 0:
            raise ValidationError({"installment_amount": ["must be greater than zero."]})
        if total / installment_amount > MAX_INSTALLMENTS:
            raise ValidationError({"installment_amount": [f"would need more than {MAX_INSTALLMENTS} installments."]})
    return total, schedule_build(total=total, frequency=frequency, start=start, payday=payday, count=count,
                                 installment_amount=installment_amount)


@transaction.atomic
def plan_propose(
    *,
    accounts: Sequence[Account],
    frequency: str,
    start: dt.date,
    payday: dt.date | None = None,
    count: int | None = None,
    installment_amount: Decimal | None = None,
    grace_days: int = 5,
    total: Decimal | None = None,
    created_by: Any = None,
) -> Plan:
    """A proposed plan with its schedule; nothing is due until it is activated."""
    locked = accounts_lock(a.id for a in accounts)
    if start < debtor_local_date(locked[0].debtor.timezones if locked else [], timezone.now()):
        raise ValidationError({"start": ["cannot be in the past."]})
    total, lines = plan_preview(accounts=locked, frequency=frequency, start=start, payday=payday, count=count,
                                installment_amount=installment_amount, total=total)
    plan = Plan.objects.create(client_id=locked[0].client_id, debtor_id=locked[0].debtor_id, frequency=frequency,
                               payday=payday, grace_days=grace_days, total=total, created_by=created_by)
    plan.accounts.set(locked)
    Installment.objects.bulk_create(
        [Installment(plan=plan, seq=line.seq, due_date=line.due_date, amount=line.amount) for line in lines]
    )
    _plan_event(plan, EventType.PLAN_CREATED, {"total": str(total), "installments": len(lines),
                                                "frequency": frequency}, created_by)
    return plan


def _lock(plan: Plan) -> tuple[dict[int, Account], Plan]:
    accounts = {a.id: a for a in accounts_lock(plan_account_ids(plan))}
    return accounts, Plan.objects.select_for_update().select_related("debtor").get(pk=plan.pk)


@transaction.atomic
def plan_activate(plan: Plan, *, signed_by_name: str = "", created_by: Any = None) -> Plan:
    """The debtor agreed: the accounts go into the plan and installments fall due."""
    accounts, plan = _lock(plan)
    if plan.status != PlanStatus.PROPOSED:
        raise ValidationError({"status": [f"only a proposed plan can be activated; this one is {plan.status}."]})
    _accounts_check(list(accounts.values()))
    others = Plan.objects.filter(accounts__in=list(accounts), status__in=LIVE_PLAN_STATUSES).exclude(pk=plan.pk)
    if others.exists():
        raise ValidationError({"accounts": ["an account is already on an active or broken plan; cancel it first."]})
    balance = sum((a.balance_now() for a in accounts.values()), ZERO)
    if plan.total > balance:
        raise ValidationError({"total": [f"the balance fell to {balance} since the proposal; renegotiate first."]})
    now = timezone.now()
    if plan.installments.filter(due_date__lt=plan_today(plan, now)).exists():
        raise ValidationError({"installments": ["an installment is already past due; renegotiate first."]})
    plan.activate()
    plan.activated_at = now
    if signed_by_name:
        plan.signed_by_name, plan.signed_at = signed_by_name.strip(), now
    plan.save()
    for account in accounts.values():
        account_transition(account, "enter_plan", reason=f"plan {plan.pk} activated", created_by=created_by)
    _plan_event(plan, EventType.PLAN_ACTIVATED, {"signed_by": bool(signed_by_name)}, created_by)
    return plan


def _installment_status(inst: Installment, today: dt.date, grace_days: int) -> str:
    if inst.paid_amount >= inst.amount:
        return InstallmentStatus.PAID
    if inst.due_date + dt.timedelta(days=grace_days) < today:
        return InstallmentStatus.MISSED
    return InstallmentStatus.PARTLY_PAID if inst.paid_amount > 0 else InstallmentStatus.SCHEDULED


def plan_paid_total(plan: Plan) -> Decimal:
    row = plan.payments.filter(status=PaymentStatus.POSTED).aggregate(amount=Sum("amount"), unapplied=Sum("unapplied"))
    return (row["amount"] or ZERO) - (row["unapplied"] or ZERO)


def plan_payments_match(plan: Plan, *, accounts: Mapping[int, Account], created_by: Any = None,
                        now: dt.datetime | None = None) -> None:
    """Fill the (locked) plan's installments, in order, with what its posted payments applied.

    Completes the plan when everything is paid, and resumes a completed one when a reversal
    un-pays it. Called inside the posting's transaction.
    """
    today = plan_today(plan, now)
    remaining = plan_paid_total(plan)
    changed = []
    installments = list(plan.installments.order_by("seq"))
    for inst in installments:
        paid = min(remaining, inst.amount)
        remaining -= paid
        status = _installment_status(Installment(amount=inst.amount, paid_amount=paid, due_date=inst.due_date),
                                     today, plan.grace_days)
        if (inst.paid_amount, inst.status) != (paid, status):
            inst.paid_amount, inst.status = paid, status
            changed.append(inst)
    if changed:
        for inst in changed:
            inst.updated_at = timezone.now()
        Installment.objects.bulk_update(changed, ["paid_amount", "status", "updated_at"])
    all_paid = all(i.status == InstallmentStatus.PAID for i in installments)
    if all_paid and plan.status == PlanStatus.ACTIVE:
        plan.complete()
        plan.closed_at = timezone.now()
        plan.save(update_fields=["status", "closed_at", "updated_at"])
        _plan_event(plan, EventType.PLAN_COMPLETED, {"total": str(plan.total)}, created_by)
        if not hasattr(plan, "settlement"):
            for account in accounts.values():
                if account.status == AccountStatus.IN_PLAN:
                    account_transition(account, "leave_plan", reason=f"plan {plan.pk} completed",
                                       created_by=created_by)
    elif not all_paid and plan.status == PlanStatus.COMPLETED:
        plan.resume()
        plan.closed_at = None
        plan.save(update_fields=["status", "closed_at", "updated_at"])
        for account in accounts.values():
            if account.status == AccountStatus.OPEN:
                account_transition(account, "enter_plan", reason=f"plan {plan.pk} resumed", created_by=created_by)


def _installment_rows(plan: Plan) -> list[dict[str, Any]]:
    return [{"seq": i.seq, "due_date": i.due_date.isoformat(), "amount": str(i.amount)}
            for i in plan.installments.order_by("seq")]


@dataclass
class _Line:
    due_date: dt.date
    amount: Decimal
    paid: bool = False
    pinned: bool = False  # its amount was set in this renegotiation


@transaction.atomic
def plan_renegotiate(plan: Plan, *, changes: Sequence[Mapping[str, Any]], created_by: Any = None,
                     now: dt.datetime | None = None) -> Plan:
    """Change installments' dates and/or amounts, then rebalance the rest to the plan's total.

    Paid installments stay as they are. Installments not named in ``changes`` and not yet paid
    share what is left evenly (in cents, remainder last); when none is left to absorb a shortfall,
    one installment is appended on the next date of the cycle. A broken plan becomes active again.
    """
    accounts, plan = _lock(plan)
    if plan.status not in (PlanStatus.PROPOSED, PlanStatus.ACTIVE, PlanStatus.BROKEN):
        raise ValidationError({"status": [f"a {plan.status} plan cannot be renegotiated."]})
    if not changes:
        raise ValidationError({"changes": ["name at least one installment to change."]})
    today = plan_today(plan, now)
    before = _installment_rows(plan)
    lines = {i.seq: _Line(i.due_date, i.amount, paid=i.status == InstallmentStatus.PAID)
             for i in plan.installments.order_by("seq")}
    for change in changes:
        seq = change.get("seq")
        line = lines.get(seq) if isinstance(seq, int) else None
        if line is None:
            raise ValidationError({"changes": [f"installment {seq} is not in this plan."]})
        if line.paid:
            raise ValidationError({"changes": [f"installment {seq} is paid and cannot change."]})
        if change.get("due_date") is not None:
            if change["due_date"] < today:
                raise ValidationError({"changes": [f"installment {seq} cannot move into the past."]})
            line.due_date = change["due_date"]
        if change.get("amount") is not None:
            if change["amount"] <= 0:
                raise ValidationError({"changes": [f"installment {seq} must be more than 0."]})
            line.amount, line.pinned = change["amount"], True
    fixed_total = sum((line.amount for line in lines.values() if line.paid or line.pinned), ZERO)
    free = [line for line in lines.values() if not (line.paid or line.pinned)]
    remaining = plan.total - fixed_total
    if remaining < 0 or (free and remaining < Decimal("0.01") * len(free)):
        raise ValidationError({"changes": [f"the installments would exceed the plan total of {plan.total}."]})
    if free:
        for line, amount in zip(free, split_amounts(remaining, len(free)), strict=True):
            line.amount = amount
    elif remaining > 0:
        last = max(line.due_date for line in lines.values())
        anchor = (plan.payday or min(line.due_date for line in lines.values())).day
        lines[max(lines) + 1] = _Line(next_due_date(plan.frequency, last, anchor_day=anchor), remaining, pinned=True)
    ordered = sorted(lines.values(), key=lambda line: line.due_date)
    for line in ordered:
        if not line.paid and line.due_date + dt.timedelta(days=plan.grace_days) < today:
            raise ValidationError({"changes": [f"the installment due {line.due_date} is overdue; move it too."]})
    plan.installments.all().delete()
    Installment.objects.bulk_create([Installment(plan=plan, seq=i + 1, due_date=line.due_date, amount=line.amount)
                                     for i, line in enumerate(ordered)])
    if plan.status == PlanStatus.BROKEN:
        plan.restore()
        plan.closed_at = None
        plan.save(update_fields=["status", "closed_at", "updated_at"])
        for account in accounts.values():
            account_transition(account, "enter_plan", reason=f"plan {plan.pk} renegotiated", created_by=created_by)
    plan_payments_match(plan, accounts=accounts, created_by=created_by, now=now)
    _plan_event(plan, EventType.PLAN_RENEGOTIATED, {"before": before, "after": _installment_rows(plan)}, created_by)
    return plan


def _plan_close(plan: Plan, accounts: Mapping[int, Account], transition: str, event: str, reason: str,
                created_by: Any) -> None:
    getattr(plan, transition)()
    plan.closed_at = timezone.now()
    plan.save(update_fields=["status", "closed_at", "updated_at"])
    for account in accounts.values():
        if account.status == AccountStatus.IN_PLAN:
            account_transition(account, "leave_plan", reason=f"plan {plan.pk} {reason}", created_by=created_by)
    _plan_event(plan, event, {"reason": reason}, created_by)


@transaction.atomic
def plan_cancel(plan: Plan, *, reason: str = "cancelled", created_by: Any = None) -> Plan:
    accounts, plan = _lock(plan)
    if plan.status not in (PlanStatus.PROPOSED, PlanStatus.ACTIVE, PlanStatus.BROKEN):
        raise ValidationError({"status": [f"a {plan.status} plan cannot be cancelled."]})
    _plan_close(plan, accounts, "cancel", EventType.PLAN_CANCELLED, reason or "cancelled", created_by)
    settlement = getattr(plan, "settlement", None)
    if settlement is not None and settlement.status == "approved":
        settlement.cancel()
        settlement.save(update_fields=["status", "updated_at"])
    return plan


@transaction.atomic
def plan_break_if_missed(plan_id: int, *, now: dt.datetime | None = None) -> bool:
    """Break an active plan whose installment is unpaid past its grace days. True when it broke."""
    plan = Plan.objects.get(pk=plan_id)
    accounts, plan = _lock(plan)
    if plan.status != PlanStatus.ACTIVE:
        return False
    plan_payments_match(plan, accounts=accounts, now=now)
    missed = plan.installments.filter(status=InstallmentStatus.MISSED).order_by("seq").first()
    if missed is None:
        return False
    _plan_close(plan, accounts, "mark_broken", EventType.PLAN_BROKEN,
                f"installment {missed.seq} due {missed.due_date} missed", None)
    return True


def plans_evaluate(*, now: dt.datetime | None = None) -> int:
    """Nightly: break every active plan with an installment unpaid past its grace days."""
    now = now or timezone.now()
    horizon = now.date()  # an installment can only be missed once its date has passed somewhere
    candidates = (
        Installment.objects.filter(plan__status=PlanStatus.ACTIVE, due_date__lt=horizon)
        .exclude(status=InstallmentStatus.PAID)
        .values_list("plan_id", flat=True)
        .distinct()
    )
    return sum(plan_break_if_missed(plan_id, now=now) for plan_id in list(candidates))
