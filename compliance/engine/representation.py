"""Attorney representation, as both the federal rule (1006.6(b)(2)) and California's
(Civ. Code 1788.14(c)) read it: a representation notice stands until the attorney consents to
direct contact, and the consumer's own contact may be answered once through the same medium."""

from enum import Enum

from .constants import Direction, EventType
from .context import Context
from .facts import Event
from .mediums import Medium, unanswered_inbound


class Standing(Enum):
    RELEASED = "released"
    """The attorney consented to direct contact at or after the notice."""
    ANSWERING = "answering"
    """This request answers the consumer's own, unanswered contact through the medium."""
    REPRESENTED = "represented"


def standing(ctx: Context, notice: Event, medium: Medium) -> Standing:
    """Where the representation ``notice`` leaves this request."""
    released = ctx.timeline.latest_for_account(EventType.ATTORNEY_CONSENT_TO_DIRECT_CONTACT)
    if released is not None and released.occurred_at >= notice.occurred_at:
        return Standing.RELEASED
    if ctx.request.direction == Direction.INBOUND_RESPONSE and unanswered_inbound(
        ctx.timeline, medium, ctx.request.target, notice.occurred_at
    ):
        return Standing.ANSWERING
    return Standing.REPRESENTED
