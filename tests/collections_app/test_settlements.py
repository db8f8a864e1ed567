import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from collections_app.constants import AccountStatus
from collections_app.models import CaseEvent, LedgerEntry, Settlement, Task
from tests.collections_app.money_helpers import account_for, assert_reconciles, pay
from tests.conftest import api_for
from tests.factories import DebtorFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 4, 1, 15, 0, tzinfo=dt.UTC)
PAID_AT = "2026-04-01T09:00:00-05:00"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def account(acme, collector):
    return account_for(debtor=DebtorFactory(client=acme), reference="S1")  # 1000.00; the client's limit is 30%


def offer(api, accounts, **body):
    body = {"accounts": [a.id for a in accounts], "due_date": "2026-04-15", **body}
    return api.post("/api/v1/settlements/", body, format="json")


def test_within_the_limit_it_is_approved_and_paying_it_closes_the_account_settled(api, account):
    response = offer(api, [account], amount="800.00")
    assert response.status_code == 201, response.json()
    settlement = response.json()
    assert (settlement["status"], settlement["discount_pct"], settlement["balance"]) == ("approved", "20.00",
                                                                                         "1000.00")
    account.refresh_from_db()
    assert account.status == AccountStatus.IN_PLAN
    pay(api, account, "800.00", "s1", received_at=PAID_AT)
    account.refresh_from_db()
    assert account.status == AccountStatus.SETTLED and account.balance == Decimal("0.00")
    assert api.get(f"/api/v1/settlements/{settlement['id']}/").json()["status"] == "fulfilled"
    write_offs = LedgerEntry.objects.filter(kind="write_off")
    assert sum(-e.amount for e in write_offs) == Decimal("200.00") and {e.component for e in write_offs} == {
        "principal"}
    assert CaseEvent.objects.filter(type="settlement_fulfilled").count() == 1
    assert_reconciles(account)


def test_reversing_the_payment_that_fulfilled_it_undoes_the_write_off(api, account):
    offer(api, [account], amount="800.00")
    payment_id = pay(api, account, "800.00", "s1", received_at=PAID_AT).json()["id"]
    response = api.post(f"/api/v1/payments/{payment_id}/reverse/", {"reason": "nsf"}, format="json")
    assert response.json()["balance"] == "1000.00"
    account.refresh_from_db()
    assert account.status == AccountStatus.IN_PLAN and account.balance == Decimal("1000.00")
    settlement = Settlement.objects.get()
    assert settlement.status == "approved" and settlement.plan is not None and settlement.plan.status == "active"
    assert_reconciles(account)
    pay(api, account, "800.00", "s2", received_at=PAID_AT)  # paid again: settled again, written off once more
    account.refresh_from_db()
    assert account.status == AccountStatus.SETTLED and account.balance == 0
    assert_reconciles(account)


def test_above_the_limit_it_waits_for_a_supervisor(api, account, supervisor):
    settlement = offer(api, [account], discount_pct="40").json()
    assert settlement["status"] == "pending_approval" and settlement["amount"] == "600.00"
    assert Task.objects.filter(kind="approval", status="open").count() == 1
    assert api.post(f"/api/v1/settlements/{settlement['id']}/approve/", {}, format="json").status_code == 403
    approved = api_for(supervisor).post(f"/api/v1/settlements/{settlement['id']}/approve/", {"note": "hardship"},
                                        format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == supervisor.id and approved.json()["plan"]
    assert not Task.objects.filter(kind="approval", status="open").exists()
    again = api_for(supervisor).post(f"/api/v1/settlements/{settlement['id']}/approve/", {}, format="json")
    assert again.status_code == 400


def test_a_supervisor_may_reject_it(api, account, supervisor):
    settlement = offer(api, [account], discount_pct="50").json()
    rejected = api_for(supervisor).post(f"/api/v1/settlements/{settlement['id']}/reject/", {"note": "too low"},
                                        format="json")
    assert rejected.json()["status"] == "rejected"
    account.refresh_from_db()
    assert account.status == AccountStatus.OPEN


def test_a_collectors_own_limit_replaces_the_clients(api, account, collector):
    collector.settlement_limit_pct = Decimal("10.00")
    collector.save()
    assert offer(api, [account], discount_pct="20").json()["status"] == "pending_approval"


def test_a_supervisors_offer_above_the_limit_needs_no_second_approval(account, supervisor):
    assert offer(api_for(supervisor), [account], discount_pct="45").json()["status"] == "approved"


def test_an_installment_settlement_across_two_accounts(api, account, _frozen):
    second = account_for(debtor=account.debtor, principal=Decimal("500.00"), interest=Decimal("0"),
                            fees=Decimal("0"))
    settlement = offer(api, [account, second], amount="1200.00", kind="installments", frequency="monthly",
                       installment_count=3).json()
    assert settlement["status"] == "approved" and settlement["discount_pct"] == "20.00"
    plan = api.get(f"/api/v1/plans/{settlement['plan']}/").json()
    assert [(i["due_date"], i["amount"]) for i in plan["installments"]] == [
        ("2026-04-15", "400.00"), ("2026-05-15", "400.00"), ("2026-06-15", "400.00")]
    pay(api, account, "400.00", "i1", received_at=PAID_AT)
    _frozen.move_to(dt.datetime(2026, 5, 14, 15, tzinfo=dt.UTC))
    pay(api, second, "400.00", "i2", received_at="2026-05-14T09:00:00-05:00")
    _frozen.move_to(dt.datetime(2026, 6, 14, 15, tzinfo=dt.UTC))
    pay(api, account, "400.00", "i3", received_at="2026-06-14T09:00:00-05:00")
    for acct in (account, second):
        acct.refresh_from_db()
        assert acct.status == AccountStatus.SETTLED and acct.balance == 0
        assert_reconciles(acct)
    assert sum(-e.amount for e in LedgerEntry.objects.filter(kind="write_off")) == Decimal("300.00")


@pytest.mark.parametrize("body", [{"amount": "1000.01"}, {"amount": "0"}, {"discount_pct": "100"}, {},
                                  {"amount": "500.00", "discount_pct": "10"},
                                  {"amount": "500.00", "due_date": "2026-03-01"},
                                  {"amount": "500.00", "kind": "installments"}])
def test_impossible_offers_are_400s_that_change_nothing(api, account, body):
    assert offer(api, [account], **body).status_code == 400
    assert not Settlement.objects.exists()
    account.refresh_from_db()
    assert account.status == AccountStatus.OPEN
