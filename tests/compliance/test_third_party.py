"""REGF-1006.6d1-third-party and REGF-1006.6a4-deceased-estate."""

import pytest
from compliance_builders import HOME_PHONE, MOBILE, call, check, event, rules

from compliance.engine import Message
from compliance.engine.constants import DECEASED, THIRD_PARTY, Purpose

NOON = "2026-04-08T12:00:00-05:00"


@pytest.mark.parametrize(
    ("channel", "target"),
    [
        ("call", "+17135550199"),
        ("email", "someone@else.example"),
        ("letter", "address:99"),
        ("letter", "somewhere"),
    ],
)
def test_it_blocks_contact_points_that_are_not_the_consumers(
    channel: str, target: str
) -> None:
    assert rules(check(NOON, channel=channel, target=target)) == [THIRD_PARTY]


def test_it_matches_numbers_regardless_of_punctuation() -> None:
    assert check(NOON, target="+1 (312) 555-0101").allowed


def test_it_blocks_a_number_that_reached_a_wrong_party() -> None:
    wrong = call("2026-04-01T10:00:00-05:00", outcome="wrong_number", target=HOME_PHONE)
    assert rules(check(NOON, target=HOME_PHONE, events=[wrong])) == [THIRD_PARTY]
    assert check(NOON, target=MOBILE, events=[wrong]).allowed


def test_it_allows_a_location_inquiry_to_a_third_party() -> None:
    decision = check(
        NOON, target="+17135550199", message=Message(purpose=Purpose.LOCATION_INQUIRY)
    )
    assert decision.allowed


def test_it_blocks_contact_through_a_deceased_consumers_contact_points() -> None:
    died = event("deceased_notice", "2026-04-02T10:00:00-05:00")
    decision = check(NOON, events=[died])
    assert rules(decision) == [DECEASED]
    assert decision.next_allowed_at is None
    assert check(
        NOON, events=[died], message=Message(purpose=Purpose.LOCATION_INQUIRY)
    ).allowed


def test_it_allows_contact_with_the_consumers_attorney() -> None:
    """1006.6(d)(1)(ii): the consumer's attorney is not a third party."""
    notice = event(
        "attorney_representation_notice",
        "2026-04-02T10:00:00-05:00",
        data={"attorney": "A. Lawyer", "contact": "+13125559999"},
    )
    assert check(NOON, target="+13125559999", events=[notice]).allowed
    assert rules(check(NOON, target="+13125559999")) == [THIRD_PARTY]
