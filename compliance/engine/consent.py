"""Prior consent given directly to us (``prior_consent_recorded``).

One event serves two exceptions:

* 1006.6(b)(4) (REGF-1006.6b4-prior-consent): (b)(1)-(3) -- inconvenient times and places, the
  workplace, attorney representation -- do not apply to a contact inside the consented window.
  The window is ``data.starts_at`` (default: when recorded) to ``data.ends_at``; without an
  end it lasts seven days, the day received as day 1 (POLICY: an open-ended consent is read
  narrowly). A designation or prohibition recorded *after* the consent revokes it for that
  designation. Only a consent naming its window (an ``ends_at``) makes an otherwise
  inconvenient *time* convenient: an open-ended "you can call me" is consent to further calls
  (1006.14(b)(3)(i)), and comment 14(b)(3)(i)-1 says such consent never permits a contact
  1006.6(b) forbids -- it does not reach the hours before 08:00 or after 21:00.
* 1006.14(b)(3)(i) (REGF-1006.14b3-excluded-calls): calls inside the window are not counted and
  not limited, but the window lasts at most seven days with the day received as day 1, and ends
  at the first telephone conversation about the debt after the consent.

``data.channel`` limits the consent to one medium (``call`` covers voicemails); absent = all.

The same event with ``data.channel`` ``email`` or ``sms`` also records the consumer's direct consent
to use an address or number (the event's ``target``; none = every one of that medium) for
1006.6(d)(4)(i)(B) and (d)(5)(ii) (comment 6(d)(4)(i)(B)-1: consent in any medium): that consent
has no seven-day limit; it lasts until withdrawn (an opt-out) or until its own ``ends_at``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from .clock import parse_instant
from .constants import CONSENT_MAX_DAYS, EventType
from .context import Context, memoized
from .facts import Event
from .history import telephone_conversations
from .mediums import MEDIUM_OF_CHANNEL, Medium, medium_named, same_target


@dataclass(frozen=True, slots=True)
class Consent:
    recorded_at: datetime
    starts_at: datetime
    ends_at: datetime
    medium: Medium | None
    named: bool = False
    """The consumer named the window's end (``data.ends_at``): consent to that time itself."""

    def covers(self, medium: Medium | None, at: datetime) -> bool:
        if self.medium is not None and medium != self.medium:
            return False
        return self.starts_at <= at < self.ends_at


@memoized
def consents(ctx: Context) -> tuple[Consent, ...]:
    found = []
    for event in ctx.timeline.for_account(EventType.PRIOR_CONSENT_RECORDED):
        channel = event.data.get("channel")
        named_end = parse_instant(event.data.get("ends_at"))
        found.append(
            Consent(
                recorded_at=event.occurred_at,
                starts_at=parse_instant(event.data.get("starts_at"))
                or event.occurred_at,
                ends_at=named_end or _seven_days_from(ctx, event.occurred_at),
                medium=medium_named(channel) if channel else None,
                named=named_end is not None,
            )
        )
    return tuple(found)


def _seven_days_from(ctx: Context, recorded_at: datetime) -> datetime:
    """Start of the eighth local day, the day received being day 1."""
    return ctx.day_start(ctx.day_of(recorded_at) + timedelta(days=CONSENT_MAX_DAYS))


@memoized
def call_consents(ctx: Context) -> tuple[Consent, ...]:
    """Consents as 1006.14(b)(3)(i) limits them for counting and placing calls."""
    talks = [e.occurred_at for e in telephone_conversations(ctx)]
    limited = []
    for consent in consents(ctx):
        if consent.medium not in (None, Medium.TELEPHONE):
            continue
        ends = min(consent.ends_at, _seven_days_from(ctx, consent.recorded_at))
        later_talk = next((t for t in talks if t > consent.recorded_at), None)
        if later_talk is not None:
            ends = min(ends, later_talk)
        limited.append(
            Consent(consent.recorded_at, consent.starts_at, ends, Medium.TELEPHONE)
        )
    return tuple(limited)


def contact_consent(
    ctx: Context, at: datetime, since: datetime | None = None, named: bool = False
) -> Consent | None:
    """A 1006.6(b)(4) consent covering this request's medium at ``at``, recorded at or after
    ``since`` (the event it must outrank), if any; with ``named``, only one naming its window."""
    medium = MEDIUM_OF_CHANNEL.get(ctx.channel)
    for consent in consents(ctx):
        if (
            consent.covers(medium, at)
            and (since is None or consent.recorded_at >= since)
            and (consent.named or not named)
        ):
            return consent
    return None


def next_contact_consent_start(
    ctx: Context, at: datetime, since: datetime | None = None, named: bool = False
) -> datetime | None:
    """When a not-yet-started consent for this medium opens (a time-based end of a block)."""
    medium = MEDIUM_OF_CHANNEL.get(ctx.channel)
    starts = [
        c.starts_at
        for c in consents(ctx)
        if c.starts_at > at
        and (c.medium is None or c.medium == medium)
        and (since is None or c.recorded_at >= since)
        and (c.named or not named)
        and c.ends_at > c.starts_at
    ]
    return min(starts, default=None)


def latest_address_consent(
    ctx: Context, medium: Medium, target: str, at: datetime
) -> Event | None:
    """The latest ``prior_consent_recorded`` for ``medium`` by which the consumer let us use
    ``target`` (an email address or a number to text), still open at ``at``."""
    latest = None
    for event in ctx.timeline.for_account(EventType.PRIOR_CONSENT_RECORDED):
        if medium_named(event.data.get("channel")) != medium:
            continue
        if event.target and not same_target(event.target, target):
            continue
        ends_at = parse_instant(event.data.get("ends_at"))
        if ends_at is None or at < ends_at:
            latest = event
    return latest


def call_is_consented(ctx: Context, at: datetime) -> bool:
    return any(c.covers(Medium.TELEPHONE, at) for c in call_consents(ctx))


def next_call_consent_start(ctx: Context, at: datetime) -> datetime | None:
    starts = [c.starts_at for c in call_consents(ctx) if at < c.starts_at < c.ends_at]
    return min(starts, default=None)
