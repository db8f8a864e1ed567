"""REGF-1006.18e-mini-miranda, REGF-1006.2j-limited-content-message, REGF-1006.26b-time-barred."""

from datetime import date

import pytest
from compliance_builders import EMAIL, check, event, rules

from compliance.engine import Message
from compliance.engine.constants import (
    LIMITED_CONTENT,
    MINI_MIRANDA,
    TIME_BARRED,
    Purpose,
)
from compliance.engine.text import limited_content_problem, threatens_suit

NOON = "2026-04-08T12:00:00-05:00"
FULL = "We are attempting to collect a debt and any information obtained will be used for that purpose."
SHORT = "This communication is from a debt collector."
OPT_OUT = " Reply STOP to opt out."
EARLIER_EMAIL = event(
    "email_sent", "2026-04-01T10:00:00-05:00", direction="outbound", target=EMAIL
)
EARLIER_TALK = event("conversation", "2026-04-01T10:00:00-05:00", direction="outbound")


@pytest.mark.parametrize(("text", "allowed"), [(FULL, True), (SHORT, False)])
def test_it_requires_the_full_disclosure_in_the_initial_communication(
    text: str, allowed: bool
) -> None:
    decision = check(NOON, channel="letter", message=Message(text=text))
    assert decision.allowed is allowed
    if not allowed:
        assert rules(decision) == [MINI_MIRANDA]


@pytest.mark.parametrize(
    ("text", "allowed"),
    [(SHORT + OPT_OUT, True), ("Please pay your balance." + OPT_OUT, False)],
)
def test_it_requires_the_debt_collector_statement_in_later_communications(
    text: str, allowed: bool
) -> None:
    decision = check(
        NOON, channel="email", events=[EARLIER_EMAIL], message=Message(text=text)
    )
    assert decision.allowed is allowed


def test_it_requires_the_full_disclosure_in_the_first_written_communication_after_an_oral_one() -> (
    None
):
    decision = check(
        NOON,
        channel="email",
        events=[EARLIER_TALK],
        message=Message(text=SHORT + OPT_OUT),
    )
    assert rules(decision) == [MINI_MIRANDA]


def test_it_needs_only_the_short_statement_on_a_call_after_a_letter() -> None:
    letter = event(
        "letter_sent",
        "2026-03-20T10:00:00-05:00",
        direction="outbound",
        target="address:1",
    )
    assert check(
        NOON,
        events=[letter],
        message=Message(text=SHORT + " May we discuss your account?"),
    ).allowed


LCM = "This is Robin Smith calling from ABC Inc. Please contact me or Jim Johnson at 1-800-555-1212."


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (LCM, None),
        ("This is Robin from ABC Inc, a debt collector. Call 1-800-555-1212.", "debt"),
        (
            "Robin from the credit card receivables group. Call 1-800-555-1212.",
            "receivables",
        ),
        ("Robin from ABC Inc. Please call me back.", "number"),
        ("Robin from ABC Inc. 1-800-555-1212.", "reply"),
    ],
)
def test_it_recognises_a_limited_content_message(
    text: str, problem: str | None
) -> None:
    found = limited_content_problem(text)
    assert (
        (found is None) if problem is None else (found is not None and problem in found)
    )


def test_it_allows_a_limited_content_voicemail_without_the_disclosures() -> None:
    assert check(
        NOON,
        channel="voicemail",
        message=Message(purpose=Purpose.LIMITED_CONTENT, text=LCM),
    ).allowed


def test_it_blocks_a_voicemail_marked_limited_content_that_is_not() -> None:
    text = "This is ABC Collections about your overdue account. Call 1-800-555-1212."
    decision = check(
        NOON,
        channel="voicemail",
        message=Message(purpose=Purpose.LIMITED_CONTENT, text=text),
    )
    assert rules(decision) == [LIMITED_CONTENT]


def test_it_blocks_any_other_voicemail_as_policy() -> None:
    decision = check(
        NOON,
        channel="voicemail",
        events=[EARLIER_TALK],
        message=Message(text=SHORT + " Call us."),
    )
    assert LIMITED_CONTENT in rules(decision)


def test_it_leaves_voicemail_checks_without_message_to_the_other_rules() -> None:
    assert check(NOON, channel="voicemail").allowed


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        ("If you do not pay, we will file a lawsuit against you.", True),
        ("We may take legal action.", True),
        ("Your wages may be garnished.", True),
        ("Because of the age of your debt, we will not sue you for it.", False),
        (
            "The law limits how long you can be sued on a debt. Because of the age of your debt, we will not sue you for it.",
            False,
        ),
        ("We will never take you to court.", False),
        ("If you do not pay we will sue you.", True),
        ("You will not be sued.", False),
        ("No lawsuit will be filed.", False),
        ("Don't make us sue you.", True),
        ("You can pay online.", False),
    ],
)
def test_it_recognises_threats_of_suit(text: str, threat: bool) -> None:
    assert threatens_suit(text) is threat


def test_it_blocks_a_threat_of_suit_on_a_time_barred_debt() -> None:
    message = Message(text=FULL + " Pay now or we will sue you.")
    assert rules(check(NOON, channel="letter", message=message, time_barred=True)) == [
        TIME_BARRED
    ]
    assert check(NOON, channel="letter", message=message).allowed


def test_it_treats_a_debt_as_time_barred_after_its_last_day_to_sue() -> None:
    message = Message(text=FULL + " Pay now or we will sue you.")
    assert check(
        NOON, channel="letter", message=message, sol_expires_on=date(2026, 4, 8)
    ).allowed
    assert not check(
        NOON, channel="letter", message=message, sol_expires_on=date(2026, 4, 7)
    ).allowed


def test_it_decides_the_last_day_to_sue_by_the_consumers_local_day() -> None:
    """20:00 in Chicago on the last day is 01:00 UTC the next day: the snapshot's stored flag
    (computed on the UTC date) says time-barred, the consumer's local day says not yet."""
    message = Message(text=FULL + " Pay now or we will sue you.")
    evening = "2026-04-08T20:00:00-05:00"
    assert check(
        evening, channel="letter", message=message, sol_expires_on=date(2026, 4, 8), time_barred=True
    ).allowed
    assert not check(
        "2026-04-09T08:00:00-05:00", channel="letter", message=message, sol_expires_on=date(2026, 4, 8)
    ).allowed
