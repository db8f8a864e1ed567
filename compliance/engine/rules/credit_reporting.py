"""Credit reporting before communicating (catalogue section 9; 12 CFR 1006.30(a))."""

from datetime import datetime, timedelta

from ..constants import PASSIVE_COLLECTION, PASSIVE_WAIT_DAYS, Channel, EventType
from ..context import Context, memoized
from ..facts import Event
from ..history import conversations, written_communications
from ..mediums import medium_named, same_target
from ..verdicts import Block, Outcome, regf_only


def _returned(notice: Event, item: Event) -> bool:
    """Does this undeliverable notice concern ``item``? By ``data.item_event`` when given, else
    by matching channel and target where the notice names them."""
    named = notice.data.get("item_event")
    if named is not None:
        return bool(named == item.id)
    if notice.channel and medium_named(notice.channel) != medium_named(
        item.channel or _medium_of_type(item)
    ):
        return False
    return notice.target is None or same_target(notice.target, item.target)


_MEDIUM_OF_TYPE: dict[str, str] = {
    EventType.EMAIL_SENT: "email",
    EventType.SMS_SENT: "sms",
}


def _medium_of_type(item: Event) -> str:
    return _MEDIUM_OF_TYPE.get(item.type, "letter")


@memoized
def _furnishing_opens(ctx: Context) -> tuple[datetime, ...]:
    """For each letter or electronic message about the debt: the start of the 15th local day
    from its sending (mail 1 May, monitor 1-14 May, furnish from 15 May), unless an
    undeliverability notice arrived within those 14 days (comment 30(a)(1)-2)."""
    notices = ctx.timeline.of(EventType.UNDELIVERABLE_NOTICE_RECEIVED)
    opens = []
    for item in written_communications(ctx):
        opens_at = ctx.day_start(
            ctx.day_of(item.occurred_at) + timedelta(days=PASSIVE_WAIT_DAYS)
        )
        if not any(
            item.occurred_at <= n.occurred_at < opens_at and _returned(n, item)
            for n in notices
        ):
            opens.append(opens_at)
    return tuple(sorted(opens))


@regf_only
def passive_collection(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.30a-passive-collection: no furnishing to a consumer reporting agency before we
    have spoken with the consumer about the debt, or sent a letter or electronic message about
    it and waited 14 days without an undeliverability notice."""
    if ctx.channel != Channel.CREDIT_REPORT or conversations(ctx):
        return None
    opens = _furnishing_opens(ctx)
    if opens and opens[0] <= at:
        return None
    if opens:
        return Block(
            PASSIVE_COLLECTION,
            f"a message about the debt was sent; furnishing may start on {ctx.day_of(opens[0]).isoformat()}",
            retry_at=opens[0],
        )
    return Block(
        PASSIVE_COLLECTION,
        "we have neither spoken with the consumer about the debt nor sent a deliverable message about it",
        unblocked_by=EventType.CONVERSATION,
    )
