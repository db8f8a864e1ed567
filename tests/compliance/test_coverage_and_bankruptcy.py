"""REGF-1006.2-coverage, BK-11USC362-automatic-stay and BK-11USC524-discharge-injunction."""

import datetime as dt
from typing import Any

import pytest
from compliance_builders import OTHER_ACCOUNT, call, check, event, rules

from compliance.engine import Event
from compliance.engine.constants import (
    BANKRUPTCY_DISCHARGE,
    BANKRUPTCY_STAY,
    COVERAGE,
    Purpose,
)

LATE = "2026-04-08T22:30:00-05:00"
SEVEN_CALLS = [call(f"2026-04-0{d}T10:00:00-05:00") for d in range(1, 8)]


@pytest.mark.parametrize(
    "facts",
    [
        {"kind": "commercial"},
        {"debtor_kind": "business"},
        {"operator": "first_party_creditor"},
    ],
)
def test_it_skips_regulation_f_outside_its_coverage(facts: dict[str, str]) -> None:
    decision = check(LATE, events=SEVEN_CALLS, **facts)
    assert decision.allowed
    assert not decision.regf_applies
    assert [e.rule for e in decision.exemptions] == [COVERAGE]


def test_it_applies_regulation_f_to_a_collector_on_a_consumer_debt() -> None:
    decision = check(LATE)
    assert decision.regf_applies
    assert not decision.allowed


def bankruptcy(when: str = "2026-04-02T10:00:00-05:00", **fields: Any) -> Event:
    return event(
        "bankruptcy_filed",
        when,
        data={"case_number": "26-10001", "chapter": 7},
        **fields,
    )


@pytest.mark.parametrize(
    "facts", [{}, {"kind": "commercial"}, {"operator": "first_party_creditor"}]
)
def test_it_stops_collection_during_the_automatic_stay_for_everyone(
    facts: dict[str, str],
) -> None:
    decision = check("2026-04-08T12:00:00-05:00", events=[bankruptcy()], **facts)
    assert BANKRUPTCY_STAY in rules(decision)
    assert decision.next_allowed_at is None


def test_it_also_stops_credit_reporting_during_the_stay() -> None:
    assert BANKRUPTCY_STAY in rules(
        check(
            "2026-04-08T12:00:00-05:00", channel="credit_report", events=[bankruptcy()]
        )
    )


def test_it_replaces_the_stay_by_the_discharge_injunction() -> None:
    discharged = event("bankruptcy_discharged", "2026-07-02T10:00:00-05:00")
    decision = check(
        "2026-07-08T12:00:00-05:00",
        events=[bankruptcy(), discharged],
        kind="commercial",
    )
    assert rules(decision) == [BANKRUPTCY_DISCHARGE]


def test_it_lets_a_termination_notice_out_during_bankruptcy() -> None:
    from compliance.engine import Message

    decision = check(
        "2026-04-08T12:00:00-05:00",
        channel="letter",
        events=[bankruptcy()],
        message=Message(purpose=Purpose.TERMINATION_NOTICE),
    )
    assert decision.allowed


def test_a_bankruptcy_stays_every_debt_that_arose_before_the_petition_whichever_account_it_was_recorded_on() -> None:
    """11 USC 362(a)(6): "any act to collect ... a claim against the debtor that arose before the
    commencement of the case" -- not only the debt the filing was recorded against; a debt opened
    after the petition day arose after it and is not stayed."""
    recorded_elsewhere = [bankruptcy(accounts=[OTHER_ACCOUNT])]
    assert rules(check("2026-04-08T12:00:00-05:00", events=recorded_elsewhere)) == [BANKRUPTCY_STAY]
    assert rules(check("2026-04-08T12:00:00-05:00", events=recorded_elsewhere,
                       open_date=dt.date(2026, 4, 2))) == [BANKRUPTCY_STAY]  # opened on the petition day
    assert check("2026-04-08T12:00:00-05:00", events=recorded_elsewhere, open_date=dt.date(2026, 4, 3)).allowed


def test_it_ends_the_stay_for_every_debt_when_a_discharge_is_granted() -> None:
    """11 USC 362(c)(2)(C): the stay ends at the discharge; a debt it does not name (excepted
    from it) may be collected again, the discharged one never."""
    discharged_other = event(
        "bankruptcy_discharged", "2026-07-02T10:00:00-05:00", accounts=[OTHER_ACCOUNT]
    )
    assert check("2026-07-08T12:00:00-05:00", events=[bankruptcy(), discharged_other]).allowed
    assert rules(
        check(
            "2026-07-08T12:00:00-05:00",
            events=[bankruptcy(), discharged_other],
            account_id=OTHER_ACCOUNT,
        )
    ) == [BANKRUPTCY_DISCHARGE]
    earlier_case = event("bankruptcy_discharged", "2026-03-02T10:00:00-05:00")
    assert rules(
        check("2026-07-08T12:00:00-05:00", events=[earlier_case, bankruptcy()])
    ) == [BANKRUPTCY_STAY, BANKRUPTCY_DISCHARGE]
