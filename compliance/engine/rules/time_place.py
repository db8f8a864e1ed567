"""Time and place (catalogue section 2; 12 CFR 1006.6(b)(1)-(4)).

Time-gated channels are calls, voicemails, texts and emails (an email or text "occurs" when
sent, comment 6(b)(1)(i)-1). Letters have no time-of-day gate (POLICY, catalogue 13.8) and
credit reporting is not a communication with the consumer.
"""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from ..clock import at_local, earliest_passing, local_date, parse_time
from ..consent import contact_consent, next_contact_consent_start
from ..constants import (
    CONSUMER_INITIATED,
    INCONVENIENT_PLACE,
    INCONVENIENT_TIME,
    PRIOR_CONSENT,
    WINDOW_END,
    WINDOW_START,
    WORKPLACE,
    AddressKind,
    Channel,
    Direction,
    EventType,
    PhoneKind,
)
from ..context import Context, memoized
from ..facts import Event, Exemption
from ..history import to_attorney
from ..mediums import MEDIUM_OF_CHANNEL, unanswered_inbound
from ..verdicts import Block, Outcome, regf_only

TIME_GATED = frozenset({Channel.CALL, Channel.VOICEMAIL, Channel.SMS, Channel.EMAIL})
PHONE_CHANNELS = frozenset({Channel.CALL, Channel.VOICEMAIL, Channel.SMS})
SEARCH_DAYS = 9
"""How many local days ahead the time-of-day rule looks for its own next convenient instant."""

ALL_WEEKDAYS = frozenset(range(7))


@dataclass(frozen=True, slots=True)
class Designation:
    """Times the consumer called inconvenient (``inconvenient_time_designation``), local time.

    ``weekdays`` 0 = Monday (absent: every day); ``start``/``end`` absent: the whole day; an end
    at or before the start runs past midnight. A designation with ``"weekdays": []`` clears the
    earlier ones ("the consumer says otherwise", comment 6(b)(1)-1).
    """

    recorded_at: datetime
    weekdays: frozenset[int]
    start: time
    end: time | None

    def covers(self, local: datetime) -> bool:
        clock_time, weekday = local.time(), local.weekday()
        if self.end is None or self.end > self.start:
            return (
                weekday in self.weekdays
                and self.start <= clock_time
                and (self.end is None or clock_time < self.end)
            )
        return (weekday in self.weekdays and clock_time >= self.start) or (
            (weekday - 1) % 7 in self.weekdays and clock_time < self.end
        )

    def stretch(self, local: datetime) -> date | None:
        """The local day on which the designated stretch covering ``local`` began (None when
        ``local`` is not covered): a reply allowed "at that time" must fall in the same one."""
        if not self.covers(local):
            return None
        past_midnight = (
            self.end is not None
            and self.end <= self.start
            and local.time() < self.end
            and not (local.weekday() in self.weekdays and local.time() >= self.start)
        )
        return local.date() - timedelta(days=1) if past_midnight else local.date()


@memoized
def designations(ctx: Context) -> tuple[Designation, ...]:
    found: list[Designation] = []
    for event in ctx.timeline.of(EventType.INCONVENIENT_TIME_DESIGNATION):
        weekdays = event.data.get("weekdays")
        if weekdays == []:
            found.clear()
            continue
        found.append(
            Designation(
                recorded_at=event.occurred_at,
                weekdays=frozenset(int(w) for w in weekdays)
                if isinstance(weekdays, list)
                else ALL_WEEKDAYS,
                start=parse_time(event.data.get("start")) or time(0),
                end=parse_time(event.data.get("end")),
            )
        )
    return tuple(found)


def _zones_outside_window(ctx: Context, at: datetime) -> list[str]:
    return [
        z.key
        for z in ctx.zones
        if not WINDOW_START <= at.astimezone(z).time() < WINDOW_END
    ]


def _designation_at(ctx: Context, at: datetime) -> Designation | None:
    """The latest designation covering ``at`` in any candidate zone (the consumer's zone is
    uncertain, so every candidate counts, as for the default window)."""
    for designation in reversed(designations(ctx)):
        if any(designation.covers(at.astimezone(z)) for z in ctx.zones):
            return designation
    return None


def _unanswered_contact(ctx: Context, since: datetime) -> Event | None:
    """The consumer's own contact, through this request's medium, that a response may answer."""
    medium = MEDIUM_OF_CHANNEL.get(ctx.channel)
    if medium is None or ctx.request.direction != Direction.INBOUND_RESPONSE:
        return None
    return unanswered_inbound(ctx.timeline, medium, ctx.request.target, since)


def _responding_once(ctx: Context, since: datetime) -> bool:
    """Comment 6(b)(1)-2.ii: answering, through the same medium, the consumer's own contact."""
    return _unanswered_contact(ctx, since) is not None


def _responding_at_that_time(ctx: Context, designation: Designation, at: datetime) -> bool:
    """Comment 6(b)(1)-2.i: a consumer who writes at 3:30 p.m. on a weekday they called
    inconvenient (3-5 p.m.) may be answered once "before 5:00 p.m. on that day" -- the contact
    must fall in the same designated stretch as the response, in some candidate zone."""
    contact = _unanswered_contact(ctx, designation.recorded_at)
    if contact is None:
        return False
    for zone in ctx.zones:
        began = designation.stretch(contact.occurred_at.astimezone(zone))
        if began is not None and began == designation.stretch(at.astimezone(zone)):
            return True
    return False


def _assess_time(ctx: Context, at: datetime) -> Outcome:
    outside = _zones_outside_window(ctx, at)
    designation = _designation_at(ctx, at)
    if not outside and designation is None:
        return None
    consent = contact_consent(ctx, at, named=True)
    if consent is not None and (
        designation is None or consent.recorded_at >= designation.recorded_at
    ):
        return Exemption(
            PRIOR_CONSENT,
            "contact inside a window the consumer consented to (1006.6(b)(4))",
        )
    if (
        not outside
        and designation is not None
        and _responding_at_that_time(ctx, designation, at)
    ):
        return Exemption(
            CONSUMER_INITIATED,
            "responding once to the consumer's own contact (comment 6(b)(1)-2)",
        )
    if outside:
        local = ", ".join(
            f"{at.astimezone(z).strftime('%H:%M:%S')} in {z.key}"
            for z in ctx.zones
            if z.key in outside
        )
        return Block(
            INCONVENIENT_TIME,
            f"outside 08:00-21:00 at the consumer's location ({local})",
        )
    return Block(INCONVENIENT_TIME, "the consumer designated this time as inconvenient")


def _time_candidates(ctx: Context, at: datetime) -> Iterator[datetime]:
    """Window starts and designation ends in every zone, and consent starts."""
    ends = [d.end or time(0) for d in designations(ctx)]
    for zone in ctx.zones:
        today = local_date(at, zone)
        for offset in range(-1, SEARCH_DAYS):
            day = today + timedelta(days=offset)
            yield at_local(day, WINDOW_START, zone)
            for end in ends:
                yield at_local(day, end, zone)
    next_consent = next_contact_consent_start(ctx, at, named=True)
    if next_consent is not None:
        yield next_consent


@regf_only
def inconvenient_time(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.6b1i-inconvenient-time: convenient only in [08:00, 21:00) local in every
    candidate zone (comment 6(b)(1)(i)-2) and outside every designated time (comment 6(b)(1)-1).

    Exceptions: prior consent naming its window (1006.6(b)(4); an open-ended consent to more
    calls does not reach 6(b), comment 14(b)(3)(i)-1) and responding once, in the same
    designated stretch, to a consumer-initiated contact at a designated time (comment 6(b)(1)-2). Block ends: the next instant convenient
    in every zone and outside every designation. A contact addressed to the consumer's attorney is
    not one with the consumer (1006.6(a), (d)(1)(ii)) and is not gated here.
    """
    if ctx.channel not in TIME_GATED or to_attorney(ctx):
        return None  # the consumer's attorney is not "the consumer" of 1006.6(a)-(b)
    verdict = _assess_time(ctx, at)
    if not isinstance(verdict, Block):
        return verdict
    retry = earliest_passing(
        _time_candidates(ctx, at),
        at,
        lambda t: not isinstance(_assess_time(ctx, t), Block),
    )
    if retry is None:
        return replace(verdict, unblocked_by=EventType.LOCATION_STATED)
    return replace(verdict, retry_at=retry)


def _place_of_target(ctx: Context) -> str | None:
    """Media associated with a place: home or work landlines (and texts to them), and mail to
    home or work addresses. Mobile numbers and email are not (comment 6(b)(1)(ii)-1)."""
    if ctx.channel in PHONE_CHANNELS:
        phone = ctx.target_phone
        if phone is not None and phone.kind in (PhoneKind.HOME, PhoneKind.WORK):
            return phone.kind.value
    if ctx.channel == Channel.LETTER:
        address = ctx.target_address
        if address is not None and address.kind in (AddressKind.HOME, AddressKind.WORK):
            return address.kind.value
    return None


@memoized
def designated_places(ctx: Context) -> dict[str, Event]:
    """The latest ``inconvenient_place_designation`` per place (``data.place``)."""
    return {
        str(e.data.get("place")): e
        for e in ctx.timeline.of(EventType.INCONVENIENT_PLACE_DESIGNATION)
    }


@regf_only
def inconvenient_place(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.6b1ii-inconvenient-place: no contact through media tied to a place the consumer
    called inconvenient ("don't contact me at home": home mail and home landline). Exceptions:
    later prior consent; responding once to the consumer's own contact."""
    place = _place_of_target(ctx)
    designation = designated_places(ctx).get(place) if place else None
    if designation is None:
        return None
    if contact_consent(ctx, at, since=designation.occurred_at):
        return Exemption(
            PRIOR_CONSENT,
            f"the consumer consented to this contact at {place} (1006.6(b)(4))",
        )
    if _responding_once(ctx, designation.occurred_at):
        return Exemption(
            CONSUMER_INITIATED,
            "responding once to the consumer's own contact (comment 6(b)(1)-2)",
        )
    return Block(
        INCONVENIENT_PLACE,
        f"the consumer said contact at {place} is inconvenient ({ctx.day_of(designation.occurred_at).isoformat()})",
        retry_at=next_contact_consent_start(ctx, at, since=designation.occurred_at),
    )


@regf_only
def workplace(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.6b3-workplace: the employer prohibits such contact -- no calls or texts to work
    numbers and no mail to work addresses. Exception: later prior consent (1006.6(b)(4))."""
    prohibition = ctx.timeline.latest(EventType.EMPLOYER_PROHIBITS_CONTACT)
    if prohibition is None or _place_of_target(ctx) != "work":
        return None
    if contact_consent(ctx, at, since=prohibition.occurred_at):
        return Exemption(
            PRIOR_CONSENT, "the consumer consented to contact at work (1006.6(b)(4))"
        )
    return Block(
        WORKPLACE,
        "the consumer's employer prohibits receiving these communications at work",
        retry_at=next_contact_consent_start(ctx, at, since=prohibition.occurred_at),
    )
