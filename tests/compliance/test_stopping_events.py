"""Cease, disputes, original-creditor requests, attorney representation and medium opt-outs."""

from decimal import Decimal
from typing import Any

import pytest
from compliance_builders import (
    EMAIL,
    HOME_PHONE,
    MOBILE,
    OTHER_ACCOUNT,
    call,
    check,
    event,
    rules,
)

from compliance.engine import Event, Message
from compliance.engine.constants import (
    ATTORNEY,
    CEASE,
    DISPUTE,
    MEDIUM_OPT_OUT,
    ORIGINAL_CREDITOR_REQUEST,
    PRIOR_CONSENT,
    Purpose,
)

NOON = "2026-04-08T12:00:00-05:00"


def cease(**fields: Any) -> Event:
    return event(
        "cease_notice_received",
        "2026-04-02T10:00:00-05:00",
        written=fields.pop("written", True),
        **fields,
    )


@pytest.mark.parametrize("channel", ["call", "voicemail", "sms", "email", "letter"])
def test_it_blocks_every_channel_after_a_written_cease_notice(channel: str) -> None:
    decision = check(NOON, channel=channel, events=[cease()])
    assert CEASE in rules(decision)
    assert decision.next_allowed_at is None
    assert next(r for r in decision.reasons if r.rule == CEASE).unblocked_by is None


def test_it_makes_a_cease_notice_effective_on_receipt() -> None:
    assert check("2026-04-02T09:59:59-05:00", channel="email", events=[cease()]).allowed


@pytest.mark.parametrize("purpose", ["termination_notice", "remedy_notice"])
def test_it_still_permits_the_notices_the_cease_rule_allows(purpose: str) -> None:
    decision = check(
        NOON,
        channel="letter",
        events=[cease()],
        message=Message(purpose=Purpose(purpose)),
    )
    assert decision.allowed
    assert [e.rule for e in decision.exemptions] == [CEASE]


@pytest.mark.parametrize(
    "purpose",
    ["collection", "validation_notice", "opt_out_confirmation", "verification"],
)
def test_it_blocks_other_purposes_after_a_cease_notice(purpose: str) -> None:
    assert CEASE in rules(
        check(
            NOON,
            channel="letter",
            events=[cease()],
            message=Message(purpose=Purpose(purpose)),
        )
    )


def test_it_applies_a_cease_notice_only_to_the_debts_it_names() -> None:
    assert check(NOON, events=[cease(accounts=[OTHER_ACCOUNT])]).allowed


def test_it_applies_a_cease_notice_naming_no_debt_to_every_debt() -> None:
    assert not check(NOON, events=[cease(accounts=[])]).allowed


def test_it_still_allows_credit_reporting_after_a_cease_notice() -> None:
    talk = event("conversation", "2026-04-01T10:00:00-05:00", direction="outbound")
    assert check(NOON, channel="credit_report", events=[talk, cease()]).allowed


def test_it_treats_an_oral_stop_request_as_an_opt_out_of_every_medium() -> None:
    decision = check(NOON, channel="email", events=[cease(written=False)])
    assert rules(decision) == [MEDIUM_OPT_OUT]


def test_it_treats_an_oral_stop_calling_request_as_a_telephone_opt_out() -> None:
    oral = cease(written=False, data={"channel": "call"})
    assert rules(check(NOON, events=[oral])) == [MEDIUM_OPT_OUT]
    assert check(NOON, channel="email", events=[oral]).allowed


def test_it_does_not_let_a_consumer_initiated_contact_lift_a_cease_notice() -> None:
    inbound = event(
        "inbound_email", "2026-04-05T10:00:00-05:00", direction="inbound", target=EMAIL
    )
    assert CEASE in rules(
        check(
            NOON,
            channel="email",
            events=[cease(), inbound],
            direction="inbound_response",
        )
    )


def notice(end: str = "2026-05-13") -> Event:
    return event(
        "validation_notice_sent",
        "2026-04-06T10:00:00-05:00",
        channel="letter",
        data={"validation_period_end": end},
    )


def dispute(when: str = "2026-04-20T10:00:00-05:00", **fields: Any) -> Event:
    return event(
        "dispute_received", when, written=fields.pop("written", True), **fields
    )


def test_it_suspends_collection_after_a_written_dispute_in_the_validation_period() -> (
    None
):
    decision = check("2026-04-21T12:00:00-05:00", events=[notice(), dispute()])
    assert rules(decision) == [DISPUTE]
    assert decision.reasons[0].unblocked_by == "verification_sent"
    assert decision.next_allowed_at is None


def test_it_counts_a_dispute_on_the_last_day_of_the_validation_period() -> None:
    assert not check(
        "2026-05-14T12:00:00-05:00",
        events=[notice(), dispute("2026-05-13T20:00:00-05:00")],
    ).allowed


def test_it_ignores_a_dispute_after_the_validation_period() -> None:
    assert check(
        "2026-05-15T12:00:00-05:00",
        events=[notice(), dispute("2026-05-14T09:00:00-05:00")],
    ).allowed


def test_it_ignores_an_oral_dispute() -> None:
    assert check(
        "2026-04-21T12:00:00-05:00", events=[notice(), dispute(written=False)]
    ).allowed


def test_it_resumes_collection_once_verification_is_sent() -> None:
    sent = event("verification_sent", "2026-04-25T10:00:00-05:00", channel="letter")
    assert check(
        "2026-04-27T12:00:00-05:00", events=[notice(), dispute(), sent]
    ).allowed


def test_it_lets_the_verification_itself_go_out() -> None:
    decision = check(
        "2026-04-21T12:00:00-05:00",
        channel="letter",
        events=[notice(), dispute()],
        message=Message(purpose=Purpose.VERIFICATION),
    )
    assert decision.allowed


def test_it_suspends_again_for_a_duplicative_dispute_until_answered() -> None:
    sent = event("verification_sent", "2026-04-25T10:00:00-05:00", channel="letter")
    again = dispute("2026-04-28T10:00:00-05:00")
    assert rules(
        check("2026-04-29T12:00:00-05:00", events=[notice(), dispute(), sent, again])
    ) == [DISPUTE]


def test_it_lets_collection_of_the_undisputed_part_continue() -> None:
    partial = dispute(data={"portion": "partial", "amount": "35.00"})
    assert check(
        "2026-04-21T12:00:00-05:00",
        channel="email",
        events=[notice(), partial],
        message=Message(
            text="Pay now. This is from a debt collector. Reply STOP to opt out.",
            amount_demanded=Decimal("965.00"),
        ),
    ).allowed
    decision = check(
        "2026-04-21T12:00:00-05:00",
        channel="email",
        events=[notice(), partial],
        message=Message(
            text="Pay now. This is from a debt collector. Reply STOP to opt out.",
            amount_demanded=Decimal("1000.00"),
        ),
    )
    assert rules(decision) == [DISPUTE]


def test_it_treats_a_dispute_before_any_validation_notice_as_timely() -> None:
    assert rules(check("2026-04-21T12:00:00-05:00", events=[dispute()])) == [DISPUTE]


def test_it_suspends_collection_after_an_original_creditor_request() -> None:
    request = event(
        "original_creditor_request_received", "2026-04-20T10:00:00-05:00", written=True
    )
    decision = check("2026-04-21T12:00:00-05:00", events=[notice(), request])
    assert rules(decision) == [ORIGINAL_CREDITOR_REQUEST]
    assert decision.reasons[0].unblocked_by == "verification_sent"


def attorney_notice() -> Event:
    return event(
        "attorney_representation_notice",
        "2026-04-02T10:00:00-05:00",
        data={"attorney": "A. Lawyer"},
    )


def test_it_blocks_contact_with_a_represented_consumer() -> None:
    decision = check(NOON, events=[attorney_notice()])
    assert rules(decision) == [ATTORNEY]
    assert decision.reasons[0].unblocked_by == "attorney_consent_to_direct_contact"
    assert decision.next_allowed_at is None


def test_it_allows_contact_once_the_attorney_consents() -> None:
    consent = event("attorney_consent_to_direct_contact", "2026-04-03T10:00:00-05:00")
    assert check(NOON, events=[attorney_notice(), consent]).allowed


def test_it_lets_us_answer_a_represented_consumers_own_contact_once() -> None:
    inbound = event(
        "inbound_email", "2026-04-07T10:00:00-05:00", direction="inbound", target=EMAIL
    )
    decision = check(
        NOON,
        channel="email",
        events=[attorney_notice(), inbound],
        direction="inbound_response",
    )
    assert decision.allowed
    answered = event(
        "email_sent", "2026-04-07T11:00:00-05:00", direction="outbound", target=EMAIL
    )
    assert not check(
        NOON,
        channel="email",
        events=[attorney_notice(), inbound, answered],
        direction="inbound_response",
    ).allowed


def test_it_lets_prior_consent_given_after_representation_lift_it() -> None:
    consent = event(
        "prior_consent_recorded", "2026-04-07T10:00:00-05:00", data={"channel": "call"}
    )
    decision = check(NOON, events=[attorney_notice(), consent])
    assert decision.allowed
    assert PRIOR_CONSENT in [e.rule for e in decision.exemptions]


def test_it_limits_representation_to_the_debts_named() -> None:
    notice_other = event(
        "attorney_representation_notice",
        "2026-04-02T10:00:00-05:00",
        accounts=[OTHER_ACCOUNT],
    )
    assert check(NOON, events=[notice_other]).allowed


def opt_out(channel: str, target: str | None = None) -> Event:
    data = {"channel": channel} | ({"target": target} if target else {})
    return event("medium_opt_out", "2026-04-02T10:00:00-05:00", data=data)


@pytest.mark.parametrize(
    ("opted", "channel", "target", "blocked"),
    [
        ("call", "call", MOBILE, True),
        ("call", "voicemail", MOBILE, True),
        ("call", "sms", MOBILE, False),
        ("email", "email", EMAIL, True),
        ("email", "call", MOBILE, False),
        ("letter", "letter", "address:1", True),
    ],
)
def test_it_honours_an_opt_out_of_a_medium(
    opted: str, channel: str, target: str, blocked: bool
) -> None:
    decision = check(NOON, channel=channel, target=target, events=[opt_out(opted)])
    assert (MEDIUM_OPT_OUT in rules(decision)) is blocked


def test_it_honours_an_opt_out_of_one_number_only_for_that_number() -> None:
    assert not check(NOON, target=MOBILE, events=[opt_out("call", MOBILE)]).allowed
    assert check(NOON, target=HOME_PHONE, events=[opt_out("call", MOBILE)]).allowed


def test_it_allows_one_electronic_confirmation_of_an_opt_out() -> None:
    confirm = Message(
        purpose=Purpose.OPT_OUT_CONFIRMATION,
        text="You will no longer receive texts at this number.",
    )
    assert check(NOON, channel="sms", events=[opt_out("sms")], message=confirm).allowed
    sent = event(
        "sms_sent", "2026-04-02T10:01:00-05:00", direction="outbound", target=MOBILE
    )
    assert not check(
        NOON, channel="sms", events=[opt_out("sms"), sent], message=confirm
    ).allowed


def test_it_lets_us_respond_once_through_an_opted_out_medium_the_consumer_used() -> (
    None
):
    inbound = event(
        "inbound_sms", "2026-04-05T10:00:00-05:00", direction="inbound", target=MOBILE
    )
    decision = check(
        NOON,
        channel="sms",
        events=[opt_out("sms"), inbound],
        direction="inbound_response",
    )
    assert decision.allowed
    assert [e.rule for e in decision.exemptions] == [MEDIUM_OPT_OUT]


def test_it_does_not_count_contact_before_the_opt_out_as_a_reason_to_respond() -> None:
    inbound = event(
        "inbound_sms", "2026-04-01T10:00:00-05:00", direction="inbound", target=MOBILE
    )
    assert not check(
        NOON,
        channel="sms",
        events=[inbound, opt_out("sms")],
        direction="inbound_response",
    ).allowed


def test_it_lets_us_contact_the_consumers_attorney() -> None:
    """1006.6(b)(2) points us to the attorney; 1006.6(d)(1)(ii) allows it, and calls to the
    attorney are neither counted nor limited (1006.14(b)(3)(iii))."""
    notice_with_contact = event(
        "attorney_representation_notice",
        "2026-04-02T10:00:00-05:00",
        data={"attorney": "A. Lawyer", "contact": "+1 312 555 9999"},
    )
    seven = [call(f"2026-04-0{d}T10:00:00-05:00") for d in range(1, 8)]
    talk = event("conversation", "2026-04-07T09:00:00-05:00", direction="outbound")
    decision = check(
        "2026-04-07T15:00:00-05:00",
        target="+13125559999",
        events=[*seven, talk, notice_with_contact],
    )
    assert decision.allowed
    assert rules(check(NOON, events=[notice_with_contact])) == [ATTORNEY]
