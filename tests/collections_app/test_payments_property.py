"""Property: for any sequence of payments, reversals and plan changes, the ledger explains the balance.

A reference model allocates the same money independently; after every step the account must match
it component by component, no component may go negative, every cent of every payment must be
allocated (or held as unapplied credit), and ``ledger_reconcile`` must find nothing.
"""

import contextlib
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from collections_app.constants import AccountStatus, PaymentStatus, PlanStatus
from collections_app.models import Account, LedgerEntry, Payment, Plan
from collections_app.models.clients import ALLOCATION_ORDERS
from collections_app.services.ledger import allocation_split, ledger_reconcile
from collections_app.services.payments import payment_post, payment_reverse
from collections_app.services.plans import plan_activate, plan_cancel, plan_propose, plan_renegotiate
from tests.collections_app.money_helpers import account_for
from tests.factories import ClientFactory, DebtorFactory

pytestmark = pytest.mark.django_db
CENTS = st.integers(min_value=1, max_value=60_000).map(lambda c: Decimal(c) / 100)
COMPONENTS = ("fees", "interest", "principal")
SERIAL = itertools.count()


class LedgerMachine(RuleBasedStateMachine):
    @initialize(
        principal=st.integers(min_value=100, max_value=200_000).map(lambda c: Decimal(c) / 100),
        interest=st.integers(min_value=0, max_value=20_000).map(lambda c: Decimal(c) / 100),
        fees=st.sampled_from([Decimal("0.00"), Decimal("25.00"), Decimal("35.50")]),
        order=st.sampled_from(list(ALLOCATION_ORDERS)),
        overpay=st.booleans(),
    )
    def place(self, principal, interest, fees, order, overpay):
        client = ClientFactory(name=f"Property {next(SERIAL)}", allocation_order=order, allow_overpayment=overpay)
        self.account = account_for(debtor=DebtorFactory(client=client), principal=principal, interest=interest,
                                      fees=fees)
        self.order = order.split(",")
        self.overpay = overpay
        self.original = {"fees": fees, "interest": interest, "principal": principal}
        self.model = dict(self.original)
        self.payments: list[tuple[int, list[tuple[str, Decimal]]]] = []
        self.reversed: set[int] = set()
        self.keys = 0

    def _balance(self) -> Decimal:
        return sum(self.model.values(), Decimal("0"))

    @rule(amount=CENTS, replay=st.booleans())
    def pay(self, amount, replay):
        key = f"k{self.keys}"
        if replay and self.keys:
            key = f"k{self.keys - 1}"  # the same key again: nothing may change
            before = Payment.objects.count()
            result = payment_post(account=self.account, amount=amount, received_at=timezone.now(), method="ach",
                                  external_id=key)
            assert not result.created and Payment.objects.count() == before
            return
        closed = self._balance() == 0
        if closed or (amount > self._balance() and not self.overpay):
            with pytest.raises(ValidationError):
                payment_post(account=self.account, amount=amount, received_at=timezone.now(), method="ach",
                             external_id=key)
            return
        result = payment_post(account=self.account, amount=amount, received_at=timezone.now(), method="card",
                              external_id=key)
        self.keys += 1
        allocations, _ = allocation_split(self.model, amount, self.order)
        for component, part in allocations:
            self.model[component] -= part
        self.payments.append((result.payment.id, allocations))

    @precondition(lambda self: self.payments)
    @rule(data=st.data())
    def reverse(self, data):
        payment_id, allocations = data.draw(st.sampled_from(self.payments))
        _payment, changed = payment_reverse(Payment.objects.get(pk=payment_id), reason="nsf")
        assert changed == (payment_id not in self.reversed)
        if changed:
            self.reversed.add(payment_id)
            for component, part in allocations:
                self.model[component] += part

    @rule(count=st.integers(min_value=1, max_value=6), frequency=st.sampled_from(["weekly", "monthly"]))
    def start_plan(self, count, frequency):
        self.account.refresh_from_db()
        if self.account.status != AccountStatus.OPEN or self._balance() < Decimal("0.01") * count:
            return
        plan = plan_propose(accounts=[self.account], frequency=frequency, start=timezone.localdate(), count=count)
        plan_activate(plan)

    @rule(amount=CENTS)
    def renegotiate(self, amount):
        plan = Plan.objects.filter(accounts=self.account, status=PlanStatus.ACTIVE).first()
        if plan is None:
            return
        unpaid = plan.installments.exclude(status="paid").order_by("seq").first()
        if unpaid is None:
            return
        with contextlib.suppress(ValidationError):
            plan_renegotiate(plan, changes=[{"seq": unpaid.seq, "amount": amount}])

    @rule()
    def cancel_plan(self):
        plan = Plan.objects.filter(accounts=self.account, status__in=[PlanStatus.ACTIVE, PlanStatus.BROKEN]).first()
        if plan is not None:
            plan_cancel(plan)

    @invariant()
    def balances_match_the_reference_and_the_ledger(self):
        if not hasattr(self, "account"):
            return
        account = Account.objects.get(pk=self.account.pk)
        for component in COMPONENTS:
            actual = getattr(account, f"{component}_balance")
            assert actual == self.model[component] and actual >= 0
        live = Payment.objects.filter(account=account, status=PaymentStatus.POSTED).values_list("id", flat=True)
        allocated = sum((-e.amount for e in LedgerEntry.objects.filter(payment_id__in=list(live),
                                                                      kind="allocation")), Decimal("0"))
        assert account.balance == sum(self.original.values()) - allocated
        for payment in Payment.objects.filter(account=account):
            spent = sum((-e.amount for e in payment.entries.filter(kind="allocation")), Decimal("0"))
            assert spent + payment.unapplied == payment.amount
        assert ledger_reconcile(account) == []
        assert (account.status == AccountStatus.PAID) == (account.balance == 0)

    @invariant()
    def a_live_plan_sums_to_its_total(self):
        if not hasattr(self, "account"):
            return
        for plan in Plan.objects.filter(accounts=self.account, status__in=[PlanStatus.ACTIVE, PlanStatus.COMPLETED]):
            installments = list(plan.installments.all())
            assert sum(i.amount for i in installments) == plan.total
            assert all(0 <= i.paid_amount <= i.amount for i in installments)


def test_any_sequence_of_payments_reversals_and_plan_changes_keeps_the_ledger_exact(db):
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(max_examples=40, stateful_step_count=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]),
    )
