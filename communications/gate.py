"""Asking the compliance gate about many messages at once.

The same evaluation and the same stored evidence as ``compliance.services.contact_check``, but
the facts of every debtor in the batch load in one set of queries (``load_bundles``) and the
decisions are stored with one insert. It decides nothing itself: the engine does.
Candidate to move into ``compliance/services.py`` as a batch entry point.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from collections_app.models import Account
from compliance.engine.gate import evaluate
from compliance.models import Decision
from compliance.services import ContactDecision
from compliance.snapshots import load_bundles, message_facts, primary_target, snapshot_of, to_json


@dataclass(frozen=True)
class GateRequest:
    account: Account  # with client and debtor selected
    channel: str
    target: str
    message: Mapping[str, Any] | None = None
    actor: Any = None
    direction: str = "outbound"


def _reasons(reasons: Iterable[Any]) -> list[dict[str, Any]]:
    return [{"rule": r.rule, "message": r.message, "unblocked_by": r.unblocked_by} for r in reasons]


def contact_checks(requests: Sequence[GateRequest], *, at: dt.datetime, source: str,
                   store: bool = True) -> list[ContactDecision]:
    """One decision per request, in order; stored unless ``store`` is off (looking is not contacting)."""
    if not requests:
        return []
    bundles = load_bundles([r.account for r in requests], at)
    evaluated, records = [], []
    for request in requests:
        account = request.account
        bundle = bundles[account.debtor_id]
        target = request.target or primary_target(bundle.debtor, request.channel)
        snapshot = snapshot_of(bundle, account_id=account.id, channel=request.channel, target=target, at=at,
                               direction=request.direction, message=message_facts(request.message))
        decision = evaluate(snapshot)
        evaluated.append((decision, target))
        if not store:
            continue
        records.append(Decision(
            client_id=account.client_id, debtor_id=account.debtor_id, account=account, channel=request.channel,
            target=target, direction=request.direction, purpose=snapshot.request.purpose, at=at,
            allowed=decision.allowed, reasons=_reasons(decision.reasons), warnings=_reasons(decision.warnings),
            exemptions=[{"rule": e.rule, "message": e.message} for e in decision.exemptions],
            next_allowed_at=decision.next_allowed_at, timezones=list(decision.timezones),
            ruleset_version=decision.ruleset_version, snapshot=to_json(snapshot), source=source,
            actor=request.actor if getattr(request.actor, "pk", None) else None,
        ))
    if not store:
        return [ContactDecision.of(decision, target=target) for decision, target in evaluated]
    Decision.objects.bulk_create(records)
    return [ContactDecision.of(decision, decision_id=record.pk, target=target)
            for (decision, target), record in zip(evaluated, records, strict=True)]
