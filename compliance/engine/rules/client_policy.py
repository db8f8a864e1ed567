"""A client's policy, stricter than the law but never looser (issue 3 item 3).

Each stricter rule has its own id (see ``constants``). The policy applies whatever the
coverage: it is the client's instruction, not a reading of the law.
"""

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from ..clock import at_local, earliest_passing, local_date
from ..constants import (
    MAX_CALLS_IN_7_DAYS,
    POLICY_CALL_WINDOW,
    POLICY_EMAIL_DISABLED,
    POLICY_MAX_CALLS_7D,
    POLICY_SMS_DISABLED,
    WINDOW_END,
    WINDOW_START,
    Channel,
)
from ..context import Context
from ..verdicts import Block, Outcome
from .call_frequency import call_cap
from .time_place import SEARCH_DAYS, TIME_GATED


def _policy_window(ctx: Context) -> tuple[time, time] | None:
    """The client's hours clamped to the legal window; None when not strictly narrower."""
    start = max(ctx.policy.call_window_start, WINDOW_START)
    end = min(ctx.policy.call_window_end, WINDOW_END)
    return None if (start, end) == (WINDOW_START, WINDOW_END) else (start, end)


def _inside(ctx: Context, at: datetime, start: time, end: time) -> bool:
    return all(start <= at.astimezone(z).time() < end for z in ctx.zones)


def _window_starts(ctx: Context, at: datetime, start: time) -> Iterator[datetime]:
    for zone in ctx.zones:
        today = local_date(at, zone)
        for offset in range(-1, SEARCH_DAYS):
            yield at_local(today + timedelta(days=offset), start, zone)


def call_window(ctx: Context, at: datetime) -> Outcome:
    """POLICY-call-window: outside the client's narrower contact hours in some candidate zone
    (calls, voicemails, texts and emails, like the legal window)."""
    window = _policy_window(ctx)
    if ctx.channel not in TIME_GATED or window is None:
        return None
    start, end = window
    if _inside(ctx, at, start, end):
        return None
    hours = f"{start.strftime('%H:%M')}-{end.strftime('%H:%M')}"
    if start >= end:
        return Block(
            POLICY_CALL_WINDOW,
            f"the client's contact hours ({hours}) leave no time to contact",
        )
    retry = earliest_passing(
        _window_starts(ctx, at, start), at, lambda t: _inside(ctx, t, start, end)
    )
    return Block(
        POLICY_CALL_WINDOW,
        f"outside the client's contact hours {hours} at the consumer's location",
        retry_at=retry,
    )


def max_calls(ctx: Context, at: datetime) -> Outcome:
    """POLICY-max-calls-7d: the client's lower weekly call cap, counted like the 7-in-7 rule."""
    cap = ctx.policy.max_calls_per_7_days
    if cap >= MAX_CALLS_IN_7_DAYS:
        return None
    return call_cap(ctx, at, max(cap, 0), POLICY_MAX_CALLS_7D)


def sms_disabled(ctx: Context, at: datetime) -> Outcome:
    """POLICY-sms-disabled: the client sends no text messages."""
    if ctx.channel == Channel.SMS and not ctx.policy.sms_enabled:
        return Block(POLICY_SMS_DISABLED, "the client does not allow text messages")
    return None


def email_disabled(ctx: Context, at: datetime) -> Outcome:
    """POLICY-email-disabled: the client sends no email."""
    if ctx.channel == Channel.EMAIL and not ctx.policy.email_enabled:
        return Block(POLICY_EMAIL_DISABLED, "the client does not allow email")
    return None
