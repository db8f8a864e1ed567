"""What the compliance gate says about contacting a debtor, shaped for the desk.

The queue asks about every row of a page in one batch; the account page asks once per channel.
Until the compliance gate is installed, every answer is ``known=False`` and the pages say so
plainly ("not checked") instead of guessing.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from collections_app.models import Account


@dataclass(frozen=True)
class Reason:
    rule: str
    message: str
    unblocked_by: str | None = None


@dataclass(frozen=True)
class ChannelStatus:
    known: bool
    allowed: bool = False
    reasons: Sequence[Reason] = field(default_factory=tuple)
    next_allowed_at: dt.datetime | None = None
    timezones: Sequence[str] = field(default_factory=tuple)

    def next_allowed_local(self) -> list[dt.datetime]:
        """The next allowed instant in each of the debtor's zones (what the collector reads)."""
        if self.next_allowed_at is None:
            return []
        return [self.next_allowed_at.astimezone(ZoneInfo(zone)) for zone in self.timezones] or [
            self.next_allowed_at
        ]

    @property
    def waiting_for_event(self) -> str | None:
        """The event that would lift a block no clock can lift (e.g. ``verification_sent``)."""
        if self.allowed or self.next_allowed_at is not None:
            return None
        return next((r.unblocked_by for r in self.reasons if r.unblocked_by), None)


UNKNOWN = ChannelStatus(known=False)


def call_status_batch(account_ids: Iterable[int], *, at: dt.datetime) -> dict[int, ChannelStatus]:
    """May we call each of these accounts' debtors at ``at``? One batch for a whole page."""
    return {account_id: UNKNOWN for account_id in account_ids}


def channel_status(account: Account, *, channel: str, target: str, at: dt.datetime) -> ChannelStatus:
    """The gate's answer for one channel and target, without storing a decision (display only)."""
    return UNKNOWN
