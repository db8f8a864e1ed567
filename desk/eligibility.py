"""What the compliance gate says about contacting a debtor, shaped for the desk.

The queue asks about every row of a page in one batch (``eligibility_batch``); the account page
asks about every channel at once (``contact_check_many`` without storing: looking is not contacting). A real
dial is checked again, and stored, when the collector logs it.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from collections_app.constants import EventType
from collections_app.models import Account
from compliance.services import CheckRequest, ContactDecision, contact_check_many, eligibility_batch
from desk.formatting import day_and_clock


@dataclass(frozen=True)
class ChannelStatus:
    allowed: bool
    reasons: Sequence = field(default_factory=tuple)  # compliance Reason: rule, message, unblocked_by
    next_allowed_at: dt.datetime | None = None
    timezones: Sequence[str] = field(default_factory=tuple)
    target: str = ""

    @classmethod
    def of(cls, decision: ContactDecision) -> "ChannelStatus":
        return cls(decision.allowed, decision.reasons, decision.next_allowed_at, decision.timezones, decision.target)

    def next_allowed_local(self) -> list[dt.datetime]:
        """The next allowed instant in each of the debtor's zones (what the collector reads)."""
        if self.next_allowed_at is None:
            return []
        return [self.next_allowed_at.astimezone(ZoneInfo(zone)) for zone in self.timezones] or [
            self.next_allowed_at
        ]

    def next_allowed_text(self, now: dt.datetime | None = None) -> str:
        """When the block lifts, in the debtor's first zone, as a collector says it: ``"8:00 AM CST"``
        later today, ``"tomorrow 8:00 AM CST"``, ``"Tue 8:00 AM CST"`` within the week, else with the date."""
        if self.next_allowed_at is None:
            return ""
        zone = self.timezones[0] if self.timezones else "UTC"
        at = self.next_allowed_at.astimezone(ZoneInfo(zone))
        days = (at.date() - (now or timezone.now()).astimezone(ZoneInfo(zone)).date()).days
        day = {0: "", 1: "tomorrow "}.get(days, f"{at:%a} " if days < 7 else f"{at:%a %b %-d}, ")
        return f"{day}{at:%-I:%M %p} {at.tzname()}"

    @property
    def reasons_text(self) -> str:
        """The reasons, and the next allowed time in every zone: the queue cell's tooltip."""
        text = "; ".join(r.message for r in self.reasons)
        if self.next_allowed_at is not None:
            text += ". Next allowed: " + " / ".join(day_and_clock(self.next_allowed_at, z)
                                                    for z in self.timezones or ["UTC"])
        return text

    @property
    def call_badge(self) -> tuple[str, str]:
        """(css class, text) of the queue's "call now?" cell: a block a clock lifts ("later") reads
        calmer than one only an event lifts (a dispute, a cease request)."""
        if self.allowed:
            return "ok", "Callable now"
        if self.next_allowed_at is not None:
            zones = len(self.timezones) - 1
            more = f" (+{zones} zone{'s' if zones > 1 else ''})" if zones > 0 else ""
            return "later", f"Opens {self.next_allowed_text()}{more}"
        if self.waiting_for_event:
            return "blocked", f"Blocked until {self.waiting_for_event.lower()}"
        return "blocked", "Blocked"

    @property
    def waiting_for_event(self) -> str | None:
        """The event that would lift a block no clock can lift (e.g. "Verification sent")."""
        if self.allowed or self.next_allowed_at is not None:
            return None
        event = next((r.unblocked_by for r in self.reasons if r.unblocked_by), None)
        if event is None:
            return None
        return EventType(event).label if event in EventType.values else event.replace("_", " ")


def call_status_batch(account_ids: Iterable[int], *, at: dt.datetime) -> dict[int, ChannelStatus]:
    """May we call each of these accounts' debtors at ``at``? One batch for a whole page."""
    return {account_id: ChannelStatus.of(decision)
            for account_id, decision in eligibility_batch(list(account_ids), channel="call", at=at).items()}


def channel_statuses(account: Account, targets: Sequence[tuple[str, str]], *,
                     at: dt.datetime) -> list[ChannelStatus]:
    """The gate's answer for each (channel, target) of one account, not stored (display only): the
    debtor's facts load once for all of them."""
    requests = [CheckRequest(account, channel, target) for channel, target in targets]
    return [ChannelStatus.of(d) for d in contact_check_many(requests, at=at, source="desk", store=False)]
