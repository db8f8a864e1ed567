from decimal import Decimal

import pytest

from collections_app.constants import AccountStatus
from collections_app.models import CaseEvent, LedgerEntry, Payment
from tests.collections_app.money_helpers import account_for, assert_reconciles, pay
from tests.conftest import api_for
from tests.factories import DebtorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(acme, collector):
    return account_for(debtor=DebtorFactory(client=acme))  # 900 principal, 80 interest, 20 fees


def test_a_payment_goes_to_fees_then_interest_then_principal(api, account):
    response = pay(api, account, "50.00", "gw_1")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["allocations"] == [{"component": "fees", "amount": "20.00"},
                                   {"component": "interest", "amount": "30.00"}]
    assert (body["balance"], body["fees_balance"], body["interest_balance"], body["principal_balance"]) == (
        "950.00", "0.00", "50.00", "900.00")
    assert body["amount"] == "50.00" and body["status"] == "posted" and isinstance(body["id"], int)
    account.refresh_from_db()
    assert account.balance == Decimal("950.00")
    assert_reconciles(account)


def test_the_allocation_order_is_the_clients(api, account, acme):
    acme.allocation_order = "principal,interest,fees"
    acme.save()
    body = pay(api, account, "950.00").json()
    assert body["allocations"] == [{"component": "principal", "amount": "900.00"},
                                   {"component": "interest", "amount": "50.00"}]
    assert (body["interest_balance"], body["fees_balance"]) == ("30.00", "20.00")


def test_the_same_external_id_returns_the_original_payment_and_changes_nothing(api, account):
    first = pay(api, account, "50.00", "gw_abc123")
    again = pay(api, account, "50.00", "gw_abc123")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["allocations"] == first.json()["allocations"]
    assert again["Idempotent-Replayed"] == "true"
    account.refresh_from_db()
    assert account.balance == Decimal("950.00")
    assert Payment.objects.count() == 1 and LedgerEntry.objects.count() == 2
    assert CaseEvent.objects.filter(type="payment_received").count() == 1


def test_a_replay_of_the_payment_that_closed_the_account_is_still_a_200(api, account):
    assert pay(api, account, "1000.00", "gw_full").status_code == 201
    again = pay(api, account, "1000.00", "gw_full")
    assert again.status_code == 200 and again.json()["account_status"] == "paid"


def test_the_key_is_per_client(api, account, admin_api, globex):
    other = account_for(debtor=DebtorFactory(client=globex))
    assert pay(api, account, "10.00", "shared").status_code == 201
    assert pay(admin_api, other, "10.00", "shared").status_code == 201
    assert Payment.objects.count() == 2


@pytest.mark.parametrize("amount", ["0", "0.00", "-5.00", "1.001", "abc", "1000.01", "NaN", "Infinity"])
def test_bad_amounts_are_400s_that_change_nothing(api, account, amount):
    response = pay(api, account, amount, "gw_bad")
    assert response.status_code == 400, response.json()
    assert "amount" in response.json()
    account.refresh_from_db()
    assert account.balance == Decimal("1000.00")
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()
    assert not CaseEvent.objects.filter(type="payment_received").exists()


def test_bad_methods_and_missing_fields_are_400s(api, account):
    assert pay(api, account, "5.00", method="bitcoin").status_code == 400
    response = pay(api, account, "5.00", received_at="2026-05-01T10:00:00")
    assert response.status_code == 400 and "offset" in response.json()["received_at"][0]
    response = api.post("/api/v1/payments/", {"account": account.id, "amount": "5.00"}, format="json")
    assert response.status_code == 400 and {"received_at", "method"} <= set(response.json())


def test_overpayment_is_held_as_a_credit_when_the_client_allows_it(api, account, acme):
    acme.allow_overpayment = True
    acme.save()
    body = pay(api, account, "1200.00").json()
    assert body["unapplied"] == "200.00" and body["balance"] == "0.00" and body["account_status"] == "paid"
    assert sum(Decimal(a["amount"]) for a in body["allocations"]) == Decimal("1000.00")
    assert_reconciles(account)


def test_a_closed_account_takes_no_payments(api, account):
    account.status = AccountStatus.RECALLED
    account.save()
    response = pay(api, account, "5.00")
    assert response.status_code == 400 and "account" in response.json()
    assert not Payment.objects.exists()


def test_paying_in_full_closes_the_account_and_reversing_reopens_it(api, account):
    body = pay(api, account, "1000.00", "gw_full").json()
    account.refresh_from_db()
    assert account.status == AccountStatus.PAID
    reversed_ = api.post(f"/api/v1/payments/{body['id']}/reverse/", {"reason": "nsf"}, format="json")
    assert reversed_.status_code == 200
    assert reversed_.json()["status"] == "reversed" and reversed_.json()["balance"] == "1000.00"
    account.refresh_from_db()
    assert account.status == AccountStatus.OPEN and account.balance == Decimal("1000.00")
    assert list(CaseEvent.objects.filter(type="status_changed").order_by("id").values_list("data__to", flat=True)) == [
        "paid", "open"]
    assert_reconciles(account)


def test_a_second_reversal_changes_nothing(api, account):
    payment_id = pay(api, account, "50.00", "gw_1").json()["id"]
    pay(api, account, "25.00", "gw_2")
    first = api.post(f"/api/v1/payments/{payment_id}/reverse/", {"reason": "chargeback"}, format="json")
    entries = LedgerEntry.objects.count()
    second = api.post(f"/api/v1/payments/{payment_id}/reverse/", {"reason": "error"}, format="json")
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["reversal_reason"] == "chargeback" and second.json()["reversed_at"] == first.json()[
        "reversed_at"]
    assert first["Idempotent-Replayed"] == "false" and second["Idempotent-Replayed"] == "true"
    assert LedgerEntry.objects.count() == entries
    account.refresh_from_db()
    assert account.balance == Decimal("975.00")
    assert CaseEvent.objects.filter(type="payment_reversed").count() == 1
    assert_reconciles(account)


def test_a_reversal_needs_a_known_reason(api, account):
    payment_id = pay(api, account, "50.00").json()["id"]
    response = api.post(f"/api/v1/payments/{payment_id}/reverse/", {"reason": "changed my mind"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert Payment.objects.get().status == "posted"


def test_payments_outside_the_callers_clients_are_404s(api, account, other_api):
    assert pay(other_api, account, "5.00").status_code == 404
    payment_id = pay(api, account, "5.00").json()["id"]
    assert other_api.get(f"/api/v1/payments/{payment_id}/").status_code == 404
    assert other_api.post(f"/api/v1/payments/{payment_id}/reverse/", {"reason": "nsf"}, format="json"
                          ).status_code == 404


def test_a_compliance_officer_may_read_but_not_post(account, compliance_officer, api):
    officer = api_for(compliance_officer)
    assert pay(officer, account, "5.00").status_code == 403
    pay(api, account, "5.00")
    assert officer.get(f"/api/v1/payments/?account={account.id}").json()["count"] == 1


def test_a_payment_writes_its_fact_on_the_timeline(api, account, collector):
    body = pay(api, account, "50.00", "gw_1").json()
    event = CaseEvent.objects.get(type="payment_received")
    assert event.account_ids == [account.id] and event.created_by == collector
    assert event.data["payment"] == body["id"] and event.data["allocations"] == {"fees": "20.00",
                                                                                 "interest": "30.00"}


def test_payment_endpoints_are_in_the_openapi_schema(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/payments/" in schema["paths"] and "/api/v1/payments/{id}/reverse/" in schema["paths"]
    reverse = schema["paths"]["/api/v1/payments/{id}/reverse/"]["post"]
    assert "changes nothing" in reverse["responses"]["200"]["description"]


def test_money_facts_cannot_be_posted_as_contract_events(api, account):
    response = api.post("/api/v1/events/", {"debtor": account.debtor_id, "type": "payment_received",
                                            "occurred_at": "2026-05-01T10:00:00-05:00"}, format="json")
    assert response.status_code == 400 and "type" in response.json()
