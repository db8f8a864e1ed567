"""The contract's Auth, Clients, Debtors, Accounts and Case events sections, as written."""

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from collections_app.models import Account, CaseEvent, Debtor
from tests.factories import AccountFactory, DebtorFactory

pytestmark = pytest.mark.django_db

JANE = {
    "kind": "person",
    "name": "Jane Doe",
    "external_ref": "C-1001",
    "date_of_birth": "1980-04-02",
    "addresses": [{"kind": "home", "line1": "1 Main St", "city": "Chicago", "state": "IL",
                   "postal_code": "60601", "country": "US"}],
    "phones": [{"kind": "mobile", "number": "+12125550101", "sms_consent": True}],
    "emails": [{"address": "Jane@Example.com", "employer_provided": False, "consent": True}],
}

D1 = {
    "reference": "D1", "kind": "consumer", "original_creditor": "Acme Bank", "current_creditor": "Acme Bank",
    "product": "credit card", "principal": "900.00", "interest": "80.00", "fees": "20.00",
    "open_date": "2021-03-01", "delinquency_date": "2023-01-15", "charge_off_date": "2023-07-01",
    "last_payment_date": "2023-01-02", "itemization_date": "2023-07-01",
}


def create_jane(api, acme):
    response = api.post("/api/v1/debtors/", {**JANE, "client": acme.id}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_token_is_issued_for_good_credentials_and_refused_for_bad(collector):
    client = APIClient()
    good = client.post("/api/v1/auth/token/", {"username": "alice", "password": "correct-horse-battery"},
                       format="json")
    assert good.status_code == 200 and len(good.json()["token"]) >= 20
    bad = client.post("/api/v1/auth/token/", {"username": "alice", "password": "nope"}, format="json")
    assert bad.status_code == 400


def test_calls_without_a_token_are_401(db):
    assert APIClient().get("/api/v1/debtors/").status_code == 401


def test_an_admin_creates_a_client_and_operator_type_defaults_to_third_party(admin_api):
    response = admin_api.post("/api/v1/clients/", {"name": "Acme Bank"}, format="json")
    assert response.status_code == 201
    assert response.json()["operator_type"] == "third_party_collector"
    assert isinstance(response.json()["id"], int)


def test_a_collector_may_not_create_a_client(api):
    assert api.post("/api/v1/clients/", {"name": "Sneaky"}, format="json").status_code == 403


def test_a_client_policy_looser_than_the_law_is_refused(admin_api):
    response = admin_api.post("/api/v1/clients/", {"name": "Night Owl", "call_window_end": "22:00"}, format="json")
    assert response.status_code == 400 and "call_window_start" in response.json()


def test_a_chicago_address_and_a_212_mobile_report_both_central_and_eastern(api, acme):
    body = create_jane(api, acme)
    assert body["timezones"] == ["America/Chicago", "America/New_York"]
    assert body["phones"][0]["id"] and body["emails"][0]["address"] == "jane@example.com"
    assert api.get(f"/api/v1/debtors/{body['id']}/").json() == body


def test_adding_a_phone_recomputes_the_debtor_time_zones(api, acme):
    body = create_jane(api, acme)
    response = api.post(f"/api/v1/debtors/{body['id']}/phones/", {"kind": "home", "number": "+18085550123"},
                        format="json")
    assert response.status_code == 201 and response.json()["number"] == "+18085550123"
    zones = api.get(f"/api/v1/debtors/{body['id']}/").json()["timezones"]
    assert "Pacific/Honolulu" in zones and "America/Chicago" in zones


def test_bad_debtor_input_is_a_400_that_writes_nothing(api, acme):
    bad = {**JANE, "client": acme.id, "phones": [{"kind": "mobile", "number": "not-a-phone"}]}
    response = api.post("/api/v1/debtors/", bad, format="json")
    assert response.status_code == 400 and "phones" in response.json()
    bad_state = {**JANE, "client": acme.id, "addresses": [{**JANE["addresses"][0], "state": "ZZ"}]}
    assert api.post("/api/v1/debtors/", bad_state, format="json").status_code == 400
    assert Debtor.objects.count() == 0


def test_an_external_ref_is_unique_per_client(api, acme):
    create_jane(api, acme)
    again = api.post("/api/v1/debtors/", {**JANE, "client": acme.id}, format="json")
    assert again.status_code == 400 and "external_ref" in again.json()


def test_an_account_reports_its_balances_and_time_barred_state(api, acme):
    debtor = create_jane(api, acme)
    response = api.post("/api/v1/accounts/", {**D1, "debtor": debtor["id"]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["balance"] == "1000.00"
    assert (body["principal_balance"], body["interest_balance"], body["fees_balance"]) == ("900.00", "80.00", "20.00")
    assert body["status"] == "open"
    assert body["governing_state"] == "IL"  # defaults to the debtor's home state
    assert body["time_barred"] is False and body["validation_period_end"] is None
    assert api.get(f"/api/v1/accounts/{body['id']}/").json() == body


def test_an_old_new_york_card_debt_is_time_barred(api, acme):
    debtor = create_jane(api, acme)
    old = {**D1, "reference": "OLD", "governing_state": "NY", "delinquency_date": "2019-01-15",
           "last_payment_date": "2019-01-02", "charge_off_date": "2019-07-01", "open_date": "2015-01-01"}
    assert api.post("/api/v1/accounts/", {**old, "debtor": debtor["id"]}, format="json").json()["time_barred"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [({"principal": "-5.00"}, "principal"), ({"principal": "abc"}, "principal"),
     ({"open_date": "2021-02-30"}, "open_date"), ({"governing_state": "XX"}, "governing_state"),
     ({"reference": ""}, "reference")],
)
def test_bad_account_input_is_a_400_naming_the_field(api, acme, change, field):
    debtor = create_jane(api, acme)
    response = api.post("/api/v1/accounts/", {**D1, "debtor": debtor["id"], **change}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert Account.objects.count() == 0


def test_an_account_reference_is_unique_per_client(api, acme):
    debtor = create_jane(api, acme)
    api.post("/api/v1/accounts/", {**D1, "debtor": debtor["id"]}, format="json")
    again = api.post("/api/v1/accounts/", {**D1, "debtor": debtor["id"]}, format="json")
    assert again.status_code == 400 and "reference" in again.json()


def test_events_are_stored_in_utc_and_listed_newest_first(api, acme):
    debtor = create_jane(api, acme)
    account = api.post("/api/v1/accounts/", {**D1, "debtor": debtor["id"]}, format="json").json()
    first = api.post("/api/v1/events/", {
        "debtor": debtor["id"], "accounts": [account["id"]], "type": "call_attempt",
        "occurred_at": "2026-04-04T09:00:00-05:00", "direction": "outbound", "channel": "call",
        "target": "+12125550101", "outcome": "no_answer"}, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["occurred_at"] == "2026-04-04T14:00:00Z"
    assert first.json()["accounts"] == [account["id"]]
    second = api.post("/api/v1/events/", {
        "debtor": debtor["id"], "type": "dispute_received", "occurred_at": "2026-04-05T09:00:00-05:00",
        "written": True, "data": {"portion": "partial", "amount": "35.00"}}, format="json")
    assert second.status_code == 201 and second.json()["accounts"] == []
    listed = api.get(f"/api/v1/debtors/{debtor['id']}/events/").json()["results"]
    assert [e["type"] for e in listed] == ["dispute_received", "call_attempt"]
    assert Account.objects.get(id=account["id"]).status == "disputed"


def test_a_validation_notice_sets_the_validation_period_end(api, acme):
    debtor = create_jane(api, acme)
    account = api.post("/api/v1/accounts/", {**D1, "debtor": debtor["id"]}, format="json").json()
    response = api.post("/api/v1/events/", {
        "debtor": debtor["id"], "accounts": [account["id"]], "type": "validation_notice_sent",
        "occurred_at": "2026-01-05T10:00:00-06:00", "channel": "letter"}, format="json")
    assert response.json()["data"]["validation_period_end"] == "2026-02-11"
    assert api.get(f"/api/v1/accounts/{account['id']}/").json()["validation_period_end"] == "2026-02-11"


def test_a_stated_location_replaces_the_inferred_zones(api, acme):
    debtor = create_jane(api, acme)
    api.post("/api/v1/events/", {"debtor": debtor["id"], "type": "location_stated",
                                 "occurred_at": "2026-04-05T09:00:00-05:00",
                                 "data": {"timezone": "Pacific/Honolulu"}}, format="json")
    assert api.get(f"/api/v1/debtors/{debtor['id']}/").json()["timezones"] == ["Pacific/Honolulu"]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"type": "made_up"}, "type"), ({"occurred_at": "yesterday"}, "occurred_at"),
     ({"type": "call_attempt", "outcome": ""}, "outcome"), ({"channel": "pigeon"}, "channel"),
     ({"type": "medium_opt_out", "data": {"channel": "fax"}}, "data"),
     ({"type": "location_stated", "data": {"timezone": "Mars/Olympus"}}, "data"),
     ({"accounts": [999999]}, "accounts"), ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
     ({"occurred_at": "2026-04-04T09:00:00"}, "occurred_at")],  # no UTC offset: whose 09:00?
)
def test_bad_events_are_400s_that_write_nothing(api, acme, change, field):
    debtor = create_jane(api, acme)
    body = {"debtor": debtor["id"], "type": "conversation", "occurred_at": "2026-04-04T09:00:00-05:00", **change}
    response = api.post("/api/v1/events/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not CaseEvent.objects.exclude(type="placement").exists()


def test_the_timeline_refuses_updates_and_deletes_in_the_database(acme):
    debtor = DebtorFactory(client=acme)
    event = CaseEvent.objects.create(client=acme, debtor=debtor, type="conversation",
                                     occurred_at=dt.datetime(2026, 4, 4, 14, tzinfo=dt.UTC))
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        CaseEvent.objects.filter(id=event.id).update(type="call_attempt")
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        CaseEvent.objects.filter(id=event.id).delete()


class TestIsolation:
    """A user of one client never sees, nor writes to, another client's objects: 404s."""

    @pytest.fixture
    def acme_objects(self, acme):
        account = AccountFactory(debtor=DebtorFactory(client=acme))
        event = CaseEvent.objects.create(client=acme, debtor=account.debtor, type="conversation",
                                         occurred_at=dt.datetime(2026, 4, 4, 14, tzinfo=dt.UTC))
        return account, event

    @pytest.mark.parametrize("path", ["/api/v1/debtors/{d}/", "/api/v1/debtors/{d}/events/",
                                      "/api/v1/accounts/{a}/", "/api/v1/events/{e}/", "/api/v1/clients/{c}/"])
    def test_reads_of_another_clients_objects_are_404(self, other_api, acme_objects, path):
        account, event = acme_objects
        url = path.format(d=account.debtor_id, a=account.id, e=event.id, c=account.client_id)
        assert other_api.get(url).status_code == 404

    def test_lists_show_only_the_callers_clients(self, other_api, api, acme_objects):
        account, _ = acme_objects
        for path in ("/api/v1/debtors/", "/api/v1/accounts/", "/api/v1/events/"):
            assert other_api.get(path).json()["count"] == 0
            assert api.get(path).json()["count"] >= 1
        assert account.client_id not in [c["id"] for c in other_api.get("/api/v1/clients/").json()["results"]]

    def test_writes_against_another_clients_objects_are_404_and_change_nothing(self, other_api, acme_objects):
        account, _ = acme_objects
        d = account.debtor_id
        before = (Debtor.objects.count(), Account.objects.count(), CaseEvent.objects.count())
        attempts = [
            ("/api/v1/debtors/", {**JANE, "client": account.client_id}),
            ("/api/v1/accounts/", {**D1, "debtor": d}),
            ("/api/v1/events/", {"debtor": d, "type": "conversation", "occurred_at": "2026-04-04T09:00:00Z"}),
            (f"/api/v1/debtors/{d}/phones/", {"number": "+13125550199"}),
            (f"/api/v1/debtors/{d}/emails/", {"address": "x@example.com"}),
            (f"/api/v1/debtors/{d}/addresses/", JANE["addresses"][0]),
        ]
        for path, body in attempts:
            assert other_api.post(path, body, format="json").status_code == 404, path
        assert (Debtor.objects.count(), Account.objects.count(), CaseEvent.objects.count()) == before


def test_a_compliance_officer_reads_but_may_not_write(compliance_officer, acme):
    from tests.conftest import api_for

    client = api_for(compliance_officer)
    assert client.get("/api/v1/debtors/").status_code == 200
    assert client.post("/api/v1/debtors/", {**JANE, "client": acme.id}, format="json").status_code == 403


def test_the_openapi_schema_and_docs_are_served(api):
    schema = api.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/debtors/" in schema.content
    assert api.get("/api/v1/docs/").status_code == 200


def test_a_cease_notice_posted_without_written_is_taken_as_written_and_a_call_attempt_is_not(api, acme):
    debtor = create_jane(api, acme)
    cease = api.post("/api/v1/events/", {"debtor": debtor["id"], "type": "cease_notice_received",
                                         "occurred_at": "2026-04-05T09:00:00-05:00"}, format="json")
    assert cease.json()["written"] is True
    oral = api.post("/api/v1/events/", {"debtor": debtor["id"], "type": "cease_notice_received", "written": False,
                                        "occurred_at": "2026-04-05T09:00:00-05:00"}, format="json")
    assert oral.json()["written"] is False
    call = api.post("/api/v1/events/", {"debtor": debtor["id"], "type": "conversation",
                                        "occurred_at": "2026-04-05T09:00:00-05:00"}, format="json")
    assert call.json()["written"] is False



def test_an_account_is_time_barred_from_the_day_after_its_last_day_to_sue(api, acme):
    debtor = create_jane(api, acme)
    body = api.post("/api/v1/accounts/", {**D1, "debtor": debtor["id"]}, format="json").json()
    today = timezone.localdate()
    Account.objects.filter(id=body["id"]).update(sol_expires_on=today)
    assert api.get(f"/api/v1/accounts/{body['id']}/").json()["time_barred"] is False  # the last day to sue
    Account.objects.filter(id=body["id"]).update(sol_expires_on=today - dt.timedelta(days=1))
    assert api.get(f"/api/v1/accounts/{body['id']}/").json()["time_barred"] is True
