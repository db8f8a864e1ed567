"""REGF-1006.6d4, 6d5, 22f3 and 6e: email and text procedures and the opt-out statement."""

import pytest
from compliance_builders import (
    EMAIL,
    HOME_PHONE,
    MOBILE,
    WORK_EMAIL,
    check,
    event,
    rules,
)

from compliance.engine import Message
from compliance.engine.constants import (
    ELECTRONIC_OPT_OUT_NOTICE,
    EMAIL_PROCEDURES,
    EMPLOYER_EMAIL,
    SMS_PROCEDURES,
)

NOON = "2026-04-08T12:00:00-05:00"


def test_it_allows_email_to_an_address_the_consumer_gave_us() -> None:
    assert check(NOON, channel="email", target=EMAIL).allowed


def test_it_blocks_email_to_an_employer_provided_address_nobody_consented_to() -> None:
    decision = check(NOON, channel="email", target=WORK_EMAIL)
    assert rules(decision) == [EMAIL_PROCEDURES, EMPLOYER_EMAIL]
    assert {r.unblocked_by for r in decision.reasons} == {"inbound_email"}


def test_it_allows_an_employer_address_the_consumer_emailed_us_from() -> None:
    inbound = event(
        "inbound_email",
        "2026-04-01T10:00:00-05:00",
        direction="inbound",
        target=WORK_EMAIL,
    )
    assert check(NOON, channel="email", target=WORK_EMAIL, events=[inbound]).allowed


def test_it_allows_texts_to_a_number_with_sms_consent() -> None:
    assert check(NOON, channel="sms", target=MOBILE).allowed


@pytest.mark.parametrize(
    ("texted", "allowed"),
    [("2026-02-07T23:00:00-06:00", True), ("2026-02-06T23:59:59-06:00", False)],
)
def test_it_requires_the_consumers_text_within_sixty_days(
    texted: str, allowed: bool
) -> None:
    inbound = event("inbound_sms", texted, direction="inbound", target=HOME_PHONE)
    decision = check(NOON, channel="sms", target=HOME_PHONE, events=[inbound])
    assert decision.allowed is allowed
    if not allowed:
        assert rules(decision) == [SMS_PROCEDURES]
        assert decision.reasons[0].unblocked_by == "inbound_sms"


def test_it_does_not_treat_a_phone_call_as_the_consumers_text() -> None:
    inbound = event(
        "inbound_call",
        "2026-04-01T10:00:00-05:00",
        direction="inbound",
        target=HOME_PHONE,
    )
    assert rules(check(NOON, channel="sms", target=HOME_PHONE, events=[inbound])) == [
        SMS_PROCEDURES
    ]


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        (
            "This is from a debt collector. Reply STOP to stop texts to this number.",
            True,
        ),
        (
            "This is from a debt collector. Click here to opt out of further emails.",
            True,
        ),
        ("This is from a debt collector. Unsubscribe: example.com/u", True),
        ("This is from a debt collector. Please call us.", False),
    ],
)
def test_it_requires_opt_out_instructions_in_electronic_messages(
    text: str, allowed: bool
) -> None:
    talk = event(
        "email_sent", "2026-04-01T10:00:00-05:00", direction="outbound", target=EMAIL
    )
    decision = check(NOON, channel="email", events=[talk], message=Message(text=text))
    assert decision.allowed is allowed
    if not allowed:
        assert rules(decision) == [ELECTRONIC_OPT_OUT_NOTICE]


def test_it_accepts_stop_instructions_in_the_subject_line() -> None:
    talk = event(
        "email_sent", "2026-04-01T10:00:00-05:00", direction="outbound", target=EMAIL
    )
    message = Message(
        subject="Reply with STOP in the subject to opt out",
        text="This is from a debt collector.",
    )
    assert check(NOON, channel="email", events=[talk], message=message).allowed


def test_it_qualifies_an_address_or_number_only_for_the_debt_the_consumer_wrote_about() -> (
    None
):
    """1006.6(d)(4)(i)(A), (d)(5)(i): the consumer used it "to communicate with the debt
    collector about the debt" -- a message about another debt does not qualify it for this one."""
    from compliance_builders import OTHER_ACCOUNT

    other_email = event(
        "inbound_email",
        "2026-04-01T10:00:00-05:00",
        direction="inbound",
        target=WORK_EMAIL,
        accounts=[OTHER_ACCOUNT],
    )
    assert rules(check(NOON, channel="email", target=WORK_EMAIL, events=[other_email])) == [
        EMAIL_PROCEDURES,
        EMPLOYER_EMAIL,
    ]
    assert check(
        NOON, channel="email", target=WORK_EMAIL, events=[other_email], account_id=OTHER_ACCOUNT
    ).allowed
    other_text = event(
        "inbound_sms",
        "2026-04-01T10:00:00-05:00",
        direction="inbound",
        target=HOME_PHONE,
        accounts=[OTHER_ACCOUNT],
    )
    assert rules(check(NOON, channel="sms", target=HOME_PHONE, events=[other_text])) == [
        SMS_PROCEDURES
    ]
    assert check(
        NOON, channel="sms", target=HOME_PHONE, events=[other_text], account_id=OTHER_ACCOUNT
    ).allowed
