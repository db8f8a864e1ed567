"""Media (telephone, text, email, mail) and the consumer-initiated "respond once" exception."""

from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from .constants import Channel, EventType
from .facts import Event
from .timeline import Timeline


class Medium(StrEnum):
    TELEPHONE = "call"
    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"


MEDIUM_OF_CHANNEL: dict[Channel, Medium] = {
    Channel.CALL: Medium.TELEPHONE,
    Channel.VOICEMAIL: Medium.TELEPHONE,
    Channel.SMS: Medium.SMS,
    Channel.EMAIL: Medium.EMAIL,
    Channel.LETTER: Medium.LETTER,
}
"""A voicemail is a telephone call (comment 14(b)-1); credit reporting is no medium."""

_INBOUND: dict[Medium, EventType] = {
    Medium.TELEPHONE: EventType.INBOUND_CALL,
    Medium.SMS: EventType.INBOUND_SMS,
    Medium.EMAIL: EventType.INBOUND_EMAIL,
    Medium.LETTER: EventType.INBOUND_LETTER,
}

OUTBOUND: dict[Medium, tuple[EventType, ...]] = {
    Medium.TELEPHONE: (EventType.CALL_ATTEMPT, EventType.VOICEMAIL_LEFT),
    Medium.SMS: (EventType.SMS_SENT,),
    Medium.EMAIL: (EventType.EMAIL_SENT,),
    Medium.LETTER: (EventType.LETTER_SENT,),
}


def medium_named(value: object) -> Medium | None:
    """The medium an event's ``channel`` names ("voicemail" is the telephone)."""
    if value == Channel.VOICEMAIL:
        return Medium.TELEPHONE
    try:
        return Medium(str(value))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def normalize_target(target: str) -> str:
    """Compare targets without case, spaces or phone punctuation."""
    compact = "".join(target.split()).lower()
    if compact.startswith("+"):
        return "+" + "".join(ch for ch in compact if ch.isdigit())
    return compact


def same_target(left: str | None, right: str | None) -> bool:
    return (
        left is not None
        and right is not None
        and normalize_target(left) == normalize_target(right)
    )


def unanswered_inbound(
    timeline: Timeline, medium: Medium, target: str, since: datetime
) -> Event | None:
    """The consumer's latest contact through ``medium`` since ``since`` that we have not answered.

    Comment 6(b)(1)-2, 1006.14(h)(2)(ii), comment 6(b)(2)-1: we may respond once, through the
    same medium, to each consumer-initiated message; any later outbound contact through that
    medium is the one response.
    """
    latest = None
    for event in timeline.of(_INBOUND[medium]):
        if event.occurred_at >= since and (
            event.target is None or same_target(event.target, target)
        ):
            latest = event
    if latest is None:
        return None
    for reply in timeline.of(*OUTBOUND[medium]):
        if reply.occurred_at > latest.occurred_at and reply.direction != "inbound":
            return None
    return latest
