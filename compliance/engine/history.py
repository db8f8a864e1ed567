"""Facts derived from the timeline that several rule families share (computed once per request)."""

from datetime import date

from .clock import parse_date
from .constants import CallOutcome, Channel, EventType, PhoneStatus
from .context import Context, memoized
from .facts import AccountFacts, Event
from .mediums import normalize_target
from .validation_dates import earliest_period_end

WRITTEN_COMMUNICATION_TYPES = (
    EventType.EMAIL_SENT,
    EventType.SMS_SENT,
    EventType.LETTER_SENT,
    EventType.VALIDATION_NOTICE_SENT,
    EventType.VERIFICATION_SENT,
)


@memoized
def conversations(ctx: Context) -> tuple[Event, ...]:
    """Telephone conversations about this debt, whoever initiated them (comment 14(b)(2)(i)-1.ii).

    A ``conversation`` event, or a call attempt whose outcome is ``right_party_contact`` (we
    reached the consumer). Events without accounts are about every debt (comment 14(b)(4)-1.ii).
    """
    return tuple(
        e
        for e in ctx.timeline.for_account(
            EventType.CONVERSATION, EventType.CALL_ATTEMPT
        )
        if e.type == EventType.CONVERSATION
        or e.outcome == CallOutcome.RIGHT_PARTY_CONTACT
    )


TELEPHONE_EVENT_CHANNELS = frozenset({"", Channel.CALL, Channel.VOICEMAIL})
"""Channels of a ``conversation`` event that make it a *telephone* conversation (none given: one)."""


@memoized
def telephone_conversations(ctx: Context) -> tuple[Event, ...]:
    """The conversations held by telephone: the ones 1006.14(b)(2)(i)(B) and comment
    14(b)(3)(i)-2 speak of ("a telephone conversation"). One held in person (channel
    ``in_person``) is speaking to the consumer (1006.30(a)(1)(i)) but starts no seven-day wait."""
    return tuple(e for e in conversations(ctx) if (e.channel or "") in TELEPHONE_EVENT_CHANNELS)


IDENTIFYING_OUTCOMES = frozenset({CallOutcome.WRONG_NUMBER, CallOutcome.RIGHT_PARTY_CONTACT})
"""Call outcomes that tell whose number it is. ``third_party`` does not: someone else answered
a number that may well be the consumer's (a relative at home), catalogue 5 and 14(b)(3)."""


@memoized
def wrong_numbers(ctx: Context) -> frozenset[str]:
    """Numbers known not to be the consumer's: marked so, or the latest call there that told
    whose number it is reached a wrong number (a later right-party contact at the same number
    shows it reaches the consumer again, e.g. a reassigned or mis-keyed outcome corrected)."""
    numbers = {
        normalize_target(p.number)
        for p in ctx.debtor.phones
        if p.status == PhoneStatus.WRONG_NUMBER
    }
    latest: dict[str, str] = {}
    for call in ctx.timeline.of(EventType.CALL_ATTEMPT):
        if call.outcome in IDENTIFYING_OUTCOMES and call.target:
            latest[normalize_target(call.target)] = call.outcome
    numbers.update(n for n, outcome in latest.items() if outcome == CallOutcome.WRONG_NUMBER)
    return frozenset(numbers)


@memoized
def attorney_contacts(ctx: Context) -> frozenset[str]:
    """The ``data.contact`` of attorney-representation notices (calls there are to the attorney)."""
    return frozenset(
        normalize_target(str(contact))
        for notice in ctx.timeline.of(EventType.ATTORNEY_REPRESENTATION_NOTICE)
        if (contact := notice.data.get("contact"))
    )


def to_attorney(ctx: Context) -> bool:
    """Is this request addressed to the consumer's attorney (the ``data.contact`` of a
    representation notice)? Communicating with the attorney is what 1006.6(b)(2) leaves open
    (1006.6(d)(1)(ii)), and calls to the attorney are not calls to the consumer
    (1006.14(b)(3)(iii))."""
    target = ctx.request.target
    return bool(target) and normalize_target(target) in attorney_contacts(ctx)


def third_party_number(ctx: Context) -> str | None:
    """The number asked about when it is not one of the consumer's (a neighbour called for
    location information): the call frequencies count calls "to a particular person"
    (1006.14(b)(2)(i); comment 14(b)(2)(i)-1.iii), so that person's own calls, not the
    consumer's. None when the request is not a call or goes to one of the consumer's numbers."""
    if ctx.request.channel not in (Channel.CALL, Channel.VOICEMAIL) or not ctx.request.target:
        return None
    wanted = normalize_target(ctx.request.target)
    if any(normalize_target(p.number) == wanted for p in ctx.debtor.phones):
        return None
    return wanted


def is_outbound(event: Event) -> bool:
    return event.direction != "inbound"


@memoized
def written_communications(ctx: Context) -> tuple[Event, ...]:
    """Letters, emails and texts we sent about this debt (validation notices included)."""
    return tuple(
        e
        for e in ctx.timeline.for_account(*WRITTEN_COMMUNICATION_TYPES)
        if is_outbound(e)
    )


@memoized
def validation_notices(ctx: Context) -> tuple[Event, ...]:
    """``validation_notice_sent`` events, or letters/emails sent from the validation template."""
    return tuple(
        e
        for e in written_communications(ctx)
        if e.type == EventType.VALIDATION_NOTICE_SENT
        or e.data.get("template") == "validation_notice"
    )


@memoized
def validation_period_end(ctx: Context) -> date | None:
    """End of the validation period: the account's stored date, else the later of the latest
    notice's stated date and the earliest end computed from its send date (a stated earlier date
    does not shorten the consumer's thirty days); None before any notice."""
    if ctx.account.validation_period_end is not None:
        return ctx.account.validation_period_end
    notices = validation_notices(ctx)
    if not notices:
        return None
    latest = notices[-1]
    earliest = earliest_period_end(ctx.day_of(latest.occurred_at))
    stated = parse_date(latest.data.get("validation_period_end"))
    return max(stated, earliest) if stated else earliest


def is_time_barred(account: AccountFacts, day: date) -> bool:
    """Past ``sol_expires_on`` (the last day suit could be brought) on the consumer's local
    ``day``; the stored verdict only when no last day is known. The stored flag is computed on
    the request's UTC date, which on the evening of the last day (west of UTC) is already the
    next day: the local day decides, as everywhere else in the engine (catalogue 0.2)."""
    if account.sol_expires_on is not None:
        return day > account.sol_expires_on
    return account.time_barred
