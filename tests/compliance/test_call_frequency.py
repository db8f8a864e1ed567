"""REGF-1006.14b2iA-7in7, REGF-1006.14b2iB-post-conversation and the excluded calls."""

from datetime import timedelta
from typing import Any

import pytest
from compliance_builders import (
    HOME_PHONE,
    MOBILE,
    OTHER_ACCOUNT,
    call,
    check,
    event,
    rules,
    t,
)

from compliance.engine import Event
from compliance.engine.constants import (
    EXCLUDED_CALLS,
    POST_CONVERSATION,
    SEVEN_IN_SEVEN,
)

APRIL_1 = t("2026-04-01T10:00:00-05:00")


def daily_calls(days: int, **fields: Any) -> list[Event]:
    return [call(APRIL_1 + timedelta(days=n), **fields) for n in range(days)]


def test_it_allows_the_seventh_call_in_seven_days() -> None:
    assert check("2026-04-07T15:00:00-05:00", events=daily_calls(6)).allowed


def test_it_blocks_the_eighth_call_in_seven_days() -> None:
    decision = check("2026-04-07T15:00:00-05:00", events=daily_calls(7))
    assert rules(decision) == [SEVEN_IN_SEVEN]
    assert decision.next_allowed_at == t(
        "2026-04-08T13:00:00+00:00"
    )  # 8 April, 08:00 CDT


def test_it_allows_the_next_call_on_the_eighth_day() -> None:
    assert check("2026-04-08T08:00:00-05:00", events=daily_calls(7)).allowed


def test_it_counts_seven_calls_on_one_day_as_a_full_window() -> None:
    burst = [call(APRIL_1 + timedelta(minutes=10 * n)) for n in range(7)]
    decision = check("2026-04-03T12:00:00-05:00", events=burst)
    assert rules(decision) == [SEVEN_IN_SEVEN]
    assert decision.next_allowed_at == t("2026-04-08T13:00:00+00:00")


def test_it_rolls_the_window_day_by_day() -> None:
    calls = [call(APRIL_1 + timedelta(days=n)) for n in (0, 0, 2, 3, 4, 5, 6)]
    decision = check("2026-04-07T20:00:00-05:00", events=calls)
    assert decision.next_allowed_at == t("2026-04-08T13:00:00+00:00")
    calls = [call(APRIL_1 + timedelta(days=n)) for n in (0, 2, 2, 3, 4, 5, 6)]
    decision = check("2026-04-07T20:00:00-05:00", events=calls)
    assert decision.next_allowed_at == t("2026-04-08T13:00:00+00:00")
    calls = [call(APRIL_1 + timedelta(days=n)) for n in (2, 2, 2, 3, 4, 5, 6)]
    decision = check("2026-04-07T20:00:00-05:00", events=calls)
    assert decision.next_allowed_at == t("2026-04-10T13:00:00+00:00")


@pytest.mark.parametrize(
    "outcome", ["no_answer", "voicemail_left", "voicemail_no_message", "third_party"]
)
def test_it_counts_connected_calls_whatever_the_outcome(outcome: str) -> None:
    assert not check(
        "2026-04-07T15:00:00-05:00", events=daily_calls(7, outcome=outcome)
    ).allowed


@pytest.mark.parametrize("outcome", ["busy", "disconnected", "wrong_number"])
def test_it_does_not_count_calls_that_did_not_connect(outcome: str) -> None:
    calls = daily_calls(7, outcome=outcome, target=HOME_PHONE)
    assert check("2026-04-07T15:00:00-05:00", target=MOBILE, events=calls).allowed


def test_it_counts_ringless_voicemails_as_calls() -> None:
    drops = [
        event(
            "voicemail_left",
            APRIL_1 + timedelta(days=n),
            direction="outbound",
            channel="voicemail",
            target=MOBILE,
        )
        for n in range(7)
    ]
    assert rules(check("2026-04-07T15:00:00-05:00", events=drops)) == [SEVEN_IN_SEVEN]


def test_it_blocks_voicemails_as_calls_too() -> None:
    assert rules(
        check("2026-04-07T15:00:00-05:00", channel="voicemail", events=daily_calls(7))
    ) == [SEVEN_IN_SEVEN]


def test_it_removes_calls_to_a_number_later_learned_to_be_wrong() -> None:
    calls = daily_calls(6, target=HOME_PHONE) + [
        call("2026-04-07T09:00:00-05:00", outcome="wrong_number", target=HOME_PHONE)
    ]
    assert check("2026-04-07T15:00:00-05:00", events=calls).allowed


def test_it_counts_calls_per_debt() -> None:
    assert check(
        "2026-04-07T15:00:00-05:00", events=daily_calls(7, accounts=[OTHER_ACCOUNT])
    ).allowed


def test_it_counts_a_call_about_every_debt_toward_each() -> None:
    assert not check(
        "2026-04-07T15:00:00-05:00", events=daily_calls(7, accounts=[])
    ).allowed


def test_it_does_not_count_texts_or_emails() -> None:
    texts = [
        event(
            "sms_sent", APRIL_1 + timedelta(days=n), direction="outbound", target=MOBILE
        )
        for n in range(9)
    ]
    assert check("2026-04-07T15:00:00-05:00", events=texts).allowed


def test_it_never_limits_texts_by_the_call_count() -> None:
    inbound = event(
        "inbound_sms", "2026-04-01T09:00:00-05:00", direction="inbound", target=MOBILE
    )
    assert SEVEN_IN_SEVEN not in rules(
        check(
            "2026-04-07T15:00:00-05:00",
            channel="sms",
            events=daily_calls(7) + [inbound],
        )
    )


def call_me_monday() -> Event:
    return event(
        "prior_consent_recorded",
        "2026-04-03T10:05:00-05:00",
        data={
            "channel": "call",
            "starts_at": "2026-04-06T09:00:00-05:00",
            "ends_at": "2026-04-06T12:00:00-05:00",
        },
    )


def test_it_does_not_count_calls_placed_with_prior_consent() -> None:
    calls = daily_calls(6) + [call("2026-04-06T09:30:00-05:00")]
    assert check("2026-04-07T15:00:00-05:00", events=calls + [call_me_monday()]).allowed


def test_it_allows_a_call_inside_a_consent_window_despite_the_count() -> None:
    calls = daily_calls(5) + daily_calls(2) + [call("2026-04-06T09:30:00-05:00")]
    decision = check("2026-04-06T10:00:00-05:00", events=[*calls, call_me_monday()])
    assert decision.allowed
    assert EXCLUDED_CALLS in [e.rule for e in decision.exemptions]


def test_it_caps_a_call_consent_at_seven_days() -> None:
    open_ended = event(
        "prior_consent_recorded", "2026-04-01T09:00:00-05:00", data={"channel": "call"}
    )
    calls = [call(APRIL_1 + timedelta(days=n, hours=1)) for n in range(7, 14)]
    decision = check("2026-04-14T15:00:00-05:00", events=[open_ended] + calls)
    assert rules(decision) == [SEVEN_IN_SEVEN]


def conversation(when: str, **fields: Any) -> Event:
    return event(
        "conversation",
        when,
        direction=fields.pop("direction", "outbound"),
        channel="call",
        **fields,
    )


@pytest.mark.parametrize(
    ("instant", "allowed"),
    [
        ("2026-04-01T16:00:00-05:00", False),  # later the same day (day 1)
        ("2026-04-07T09:00:00-05:00", False),  # 6 days 23 hours later: day 7
        ("2026-04-07T20:59:59-05:00", False),
        ("2026-04-08T08:00:00-05:00", True),  # day 8
    ],
)
def test_it_blocks_calls_for_seven_days_after_a_conversation(
    instant: str, allowed: bool
) -> None:
    decision = check(instant, events=[conversation("2026-04-01T10:00:00-05:00")])
    assert decision.allowed is allowed
    if not allowed:
        assert rules(decision) == [POST_CONVERSATION]
        assert decision.next_allowed_at == t("2026-04-08T13:00:00+00:00")


def test_it_counts_a_conversation_the_consumer_started() -> None:
    decision = check(
        "2026-04-03T10:00:00-05:00",
        events=[conversation("2026-04-01T10:00:00-05:00", direction="inbound")],
    )
    assert rules(decision) == [POST_CONVERSATION]


def test_it_treats_a_right_party_contact_as_a_conversation() -> None:
    decision = check(
        "2026-04-03T10:00:00-05:00",
        events=[call("2026-04-01T10:00:00-05:00", outcome="right_party_contact")],
    )
    assert rules(decision) == [POST_CONVERSATION]


def test_it_does_not_restrict_calls_about_a_debt_not_discussed() -> None:
    talk = conversation("2026-04-01T10:00:00-05:00", accounts=[OTHER_ACCOUNT])
    assert check("2026-04-03T10:00:00-05:00", events=[talk]).allowed


def test_it_does_not_restrict_emails_after_a_conversation() -> None:
    assert check(
        "2026-04-03T10:00:00-05:00",
        channel="email",
        events=[conversation("2026-04-01T10:00:00-05:00")],
    ).allowed


def test_it_allows_the_call_back_the_consumer_asked_for() -> None:
    talk = conversation("2026-04-03T10:00:00-05:00")
    assert check("2026-04-06T10:00:00-05:00", events=[talk, call_me_monday()]).allowed


def test_it_ends_a_call_consent_at_the_next_conversation() -> None:
    later_talk = conversation("2026-04-04T10:00:00-05:00")
    decision = check("2026-04-06T10:00:00-05:00", events=[call_me_monday(), later_talk])
    assert rules(decision) == [POST_CONVERSATION]


def test_it_counts_days_in_the_primary_zone_of_a_mixed_zone_debtor() -> None:
    talk = conversation(
        "2026-04-01T23:30:00-04:00"
    )  # 1 April in New York, 22:30 in Chicago
    decision = check(
        "2026-04-08T09:30:00-04:00",
        zones=["America/Chicago", "America/New_York"],
        events=[talk],
    )
    assert decision.allowed


def test_it_does_not_count_calls_to_the_consumers_attorney() -> None:
    notice = event(
        "attorney_representation_notice",
        "2026-03-01T10:00:00-05:00",
        accounts=[OTHER_ACCOUNT],
        data={"contact": "+13125559999"},
    )
    calls = daily_calls(7, target="+13125559999")
    assert check("2026-04-07T15:00:00-05:00", events=[notice, *calls]).allowed


def test_it_does_not_count_location_calls_to_someone_elses_number() -> None:
    """1006.14(b)(2)(i)(A) counts calls "to a particular person": a location call to a neighbour
    is a call to the neighbour (comment 14(b)(2)(i)-1.iii), not to the consumer."""
    six = [call(f"2026-04-0{d}T10:00:00-05:00") for d in range(1, 7)]
    neighbour = [
        call("2026-04-06T12:00:00-05:00", outcome="third_party", target="+13125557777"),
        call("2026-04-06T12:30:00-05:00", outcome="third_party", target="+13125557777"),
    ]
    assert check("2026-04-07T15:00:00-05:00", events=[*six, *neighbour]).allowed
    assert not check(
        "2026-04-07T15:00:00-05:00",
        events=[*six, call("2026-04-06T12:00:00-05:00", outcome="third_party", target=HOME_PHONE)],
    ).allowed
