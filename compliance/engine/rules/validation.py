"""Validation notice and delivery of required disclosures (catalogue section 8)."""

from datetime import datetime, timedelta

from ..constants import (
    DELIVERY,
    VALIDATION_DEADLINE_DAYS,
    VALIDATION_PERIOD,
    VALIDATION_TIMING,
    AddressStatus,
    Channel,
    EmailStatus,
    EventType,
    PhoneStatus,
    Purpose,
)
from ..context import Context
from ..facts import Event
from ..history import conversations, validation_notices, written_communications
from ..mediums import same_target
from ..validation_dates import earliest_period_end
from ..verdicts import Advisory, Block, Outcome, regf_only

NOT_CONSUMER_CONTACT = frozenset({Channel.CREDIT_REPORT})
TIMING_PERMITS = frozenset(
    {
        Purpose.VALIDATION_NOTICE,
        Purpose.VERIFICATION,
        Purpose.TERMINATION_NOTICE,
        Purpose.OPT_OUT_CONFIRMATION,
    }
)
REQUIRED_DISCLOSURES = frozenset({Purpose.VALIDATION_NOTICE, Purpose.VERIFICATION})


@regf_only
def validation_timing(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.34a-validation-timing: the validation notice is due within five calendar days
    of the initial communication (the first conversation or written communication about the
    debt). Past that day with no notice, decisions on the debt carry an advisory (lifted by
    ``validation_notice_sent``) but are not blocked: the regulation sets a deadline, not a stop,
    and the information may have been given orally (1006.34(a)(1)(ii)), which the timeline
    cannot show."""
    if (
        ctx.channel in NOT_CONSUMER_CONTACT
        or ctx.purpose in TIMING_PERMITS
        or validation_notices(ctx)
    ):
        return None
    first = _initial_communication(ctx)
    if first is None:
        return None
    deadline = ctx.day_of(first.occurred_at) + timedelta(days=VALIDATION_DEADLINE_DAYS)
    if ctx.day_of(at) <= deadline:
        return None
    return Advisory(
        VALIDATION_TIMING,
        f"the validation notice was due by {deadline.isoformat()} (five days after the initial communication)",
        unblocked_by=EventType.VALIDATION_NOTICE_SENT,
    )


def _initial_communication(ctx: Context) -> Event | None:
    candidates = [*written_communications(ctx)[:1], *conversations(ctx)[:1]]
    return min(candidates, key=lambda e: e.occurred_at, default=None)


@regf_only
def validation_period(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.34b5-validation-period: a validation notice may not state an end earlier than
    30 days after assumed receipt (five days after sending, skipping weekends and 5 USC 6103(a)
    holidays), counting from the day it is sent."""
    message = ctx.message
    if (
        ctx.purpose != Purpose.VALIDATION_NOTICE
        or message is None
        or message.validation_period_end is None
    ):
        return None
    earliest = earliest_period_end(ctx.day_of(at))
    if message.validation_period_end >= earliest:
        return None
    return Block(
        VALIDATION_PERIOD,
        f"the stated validation-period end {message.validation_period_end.isoformat()} is earlier than "
        f"{earliest.isoformat()}, the earliest allowed for a notice sent on {ctx.day_of(at).isoformat()}",
    )


def _known_undeliverable(ctx: Context) -> bool:
    if ctx.channel == Channel.LETTER:
        address = ctx.target_address
        if address is not None and address.status == AddressStatus.UNDELIVERABLE:
            return True
    if ctx.channel == Channel.EMAIL:
        email = ctx.target_email
        if email is not None and email.status == EmailStatus.BOUNCED:
            return True
    if ctx.channel == Channel.SMS:
        phone = ctx.target_phone
        if phone is not None and phone.status != PhoneStatus.ACTIVE:
            return True
    for notice in ctx.timeline.of(EventType.UNDELIVERABLE_NOTICE_RECEIVED):
        item = ctx.timeline.by_id(notice.data.get("item_event"))
        returned_to = notice.target or (item.target if item is not None else None)
        if same_target(returned_to, ctx.request.target):
            return True
    return False


@regf_only
def delivery(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.42-delivery: a required disclosure (validation notice, verification) must be
    reasonably expected to give actual notice -- not to an address or number known to be
    undeliverable (comments 42(a)(1)-1..4)."""
    if ctx.purpose not in REQUIRED_DISCLOSURES or ctx.channel in NOT_CONSUMER_CONTACT:
        return None
    if not _known_undeliverable(ctx):
        return None
    return Block(
        DELIVERY,
        "this address or number is known to be undeliverable: the disclosure would not give actual notice",
    )
