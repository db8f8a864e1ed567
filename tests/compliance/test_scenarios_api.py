"""Regulatory scenarios played through the contract, as an acceptance suite would.

Every scenario is written from the regulation and its official commentary (12 CFR part 1006 and
Supplement I, 11 USC 362/524, the state texts quoted in ``shared/reference/regf-rules.md``), not
from this code: facts go in through the API (debtors, accounts, case events), the question goes
to ``POST /api/v1/compliance/check/``, and the verdict, the rule id and the exact
``next_allowed_at`` must be the regulation's. Where the catalogue marks a reading POLICY (the
08:00:00 / 21:00:00 instants, the day-counting zone, rolling 7-day windows for Massachusetts),
the scenario says so.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from compliance.models import Decision
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

INCONVENIENT_TIME = "REGF-1006.6b1i-inconvenient-time"
SEVEN_IN_SEVEN = "REGF-1006.14b2iA-7in7"
POST_CONVERSATION = "REGF-1006.14b2iB-post-conversation"
CEASE = "REGF-1006.6c-cease"
ATTORNEY = "REGF-1006.6b2-attorney"
DISPUTE = "REGF-1006.38d-dispute-cease"
ORIGINAL_CREDITOR = "REGF-1006.38c-original-creditor-request"
OPT_OUT = "REGF-1006.14h-medium-opt-out"
WORKPLACE = "REGF-1006.6b3-workplace"
STAY = "BK-11USC362-automatic-stay"
DISCHARGE = "BK-11USC524-discharge-injunction"
DECEASED = "REGF-1006.6a4-deceased-estate"
TIME_BARRED = "REGF-1006.26b-time-barred"
CA_TIME_BARRED_NOTICE = "STATE-CA-1788.14d-time-barred-notice"
TX_TIME_BARRED = "STATE-TX-392.307-time-barred"
NY_SOL = "STATE-NY-CPLR214i-3yr-SOL"
MA_LIMIT = "STATE-MA-209CMR18.16-call-text-limit"
VALIDATION_PERIOD = "REGF-1006.34b5-validation-period"
OPT_OUT_NOTICE = "REGF-1006.6e-electronic-opt-out-notice"
LIMITED_CONTENT = "REGF-1006.2j-limited-content-message"
POLICY_WINDOW = "POLICY-call-window"
POLICY_MAX_CALLS = "POLICY-max-calls-7d"
POLICY_SMS = "POLICY-sms-disabled"

COLLECTOR_TEXT = "This communication is from a debt collector. "


@dataclass
class Case:
    """One consumer with one debt (more on request), set up through the API."""

    api: APIClient
    debtor: int
    account: int
    phones: dict[str, str]
    timezones: list[str]

    def event(self, type_: str, at: str, *, accounts: list[int] | None = None, **fields: Any) -> dict:
        body = {"debtor": self.debtor, "accounts": [self.account] if accounts is None else accounts, "type": type_,
                "occurred_at": at, **fields}
        response = self.api.post("/api/v1/events/", body, format="json")
        assert response.status_code == 201, response.json()
        return response.json()

    def call_attempt(self, at: str, *, target: str | None = None, outcome: str = "no_answer",
                     accounts: list[int] | None = None) -> None:
        self.event("call_attempt", at, direction="outbound", channel="call", outcome=outcome,
                   target=target or next(iter(self.phones.values())), accounts=accounts)

    def another_account(self, **fields: Any) -> int:
        return _account(self.api, self.debtor, **fields)

    def check(self, at: str, *, channel: str = "call", account: int | None = None, **extra: Any) -> dict:
        body = {"account": account or self.account, "channel": channel, "at": at, **extra}
        if channel in ("call", "voicemail", "sms") and "target" not in extra:
            body["target"] = next(iter(self.phones.values()))
        response = self.api.post("/api/v1/compliance/check/", body, format="json")
        assert response.status_code == 200, response.json()
        return response.json()


def _account(api: APIClient, debtor: int, **fields: Any) -> int:
    body = {"debtor": debtor, "reference": f"D{debtor}-{fields.pop('n', 1)}", "kind": "consumer",
            "original_creditor": "Acme Bank", "current_creditor": "Acme Bank", "product": "credit card",
            "principal": "900.00", "interest": "80.00", "fees": "20.00", "open_date": "2024-03-01",
            "delinquency_date": "2025-06-15", **fields}
    response = api.post("/api/v1/accounts/", body, format="json")
    assert response.status_code == 201, response.json()
    return int(response.json()["id"])


_sequence = iter(range(1000, 10**6))


def consumer(api: APIClient, client_id: int, *, state: str, postal_code: str, phones: dict[str, str],
             kind: str = "person", emails: list[dict] | None = None, **account: Any) -> Case:
    body = {"client": client_id, "kind": kind, "name": "Jane Doe", "external_ref": f"S-{next(_sequence)}",
            "addresses": [{"kind": "home", "line1": "1 Main St", "city": "Town", "state": state,
                           "postal_code": postal_code, "country": "US"}],
            "phones": [{"kind": k, "number": n, "sms_consent": True} for k, n in phones.items()],
            "emails": emails or []}
    response = api.post("/api/v1/debtors/", body, format="json")
    assert response.status_code == 201, response.json()
    debtor = response.json()
    return Case(api, debtor["id"], _account(api, debtor["id"], **account), phones, debtor["timezones"])


def blocked(answer: dict, rule: str, next_allowed_at: str | None) -> None:
    assert answer["allowed"] is False, answer
    assert rule in [r["rule"] for r in answer["reasons"]], answer
    assert answer["next_allowed_at"] == next_allowed_at, answer


def only(answer: dict, rule: str, next_allowed_at: str | None) -> None:
    blocked(answer, rule, next_allowed_at)
    assert [r["rule"] for r in answer["reasons"]] == [rule], answer


def allowed(answer: dict) -> None:
    assert answer["allowed"] is True, answer
    assert answer["reasons"] == [] and answer["next_allowed_at"] is None, answer


@pytest.fixture
def collector_client(db):
    return ClientFactory(name="Third-party agency client")


@pytest.fixture
def chicago(admin_api, collector_client) -> Case:
    return consumer(admin_api, collector_client.id, state="IL", postal_code="60601",
                    phones={"mobile": "+13125550101"})


# -- 1006.6(b)(1)(i): 08:00-21:00 in every zone the consumer may be in ------------------------------

@pytest.mark.parametrize(("at", "next_allowed_at"), [
    ("2026-04-08T07:59:59-05:00", "2026-04-08T13:00:00Z"),
    ("2026-04-08T08:00:00-05:00", None),  # POLICY 13.1: 08:00:00 is convenient
    ("2026-04-08T20:59:59-05:00", None),
    ("2026-04-08T21:00:00-05:00", "2026-04-09T13:00:00Z"),  # POLICY 13.1: 21:00:00 is not
])
def test_the_window_edges_in_the_consumers_zone(chicago, at, next_allowed_at):
    assert chicago.timezones == ["America/Chicago"]
    answer = chicago.check(at)
    if next_allowed_at is None:
        allowed(answer)
    else:
        only(answer, INCONVENIENT_TIME, next_allowed_at)


@pytest.mark.parametrize(("at", "next_allowed_at"), [
    ("2026-04-08T10:59:59-04:00", "2026-04-08T15:00:00Z"),  # 07:59:59 in Los Angeles
    ("2026-04-08T11:00:00-04:00", None),
    ("2026-04-08T20:59:59-04:00", None),
    ("2026-04-08T21:00:00-04:00", "2026-04-09T15:00:00Z"),
])
def test_an_eastern_mobile_and_a_pacific_home_allow_eleven_to_nine_eastern(admin_api, collector_client, at,
                                                                          next_allowed_at):
    """Comment 6(b)(1)(i)-2, first example: 11:00 a.m.-9:00 p.m. ET."""
    case = consumer(admin_api, collector_client.id, state="CA", postal_code="90012",
                    phones={"mobile": "+12125550199"})
    assert set(case.timezones) == {"America/Los_Angeles", "America/New_York"}
    answer = case.check(at)
    if next_allowed_at is None:
        allowed(answer)
    else:
        only(answer, INCONVENIENT_TIME, next_allowed_at)


def test_an_eastern_mobile_and_a_mountain_home_allow_ten_to_nine_eastern(admin_api, collector_client):
    """Comment 6(b)(1)(i)-2, second example: 10:00 a.m.-9:00 p.m. ET."""
    case = consumer(admin_api, collector_client.id, state="CO", postal_code="80202", phones={"mobile": "+12125550198"})
    assert set(case.timezones) == {"America/Denver", "America/New_York"}
    only(case.check("2026-04-08T09:59:59-04:00"), INCONVENIENT_TIME, "2026-04-08T14:00:00Z")
    allowed(case.check("2026-04-08T10:00:00-04:00"))
    allowed(case.check("2026-04-08T20:59:59-04:00"))


@pytest.mark.parametrize(("at", "next_allowed_at"), [
    ("2026-03-08T06:30:00Z", "2026-03-08T12:00:00Z"),  # 01:30 EST; clocks jump at 02:00 to 03:00 EDT
    ("2026-03-08T11:59:59Z", "2026-03-08T12:00:00Z"),  # 07:59:59 EDT
    ("2026-03-08T12:00:00Z", None),  # 08:00 EDT, an hour earlier in UTC than the day before
    ("2026-03-07T12:30:00Z", "2026-03-07T13:00:00Z"),  # 07:30 EST the day before
])
def test_new_york_on_the_spring_forward_day(admin_api, collector_client, at, next_allowed_at):
    case = consumer(admin_api, collector_client.id, state="NY", postal_code="10001", phones={"mobile": "+12125550197"})
    answer = case.check(at)
    if next_allowed_at is None:
        allowed(answer)
    else:
        only(answer, INCONVENIENT_TIME, next_allowed_at)


@pytest.mark.parametrize(("at", "next_allowed_at"), [
    ("2026-11-01T05:30:00Z", "2026-11-01T13:00:00Z"),  # 01:30 EDT, before clocks fall back to 01:00 EST
    ("2026-11-01T06:30:00Z", "2026-11-01T13:00:00Z"),  # 01:30 EST, the repeated hour
    ("2026-11-01T12:59:59Z", "2026-11-01T13:00:00Z"),  # 07:59:59 EST
    ("2026-11-01T13:00:00Z", None),
    ("2026-11-01T01:00:00Z", "2026-11-01T13:00:00Z"),  # 21:00 EDT on 31 October
])
def test_new_york_on_the_fall_back_day(admin_api, collector_client, at, next_allowed_at):
    case = consumer(admin_api, collector_client.id, state="NY", postal_code="10001", phones={"mobile": "+12125550196"})
    answer = case.check(at)
    if next_allowed_at is None:
        allowed(answer)
    else:
        only(answer, INCONVENIENT_TIME, next_allowed_at)


def test_arizona_keeps_standard_time_when_the_rest_springs_forward(admin_api, collector_client):
    case = consumer(admin_api, collector_client.id, state="AZ", postal_code="85004", phones={"mobile": "+16025550195"})
    assert case.timezones == ["America/Phoenix"]
    only(case.check("2026-03-08T14:59:59Z"), INCONVENIENT_TIME, "2026-03-08T15:00:00Z")
    allowed(case.check("2026-03-08T15:00:00Z"))
    allowed(case.check("2026-03-09T03:59:59Z"))  # 20:59:59 MST
    only(case.check("2026-03-09T04:00:00Z"), INCONVENIENT_TIME, "2026-03-09T15:00:00Z")


def test_a_phoenix_home_and_a_denver_mobile_after_the_switch(admin_api, collector_client):
    """Mixed zones whose offsets differ only part of the year: after 8 March Denver is UTC-6 and
    Phoenix UTC-7, so the window is 08:00 Phoenix (15:00Z) to 21:00 Denver (03:00Z)."""
    case = consumer(admin_api, collector_client.id, state="AZ", postal_code="85004", phones={"mobile": "+17205550194"})
    assert set(case.timezones) == {"America/Phoenix", "America/Denver"}
    only(case.check("2026-03-08T14:30:00Z"), INCONVENIENT_TIME, "2026-03-08T15:00:00Z")
    allowed(case.check("2026-03-09T02:59:59Z"))
    only(case.check("2026-03-09T03:00:00Z"), INCONVENIENT_TIME, "2026-03-09T15:00:00Z")


def test_hawaii_is_ten_hours_behind_utc_all_year(admin_api, collector_client):
    case = consumer(admin_api, collector_client.id, state="HI", postal_code="96813", phones={"mobile": "+18085550193"})
    only(case.check("2026-07-08T07:59:59-10:00"), INCONVENIENT_TIME, "2026-07-08T18:00:00Z")
    allowed(case.check("2026-07-08T08:00:00-10:00"))


def test_a_letter_has_no_time_of_day(chicago):
    """Catalogue 13.8 (POLICY): Regulation F does not say when a letter occurs."""
    allowed(chicago.check("2026-04-08T23:30:00-05:00", channel="letter"))


def test_consumer_designated_inconvenient_times_are_blocked(chicago):
    """Comment 6(b)(1)-1: "don't call me on weekdays between 9 and 5"."""
    chicago.event("inconvenient_time_designation", "2026-04-01T10:00:00-05:00", direction="inbound", channel="call",
                  data={"weekdays": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"})
    only(chicago.check("2026-04-08T10:00:00-05:00"), INCONVENIENT_TIME, "2026-04-08T22:00:00Z")  # Wed 17:00 CDT
    allowed(chicago.check("2026-04-08T08:30:00-05:00"))


# -- 1006.14(b): 7 calls in 7 days, 7 days after a conversation -----------------------------------

def test_the_eighth_call_within_seven_consecutive_days_waits_for_the_eighth_day(chicago):
    """Comment 14(b)(2)(i)-1.i: calls on 1-7 April; the next call may be placed on 8 April."""
    for day in range(1, 8):
        chicago.call_attempt(f"2026-04-0{day}T10:00:00-05:00")
    only(chicago.check("2026-04-07T18:00:00-05:00"), SEVEN_IN_SEVEN, "2026-04-08T13:00:00Z")
    allowed(chicago.check("2026-04-08T08:00:00-05:00"))


def test_a_busy_signal_is_not_a_placed_call(chicago):
    """1006.14(b)(3)(ii), comment 14(b)(3)(ii)-1: busy and not-in-service calls are not counted."""
    for day in range(1, 8):
        chicago.call_attempt(f"2026-04-0{day}T10:00:00-05:00", outcome="busy" if day == 3 else "no_answer")
    allowed(chicago.check("2026-04-07T18:00:00-05:00"))


def test_calls_to_a_number_learned_to_be_wrong_are_not_counted(admin_api, collector_client):
    """Comment 14(b)(2)(i)-3: calls to a number the collector later learns is not the person's."""
    case = consumer(admin_api, collector_client.id, state="IL", postal_code="60601",
                    phones={"mobile": "+13125550111", "home": "+13125550112"})
    for day in range(1, 7):
        case.call_attempt(f"2026-04-0{day}T10:00:00-05:00", target="+13125550112")
    case.call_attempt("2026-04-07T10:00:00-05:00", target="+13125550112", outcome="wrong_number")
    case.call_attempt("2026-04-07T11:00:00-05:00", target="+13125550111")
    allowed(case.check("2026-04-07T18:00:00-05:00", target="+13125550111"))


def test_calls_about_another_debt_do_not_count(chicago):
    """1006.14(b)(4): the frequencies are per particular debt."""
    other = chicago.another_account(n=2)
    for day in range(1, 8):
        chicago.call_attempt(f"2026-04-0{day}T10:00:00-05:00", accounts=[other])
    only(chicago.check("2026-04-07T18:00:00-05:00", account=other), SEVEN_IN_SEVEN, "2026-04-08T13:00:00Z")
    allowed(chicago.check("2026-04-07T18:00:00-05:00"))


def test_a_conversation_blocks_calls_through_the_sixth_following_day(chicago):
    """1006.14(b)(2)(i)(B): the conversation's date is day 1 -- 1 April blocks 1-7 April."""
    chicago.event("conversation", "2026-04-01T10:00:00-05:00", direction="outbound", channel="call")
    only(chicago.check("2026-04-07T20:00:00-05:00"), POST_CONVERSATION, "2026-04-08T13:00:00Z")


def test_six_days_and_twenty_three_hours_after_a_late_conversation_is_already_the_eighth_day(chicago):
    """Days, not hours: a conversation at 20:00 on 1 April leaves 8 April (19:00, 6 d 23 h later) free."""
    chicago.event("conversation", "2026-04-01T20:00:00-05:00", direction="inbound", channel="call")
    allowed(chicago.check("2026-04-08T19:00:00-05:00"))
    only(chicago.check("2026-04-07T19:00:00-05:00"), POST_CONVERSATION, "2026-04-08T13:00:00Z")


def test_a_conversation_does_not_restrict_letters(chicago):
    chicago.event("conversation", "2026-04-07T10:00:00-05:00", direction="outbound", channel="call")
    allowed(chicago.check("2026-04-07T12:00:00-05:00", channel="letter"))


# -- Stopping events ----------------------------------------------------------------------------------

def test_a_written_cease_notice_stops_every_channel_with_no_time_based_end(chicago):
    chicago.event("cease_notice_received", "2026-04-01T10:00:00-05:00", direction="inbound", channel="letter",
                  written=True)
    blocked(chicago.check("2026-04-08T10:00:00-05:00"), CEASE, None)
    blocked(chicago.check("2026-04-08T10:00:00-05:00", channel="letter"), CEASE, None)


@pytest.mark.parametrize("purpose", ["termination_notice", "remedy_notice"])
def test_after_a_cease_notice_the_permitted_letters_remain(chicago, purpose):
    """1006.6(c)(2): ending our efforts; a remedy we may or intend to invoke."""
    chicago.event("cease_notice_received", "2026-04-01T10:00:00-05:00", direction="inbound", channel="letter",
                  written=True)
    allowed(chicago.check("2026-04-08T10:00:00-05:00", channel="letter", message={"purpose": purpose}))


def test_an_oral_stop_calling_is_an_opt_out_of_calls_not_a_cease_notice(chicago):
    """Catalogue REGF-1006.6c: an oral request is not a 1006.6(c) notice; it opts out of the medium."""
    chicago.event("cease_notice_received", "2026-04-01T10:00:00-05:00", direction="inbound", channel="call",
                  written=False, data={"channel": "call"})
    only(chicago.check("2026-04-08T10:00:00-05:00"), OPT_OUT, None)
    allowed(chicago.check("2026-04-08T10:00:00-05:00", channel="letter"))


def test_a_medium_opt_out_bars_only_that_medium(chicago):
    chicago.event("medium_opt_out", "2026-04-01T10:00:00-05:00", direction="inbound", channel="call",
                  data={"channel": "call"})
    answer = chicago.check("2026-04-08T10:00:00-05:00")
    only(answer, OPT_OUT, None)
    allowed(chicago.check("2026-04-08T10:00:00-05:00", channel="letter"))


def test_attorney_representation_blocks_until_the_attorney_consents(chicago):
    chicago.event("attorney_representation_notice", "2026-04-01T10:00:00-05:00", written=True,
                  data={"attorney": "Saul Goodman", "contact": "+15055550100"})
    answer = chicago.check("2026-04-08T10:00:00-05:00")
    only(answer, ATTORNEY, None)
    assert answer["reasons"][0]["unblocked_by"] == "attorney_consent_to_direct_contact"
    chicago.event("attorney_consent_to_direct_contact", "2026-04-09T10:00:00-05:00")
    allowed(chicago.check("2026-04-10T10:00:00-05:00"))


def test_a_represented_consumers_own_call_may_be_answered_once(chicago):
    """Comment 6(b)(2)-1: consent to that communication only; then the bar resumes."""
    chicago.event("attorney_representation_notice", "2026-04-01T10:00:00-05:00", written=True,
                  data={"attorney": "Saul Goodman"})
    chicago.event("inbound_call", "2026-04-08T09:00:00-05:00", direction="inbound", channel="call",
                  target="+13125550101")
    allowed(chicago.check("2026-04-08T10:00:00-05:00", direction="inbound_response"))
    chicago.call_attempt("2026-04-08T10:00:00-05:00", outcome="voicemail_left")
    only(chicago.check("2026-04-08T11:00:00-05:00", direction="inbound_response"), ATTORNEY, None)


def _validation_notice(case: Case, at: str) -> str:
    event = case.event("validation_notice_sent", at, direction="outbound", channel="letter")
    return event["data"]["validation_period_end"]


def test_a_written_dispute_within_the_validation_period_suspends_collection_until_verification(chicago):
    assert _validation_notice(chicago, "2026-04-08T10:00:00-05:00") == "2026-05-15"  # receipt 15 April + 30 days
    chicago.event("dispute_received", "2026-05-15T16:00:00-05:00", direction="inbound", channel="letter",
                  written=True, data={"portion": "entire"})
    answer = chicago.check("2026-05-18T10:00:00-05:00")
    only(answer, DISPUTE, None)
    assert answer["reasons"][0]["unblocked_by"] == "verification_sent"
    blocked(chicago.check("2026-05-18T10:00:00-05:00", channel="letter"), DISPUTE, None)
    allowed(chicago.check("2026-05-18T10:00:00-05:00", channel="letter", message={"purpose": "verification"}))
    chicago.event("verification_sent", "2026-05-20T10:00:00-05:00", direction="outbound", channel="letter")
    allowed(chicago.check("2026-05-21T10:00:00-05:00"))


def test_a_dispute_after_the_validation_period_does_not_suspend_collection(chicago):
    _validation_notice(chicago, "2026-04-08T10:00:00-05:00")
    chicago.event("dispute_received", "2026-05-16T10:00:00-05:00", direction="inbound", channel="letter",
                  written=True, data={"portion": "entire"})
    allowed(chicago.check("2026-05-18T10:00:00-05:00"))


def test_an_oral_dispute_does_not_suspend_collection(chicago):
    """Comment 38-1 / 1006.38(d): only a dispute submitted in writing."""
    _validation_notice(chicago, "2026-04-08T10:00:00-05:00")
    chicago.event("dispute_received", "2026-04-20T10:00:00-05:00", direction="inbound", channel="call",
                  written=False, data={"portion": "entire"})
    allowed(chicago.check("2026-04-21T10:00:00-05:00"))


def test_an_original_creditor_request_within_the_period_suspends_collection(chicago):
    _validation_notice(chicago, "2026-04-08T10:00:00-05:00")
    chicago.event("original_creditor_request_received", "2026-04-20T10:00:00-05:00", direction="inbound",
                  channel="letter", written=True)
    answer = chicago.check("2026-04-21T10:00:00-05:00")
    only(answer, ORIGINAL_CREDITOR, None)
    assert answer["reasons"][0]["unblocked_by"] == "verification_sent"


@pytest.mark.parametrize(("period_end", "ok"), [("2026-05-14", False), ("2026-05-15", True)])
def test_a_validation_notice_may_not_end_the_period_before_thirty_days_after_receipt(chicago, period_end, ok):
    """1006.34(b)(5): receipt assumed five days (no weekends, holidays) after sending -- sent
    Wednesday 8 April 2026, received Wednesday 15 April, period ends 15 May at the earliest."""
    text = ("We are a debt collector attempting to collect a debt; any information obtained will be used for "
            "that purpose. You may dispute the debt by " + period_end + ".")
    answer = chicago.check("2026-04-08T10:00:00-05:00", channel="letter",
                           message={"purpose": "validation_notice", "validation_period_end": period_end,
                                    "text": text})
    if ok:
        assert VALIDATION_PERIOD not in [r["rule"] for r in answer["reasons"]], answer
    else:
        blocked(answer, VALIDATION_PERIOD, None)


def test_a_workplace_whose_employer_prohibits_contact_is_off_limits_but_the_mobile_is_not(admin_api,
                                                                                         collector_client):
    case = consumer(admin_api, collector_client.id, state="IL", postal_code="60601",
                    phones={"mobile": "+13125550121", "work": "+13125550122"})
    case.event("employer_prohibits_contact", "2026-04-01T10:00:00-05:00", direction="inbound", channel="call")
    only(case.check("2026-04-08T10:00:00-05:00", target="+13125550122"), WORKPLACE, None)
    allowed(case.check("2026-04-08T10:00:00-05:00", target="+13125550121"))


def test_a_bankruptcy_petition_stays_collection_and_a_discharge_ends_it_for_good(chicago):
    chicago.event("bankruptcy_filed", "2026-04-01T10:00:00-05:00", data={"case_number": "26-10001", "chapter": 7})
    only(chicago.check("2026-04-08T10:00:00-05:00"), STAY, None)
    chicago.event("bankruptcy_discharged", "2026-07-01T10:00:00-05:00")
    only(chicago.check("2026-07-08T10:00:00-05:00"), DISCHARGE, None)


def test_the_bankruptcy_stay_binds_a_creditor_collecting_its_own_debt(admin_api):
    creditor = ClientFactory(name="Own-debt creditor", operator_type="first_party_creditor")
    case = consumer(admin_api, creditor.id, state="IL", postal_code="60601", phones={"mobile": "+13125550131"})
    allowed(case.check("2026-04-08T06:30:00-05:00"))  # Regulation F does not reach a first-party creditor
    case.event("bankruptcy_filed", "2026-04-01T10:00:00-05:00", data={"case_number": "26-10002"})
    only(case.check("2026-04-08T10:00:00-05:00"), STAY, None)


def test_a_deceased_consumers_own_number_is_not_called(chicago):
    chicago.event("deceased_notice", "2026-04-01T10:00:00-05:00", accounts=[], direction="inbound", channel="letter")
    only(chicago.check("2026-04-08T10:00:00-05:00"), DECEASED, None)


def test_a_commercial_debt_is_outside_regulation_f(admin_api, collector_client):
    """1006.2(h): only consumer (personal, family, household) obligations are debts."""
    debtor = admin_api.post("/api/v1/debtors/", {
        "client": collector_client.id, "kind": "business", "name": "Acme Hardware LLC", "external_ref": "B-1",
        "addresses": [{"kind": "work", "line1": "1 Main St", "city": "Chicago", "state": "IL",
                       "postal_code": "60601", "country": "US"}],
        "phones": [{"kind": "work", "number": "+13125550141"}]}, format="json").json()
    account = _account(admin_api, debtor["id"], kind="commercial")
    case = Case(admin_api, debtor["id"], account, {"work": "+13125550141"}, debtor["timezones"])
    for day in range(1, 8):
        case.call_attempt(f"2026-04-0{day}T10:00:00-05:00")
    allowed(case.check("2026-04-07T06:30:00-05:00"))


# -- Time-barred debts and the state overlays --------------------------------------------------------

SUIT_THREAT = COLLECTOR_TEXT + "If you do not pay within 30 days we will file a lawsuit against you."


def test_threatening_suit_on_a_time_barred_california_debt(admin_api, collector_client):
    """1006.26(b); Cal. Civ. Code 1788.14(d) notice; CCP 337: 4 years for written contracts."""
    case = consumer(admin_api, collector_client.id, state="CA", postal_code="90012", phones={"mobile": "+12135550151"},
                    open_date="2015-01-10", delinquency_date="2017-02-01", last_payment_date="2017-01-15",
                    charge_off_date="2017-08-01")
    answer = case.check("2026-04-08T10:00:00-07:00", channel="letter", message={"text": SUIT_THREAT})
    blocked(answer, TIME_BARRED, None)
    assert CA_TIME_BARRED_NOTICE in [r["rule"] for r in answer["reasons"]]


def test_a_time_barred_california_letter_with_the_notice_and_no_threat_passes(admin_api, collector_client):
    case = consumer(admin_api, collector_client.id, state="CA", postal_code="90012", phones={"mobile": "+12135550152"},
                    open_date="2015-01-10", delinquency_date="2017-02-01", last_payment_date="2017-01-15",
                    charge_off_date="2017-08-01")
    _validation_notice(case, "2026-03-02T10:00:00-08:00")
    text = (COLLECTOR_TEXT + "The law limits how long you can be sued on a debt. Because of the age of your debt, "
            "we will not sue you for it. The state Rosenthal Fair Debt Collection Practices Act and the federal "
            "Fair Debt Collection Practices Act require that, except under unusual circumstances, collectors may "
            "not contact you before 8 a.m. or after 9 p.m.")
    allowed(case.check("2026-04-08T10:00:00-07:00", channel="letter", message={"text": text}))


def test_a_texas_debt_buyer_must_give_the_time_barred_notice(admin_api, collector_client):
    case = consumer(admin_api, collector_client.id, state="TX", postal_code="77002", phones={"mobile": "+17135550161"},
                    open_date="2015-01-10", delinquency_date="2017-02-01", last_payment_date="2017-01-15",
                    charge_off_date="2017-08-01")
    _validation_notice(case, "2026-03-02T10:00:00-06:00")
    answer = case.check("2026-04-08T10:00:00-05:00", channel="letter",
                        message={"text": COLLECTOR_TEXT + "Please call us about your account."})
    only(answer, TX_TIME_BARRED, None)


def test_new_york_consumer_credit_is_barred_three_years_after_default(admin_api, collector_client):
    """CPLR 214-i (from 7 April 2022): three years; the stored contract SOL (6 years) does not save it."""
    case = consumer(admin_api, collector_client.id, state="NY", postal_code="10001", phones={"mobile": "+12125550171"},
                    open_date="2021-01-10", delinquency_date="2022-06-01", last_payment_date="2022-05-01",
                    charge_off_date="2022-12-01")
    _validation_notice(case, "2026-03-02T10:00:00-05:00")
    blocked(case.check("2026-04-08T10:00:00-04:00", channel="letter", message={"text": SUIT_THREAT}), NY_SOL, None)


def test_massachusetts_allows_two_calls_in_seven_days_to_a_residence_or_mobile(admin_api, collector_client):
    """209 CMR 18.16(1)(d); each seven-day period read as rolling local days (POLICY, catalogue 13.10)."""
    case = consumer(admin_api, collector_client.id, state="MA", postal_code="02108", phones={"mobile": "+16175550181"})
    case.call_attempt("2026-04-06T10:00:00-04:00", outcome="voicemail_left")
    case.call_attempt("2026-04-07T10:00:00-04:00", outcome="voicemail_left")
    only(case.check("2026-04-08T10:00:00-04:00"), MA_LIMIT, "2026-04-13T12:00:00Z")
    allowed(case.check("2026-04-13T08:00:00-04:00"))


# -- Client policy: stricter, never looser -----------------------------------------------------------

def test_a_clients_narrower_hours_fewer_calls_and_no_texts(admin_api):
    strict = ClientFactory(name="Strict bank", call_window_start=dt.time(9), call_window_end=dt.time(18),
                           max_calls_per_7_days=3, sms_enabled=False)
    case = consumer(admin_api, strict.id, state="IL", postal_code="60601", phones={"mobile": "+13125550191"})
    only(case.check("2026-04-08T08:30:00-05:00"), POLICY_WINDOW, "2026-04-08T14:00:00Z")
    only(case.check("2026-04-08T18:00:00-05:00"), POLICY_WINDOW, "2026-04-09T14:00:00Z")
    for day in (6, 7, 8):
        case.call_attempt(f"2026-04-0{day}T10:00:00-05:00")
    only(case.check("2026-04-08T12:00:00-05:00"), POLICY_MAX_CALLS, "2026-04-13T14:00:00Z")
    blocked(case.check("2026-04-08T12:00:00-05:00", channel="sms",
                       message={"text": COLLECTOR_TEXT + "Reply STOP to opt out."}), POLICY_SMS, None)


def test_a_client_cannot_be_given_looser_hours_than_the_law(admin_api):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientFactory(name="Loose bank", call_window_start=dt.time(6), call_window_end=dt.time(23))


# -- Content ---------------------------------------------------------------------------------------

def test_an_email_without_opt_out_instructions_is_blocked(admin_api, collector_client):
    case = consumer(admin_api, collector_client.id, state="IL", postal_code="60601", phones={"mobile": "+13125550201"},
                    emails=[{"address": "jane@example.com", "consent": True}])
    _validation_notice(case, "2026-03-02T10:00:00-06:00")
    answer = case.check("2026-04-08T10:00:00-05:00", channel="email", target="jane@example.com",
                        message={"subject": "Your account", "text": COLLECTOR_TEXT + "Please call us."})
    only(answer, OPT_OUT_NOTICE, None)
    allowed(case.check("2026-04-08T10:00:00-05:00", channel="email", target="jane@example.com",
                       message={"subject": "Your account",
                                "text": COLLECTOR_TEXT + "Please call us. Click here to opt out of further emails."}))


def test_a_voicemail_that_mentions_the_debt_is_not_a_limited_content_message(chicago):
    _validation_notice(chicago, "2026-03-02T10:00:00-06:00")
    text = "This is Robin Smith from ABC Inc calling about your overdue balance. Call me at 1-800-555-1212."
    blocked(chicago.check("2026-04-08T10:00:00-05:00", channel="voicemail",
                          message={"purpose": "limited_content", "text": text}), LIMITED_CONTENT, None)
    allowed(chicago.check("2026-04-08T10:00:00-05:00", channel="voicemail", message={
        "purpose": "limited_content", "text": "This is Robin Smith calling from ABC Inc. Please contact me or Jim "
                                               "Johnson at 1-800-555-1212."}))


# -- Evidence --------------------------------------------------------------------------------------

def test_every_check_is_stored_with_its_inputs_and_appears_on_the_timeline(chicago, admin_user):
    answer = chicago.check("2026-04-08T07:00:00-05:00")
    record = Decision.objects.get(id=answer["decision"])
    assert record.snapshot["request"]["at"] == "2026-04-08T12:00:00+00:00"
    assert record.snapshot["debtor"]["timezones"] == ["America/Chicago"]
    events = chicago.api.get(f"/api/v1/debtors/{chicago.debtor}/events/").json()
    events = events.get("results", events)
    decision_events = [e for e in events if e["type"] == "compliance_decision"]
    assert len(decision_events) == 1
    assert decision_events[0]["data"]["decision"] == answer["decision"]
    assert decision_events[0]["data"]["rules"] == [INCONVENIENT_TIME]
    replay = chicago.api.get(f"/api/v1/compliance/decisions/{answer['decision']}/?replay=1").json()["replay"]
    assert replay["reasons"] == answer["reasons"] and replay["next_allowed_at"] == answer["next_allowed_at"]
