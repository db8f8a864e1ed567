"""POLICY-call-window, POLICY-max-calls-7d, POLICY-sms-disabled, POLICY-email-disabled."""

from datetime import time

import pytest
from compliance_builders import call, check, rules, t

from compliance.engine import ClientPolicy, Event
from compliance.engine.constants import (
    INCONVENIENT_TIME,
    POLICY_CALL_WINDOW,
    POLICY_EMAIL_DISABLED,
    POLICY_MAX_CALLS_7D,
    POLICY_SMS_DISABLED,
    SEVEN_IN_SEVEN,
)

NINE_TO_SIX = ClientPolicy(call_window_start=time(9), call_window_end=time(18))


@pytest.mark.parametrize(
    ("instant", "reasons"),
    [
        ("2026-04-08T07:30:00-05:00", [INCONVENIENT_TIME, POLICY_CALL_WINDOW]),
        ("2026-04-08T08:30:00-05:00", [POLICY_CALL_WINDOW]),
        ("2026-04-08T09:00:00-05:00", []),
        ("2026-04-08T17:59:59-05:00", []),
        ("2026-04-08T18:00:00-05:00", [POLICY_CALL_WINDOW]),
    ],
)
def test_it_narrows_the_hours_to_the_clients_window(
    instant: str, reasons: list[str]
) -> None:
    assert rules(check(instant, policy=NINE_TO_SIX)) == reasons


def test_it_points_to_the_start_of_the_clients_window() -> None:
    decision = check("2026-04-08T07:30:00-05:00", policy=NINE_TO_SIX)
    assert decision.next_allowed_at == t("2026-04-08T14:00:00+00:00")


def test_it_never_widens_the_legal_window() -> None:
    loose = ClientPolicy(call_window_start=time(6), call_window_end=time(23))
    assert rules(check("2026-04-08T07:30:00-05:00", policy=loose)) == [
        INCONVENIENT_TIME
    ]
    assert rules(check("2026-04-08T22:00:00-05:00", policy=loose)) == [
        INCONVENIENT_TIME
    ]


def test_it_applies_the_clients_window_to_commercial_debts_too() -> None:
    assert rules(
        check("2026-04-08T08:30:00-05:00", policy=NINE_TO_SIX, kind="commercial")
    ) == [POLICY_CALL_WINDOW]


def calls(n: int) -> list[Event]:
    return [call(f"2026-04-0{d}T10:00:00-05:00") for d in range(1, n + 1)]


def test_it_applies_a_lower_weekly_call_cap() -> None:
    decision = check(
        "2026-04-07T12:00:00-05:00",
        policy=ClientPolicy(max_calls_per_7_days=3),
        events=calls(3),
    )
    assert rules(decision) == [POLICY_MAX_CALLS_7D]
    assert decision.next_allowed_at == t("2026-04-08T13:00:00+00:00")


def test_it_ignores_a_higher_weekly_call_cap() -> None:
    decision = check(
        "2026-04-07T12:00:00-05:00",
        policy=ClientPolicy(max_calls_per_7_days=20),
        events=calls(7),
    )
    assert rules(decision) == [SEVEN_IN_SEVEN]


def test_it_blocks_every_call_when_the_cap_is_zero() -> None:
    decision = check(
        "2026-04-07T12:00:00-05:00", policy=ClientPolicy(max_calls_per_7_days=0)
    )
    assert rules(decision) == [POLICY_MAX_CALLS_7D]
    assert decision.next_allowed_at is None


def test_it_blocks_channels_the_client_disabled() -> None:
    assert rules(
        check(
            "2026-04-08T12:00:00-05:00",
            channel="sms",
            policy=ClientPolicy(sms_enabled=False),
        )
    ) == [POLICY_SMS_DISABLED]
    assert rules(
        check(
            "2026-04-08T12:00:00-05:00",
            channel="email",
            policy=ClientPolicy(email_enabled=False),
        )
    ) == [POLICY_EMAIL_DISABLED]
