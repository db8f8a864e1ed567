import datetime as dt
import subprocess
from decimal import Decimal

import pytest
import time_machine

from collections_app.constants import AccountStatus
from collections_app.models import CaseEvent, Plan
from collections_app.services.plans import plans_evaluate
from tests.collections_app.money_helpers import account_for, assert_reconciles, pay
from tests.conftest import api_for
from tests.factories import DebtorFactory

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 1, 10, 15, 0, tzinfo=dt.UTC)  # a Saturday


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(START, tick=False):
        yield


@pytest.fixture
def debtor(acme, collector):
    return DebtorFactory(client=acme, name="Jane Doe", timezones=["America/Chicago"])


@pytest.fixture
def account(debtor):
    return account_for(debtor=debtor, reference="D1")  # 1000.00


def propose(api, accounts, **extra):
    body = {"accounts": [a.id for a in accounts], "frequency": "monthly", "start": "2026-01-15", **extra}
    if "installment_amount" not in body:
        body.setdefault("count", 3)
    return api.post("/api/v1/plans/", body, format="json")


def test_a_preview_shows_the_schedule_and_writes_nothing(api, account):
    response = api.post("/api/v1/plans/preview/", {"accounts": [account.id], "frequency": "biweekly",
                                                   "payday": "2026-01-02", "count": 3}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"total": "1000.00", "installments": [
        {"seq": 1, "due_date": "2026-01-16", "amount": "333.33"},
        {"seq": 2, "due_date": "2026-01-30", "amount": "333.33"},
        {"seq": 3, "due_date": "2026-02-13", "amount": "333.34"}]}
    assert not Plan.objects.exists()


def test_a_plan_spans_several_accounts_of_one_debtor(api, debtor, account):
    second = account_for(debtor=debtor, principal=Decimal("100.00"), interest=Decimal("0"), fees=Decimal("0"))
    body = propose(api, [account, second], installment_amount="250.00").json()
    assert body["status"] == "proposed" and body["total"] == "1100.00"
    assert [i["amount"] for i in body["installments"]] == ["250.00"] * 4 + ["100.00"]
    activated = api.post(f"/api/v1/plans/{body['id']}/activate/", {"signed_by_name": "Jane Doe"}, format="json")
    assert activated.status_code == 200 and activated.json()["status"] == "active"
    for acct in (account, second):
        acct.refresh_from_db()
        assert acct.status == AccountStatus.IN_PLAN
    assert CaseEvent.objects.filter(type="plan_activated", account_ids=sorted([account.id, second.id])).exists()


def test_accounts_of_different_debtors_cannot_share_a_plan(api, account, acme):
    stranger = account_for(debtor=DebtorFactory(client=acme))
    response = propose(api, [account, stranger])
    assert response.status_code == 400 and "accounts" in response.json()
    assert not Plan.objects.exists()


def test_payments_fill_installments_in_order_and_complete_the_plan(api, account):
    plan_id = propose(api, [account]).json()["id"]
    api.post(f"/api/v1/plans/{plan_id}/activate/", {}, format="json")
    pay(api, account, "500.00", "p1", received_at="2026-01-10T09:00:00-06:00")
    plan = api.get(f"/api/v1/plans/{plan_id}/").json()
    assert [(i["paid_amount"], i["status"]) for i in plan["installments"]] == [
        ("333.33", "paid"), ("166.67", "partly_paid"), ("0.00", "scheduled")]
    assert (plan["paid"], plan["remaining"], plan["balance"]) == ("500.00", "500.00", "500.00")
    pay(api, account, "500.00", "p2", received_at="2026-01-10T08:30:00-06:00")
    plan = api.get(f"/api/v1/plans/{plan_id}/").json()
    assert plan["status"] == "completed" and plan["remaining"] == "0.00"
    account.refresh_from_db()
    assert account.status == AccountStatus.PAID
    assert_reconciles(account)


def test_reversing_the_payment_that_completed_a_plan_resumes_it(api, account):
    plan_id = propose(api, [account]).json()["id"]
    api.post(f"/api/v1/plans/{plan_id}/activate/", {}, format="json")
    payment_id = pay(api, account, "1000.00", "p1", received_at="2026-01-10T09:00:00-06:00").json()["id"]
    api.post(f"/api/v1/payments/{payment_id}/reverse/", {"reason": "nsf"}, format="json")
    plan = api.get(f"/api/v1/plans/{plan_id}/").json()
    assert plan["status"] == "active" and plan["paid"] == "0.00"
    assert {i["status"] for i in plan["installments"]} == {"scheduled"}
    account.refresh_from_db()
    assert account.status == AccountStatus.IN_PLAN and account.balance == Decimal("1000.00")


def test_a_plan_paid_partly_missed_and_renegotiated_stays_consistent(api, account, admin_user):
    plan_id = propose(api, [account], grace_days=3).json()["id"]
    api.post(f"/api/v1/plans/{plan_id}/activate/", {"signed_by_name": "Jane Doe"}, format="json")
    with time_machine.travel(dt.datetime(2026, 1, 14, 16, 0, tzinfo=dt.UTC), tick=False):
        assert pay(api, account, "200.00", "p1", received_at="2026-01-14T09:00:00-06:00").status_code == 201
    # 15 Jan due + 3 grace days = 18 Jan; on the 19th in Chicago the installment is missed.
    with time_machine.travel(dt.datetime(2026, 1, 19, 5, 30, tzinfo=dt.UTC), tick=False):  # still the 18th there
        assert plans_evaluate() == 0
    with time_machine.travel(dt.datetime(2026, 1, 19, 10, 0, tzinfo=dt.UTC), tick=False):
        assert plans_evaluate() == 1
        plan = api.get(f"/api/v1/plans/{plan_id}/").json()
        assert plan["status"] == "broken"
        assert [(i["paid_amount"], i["status"]) for i in plan["installments"]] == [
            ("200.00", "missed"), ("0.00", "scheduled"), ("0.00", "scheduled")]
        account.refresh_from_db()
        assert account.status == AccountStatus.OPEN
        response = api.post(f"/api/v1/plans/{plan_id}/renegotiate/",
                            {"changes": [{"seq": 1, "due_date": "2026-01-23", "amount": "250.00"}]}, format="json")
        assert response.status_code == 200, response.json()
        plan = response.json()
    assert plan["status"] == "active"
    assert [(i["due_date"], i["amount"], i["paid_amount"], i["status"]) for i in plan["installments"]] == [
        ("2026-01-23", "250.00", "200.00", "partly_paid"),
        ("2026-02-15", "375.00", "0.00", "scheduled"),
        ("2026-03-15", "375.00", "0.00", "scheduled")]
    assert sum(Decimal(i["amount"]) for i in plan["installments"]) == Decimal(plan["total"])
    assert (plan["paid"], plan["remaining"], plan["balance"]) == ("200.00", "800.00", "800.00")
    account.refresh_from_db()
    assert account.status == AccountStatus.IN_PLAN and account.balance == Decimal("800.00")
    assert_reconciles(account)
    admin_page = api_for(admin_user)
    admin_page.force_login(admin_user)
    html = admin_page.get(f"/admin/collections_app/plan/{plan_id}/change/").content.decode()
    for text in ("2026-01-23", "375.00", "800.00", "Partly paid", "Active"):
        assert text in html, text
    assert CaseEvent.objects.filter(type="plan_broken").count() == 1
    assert CaseEvent.objects.filter(type="plan_renegotiated").count() == 1


def test_changing_an_amount_rebalances_the_unpaid_rest(api, account):
    plan_id = propose(api, [account], count=4).json()["id"]
    response = api.post(f"/api/v1/plans/{plan_id}/renegotiate/", {"changes": [{"seq": 2, "amount": "100.00"}]},
                        format="json")
    assert [i["amount"] for i in response.json()["installments"]] == ["300.00", "100.00", "300.00", "300.00"]


def test_renegotiating_past_the_total_is_a_400_that_changes_nothing(api, account):
    plan_id = propose(api, [account]).json()["id"]
    before = api.get(f"/api/v1/plans/{plan_id}/").json()["installments"]
    response = api.post(f"/api/v1/plans/{plan_id}/renegotiate/",
                        {"changes": [{"seq": 1, "amount": "900.00"}, {"seq": 2, "amount": "200.00"}]}, format="json")
    assert response.status_code == 400 and "changes" in response.json()
    assert api.get(f"/api/v1/plans/{plan_id}/").json()["installments"] == before


def test_lowering_every_installment_appends_one_for_the_rest(api, account):
    plan_id = propose(api, [account], count=2).json()["id"]
    response = api.post(f"/api/v1/plans/{plan_id}/renegotiate/",
                        {"changes": [{"seq": 1, "amount": "400.00"}, {"seq": 2, "amount": "400.00"}]}, format="json")
    assert [(i["due_date"], i["amount"]) for i in response.json()["installments"]] == [
        ("2026-01-15", "400.00"), ("2026-02-15", "400.00"), ("2026-03-15", "200.00")]


def test_cancelling_takes_the_accounts_out_of_the_plan(api, account):
    plan_id = propose(api, [account]).json()["id"]
    api.post(f"/api/v1/plans/{plan_id}/activate/", {}, format="json")
    response = api.post(f"/api/v1/plans/{plan_id}/cancel/", {"reason": "debtor asked"}, format="json")
    assert response.json()["status"] == "cancelled"
    account.refresh_from_db()
    assert account.status == AccountStatus.OPEN
    assert api.post(f"/api/v1/plans/{plan_id}/activate/", {}, format="json").status_code == 400


def test_an_account_can_be_on_one_live_plan_only(api, account):
    first = propose(api, [account]).json()["id"]
    second = propose(api, [account]).json()["id"]
    api.post(f"/api/v1/plans/{first}/activate/", {}, format="json")
    response = api.post(f"/api/v1/plans/{second}/activate/", {}, format="json")
    assert response.status_code == 400


def test_the_signed_agreement_pdf_itemizes_the_schedule(api, account, tmp_path):
    plan_id = propose(api, [account]).json()["id"]
    api.post(f"/api/v1/plans/{plan_id}/activate/", {"signed_by_name": "Jane Doe"}, format="json")
    response = api.get(f"/api/v1/plans/{plan_id}/agreement/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Payment plan agreement", "Acme Bank", "Jane Doe", "D1", "2026-01-15", "2026-02-15",
                     "2026-03-15", "$333.33", "$333.34", "$1000.00", "Signed electronically by Jane Doe",
                     "from a debt collector"):
        assert expected in text, expected


def test_plans_outside_the_callers_clients_are_404s(api, account, other_api):
    plan_id = propose(api, [account]).json()["id"]
    assert other_api.get(f"/api/v1/plans/{plan_id}/").status_code == 404
    assert propose(other_api, [account]).status_code == 404


def test_frequency_spellings_are_forgiven(api, account):
    response = api.post("/api/v1/plans/preview/", {"accounts": [account.id], "frequency": "Semi-Monthly",
                                                   "payday": "2026-01-15", "count": 2}, format="json")
    assert [i["due_date"] for i in response.json()["installments"]] == ["2026-01-15", "2026-01-31"]
    assert api.post("/api/v1/plans/preview/", {"accounts": [account.id], "frequency": "daily", "count": 2},
                    format="json").status_code == 400
