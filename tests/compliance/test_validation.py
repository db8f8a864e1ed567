"""REGF-1006.34a-validation-timing, REGF-1006.34b5-validation-period, REGF-1006.42-delivery."""

from datetime import date

import pytest
from compliance_builders import EMAIL, check, event, rules

from compliance.engine import Event, Message
from compliance.engine.constants import (
    DELIVERY,
    VALIDATION_PERIOD,
    VALIDATION_TIMING,
    Purpose,
)
from compliance.engine.validation_dates import (
    assumed_receipt,
    earliest_period_end,
    legal_public_holidays,
)

FULL = (
    "ABC Inc. is a debt collector. We are attempting to collect a debt and any information "
    "obtained will be used for that purpose."
)


@pytest.mark.parametrize(
    ("sent", "receipt", "end"),
    [
        (date(2026, 1, 5), date(2026, 1, 12), date(2026, 2, 11)),
        (date(2026, 6, 12), date(2026, 6, 22), date(2026, 7, 22)),  # Juneteenth skipped
        (date(2026, 7, 6), date(2026, 7, 13), date(2026, 8, 12)),
    ],
)
def test_it_computes_the_catalogues_worked_validation_periods(
    sent: date, receipt: date, end: date
) -> None:
    assert assumed_receipt(sent) == receipt
    assert earliest_period_end(sent) == end


def test_it_knows_the_eleven_legal_public_holidays() -> None:
    assert sorted(legal_public_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 1, 19),
        date(2026, 2, 16),
        date(2026, 5, 25),
        date(2026, 6, 19),
        date(2026, 7, 4),
        date(2026, 9, 7),
        date(2026, 10, 12),
        date(2026, 11, 11),
        date(2026, 11, 26),
        date(2026, 12, 25),
    ]


@pytest.mark.parametrize(
    ("end", "allowed"), [(date(2026, 2, 11), True), (date(2026, 2, 10), False)]
)
def test_it_blocks_a_validation_notice_stating_too_early_an_end(
    end: date, allowed: bool
) -> None:
    message = Message(
        purpose=Purpose.VALIDATION_NOTICE, text=FULL, validation_period_end=end
    )
    decision = check("2026-01-05T10:00:00-06:00", channel="letter", message=message)
    assert decision.allowed is allowed
    if not allowed:
        assert rules(decision) == [VALIDATION_PERIOD]


def first_email(when: str = "2026-04-01T10:00:00-05:00") -> Event:
    return event("email_sent", when, direction="outbound", target=EMAIL)


def test_it_warns_once_the_validation_notice_is_overdue_without_blocking() -> None:
    decision = check("2026-04-07T10:00:00-05:00", events=[first_email()])
    assert decision.allowed
    assert [w.rule for w in decision.warnings] == [VALIDATION_TIMING]
    assert decision.warnings[0].unblocked_by == "validation_notice_sent"


def test_it_does_not_warn_within_five_days_or_after_the_notice() -> None:
    assert check("2026-04-06T20:00:00-05:00", events=[first_email()]).warnings == ()
    sent = event(
        "validation_notice_sent", "2026-04-03T10:00:00-05:00", channel="letter"
    )
    assert (
        check("2026-04-09T10:00:00-05:00", events=[first_email(), sent]).warnings == ()
    )


def test_it_blocks_a_required_disclosure_to_an_undeliverable_address() -> None:
    letter = event(
        "letter_sent",
        "2026-04-01T10:00:00-05:00",
        direction="outbound",
        target="address:1",
    )
    returned = event(
        "undeliverable_notice_received",
        "2026-04-05T10:00:00-05:00",
        data={"item_event": letter.id},
    )
    message = Message(purpose=Purpose.VALIDATION_NOTICE, text=FULL)
    decision = check(
        "2026-04-08T10:00:00-05:00",
        channel="letter",
        events=[letter, returned],
        message=message,
    )
    assert rules(decision) == [DELIVERY]
    assert check(
        "2026-04-08T10:00:00-05:00",
        channel="letter",
        target="address:2",
        events=[letter, returned],
        message=message,
    ).allowed
