"""Demo money rows: payments, ledger entries, plans, promises and settlements that explain balances.

The seeder places each account with principal/interest/fees *as placed* and asks this generator
for the account's money history; the generator writes payments and their ledger rows (and
settlement write-offs) so that ``placed + ledger = balance`` holds for every seeded account, and
returns the balances the account ends with. Rows are tuples for PostgreSQL COPY. A separate random
stream keeps the rest of the portfolio identical to what the seeder made before money existed.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from collections_app.constants import AccountStatus
from collections_app.schedules import due_dates, split_amounts
from collections_app.services.ledger import allocation_split

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
COMPONENTS = ("fees", "interest", "principal")
METHODS = (("card", 45), ("ach", 35), ("check", 12), ("cash", 3), ("other", 5))

PAYMENT_COLS = ("id", "client_id", "account_id", "amount", "unapplied", "received_at", "method", "external_id",
                "status", "reversal_reason", "reversed_at", "reversed_by_id", "plan_id", "created_by_id",
                "created_at", "updated_at")
LEDGER_COLS = ("id", "account_id", "kind", "component", "amount", "payment_id", "settlement_id", "created_by_id",
               "created_at")
PLAN_COLS = ("id", "client_id", "debtor_id", "status", "frequency", "payday", "grace_days", "total", "signed_by_name",
             "signed_at", "activated_at", "closed_at", "created_by_id", "created_at", "updated_at")
PLAN_ACCOUNT_COLS = ("id", "plan_id", "account_id")
INSTALLMENT_COLS = ("id", "plan_id", "seq", "due_date", "amount", "paid_amount", "status", "created_at", "updated_at")
PROMISE_COLS = ("id", "client_id", "debtor_id", "account_id", "amount", "due_date", "source", "status", "paid_amount",
                "made_at", "evaluated_at", "created_by_id", "created_at", "updated_at")
SETTLEMENT_COLS = ("id", "client_id", "debtor_id", "kind", "balance", "amount", "discount_pct", "status", "due_date",
                   "frequency", "installment_count", "plan_id", "offered_by_id", "decided_by_id", "decided_at",
                   "decision_note", "fulfilled_at", "created_at", "updated_at")
SETTLEMENT_ACCOUNT_COLS = ("id", "settlement_id", "account_id")
MONEY_TABLES = {
    "payment": ("collections_app_payment", PAYMENT_COLS),
    "ledger": ("collections_app_ledgerentry", LEDGER_COLS),
    "plan": ("collections_app_plan", PLAN_COLS),
    "plan_account": ("collections_app_plan_accounts", PLAN_ACCOUNT_COLS),
    "installment": ("collections_app_installment", INSTALLMENT_COLS),
    "promise": ("collections_app_promise", PROMISE_COLS),
    "settlement": ("collections_app_settlement", SETTLEMENT_COLS),
    "settlement_account": ("collections_app_settlement_accounts", SETTLEMENT_ACCOUNT_COLS),
}


@dataclass
class DemoAccount:
    id: int
    client_id: int
    debtor_id: int
    order: list[str]
    placed_at: dt.datetime
    balances: dict[str, Decimal]
    assigned_to: int | None = None

    @property
    def balance(self) -> Decimal:
        return sum(self.balances.values(), ZERO)


EventFn = Callable[..., None]


@dataclass
class MoneyGenerator:
    seed: int
    now: dt.datetime
    first_ids: dict[str, int]
    event: EventFn
    rows: dict[str, list[tuple]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed * 7919 + 17)
        self.ids = dict(self.first_ids)
        self.reset()

    def reset(self) -> None:
        self.rows = {key: [] for key in MONEY_TABLES}

    def _id(self, key: str) -> int:
        value = self.ids[key]
        self.ids[key] = value + 1
        return value

    def _at_between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        seconds = max(0, int((end - start).total_seconds()))
        return start + dt.timedelta(seconds=self.rng.randint(0, seconds))

    # -- primitives ------------------------------------------------------------------------------
    def _pay_reversed(self, acct: DemoAccount, amount: Decimal, at: dt.datetime, reason: str) -> None:
        """A payment that bounced: its allocation rows and their reversal, the balances unchanged."""
        allocations, _ = allocation_split(acct.balances, amount, acct.order)
        payment_id = self._id("payment")
        reversed_at = at + dt.timedelta(days=3)
        self.rows["payment"].append((payment_id, acct.client_id, acct.id, amount, ZERO, at, "ach", f"demo-{payment_id}",
                                     "reversed", reason, reversed_at, None, None, None, at, reversed_at))
        for component, part in allocations:
            self.rows["ledger"].append((self._id("ledger"), acct.id, "allocation", component, -part, payment_id, None,
                                        None, at))
            self.rows["ledger"].append((self._id("ledger"), acct.id, "reversal", component, part, payment_id, None,
                                        None, reversed_at))
        self.event(acct, "payment_received", at, {"payment": payment_id, "amount": str(amount), "method": "ach"})
        self.event(acct, "payment_reversed", reversed_at, {"payment": payment_id, "reason": reason})

    def _pay_down(self, acct: DemoAccount, target: dict[str, Decimal], start: dt.datetime, end: dt.datetime) -> list[
        tuple[int, Decimal, dt.datetime]
    ]:
        """One to three payments between ``start`` and ``end`` that bring the balances to ``target`` exactly."""
        to_pay = {c: acct.balances[c] - target[c] for c in COMPONENTS}
        total = sum(to_pay.values(), ZERO)
        if total <= 0:
            return []
        amounts = split_amounts(total, self.rng.choice((1, 1, 2, 3)) if total >= 3 else 1)
        times = sorted(self._at_between(start, end) for _ in amounts)
        if self.rng.random() < 0.05:  # an NSF that was made good later
            self._pay_reversed(acct, amounts[0], max(start, times[0] - dt.timedelta(days=7)), "nsf")
        paid = []
        for amount, at in zip(amounts, times, strict=True):
            # Allocated over what must be paid, in the client's order, so the end balances are exact.
            allocations, _ = allocation_split(to_pay, amount, acct.order)
            for component, part in allocations:
                to_pay[component] -= part
            paid.append((self._pay_exact(acct, allocations, amount, at), amount, at))
        return paid

    def _pay_exact(self, acct: DemoAccount, allocations: list[tuple[str, Decimal]], amount: Decimal,
                   at: dt.datetime, plan_id: int | None = None) -> int:
        payment_id = self._id("payment")
        method = self.rng.choices([m for m, _ in METHODS], [w for _, w in METHODS])[0]
        self.rows["payment"].append((payment_id, acct.client_id, acct.id, amount, ZERO, at, method,
                                     f"demo-{payment_id}", "posted", "", None, None, plan_id, None, at, at))
        for component, part in allocations:
            self.rows["ledger"].append((self._id("ledger"), acct.id, "allocation", component, -part, payment_id, None,
                                        None, at))
            acct.balances[component] -= part
        self.event(acct, "payment_received", at, {"payment": payment_id, "amount": str(amount), "method": method})
        return payment_id

    def _plan(self, acct: DemoAccount, *, status: str, total: Decimal, created: dt.datetime, first_due: dt.date,
              count: int, paid: Decimal, closed_at: dt.datetime | None = None) -> int:
        plan_id = self._id("plan")
        today = self.now.date()
        self.rows["plan"].append((plan_id, acct.client_id, acct.debtor_id, status, "monthly", None, 5, total,
                                  "Signed by phone" if status != "proposed" else "", created, created, closed_at,
                                  None, created, closed_at or created))
        self.rows["plan_account"].append((self._id("plan_account"), plan_id, acct.id))
        remaining = paid
        for seq, (due, amount) in enumerate(zip(due_dates("monthly", first_due, count), split_amounts(total, count),
                                                strict=True), start=1):
            part = min(remaining, amount)
            remaining -= part
            state = ("paid" if part == amount else "missed" if due + dt.timedelta(days=5) < today
                     else "partly_paid" if part else "scheduled")
            self.rows["installment"].append((self._id("installment"), plan_id, seq, due, amount, part, state,
                                             created, created))
        self.event(acct, "plan_created", created, {"plan": plan_id, "total": str(total), "installments": count})
        if status != "proposed":
            self.event(acct, "plan_activated", created + dt.timedelta(minutes=5), {"plan": plan_id})
        if closed_at is not None:
            self.event(acct, f"plan_{status}", closed_at, {"plan": plan_id})
        return plan_id

    def _promise(self, acct: DemoAccount, *, amount: Decimal, made: dt.datetime, due: dt.date, status: str,
                 paid: Decimal = ZERO) -> None:
        self.rows["promise"].append((self._id("promise"), acct.client_id, acct.debtor_id, acct.id, amount, due,
                                     self.rng.choice(("call", "call", "portal")), status, paid, made,
                                     None if status == "pending" else made, None, made, made))
        self.event(acct, "promise_made", made, {"amount": str(amount), "due_date": due.isoformat()})
        if status != "pending":
            self.event(acct, f"promise_{status}", dt.datetime.combine(due + dt.timedelta(days=1), dt.time(10),
                                                                     tzinfo=dt.UTC),
                       {"amount": str(amount), "paid": str(paid)})

    # -- one account -----------------------------------------------------------------------------
    def account(self, acct: DemoAccount, status: str, target: tuple[Decimal, Decimal, Decimal]) -> tuple[
        Decimal, Decimal, Decimal
    ]:
        """Write the account's money history; return its (principal, interest, fees) balances."""
        rng = self.rng
        placed, now = acct.placed_at, self.now
        zero = dict.fromkeys(COMPONENTS, ZERO)
        if status == AccountStatus.PAID:
            if rng.random() < 0.4 and (now - placed).days > 120:
                count = rng.randint(2, 3)
                created = placed + dt.timedelta(days=rng.randint(5, 20))
                first_due = created.date() + dt.timedelta(days=14)
                total = acct.balance
                dates = due_dates("monthly", first_due, count)
                plan_id = self._plan(acct, status="completed", total=total, created=created, first_due=first_due,
                                     count=count, paid=total, closed_at=dt.datetime.combine(
                                         dates[-1], dt.time(16), tzinfo=dt.UTC))
                for due, amount in zip(dates, split_amounts(total, count), strict=True):
                    allocations, _ = allocation_split(acct.balances, amount, acct.order)
                    self._pay_exact(acct, allocations, amount, dt.datetime.combine(due, dt.time(15), tzinfo=dt.UTC),
                                    plan_id)
            else:
                self._pay_down(acct, zero, placed + dt.timedelta(hours=1), now)
        elif status == AccountStatus.SETTLED:
            self._settle(acct)
        elif status == AccountStatus.IN_PLAN:
            wanted = {"principal": target[0], "interest": target[1], "fees": target[2]}
            start_plan = now - dt.timedelta(days=rng.randint(1, 40))
            pre_end = max(placed + dt.timedelta(hours=1), start_plan - dt.timedelta(days=1))
            paid = self._pay_down(acct, wanted, placed + dt.timedelta(hours=1), pre_end)
            if paid and rng.random() < 0.3:
                _, amount, at = paid[-1]
                self._promise(acct, amount=amount, made=at - dt.timedelta(days=3), due=(at + dt.timedelta(days=2))
                              .date(), status="kept", paid=amount)
            self._active_plan(acct, max(start_plan, pre_end + dt.timedelta(hours=1)))
        elif status == AccountStatus.OPEN:
            self._open_extras(acct)
        return acct.balances["principal"], acct.balances["interest"], acct.balances["fees"]

    def _active_plan(self, acct: DemoAccount, created: dt.datetime) -> None:
        count = self.rng.randint(3, 12)
        total = acct.balance
        if total < CENT * count:
            return
        first_due = created.date() + dt.timedelta(days=14)
        due_now = [d for d in due_dates("monthly", first_due, count) if d <= self.now.date() - dt.timedelta(days=1)]
        amounts = split_amounts(total, count)
        plan_paid = sum(amounts[: len(due_now)], ZERO)
        plan_id = self._plan(acct, status="active", total=total, created=created, first_due=first_due, count=count,
                             paid=plan_paid)
        for due, amount in zip(due_now, amounts, strict=False):
            allocations, _ = allocation_split(acct.balances, amount, acct.order)
            self._pay_exact(acct, allocations, amount, dt.datetime.combine(due, dt.time(15), tzinfo=dt.UTC), plan_id)

    def _settle(self, acct: DemoAccount) -> None:
        rng, now = self.rng, self.now
        balance = acct.balance
        amount = (balance * Decimal(str(round(rng.uniform(0.55, 0.85), 2)))).quantize(CENT)
        offered = self._at_between(acct.placed_at + dt.timedelta(hours=2), now - dt.timedelta(days=2))
        paid_at = offered + dt.timedelta(days=rng.randint(1, 10))
        paid_at = min(paid_at, now - dt.timedelta(hours=1))
        plan_id = self._plan(acct, status="completed", total=amount, created=offered, first_due=paid_at.date(),
                             count=1, paid=amount, closed_at=paid_at)
        allocations, _ = allocation_split(acct.balances, amount, acct.order)
        self._pay_exact(acct, allocations, amount, paid_at, plan_id)
        settlement_id = self._id("settlement")
        discount = ((balance - amount) * 100 / balance).quantize(CENT)
        self.rows["settlement"].append((settlement_id, acct.client_id, acct.debtor_id, "lump_sum", balance, amount,
                                        discount, "fulfilled", paid_at.date(), "", 1, plan_id, None, None, offered,
                                        "within the offerer's limit", paid_at, offered, paid_at))
        self.rows["settlement_account"].append((self._id("settlement_account"), settlement_id, acct.id))
        for component in COMPONENTS:
            if acct.balances[component] > 0:
                self.rows["ledger"].append((self._id("ledger"), acct.id, "write_off", component,
                                            -acct.balances[component], None, settlement_id, None, paid_at))
                acct.balances[component] = ZERO
        self.event(acct, "settlement_offered", offered, {"settlement": settlement_id, "amount": str(amount)})
        self.event(acct, "settlement_fulfilled", paid_at, {"settlement": settlement_id})

    def _open_extras(self, acct: DemoAccount) -> None:
        rng, now = self.rng, self.now
        roll = rng.random()
        age = (now - acct.placed_at).days
        if roll < 0.05 and age > 90:  # a plan that broke at its first installment
            created = acct.placed_at + dt.timedelta(days=rng.randint(10, age - 60))
            first_due = created.date() + dt.timedelta(days=14)
            self._plan(acct, status="broken", total=acct.balance, created=created, first_due=first_due,
                       count=rng.randint(4, 10), paid=ZERO,
                       closed_at=dt.datetime.combine(first_due + dt.timedelta(days=6), dt.time(10), tzinfo=dt.UTC))
        elif roll < 0.10:  # a promise still to come
            amount = min(acct.balance, Decimal(rng.choice((50, 75, 100, 150, 200, 250)))).quantize(CENT)
            self._promise(acct, amount=amount, made=now - dt.timedelta(days=rng.randint(0, 5), hours=2),
                          due=now.date() + dt.timedelta(days=rng.randint(1, 14)), status="pending")
        elif roll < 0.14 and age > 30:  # a promise broken
            amount = min(acct.balance, Decimal(rng.choice((50, 100, 200)))).quantize(CENT)
            made = acct.placed_at + dt.timedelta(days=rng.randint(3, age - 20))
            self._promise(acct, amount=amount, made=made, due=(made + dt.timedelta(days=7)).date(), status="broken")
