"""Third parties and deceased consumers (catalogue section 5)."""

from datetime import datetime

from ..constants import (
    DECEASED,
    LOCATION_INFO,
    THIRD_PARTY,
    CallOutcome,
    Channel,
    EventType,
    PhoneStatus,
    Purpose,
)
from ..context import Context
from ..facts import Exemption
from ..history import to_attorney, wrong_numbers
from ..mediums import normalize_target, same_target
from ..verdicts import Block, Outcome, regf_only

PHONE_CHANNELS = frozenset({Channel.CALL, Channel.VOICEMAIL, Channel.SMS})


def _not_the_consumers(ctx: Context) -> str | None:
    """Why the target is not known to reach the consumer, or None when it is theirs."""
    if ctx.channel in PHONE_CHANNELS:
        phone = ctx.target_phone
        if phone is None:
            return "this number is not one of the consumer's"
        if phone.status == PhoneStatus.WRONG_NUMBER or normalize_target(
            phone.number
        ) in wrong_numbers(ctx):
            return "this number is known to reach someone else (wrong number)"
    elif ctx.channel == Channel.EMAIL and ctx.target_email is None:
        return "this email address is not one of the consumer's"
    elif ctx.channel == Channel.LETTER and ctx.target_address is None:
        return "this address is not one of the consumer's"
    return None


@regf_only
def third_party(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.6d1-third-party: talk about the debt only with the consumer (1006.6(d)(1)).

    The recipient must be a contact point on file that is not known to be a wrong number, or the
    consumer's attorney named in a representation notice (1006.6(d)(1)(ii)). Location inquiries
    (1006.10) are the exception.
    """
    problem = _not_the_consumers(ctx)
    if problem is None or to_attorney(ctx):
        return None
    if ctx.purpose == Purpose.LOCATION_INQUIRY:
        return Exemption(
            THIRD_PARTY, "a location inquiry may go to a third party (1006.10)"
        )
    return Block(
        THIRD_PARTY,
        f"{problem}: communicating about the debt would reach a third party",
    )


ANSWERED = frozenset({CallOutcome.THIRD_PARTY, CallOutcome.RIGHT_PARTY_CONTACT})
"""A call someone answered: a communication with the person at that number."""
WRITTEN_TO = (EventType.SMS_SENT, EventType.EMAIL_SENT, EventType.LETTER_SENT)


@regf_only
def location_once(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.10-location-info: a collector seeking location information "must not
    communicate more than once with such person" (1006.10(c)). Blocks a location inquiry to a
    third party (a contact point that is not the consumer's) we already communicated with there:
    a call that person answered, a conversation, or a text, email or letter we sent them.

    The exceptions -- the person asked us to, or we reasonably believe the earlier answer was
    wrong or incomplete and the person now has the right information -- have no contract event:
    no time or event lifts the block (compliance/engine/README.md, open questions)."""
    if ctx.purpose != Purpose.LOCATION_INQUIRY or _not_the_consumers(ctx) is None:
        return None
    target = ctx.request.target
    earlier = [
        e
        for e in ctx.timeline.of(EventType.CALL_ATTEMPT, EventType.CONVERSATION, *WRITTEN_TO)
        if e.direction != "inbound"
        and same_target(e.target, target)
        and (e.type != EventType.CALL_ATTEMPT or e.outcome in ANSWERED)
    ]
    if not earlier:
        return None
    return Block(
        LOCATION_INFO,
        f"we already communicated with this person for location information on "
        f"{ctx.day_of(earlier[0].occurred_at).isoformat()}: not more than once (1006.10(c))",
    )


@regf_only
def deceased(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.6a4-deceased-estate: after a death only the spouse or the estate's personal
    representative is "the consumer"; the stored contact points are the decedent's, so contact
    through them is blocked (a location inquiry for the representative stays possible)."""
    if ctx.channel == Channel.CREDIT_REPORT:
        return None
    notice = ctx.timeline.latest(EventType.DECEASED_NOTICE)
    if notice is None:
        return None
    if ctx.purpose == Purpose.LOCATION_INQUIRY:
        return Exemption(
            DECEASED,
            "seeking the person authorized to act for the estate (comment 10(b)(2)-1)",
        )
    return Block(
        DECEASED,
        f"the consumer was reported deceased on {ctx.day_of(notice.occurred_at).isoformat()}: "
        "communicate only with the estate's personal representative",
    )
