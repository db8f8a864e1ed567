"""The gate: every reason, in the catalogue's order, and the earliest instant that passes."""

from compliance_builders import WORK_EMAIL, call, check, event, rules, snapshot, t

from compliance.engine import RULESET_VERSION, evaluate
from compliance.engine.constants import (
    ATTORNEY,
    BANKRUPTCY_STAY,
    CEASE,
    EMAIL_PROCEDURES,
    EMPLOYER_EMAIL,
    INCONVENIENT_TIME,
    POST_CONVERSATION,
    SEVEN_IN_SEVEN,
)


def test_it_collects_every_blocking_reason_in_catalogue_order() -> None:
    events = [
        event("attorney_representation_notice", "2026-04-01T10:00:00-05:00"),
        event("cease_notice_received", "2026-04-01T11:00:00-05:00", written=True),
        event("bankruptcy_filed", "2026-04-01T12:00:00-05:00"),
    ]
    decision = check(
        "2026-04-08T22:00:00-05:00", channel="email", target=WORK_EMAIL, events=events
    )
    assert rules(decision) == [
        BANKRUPTCY_STAY,
        CEASE,
        ATTORNEY,
        INCONVENIENT_TIME,
        EMAIL_PROCEDURES,
        EMPLOYER_EMAIL,
    ]
    assert decision.next_allowed_at is None


def test_it_steps_over_every_time_based_block_to_the_first_allowed_instant() -> None:
    events = [call(f"2026-04-0{d}T10:00:00-05:00") for d in range(1, 8)]
    events.append(
        event("conversation", "2026-04-01T10:30:00-05:00", direction="inbound")
    )
    events.append(
        event(
            "inconvenient_time_designation",
            "2026-04-01T09:00:00-05:00",
            data={"weekdays": [2], "start": "08:00", "end": "12:00"},
        )
    )
    decision = check("2026-04-07T22:00:00-05:00", events=events)
    assert rules(decision) == [INCONVENIENT_TIME, SEVEN_IN_SEVEN, POST_CONVERSATION]
    # 8 April (Wednesday): the calls and the conversation clear at midnight, the designation at noon.
    assert decision.next_allowed_at == t("2026-04-08T17:00:00+00:00")
    assert evaluate(snapshot(decision.next_allowed_at, events=events)).allowed


def test_it_returns_no_time_when_only_an_event_can_lift_the_block() -> None:
    cease = event("cease_notice_received", "2026-04-01T11:00:00-05:00", written=True)
    decision = check("2026-04-08T22:00:00-05:00", events=[cease])
    assert decision.next_allowed_at is None


def test_it_reports_an_allowed_decision_plainly() -> None:
    decision = check("2026-04-08T12:00:00-05:00")
    assert decision.allowed
    assert decision.reasons == ()
    assert decision.next_allowed_at is None
    assert decision.timezones == ("America/Chicago",)
    assert decision.ruleset_version == RULESET_VERSION


def test_it_ignores_events_after_the_instant_asked_about() -> None:
    cease = event("cease_notice_received", "2026-04-09T11:00:00-05:00", written=True)
    assert check("2026-04-08T12:00:00-05:00", events=[cease]).allowed


def test_it_gives_up_the_search_beyond_the_horizon() -> None:
    designation = event(
        "inconvenient_time_designation", "2026-04-01T09:00:00-05:00", data={}
    )
    decision = check("2026-04-08T12:00:00-05:00", events=[designation])
    assert rules(decision) == [INCONVENIENT_TIME]
    assert decision.next_allowed_at is None
    assert decision.reasons[0].unblocked_by == "location_stated"
