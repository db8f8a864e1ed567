"""The contract's gate endpoint end to end: facts in the database → decision → stored evidence."""

import datetime as dt

import pytest

from compliance.models import Decision
from tests.factories import AccountFactory, AddressFactory, CaseEventFactory, DebtorFactory, PhoneFactory

pytestmark = pytest.mark.django_db

CHICAGO_AND_NEW_YORK = ["America/Chicago", "America/New_York"]


@pytest.fixture
def account(acme):
    debtor = DebtorFactory(client=acme, timezones=CHICAGO_AND_NEW_YORK)
    AddressFactory(debtor=debtor)
    PhoneFactory(debtor=debtor, number="+12125550101", kind="mobile")
    return AccountFactory(debtor=debtor)


def check(api, account, at, **extra):
    body = {"account": account.id, "channel": "call", "target": "+12125550101", "at": at, **extra}
    response = api.post("/api/v1/compliance/check/", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_call_in_the_window_of_every_zone_is_allowed_and_stored(api, account, collector):
    answer = check(api, account, "2026-04-08T10:00:00-05:00")
    assert answer["allowed"] is True and answer["reasons"] == [] and answer["next_allowed_at"] is None
    assert answer["timezones"] == CHICAGO_AND_NEW_YORK
    record = Decision.objects.get(id=answer["decision"])
    assert record.allowed and record.actor == collector and record.account == account


def test_a_call_before_eight_in_chicago_is_blocked_until_eight_there(api, account):
    answer = check(api, account, "2026-04-08T07:59:59-05:00")
    assert answer["allowed"] is False
    assert [r["rule"] for r in answer["reasons"]] == ["REGF-1006.6b1i-inconvenient-time"]
    assert answer["next_allowed_at"] == "2026-04-08T13:00:00Z"


def test_a_call_at_nine_pm_in_new_york_is_blocked_even_though_it_is_eight_in_chicago(api, account):
    answer = check(api, account, "2026-04-08T20:00:00-05:00")
    assert answer["allowed"] is False
    assert answer["next_allowed_at"] == "2026-04-09T13:00:00Z"


def test_the_eighth_call_in_seven_days_is_blocked_until_the_window_rolls(api, account):
    for day in range(1, 8):
        CaseEventFactory(debtor=account.debtor, account_ids=[account.id], target="+12125550101",
                         occurred_at=dt.datetime(2026, 4, day, 15, tzinfo=dt.UTC))
    answer = check(api, account, "2026-04-07T18:00:00-05:00")
    assert [r["rule"] for r in answer["reasons"]] == ["REGF-1006.14b2iA-7in7"]
    assert answer["next_allowed_at"] == "2026-04-08T13:00:00Z"  # 08:00 Chicago on 8 April


def test_a_cease_notice_blocks_with_no_time_based_end(api, account):
    CaseEventFactory(debtor=account.debtor, type="cease_notice_received", outcome="", channel="letter",
                     direction="inbound", written=True, occurred_at=dt.datetime(2026, 4, 1, 15, tzinfo=dt.UTC))
    answer = check(api, account, "2026-04-08T10:00:00-05:00")
    assert answer["allowed"] is False and answer["next_allowed_at"] is None
    assert "REGF-1006.6c-cease" in [r["rule"] for r in answer["reasons"]]


def test_a_stored_decision_is_served_and_replays_to_the_same_verdict(api, account):
    answer = check(api, account, "2026-04-08T07:00:00-05:00")
    stored = api.get(f"/api/v1/compliance/decisions/{answer['decision']}/?replay=1").json()
    assert stored["allowed"] is False and stored["reasons"] == answer["reasons"]
    assert stored["replay"]["allowed"] is False
    assert stored["replay"]["reasons"] == answer["reasons"]
    assert stored["replay"]["next_allowed_at"] == answer["next_allowed_at"]


def test_another_clients_account_and_decisions_are_404(api, other_api, account):
    answer = check(api, account, "2026-04-08T10:00:00-05:00")
    body = {"account": account.id, "channel": "call", "target": "+12125550101"}
    assert other_api.post("/api/v1/compliance/check/", body, format="json").status_code == 404
    assert other_api.get(f"/api/v1/compliance/decisions/{answer['decision']}/").status_code == 404


@pytest.mark.parametrize("change", [{"channel": "pigeon"}, {"target": "not a phone"}, {"at": "soon"},
                                    {"direction": "sideways"}, {"message": {"purpose": "gossip"}}])
def test_bad_check_requests_are_400s_and_store_nothing(api, account, change):
    body = {"account": account.id, "channel": "call", "target": "+12125550101", **change}
    assert api.post("/api/v1/compliance/check/", body, format="json").status_code == 400
    assert not Decision.objects.exists()


def test_a_commercial_debt_is_outside_regulation_f(api, acme):
    debtor = DebtorFactory(client=acme, kind="business", timezones=["America/Chicago"])
    PhoneFactory(debtor=debtor, number="+13125550111", kind="work")
    account = AccountFactory(debtor=debtor, kind="commercial")
    answer = check(api, account, "2026-04-08T06:30:00-05:00", target="+13125550111")
    assert answer["allowed"] is True
