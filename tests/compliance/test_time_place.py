"""REGF-1006.6b1i / 6b1ii / 6b3 / 6b4: time of day, designated times and places, workplace."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from compliance_builders import (
    HOME_ADDRESS,
    HOME_PHONE,
    WORK_ADDRESS,
    WORK_PHONE,
    check,
    event,
    rules,
    t,
)

from compliance.engine import Event
from compliance.engine.constants import (
    CONSUMER_INITIATED,
    INCONVENIENT_PLACE,
    INCONVENIENT_TIME,
    PRIOR_CONSENT,
    WORKPLACE,
)

ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
]


def local(zone: str, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    ("clock", "allowed"),
    [("07:59:59", False), ("08:00:00", True), ("20:59:59", True), ("21:00:00", False)],
)
def test_it_allows_calls_only_from_eight_until_before_nine_in_each_zone(
    zone: str, clock: str, allowed: bool
) -> None:
    decision = check(local(zone, f"2026-04-08T{clock}"), zones=[zone])
    assert decision.allowed is allowed
    assert rules(decision) == ([] if allowed else [INCONVENIENT_TIME])


@pytest.mark.parametrize("zone", ZONES)
def test_it_points_a_too_early_call_to_eight_the_same_morning(zone: str) -> None:
    decision = check(local(zone, "2026-04-08T07:59:59"), zones=[zone])
    assert decision.next_allowed_at == local(zone, "2026-04-08T08:00:00").astimezone(
        UTC
    )


@pytest.mark.parametrize("zone", ZONES)
def test_it_points_a_nine_pm_call_to_eight_the_next_morning(zone: str) -> None:
    decision = check(local(zone, "2026-04-08T21:00:00"), zones=[zone])
    assert decision.next_allowed_at == local(zone, "2026-04-09T08:00:00").astimezone(
        UTC
    )


@pytest.mark.parametrize(
    ("instant", "allowed"),
    [
        ("2026-03-08T07:59:59-05:00", False),  # spring forward: already CDT at 07:59
        ("2026-03-08T08:00:00-05:00", True),
        ("2026-03-08T20:59:59-05:00", True),
        ("2026-03-08T21:00:00-05:00", False),
        ("2026-11-01T07:59:59-06:00", False),  # fall back: CST again
        ("2026-11-01T08:00:00-06:00", True),
        ("2026-11-01T20:59:59-06:00", True),
        ("2026-11-01T21:00:00-06:00", False),
    ],
)
def test_it_follows_daylight_saving_switch_days(instant: str, allowed: bool) -> None:
    assert check(instant).allowed is allowed


def test_it_finds_eight_in_the_morning_across_the_spring_switch() -> None:
    decision = check("2026-03-07T21:30:00-06:00")
    assert decision.next_allowed_at == t("2026-03-08T13:00:00+00:00")


def test_it_finds_eight_in_the_morning_across_the_autumn_switch() -> None:
    decision = check("2026-10-31T21:30:00-05:00")
    assert decision.next_allowed_at == t("2026-11-01T14:00:00+00:00")


@pytest.mark.parametrize(
    ("instant", "allowed"),
    [
        ("2026-04-08T08:59:59-04:00", False),  # 07:59:59 in Chicago
        ("2026-04-08T09:00:00-04:00", True),
        ("2026-04-08T20:59:59-04:00", True),
        (
            "2026-04-08T21:00:00-04:00",
            False,
        ),  # still 20:00 in Chicago, but 21:00 in New York
    ],
)
def test_it_requires_a_convenient_time_in_every_candidate_zone(
    instant: str, allowed: bool
) -> None:
    decision = check(instant, zones=["America/Chicago", "America/New_York"])
    assert decision.allowed is allowed
    assert decision.timezones == ("America/Chicago", "America/New_York")


def test_it_narrows_an_eastern_and_pacific_consumer_to_eleven_until_nine_eastern() -> (
    None
):
    zones = ["America/New_York", "America/Los_Angeles"]
    assert not check("2026-04-08T10:59:59-04:00", zones=zones).allowed
    assert check("2026-04-08T11:00:00-04:00", zones=zones).allowed
    assert check("2026-04-08T20:59:59-04:00", zones=zones).allowed
    assert check("2026-04-08T08:00:00-04:00", zones=zones).next_allowed_at == t(
        "2026-04-08T15:00:00+00:00"
    )


def test_it_uses_the_zone_the_consumer_stated_instead_of_the_inferred_ones() -> None:
    stated = event(
        "location_stated",
        "2026-04-01T10:00:00-05:00",
        data={"timezone": "Pacific/Honolulu"},
    )
    decision = check("2026-04-08T09:00:00-05:00", events=[stated])
    assert decision.timezones == ("Pacific/Honolulu",)
    assert rules(decision) == [INCONVENIENT_TIME]


def test_it_treats_a_consumer_with_no_location_evidence_as_possibly_anywhere_in_the_us() -> (
    None
):
    decision = check("2026-04-08T12:00:00-04:00", zones=[])
    assert not decision.allowed
    assert "Pacific/Honolulu" in decision.timezones
    assert decision.next_allowed_at == t("2026-04-08T18:00:00+00:00")


@pytest.mark.parametrize("channel", ["sms", "email", "voicemail"])
def test_it_gates_texts_emails_and_voicemails_by_the_time_they_are_sent(
    channel: str,
) -> None:
    assert rules(check("2026-04-08T21:30:00-05:00", channel=channel)) == [
        INCONVENIENT_TIME
    ]


@pytest.mark.parametrize("channel", ["letter", "credit_report"])
def test_it_has_no_time_of_day_gate_for_letters_or_credit_reports(channel: str) -> None:
    events = [
        event(
            "letter_sent",
            "2026-03-01T10:00:00-06:00",
            direction="outbound",
            target=HOME_ADDRESS,
        )
    ]
    assert INCONVENIENT_TIME not in rules(
        check("2026-04-08T23:30:00-05:00", channel=channel, events=events)
    )


WEEKDAY_AFTERNOONS = {"weekdays": [0, 1, 2, 3, 4], "start": "15:00", "end": "17:00"}


def designation(data: dict[str, object] | None = None) -> Event:
    return event(
        "inconvenient_time_designation",
        "2026-04-01T10:00:00-05:00",
        data=data or WEEKDAY_AFTERNOONS,
    )


@pytest.mark.parametrize(
    ("instant", "allowed"),
    [
        ("2026-04-08T14:59:59-05:00", True),
        ("2026-04-08T15:00:00-05:00", False),
        ("2026-04-08T16:59:59-05:00", False),
        ("2026-04-08T17:00:00-05:00", True),
        ("2026-04-11T15:30:00-05:00", True),  # a Saturday
    ],
)
def test_it_honours_the_times_the_consumer_designated_as_inconvenient(
    instant: str, allowed: bool
) -> None:
    assert check(instant, events=[designation()]).allowed is allowed


def test_it_points_a_designated_time_to_the_end_of_that_window() -> None:
    decision = check("2026-04-08T15:30:00-05:00", events=[designation()])
    assert rules(decision) == [INCONVENIENT_TIME]
    assert decision.next_allowed_at == t("2026-04-08T22:00:00+00:00")


def test_it_handles_a_designation_that_runs_past_midnight() -> None:
    late = designation({"start": "19:00", "end": "10:00"})
    assert not check("2026-04-08T19:30:00-05:00", events=[late]).allowed
    decision = check("2026-04-09T09:30:00-05:00", events=[late])
    assert decision.next_allowed_at == t("2026-04-09T15:00:00+00:00")


def test_it_drops_designations_when_the_consumer_clears_them() -> None:
    cleared = event(
        "inconvenient_time_designation",
        "2026-04-03T10:00:00-05:00",
        data={"weekdays": []},
    )
    assert check("2026-04-08T15:30:00-05:00", events=[designation(), cleared]).allowed


def test_it_lets_us_respond_once_to_a_consumer_calling_at_a_designated_time() -> None:
    inbound = event(
        "inbound_call",
        "2026-04-08T15:10:00-05:00",
        direction="inbound",
        target="+13125550101",
    )
    decision = check(
        "2026-04-08T15:20:00-05:00",
        events=[designation(), inbound],
        direction="inbound_response",
    )
    assert decision.allowed
    assert [e.rule for e in decision.exemptions] == [CONSUMER_INITIATED]


def test_it_allows_only_one_response_to_a_consumer_initiated_contact() -> None:
    inbound = event(
        "inbound_call",
        "2026-04-08T15:10:00-05:00",
        direction="inbound",
        target="+13125550101",
    )
    answered = event(
        "call_attempt",
        "2026-04-08T15:15:00-05:00",
        direction="outbound",
        outcome="no_answer",
    )
    decision = check(
        "2026-04-08T15:20:00-05:00",
        events=[designation(), inbound, answered],
        direction="inbound_response",
    )
    assert rules(decision) == [INCONVENIENT_TIME]


def test_it_does_not_let_a_response_break_the_default_window() -> None:
    inbound = event("inbound_call", "2026-04-08T22:10:00-05:00", direction="inbound")
    assert not check(
        "2026-04-08T22:15:00-05:00", events=[inbound], direction="inbound_response"
    ).allowed


def consent(starts: str, ends: str, channel: str = "call") -> Event:
    return event(
        "prior_consent_recorded",
        "2026-04-08T10:00:00-05:00",
        data={"channel": channel, "starts_at": starts, "ends_at": ends},
    )


def test_it_allows_an_early_call_the_consumer_consented_to() -> None:
    decision = check(
        "2026-04-09T07:15:00-05:00",
        events=[consent("2026-04-09T07:00:00-05:00", "2026-04-09T07:30:00-05:00")],
    )
    assert decision.allowed
    assert [e.rule for e in decision.exemptions] == [PRIOR_CONSENT]


def test_it_points_an_earlier_call_to_the_start_of_the_consented_window() -> None:
    decision = check(
        "2026-04-09T06:00:00-05:00",
        events=[consent("2026-04-09T07:00:00-05:00", "2026-04-09T07:30:00-05:00")],
    )
    assert decision.next_allowed_at == t("2026-04-09T12:00:00+00:00")


def test_it_does_not_stretch_a_consent_to_another_medium() -> None:
    events = [consent("2026-04-09T07:00:00-05:00", "2026-04-09T07:30:00-05:00")]
    assert not check("2026-04-09T07:15:00-05:00", channel="sms", events=events).allowed


def test_it_lets_a_later_designation_revoke_an_earlier_consent() -> None:
    given = consent("2026-04-08T10:00:00-05:00", "2026-04-30T10:00:00-05:00")
    revoked = event(
        "inconvenient_time_designation",
        "2026-04-08T11:00:00-05:00",
        data=WEEKDAY_AFTERNOONS,
    )
    assert not check("2026-04-08T15:30:00-05:00", events=[given, revoked]).allowed


def home_is_inconvenient() -> Event:
    return event(
        "inconvenient_place_designation",
        "2026-04-01T10:00:00-05:00",
        data={"place": "home"},
    )


@pytest.mark.parametrize(
    ("channel", "target", "blocked"),
    [
        ("call", HOME_PHONE, True),
        ("letter", HOME_ADDRESS, True),
        ("call", "+13125550101", False),  # a mobile is not tied to a place
        ("letter", WORK_ADDRESS, False),
        ("email", "jane@example.com", False),
    ],
)
def test_it_blocks_media_tied_to_a_place_the_consumer_called_inconvenient(
    channel: str, target: str, blocked: bool
) -> None:
    decision = check(
        "2026-04-08T10:00:00-05:00",
        channel=channel,
        target=target,
        events=[home_is_inconvenient()],
    )
    assert (INCONVENIENT_PLACE in rules(decision)) is blocked


def test_it_names_no_time_for_an_inconvenient_place() -> None:
    decision = check(
        "2026-04-08T10:00:00-05:00", target=HOME_PHONE, events=[home_is_inconvenient()]
    )
    assert decision.next_allowed_at is None
    assert decision.reasons[0].unblocked_by is None


@pytest.mark.parametrize(
    ("channel", "target", "blocked"),
    [
        ("call", WORK_PHONE, True),
        ("sms", WORK_PHONE, True),
        ("letter", WORK_ADDRESS, True),
        ("call", HOME_PHONE, False),
    ],
)
def test_it_blocks_work_contact_when_the_employer_prohibits_it(
    channel: str, target: str, blocked: bool
) -> None:
    prohibits = event("employer_prohibits_contact", "2026-04-01T10:00:00-05:00")
    decision = check(
        "2026-04-08T10:00:00-05:00", channel=channel, target=target, events=[prohibits]
    )
    assert (WORKPLACE in rules(decision)) is blocked


def test_it_lets_later_consent_lift_the_workplace_prohibition() -> None:
    prohibits = event("employer_prohibits_contact", "2026-04-01T10:00:00-05:00")
    given = consent("2026-04-08T09:00:00-05:00", "2026-04-08T12:00:00-05:00")
    decision = check(
        "2026-04-08T10:30:00-05:00", target=WORK_PHONE, events=[prohibits, given]
    )
    assert decision.allowed
