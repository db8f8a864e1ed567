"""Content rules (catalogue section 7), run only when the request carries message text."""

from datetime import datetime, timedelta

from ..constants import (
    LIMITED_CONTENT,
    MINI_MIRANDA,
    OVERSHADOWING,
    TIME_BARRED,
    Channel,
    Purpose,
)
from ..context import Context
from ..history import (
    conversations,
    is_time_barred,
    validation_period_end,
    written_communications,
)
from ..text import (
    has_debt_collector_disclosure,
    has_initial_disclosure,
    limited_content_problem,
    payment_deadline_days,
    threatens_suit,
)
from ..verdicts import Block, Outcome, regf_only

VOICE_CHANNELS = frozenset({Channel.CALL, Channel.VOICEMAIL})
WRITTEN_CHANNELS = frozenset({Channel.SMS, Channel.EMAIL, Channel.LETTER})
NO_DISCLOSURE_PURPOSES = frozenset(
    {Purpose.OPT_OUT_CONFIRMATION, Purpose.LOCATION_INQUIRY}
)
"""An opt-out confirmation may hold only the confirmation (1006.14(h)(2)(i)); a location
inquiry must not reveal the debt (1006.10)."""


def message_text(ctx: Context) -> str | None:
    """Subject and body together, or None when no text was supplied."""
    message = ctx.message
    if message is None:
        return None
    body = " ".join(part for part in (message.subject, message.text) if part)
    return body or None


@regf_only
def mini_miranda(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.18e-mini-miranda. The initial communication -- and the first written one after
    an oral start -- must say we are attempting to collect a debt and any information obtained
    will be used for that purpose; every later one must say it is from a debt collector.
    Limited-content voicemails are exempt (comment 18(e)-1)."""
    text = message_text(ctx)
    if (
        text is None
        or ctx.channel == Channel.CREDIT_REPORT
        or ctx.purpose in NO_DISCLOSURE_PURPOSES
    ):
        return None
    if ctx.purpose == Purpose.LIMITED_CONTENT and ctx.channel in VOICE_CHANNELS:
        return None
    written_before = written_communications(ctx)
    initial = not (written_before or conversations(ctx)) or (
        ctx.channel in WRITTEN_CHANNELS and not written_before
    )
    if initial:
        if has_initial_disclosure(text):
            return None
        return Block(
            MINI_MIRANDA,
            "an initial communication must state that we are attempting to collect a debt and that "
            "any information obtained will be used for that purpose",
        )
    if has_debt_collector_disclosure(text):
        return None
    return Block(
        MINI_MIRANDA, "the communication must disclose that it is from a debt collector"
    )


@regf_only
def limited_content(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.2j-limited-content-message: a voicemail marked ``limited_content`` must be one
    (business name, request to reply, a person's name, a callback number, nothing about a
    debt); any other voicemail is blocked (POLICY, catalogue 7 and 13.7)."""
    message = ctx.message
    if ctx.channel not in VOICE_CHANNELS or message is None:
        return None
    if ctx.purpose != Purpose.LIMITED_CONTENT:
        if ctx.channel == Channel.VOICEMAIL:
            return Block(
                LIMITED_CONTENT,
                "only limited-content voicemails may be left (POLICY: a fuller message risks third-party disclosure)",
            )
        return None
    problem = limited_content_problem(message.text) if message.text else None
    if problem is None:
        return None
    return Block(LIMITED_CONTENT, f"not a limited-content message: {problem}")


@regf_only
def time_barred_threat(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.26b-time-barred: no threat of suit on a time-barred debt (strict liability)."""
    text = message_text(ctx)
    if (
        text is None
        or not is_time_barred(ctx.account, ctx.day_of(at))
        or not threatens_suit(text)
    ):
        return None
    return Block(
        TIME_BARRED,
        "the debt is time-barred and the message threatens or implies a lawsuit",
    )


@regf_only
def overshadowing(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.38b-overshadowing: during the validation period no communication may overshadow
    the consumer's right to dispute or to ask for the original creditor (1006.38(b); 15 USC
    1692g(b)) -- here, a demand for payment by a deadline that falls before the period ends
    ("pay within 10 days", "pay immediately"). Block ends: the first day on which the same
    message's deadline no longer falls before the end."""
    text = message_text(ctx)
    if text is None or ctx.channel == Channel.CREDIT_REPORT:
        return None
    end = validation_period_end(ctx)
    today = ctx.day_of(at)
    if end is None or today > end:
        return None
    days = payment_deadline_days(text)
    if days is None or today + timedelta(days=days) >= end:
        return None
    return Block(
        OVERSHADOWING,
        f"the message demands payment by {(today + timedelta(days=days)).isoformat()}, before the validation "
        f"period ends on {end.isoformat()}: it overshadows the right to dispute",
        retry_at=ctx.day_start(end - timedelta(days=days)),
    )
