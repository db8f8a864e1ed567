"""The gate's Django entry points: every real contact, every collector's panel, every queue asks here.

- ``contact_check``: one request → one decision, stored as evidence (the contract's
  ``POST /api/v1/compliance/check/``, the outbox at queueing and at delivery, the desk).
- ``eligibility_batch``: many accounts, one channel, one instant, computed in sets (queues, cadences).
- ``decision_replay``: run a stored decision's inputs through the engine again.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from collections_app.models import Account
from compliance.engine import facts as F
from compliance.engine.gate import evaluate
from compliance.models import Decision
from compliance.snapshots import load_bundles, message_facts, primary_target, snapshot_from_json, snapshot_of, to_json


@dataclasses.dataclass(frozen=True)
class ContactDecision:
    allowed: bool
    reasons: tuple[F.Reason, ...]
    next_allowed_at: dt.datetime | None
    timezones: tuple[str, ...]
    decision_id: int | None = None
    target: str = ""
    warnings: tuple[F.Reason, ...] = ()
    ruleset_version: str = ""

    @classmethod
    def of(cls, decision: F.Decision, *, decision_id: int | None = None, target: str = "") -> "ContactDecision":
        return cls(decision.allowed, decision.reasons, decision.next_allowed_at, decision.timezones, decision_id,
                   target, decision.warnings, decision.ruleset_version)

    @property
    def rules(self) -> list[str]:
        return [r.rule for r in self.reasons]

    def as_contract(self) -> dict[str, Any]:
        """The JSON shape of the contract's ``/compliance/check/`` answer."""
        return {
            "allowed": self.allowed,
            "reasons": [{"rule": r.rule, "message": r.message, "unblocked_by": r.unblocked_by} for r in self.reasons],
            "next_allowed_at": _utc(self.next_allowed_at),
            "timezones": list(self.timezones),
            "decision": self.decision_id,
            "warnings": [{"rule": w.rule, "message": w.message} for w in self.warnings],
            "ruleset_version": self.ruleset_version,
        }


def _utc(instant: dt.datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _reasons_json(reasons: Iterable[F.Reason]) -> list[dict[str, Any]]:
    return [{"rule": r.rule, "message": r.message, "unblocked_by": r.unblocked_by} for r in reasons]


def contact_check(
    *,
    account: Account,
    channel: str,
    target: str = "",
    at: dt.datetime | None = None,
    direction: str = "outbound",
    message: Mapping[str, Any] | None = None,
    actor: Any = None,
    store: bool = True,
    source: str = "api",
) -> ContactDecision:
    """May we contact this person about ``account`` on ``channel`` (at ``target``) at ``at``?"""
    at = at or timezone.now()
    if not (Account.client.is_cached(account) and Account.debtor.is_cached(account)):
        account = Account.objects.select_related("client", "debtor").get(pk=account.pk)
    bundle = load_bundles([account], at)[account.debtor_id]
    target = target or primary_target(bundle.debtor, channel)
    snapshot = snapshot_of(bundle, account_id=account.id, channel=channel, target=target, at=at,
                           direction=direction, message=message_facts(message))
    decision = evaluate(snapshot)
    decision_id = None
    if store:
        record = Decision.objects.create(
            client_id=account.client_id, debtor_id=account.debtor_id, account=account, channel=channel,
            target=target, direction=direction, purpose=snapshot.request.purpose, at=at,
            allowed=decision.allowed, reasons=_reasons_json(decision.reasons),
            warnings=_reasons_json(decision.warnings),
            exemptions=[{"rule": e.rule, "message": e.message} for e in decision.exemptions],
            next_allowed_at=decision.next_allowed_at, timezones=list(decision.timezones),
            ruleset_version=decision.ruleset_version, snapshot=to_json(snapshot), source=source, actor=actor,
        )
        decision_id = record.id
    return ContactDecision.of(decision, decision_id=decision_id, target=target)


def eligibility_batch(account_ids: Iterable[int], *, channel: str, at: dt.datetime | None = None,
                      chunk: int = 2000) -> dict[int, ContactDecision]:
    """Eligibility of many accounts for one channel at one instant, each at its primary contact
    point. Facts load in sets (six queries per chunk of accounts); nothing is stored."""
    at = at or timezone.now()
    ids = list(dict.fromkeys(account_ids))
    result: dict[int, ContactDecision] = {}
    for start in range(0, len(ids), chunk):
        accounts = list(Account.objects.filter(id__in=ids[start:start + chunk]).select_related("client", "debtor"))
        bundles = load_bundles(accounts, at)
        for account in accounts:
            bundle = bundles[account.debtor_id]
            target = primary_target(bundle.debtor, channel)
            snapshot = snapshot_of(bundle, account_id=account.id, channel=channel, target=target, at=at)
            result[account.id] = ContactDecision.of(evaluate(snapshot), target=target)
    return result


def decision_replay(record: Decision) -> ContactDecision:
    """Re-run a stored decision on exactly the inputs it had."""
    return ContactDecision.of(evaluate(snapshot_from_json(record.snapshot)), decision_id=record.id,
                              target=record.target)
