"""TEMPORARY STAND-IN for the compliance gate (branch wt-comms only).

The compliance engineer's real gate replaces this file when it lands on main: take main's
version on merge and delete this one. It has the real gate's signature and allows everything
except contact with an account that has a cease notice on its timeline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from collections_app.models import Account, CaseEvent


@dataclass(frozen=True)
class Reason:
    rule: str
    message: str
    unblocked_by: str | None = None


@dataclass
class ContactDecision:
    allowed: bool
    reasons: list[Reason] = field(default_factory=list)
    next_allowed_at: dt.datetime | None = None
    timezones: list[str] = field(default_factory=list)
    decision_id: int | None = None

    def as_contract(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "reasons": [{"rule": r.rule, "message": r.message, "unblocked_by": r.unblocked_by} for r in self.reasons],
            "next_allowed_at": self.next_allowed_at.isoformat() if self.next_allowed_at else None,
            "timezones": self.timezones,
            "decision": self.decision_id,
        }


def _decide(account: Account, has_cease: bool) -> ContactDecision:
    if has_cease:
        return ContactDecision(
            allowed=False,
            reasons=[Reason("REGF-1006.6c-cease", "the consumer asked us to stop communicating", None)],
            timezones=list(account.debtor.timezones),
        )
    return ContactDecision(allowed=True, timezones=list(account.debtor.timezones))


def contact_check(*, account: Account, channel: str, target: str, at: dt.datetime | None = None,
                  direction: str = "outbound", message: dict | None = None, actor: Any = None,
                  store: bool = True) -> ContactDecision:
    has_cease = CaseEvent.objects.filter(
        Q(account_ids__contains=[account.id]) | Q(account_ids=[]),
        debtor_id=account.debtor_id, type="cease_notice_received", occurred_at__lte=at or timezone.now(),
    ).exists()
    if message and message.get("purpose") == "termination_notice":
        has_cease = False
    return _decide(account, has_cease)


def eligibility_batch(account_ids: Any, *, channel: str, at: dt.datetime) -> dict[int, ContactDecision]:
    accounts = Account.objects.select_related("debtor").filter(id__in=list(account_ids))
    return {a.id: contact_check(account=a, channel=channel, target="", at=at, store=False) for a in accounts}
