"""The engine stays fast: one decision on a debtor with ~200 events in well under a millisecond."""

import time
from datetime import datetime, timedelta

from compliance_builders import EMAIL, HOME_PHONE, MOBILE, event, snapshot, t

from compliance.engine import Event, evaluate

AT = t("2026-06-15T12:00:00-05:00")
MIX = (
    ["call_attempt"] * 90
    + ["sms_sent"] * 30
    + ["email_sent"] * 20
    + ["inbound_sms"] * 20
    + ["inbound_email"] * 15
    + ["letter_sent"] * 10
    + ["conversation"] * 5
    + ["prior_consent_recorded"] * 5
    + ["inconvenient_time_designation"] * 3
    + ["validation_notice_sent", "undeliverable_notice_received"]
)


def busy_timeline() -> list[Event]:
    targets = [MOBILE, HOME_PHONE, EMAIL]
    return [
        event(
            kind,
            AT - timedelta(hours=5 + 17 * n),
            direction="outbound",
            target=targets[n % 3],
            outcome="no_answer",
        )
        for n, kind in enumerate(MIX)
    ]


def best_of(runs: int, channel: str, at: datetime = AT) -> float:
    decision_input = snapshot(at, channel=channel, events=busy_timeline())
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        evaluate(decision_input)
        timings.append(time.perf_counter() - started)
    return min(timings)


def test_it_decides_on_two_hundred_events_in_about_a_millisecond_or_less() -> None:
    assert len(MIX) == 200
    for channel in ("call", "sms", "email", "letter", "credit_report"):
        assert best_of(50, channel) < 0.0015, channel


def test_it_searches_the_next_allowed_instant_quickly() -> None:
    assert best_of(20, "call", t("2026-06-15T22:00:00-05:00")) < 0.005
