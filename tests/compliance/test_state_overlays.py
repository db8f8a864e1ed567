"""Massachusetts, California, Texas and New York overlays (catalogue section 11)."""

from datetime import date, timedelta

import pytest
from compliance_builders import (
    HOME_PHONE,
    MOBILE,
    OTHER_ACCOUNT,
    WORK_PHONE,
    account,
    call,
    check,
    event,
    rules,
    t,
)

from compliance.engine import Message
from compliance.engine.constants import (
    CA_ATTORNEY,
    CA_FIRST_WRITTEN_NOTICE,
    CA_NO_SUIT_AFTER_SOL,
    CA_TIME_BARRED_NOTICE,
    MA_COLLECTOR_CALL_LIMIT,
    MA_CREDITOR_CALL_LIMIT,
    MA_WORKPLACE_REQUEST,
    NY_CONSUMER_CREDIT_SOL,
    TIME_BARRED,
    TX_TIME_BARRED,
)
from compliance.engine.rules.state_overlays import new_york_limitations_end

BOSTON = {"state": "MA", "zones": ["America/New_York"]}
NOON_ET = "2026-04-08T12:00:00-04:00"


def test_it_allows_two_reached_calls_a_week_to_a_massachusetts_mobile() -> None:
    calls = [call("2026-04-06T10:00:00-04:00", outcome="voicemail_left")]
    assert check(NOON_ET, events=calls, **BOSTON).allowed


def test_it_blocks_a_third_call_or_text_in_seven_days_in_massachusetts() -> None:
    events = [
        call("2026-04-03T10:00:00-04:00", outcome="right_party_contact"),
        event(
            "sms_sent", "2026-04-06T10:00:00-04:00", direction="outbound", target=MOBILE
        ),
    ]
    decision = check(
        "2026-04-09T12:00:00-04:00", channel="sms", events=events, **BOSTON
    )
    assert rules(decision) == [MA_COLLECTOR_CALL_LIMIT]
    assert decision.next_allowed_at == t(
        "2026-04-10T12:00:00+00:00"
    )  # 10 April 08:00 EDT


def test_it_does_not_count_calls_to_someone_elses_number_in_massachusetts() -> None:
    """209 CMR 18.16(1)(d) counts communications to the consumer's own telephone: location calls
    to a neighbour are not."""
    neighbour = [
        call(f"2026-04-0{d}T10:00:00-04:00", outcome="third_party", target="+16175557777")
        for d in (6, 7)
    ]
    assert check(NOON_ET, events=neighbour, **BOSTON).allowed
    mine = [call(f"2026-04-0{d}T10:00:00-04:00", outcome="third_party") for d in (6, 7)]
    assert rules(check(NOON_ET, events=mine, **BOSTON)) == [MA_COLLECTOR_CALL_LIMIT]


def test_it_does_not_count_unanswered_calls_in_massachusetts() -> None:
    calls = [call(f"2026-04-0{d}T10:00:00-04:00") for d in (1, 2, 3)]
    assert check(NOON_ET, events=calls, **BOSTON).allowed


def test_it_allows_only_two_calls_a_month_to_a_massachusetts_work_number() -> None:
    calls = [
        call(d, outcome="voicemail_left", target=WORK_PHONE)
        for d in ("2026-03-12T10:00:00-04:00", "2026-04-01T10:00:00-04:00")
    ]
    decision = check(NOON_ET, target=WORK_PHONE, events=calls, **BOSTON)
    assert rules(decision) == [MA_COLLECTOR_CALL_LIMIT]
    assert decision.next_allowed_at == t("2026-04-11T12:00:00+00:00")
    assert check(NOON_ET, target=HOME_PHONE, events=calls, **BOSTON).allowed


def test_it_counts_massachusetts_limits_per_debt_for_collectors() -> None:
    calls = [
        call(
            f"2026-04-0{d}T10:00:00-04:00",
            outcome="voicemail_left",
            accounts=[OTHER_ACCOUNT],
        )
        for d in (6, 7)
    ]
    assert check(NOON_ET, events=calls, **BOSTON).allowed


def test_it_applies_the_creditor_limit_to_first_party_creditors_across_debts() -> None:
    calls = [
        call(
            f"2026-04-0{d}T10:00:00-04:00",
            outcome="voicemail_left",
            accounts=[OTHER_ACCOUNT],
        )
        for d in (6, 7)
    ]
    decision = check(NOON_ET, events=calls, operator="first_party_creditor", **BOSTON)
    assert rules(decision) == [MA_CREDITOR_CALL_LIMIT]


def test_it_leaves_other_states_to_the_federal_limits() -> None:
    calls = [
        call(f"2026-04-0{d}T10:00:00-05:00", outcome="voicemail_left")
        for d in (5, 6, 7)
    ]
    assert check("2026-04-08T12:00:00-05:00", events=calls).allowed


def test_it_lets_an_oral_massachusetts_workplace_request_lapse_after_ten_days() -> None:
    request = event(
        "inconvenient_place_designation",
        "2026-04-01T10:00:00-04:00",
        data={"place": "work"},
    )
    decision = check(NOON_ET, target=WORK_PHONE, events=[request], **BOSTON)
    assert MA_WORKPLACE_REQUEST in rules(decision)
    later = check(
        "2026-04-11T12:00:00-04:00", target=WORK_PHONE, events=[request], **BOSTON
    )
    assert MA_WORKPLACE_REQUEST not in rules(later)
    assert not later.allowed  # the federal designation still holds


def test_it_keeps_a_written_massachusetts_workplace_request() -> None:
    request = event(
        "inconvenient_place_designation",
        "2026-04-01T10:00:00-04:00",
        written=True,
        data={"place": "work"},
    )
    assert MA_WORKPLACE_REQUEST in rules(
        check(
            "2026-05-11T12:00:00-04:00", target=WORK_PHONE, events=[request], **BOSTON
        )
    )


CALIFORNIA = {"state": "CA", "zones": ["America/Los_Angeles"]}
NOON_PT = "2026-04-08T12:00:00-07:00"
FULL = (
    "ABC Inc. is a debt collector. We are attempting to collect a debt and any information obtained "
    "will be used for that purpose."
)
ROSENTHAL = (
    " The state Rosenthal Fair Debt Collection Practices Act and the federal Fair Debt Collection Practices Act "
    "require that, except under unusual circumstances, collectors may not contact you before 8 a.m. or after 9 p.m."
)
CA_NOTICE = (
    " The law limits how long you can be sued on a debt. Because of the age of your debt, we will not sue you "
    "for it, and we will not report it to any credit reporting agency."
)


def test_it_blocks_a_creditor_after_a_california_attorney_notice() -> None:
    notice = event(
        "attorney_representation_notice", "2026-04-01T10:00:00-07:00", written=True
    )
    decision = check(
        NOON_PT, events=[notice], operator="first_party_creditor", **CALIFORNIA
    )
    assert rules(decision) == [CA_ATTORNEY]
    assert decision.reasons[0].unblocked_by == "attorney_consent_to_direct_contact"


def test_it_requires_the_rosenthal_notice_in_the_first_letter_to_a_californian() -> (
    None
):
    assert rules(
        check(NOON_PT, channel="letter", message=Message(text=FULL), **CALIFORNIA)
    ) == [CA_FIRST_WRITTEN_NOTICE]
    assert check(
        NOON_PT, channel="letter", message=Message(text=FULL + ROSENTHAL), **CALIFORNIA
    ).allowed


def test_it_requires_the_california_time_barred_notice() -> None:
    message = Message(text=FULL + ROSENTHAL)
    decision = check(
        NOON_PT, channel="letter", message=message, time_barred=True, **CALIFORNIA
    )
    assert rules(decision) == [CA_TIME_BARRED_NOTICE]
    message = Message(text=FULL + ROSENTHAL + CA_NOTICE)
    assert check(
        NOON_PT, channel="letter", message=message, time_barred=True, **CALIFORNIA
    ).allowed


def test_it_blocks_suit_threats_on_time_barred_california_debt_even_for_creditors() -> (
    None
):
    message = Message(text="Pay now or we will sue." + CA_NOTICE)
    decision = check(
        NOON_PT,
        channel="letter",
        message=message,
        time_barred=True,
        operator="first_party_creditor",
        **CALIFORNIA,
    )
    assert rules(decision) == [CA_NO_SUIT_AFTER_SOL]


def test_it_applies_the_texas_time_barred_rules_to_debt_buyers() -> None:
    texas = {"state": "TX", "zones": ["America/Chicago"]}
    threat = Message(text=FULL + " We will file a lawsuit.")
    decision = check(
        "2026-04-08T12:00:00-05:00",
        channel="letter",
        message=threat,
        time_barred=True,
        **texas,
    )
    assert rules(decision) == [TIME_BARRED, TX_TIME_BARRED]
    silent = Message(text=FULL)
    assert rules(
        check(
            "2026-04-08T12:00:00-05:00",
            channel="letter",
            message=silent,
            time_barred=True,
            **texas,
        )
    ) == [TX_TIME_BARRED]


@pytest.mark.parametrize(
    ("facts", "end"),
    [
        ({"delinquency_date": date(2022, 5, 1)}, date(2025, 5, 1)),
        (
            {
                "delinquency_date": date(2022, 5, 1),
                "last_payment_date": date(2024, 1, 10),
            },
            date(2027, 1, 10),
        ),
        (
            {
                "delinquency_date": date(2020, 5, 1),
                "last_payment_date": date(2024, 1, 10),
            },
            date(2023, 5, 1),
        ),
        ({"last_payment_date": date(2021, 2, 28)}, date(2024, 2, 28)),
    ],
)
def test_it_computes_the_new_york_three_year_limit_without_revival(
    facts: dict[str, date], end: date
) -> None:
    assert new_york_limitations_end(account(**facts)) == end


def test_it_blocks_suit_threats_past_the_new_york_limit_whatever_the_stored_verdict() -> (
    None
):
    new_york = {"state": "NY", "zones": ["America/New_York"]}
    message = Message(text=FULL + " We will take you to court.")
    decision = check(
        NOON_ET,
        channel="letter",
        message=message,
        delinquency_date=date(2022, 1, 10),
        **new_york,
    )
    assert rules(decision) == [NY_CONSUMER_CREDIT_SOL]
    recent = date(2026, 1, 10) - timedelta(days=30)
    assert check(
        NOON_ET, channel="letter", message=message, delinquency_date=recent, **new_york
    ).allowed
