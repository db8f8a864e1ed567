"""REGF-1006.30a-passive-collection."""

from compliance_builders import check, event, rules, t

from compliance.engine import Event
from compliance.engine.constants import PASSIVE_COLLECTION


def letter(when: str = "2026-05-01T10:00:00-05:00") -> Event:
    return event(
        "letter_sent", when, direction="outbound", channel="letter", target="address:1"
    )


def test_it_blocks_furnishing_before_any_contact_until_a_conversation() -> None:
    decision = check("2026-05-20T10:00:00-05:00", channel="credit_report")
    assert rules(decision) == [PASSIVE_COLLECTION]
    assert decision.reasons[0].unblocked_by == "conversation"
    assert decision.next_allowed_at is None


def test_it_allows_furnishing_after_speaking_with_the_consumer() -> None:
    talk = event("conversation", "2026-05-01T10:00:00-05:00", direction="inbound")
    assert check(
        "2026-05-01T11:00:00-05:00", channel="credit_report", events=[talk]
    ).allowed


def test_it_waits_fourteen_days_after_a_letter() -> None:
    decision = check(
        "2026-05-14T23:59:59-05:00", channel="credit_report", events=[letter()]
    )
    assert rules(decision) == [PASSIVE_COLLECTION]
    assert decision.next_allowed_at == t("2026-05-15T05:00:00+00:00")
    assert check(
        "2026-05-15T00:00:00-05:00", channel="credit_report", events=[letter()]
    ).allowed


def test_it_disqualifies_a_letter_returned_undeliverable_within_the_wait() -> None:
    sent = letter()
    returned = event(
        "undeliverable_notice_received",
        "2026-05-10T10:00:00-05:00",
        data={"item_event": sent.id},
    )
    decision = check(
        "2026-05-20T10:00:00-05:00", channel="credit_report", events=[sent, returned]
    )
    assert rules(decision) == [PASSIVE_COLLECTION]


def test_it_ignores_a_return_notice_after_the_wait() -> None:
    sent = letter()
    returned = event(
        "undeliverable_notice_received",
        "2026-05-16T10:00:00-05:00",
        data={"item_event": sent.id},
    )
    assert check(
        "2026-05-20T10:00:00-05:00", channel="credit_report", events=[sent, returned]
    ).allowed


def test_it_matches_a_return_notice_without_an_item_by_channel_and_target() -> None:
    returned = event(
        "undeliverable_notice_received",
        "2026-05-10T10:00:00-05:00",
        channel="letter",
        target="address:1",
    )
    assert not check(
        "2026-05-20T10:00:00-05:00",
        channel="credit_report",
        events=[letter(), returned],
    ).allowed
