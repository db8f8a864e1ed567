"""Telephone-call frequency (catalogue section 3; 12 CFR 1006.14(b)).

Days are calendar days in the consumer's primary zone (catalogue 0.2, POLICY 13.2). Counted:
``call_attempt`` and ``voicemail_left`` events we placed about this debt (an event without
accounts is about every debt), to any of the person's numbers -- answered or not, voicemail or
not. Not counted (1006.14(b)(3), REGF-1006.14b3-excluded-calls): outcomes ``busy``,
``disconnected`` and ``wrong_number``; every call to a number later known to be a wrong number
(comment 14(b)(2)(i)-3); calls to the attorney named in a representation notice
(``data.contact``, 1006.14(b)(3)(iii)); calls to a number that is not one of the consumer's
(a location call to a neighbour is a call to that person, 1006.14(b)(2)(i)(A) and comment
14(b)(2)(i)-1.iii); calls placed inside a prior-consent window (``consent.call_consents``).

A request to a number that is not the consumer's (a location call to a neighbour) is a call to
that other person: only the calls to that number count, and only conversations held on it
(``history.third_party_number``).
"""

from bisect import bisect_right
from datetime import date, datetime, timedelta

from ..consent import call_consents, call_is_consented, next_call_consent_start
from ..constants import (
    EXCLUDED_CALLS,
    FREQUENCY_DAYS,
    MAX_CALLS_IN_7_DAYS,
    POST_CONVERSATION,
    SEVEN_IN_SEVEN,
    CallOutcome,
    Channel,
    EventType,
)
from ..context import Context, memoized
from ..facts import Exemption
from ..history import (
    attorney_contacts,
    is_outbound,
    telephone_conversations,
    third_party_number,
    to_attorney,
    wrong_numbers,
)
from ..mediums import normalize_target
from ..verdicts import Block, Outcome, regf_only

TELEPHONE_CHANNELS = frozenset({Channel.CALL, Channel.VOICEMAIL})
NOT_CONNECTED = frozenset(
    {CallOutcome.BUSY, CallOutcome.DISCONNECTED, CallOutcome.WRONG_NUMBER}
)
WINDOW = timedelta(days=FREQUENCY_DAYS - 1)


def _consent_spans(ctx: Context) -> tuple[list[datetime], list[datetime]]:
    """Call-consent windows merged into disjoint spans: (starts, ends), both sorted."""
    starts: list[datetime] = []
    ends: list[datetime] = []
    for consent in sorted(call_consents(ctx), key=lambda c: c.starts_at):
        end = consent.ends_at
        if end <= consent.starts_at:
            continue
        if ends and consent.starts_at <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(consent.starts_at)
            ends.append(end)
    return starts, ends


@memoized
def counted_call_days(ctx: Context) -> tuple[date, ...]:
    """Local days of the calls that count toward both presumptions, oldest first."""
    not_the_person = wrong_numbers(ctx) | attorney_contacts(ctx)
    the_persons = {normalize_target(p.number) for p in ctx.debtor.phones}
    other = third_party_number(ctx)
    starts, ends = _consent_spans(ctx)
    days = []
    for call in ctx.timeline.for_account(
        EventType.CALL_ATTEMPT, EventType.VOICEMAIL_LEFT
    ):
        if not is_outbound(call) or call.outcome in NOT_CONNECTED:
            continue
        if other is not None:  # calls to that other person (the consumer's consent is not theirs)
            if call.target and normalize_target(call.target) == other:
                days.append(ctx.day_of(call.occurred_at))
            continue
        if call.target and (
            normalize_target(call.target) in not_the_person
            or normalize_target(call.target) not in the_persons
        ):
            continue  # "calls to a particular person": not a call to someone else (a neighbour)
        span = bisect_right(starts, call.occurred_at) - 1
        if span >= 0 and call.occurred_at < ends[span]:
            continue
        days.append(ctx.day_of(call.occurred_at))
    return tuple(days)


def calls_in_window(ctx: Context, last_day: date) -> int:
    """Counted calls in the seven days ending ``last_day``."""
    first_day = last_day - WINDOW
    return sum(1 for day in counted_call_days(ctx) if first_day <= day <= last_day)


def _consented(ctx: Context, at: datetime) -> Exemption | None:
    if call_is_consented(ctx, at):
        return Exemption(
            EXCLUDED_CALLS,
            "a call placed with the person's prior consent is not limited (1006.14(b)(3)(i))",
        )
    return None


def _earlier(first: datetime, second: datetime | None) -> datetime:
    return first if second is None or first <= second else second


def call_cap(ctx: Context, at: datetime, cap: int, rule: str) -> Outcome:
    """Block a call when ``cap`` calls were already counted in the seven days ending today.

    Block ends at the start of the first day D whose window D-6..D holds fewer than ``cap``
    (catalogue: "Block ends"), or when a consent window opens, whichever is first. A call to the
    consumer's attorney is not a call to the consumer and is not limited (1006.14(b)(3)(iii)).
    """
    if ctx.channel not in TELEPHONE_CHANNELS or to_attorney(ctx):
        return None
    today = ctx.day_of(at)
    count = calls_in_window(ctx, today)
    if count < cap:
        return None
    consumer = third_party_number(ctx) is None
    consented = _consented(ctx, at) if consumer else None
    if consented is not None:
        return consented
    counted = f"{count} calls about this debt in the 7 days {(today - WINDOW).isoformat()} to {today.isoformat()}"
    next_consent = next_call_consent_start(ctx, at) if consumer else None
    clear_day = next(
        (
            day
            for day in (today + timedelta(days=n) for n in range(1, FREQUENCY_DAYS + 1))
            if calls_in_window(ctx, day) < cap
        ),
        None,
    )
    if clear_day is None:
        return Block(rule, f"{counted}; no calls are allowed", retry_at=next_consent)
    return Block(
        rule,
        f"{counted}; the next call may be placed on {clear_day.isoformat()}",
        retry_at=_earlier(ctx.day_start(clear_day), next_consent),
    )


@regf_only
def seven_in_seven(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.14b2iA-7in7: the eighth call within seven consecutive days is presumed a
    violation (1006.14(b)(2)(i)(A)); treated as a block (catalogue 0.2)."""
    return call_cap(ctx, at, MAX_CALLS_IN_7_DAYS, SEVEN_IN_SEVEN)


@regf_only
def post_conversation(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.14b2iB-post-conversation: no call within seven days after a telephone
    conversation about the debt, the conversation's date being day 1: a conversation on day C
    blocks calls on C..C+6 and calls are allowed from the start of C+7. Calls to the consumer's
    attorney are not restricted (1006.14(b)(3)(iii))."""
    if ctx.channel not in TELEPHONE_CHANNELS or to_attorney(ctx):
        return None
    talks = telephone_conversations(ctx)
    other = third_party_number(ctx)
    if other is not None:  # a conversation with the consumer is not one with this person
        talks = tuple(t for t in talks if t.target and normalize_target(t.target) == other)
    if not talks:
        return None
    last_talk = ctx.day_of(talks[-1].occurred_at)
    today = ctx.day_of(at)
    if today > last_talk + WINDOW:
        return None
    consented = _consented(ctx, at)
    if consented is not None:
        return consented
    free_day = last_talk + timedelta(days=FREQUENCY_DAYS)
    return Block(
        POST_CONVERSATION,
        f"telephone conversation about this debt on {last_talk.isoformat()}; "
        f"the next call may be placed on {free_day.isoformat()}",
        retry_at=_earlier(ctx.day_start(free_day), next_call_consent_start(ctx, at)),
    )
