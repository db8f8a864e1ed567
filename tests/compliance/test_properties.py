"""Hypothesis properties of the gate (issue 3 item 6)."""

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from compliance_builders import (
    ACCOUNT,
    EMAIL,
    HOME_PHONE,
    MOBILE,
    OTHER_ACCOUNT,
    WORK_PHONE,
    snapshot,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.engine import Event, Message, evaluate
from compliance.engine.constants import CEASE, EventType, Purpose

US_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
]
TARGETS = {
    "call": [MOBILE, HOME_PHONE, WORK_PHONE],
    "voicemail": [MOBILE, HOME_PHONE],
    "sms": [MOBILE, HOME_PHONE],
    "email": [EMAIL],
    "letter": ["address:1", "address:2"],
    "credit_report": ["Equifax"],
}
EVENT_TARGETS = [MOBILE, HOME_PHONE, WORK_PHONE, EMAIL, "address:1", None]
PURPOSES = [
    "collection",
    "validation_notice",
    "termination_notice",
    "remedy_notice",
    "opt_out_confirmation",
]

instants = st.datetimes(
    min_value=datetime(2025, 12, 1),
    max_value=datetime(2026, 12, 31),
    timezones=st.just(UTC),
).map(lambda d: d.replace(microsecond=0))
zone_lists = st.lists(st.sampled_from(US_ZONES), min_size=1, max_size=3, unique=True)
clock_text = st.builds(
    lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 30])
)


@st.composite
def event_data(draw: st.DrawFn, type_: str, at: datetime) -> dict[str, Any]:
    if type_ == EventType.INCONVENIENT_TIME_DESIGNATION:
        return {
            "weekdays": draw(
                st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True)
            ),
            "start": draw(clock_text),
            "end": draw(clock_text),
        }
    if type_ == EventType.INCONVENIENT_PLACE_DESIGNATION:
        return {"place": draw(st.sampled_from(["home", "work"]))}
    if type_ == EventType.MEDIUM_OPT_OUT:
        return {"channel": draw(st.sampled_from(["call", "sms", "email", "letter"]))}
    if type_ == EventType.LOCATION_STATED:
        return {"timezone": draw(st.sampled_from(US_ZONES))}
    if type_ == EventType.DISPUTE_RECEIVED:
        return draw(
            st.sampled_from(
                [{"portion": "entire"}, {"portion": "partial", "amount": "35.00"}]
            )
        )
    if type_ == EventType.PRIOR_CONSENT_RECORDED:
        starts = at + timedelta(hours=draw(st.integers(-48, 48)))
        return {
            "channel": draw(st.sampled_from(["call", "sms", "email"])),
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=draw(st.integers(1, 72)))).isoformat(),
        }
    return {}


@st.composite
def events_before(
    draw: st.DrawFn, at: datetime, types: list[str], spread_days: int = 40
) -> Event:
    type_ = draw(st.sampled_from(types))
    return Event(
        id=draw(st.integers(1, 10**9)),
        type=type_,
        occurred_at=at - timedelta(seconds=draw(st.integers(0, spread_days * 86400))),
        account_ids=draw(st.sampled_from([(), (ACCOUNT,), (OTHER_ACCOUNT,)])),
        direction=draw(st.sampled_from(["outbound", "inbound", None])),
        channel=draw(st.sampled_from(["call", "sms", "email", "letter", None])),
        target=draw(st.sampled_from(EVENT_TARGETS)),
        outcome=draw(
            st.sampled_from(
                [
                    "no_answer",
                    "busy",
                    "voicemail_left",
                    "wrong_number",
                    "right_party_contact",
                    None,
                ]
            )
        ),
        written=draw(st.sampled_from([True, False, None])),
        data=draw(event_data(type_, at)),
    )


ALL_TYPES: list[str] = [t.value for t in EventType]
WITHOUT_CONSENT = [t for t in ALL_TYPES if t != EventType.PRIOR_CONSENT_RECORDED]
CALL_HEAVY: list[str] = [
    EventType.CALL_ATTEMPT,
    EventType.CALL_ATTEMPT,
    EventType.CALL_ATTEMPT,
    EventType.CONVERSATION,
    EventType.VOICEMAIL_LEFT,
    EventType.SMS_SENT,
    EventType.INCONVENIENT_TIME_DESIGNATION,
    EventType.PRIOR_CONSENT_RECORDED,
    EventType.LETTER_SENT,
]


@st.composite
def requests(
    draw: st.DrawFn,
    types: list[str] = ALL_TYPES,
    channels: list[str] | None = None,
    spread_days: int = 40,
) -> dict[str, Any]:
    at = draw(instants)
    channel = draw(st.sampled_from(channels or list(TARGETS)))
    purpose = draw(st.sampled_from(PURPOSES))
    return {
        "at": at,
        "channel": channel,
        "target": draw(st.sampled_from(TARGETS[channel])),
        "zones": draw(zone_lists),
        "events": draw(st.lists(events_before(at, types, spread_days), max_size=25)),
        "message": Message(purpose=Purpose(purpose))
        if purpose != "collection"
        else None,
        "direction": draw(st.sampled_from(["outbound", "inbound_response"])),
    }


@settings(max_examples=300, deadline=None)
@given(requests(types=WITHOUT_CONSENT, channels=["call", "voicemail"]))
def test_no_call_is_ever_allowed_outside_eight_to_nine_in_any_candidate_zone(
    request: dict[str, Any],
) -> None:
    decision = evaluate(snapshot(**request))
    if decision.allowed:
        for zone in decision.timezones:
            local = request["at"].astimezone(ZoneInfo(zone)).time()
            assert 8 <= local.hour < 21, (zone, local)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        requests(),
        requests(
            types=CALL_HEAVY,
            channels=["call", "voicemail", "credit_report"],
            spread_days=9,
        ),
    )
)
def test_next_allowed_at_when_given_is_itself_allowed_and_the_second_before_is_not(
    request: dict[str, Any],
) -> None:
    decision = evaluate(snapshot(**request))
    if decision.next_allowed_at is None:
        return
    assert decision.next_allowed_at > request["at"]
    assert evaluate(snapshot(**(request | {"at": decision.next_allowed_at}))).allowed
    just_before = decision.next_allowed_at - timedelta(seconds=1)
    if just_before > request["at"]:
        assert not evaluate(snapshot(**(request | {"at": just_before}))).allowed


@settings(max_examples=300, deadline=None)
@given(requests(channels=["call", "voicemail", "sms", "email", "letter"]), st.data())
def test_adding_any_event_never_turns_a_cease_block_into_an_allow(
    request: dict[str, Any], data: st.DataObject
) -> None:
    cease = Event(
        id=0,
        type=EventType.CEASE_NOTICE_RECEIVED,
        occurred_at=request["at"] - timedelta(days=1),
        written=True,
    )
    base = request | {"events": [*request["events"], cease]}
    decision = evaluate(snapshot(**base))
    if CEASE not in [r.rule for r in decision.reasons]:
        return
    extra = data.draw(events_before(request["at"], ALL_TYPES))
    after = evaluate(snapshot(**(base | {"events": [*base["events"], extra]})))
    assert not after.allowed
    assert CEASE in [r.rule for r in after.reasons]
