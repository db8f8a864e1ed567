"""The gate's Django entry points: every real contact, every collector's panel, every queue asks here.

- ``contact_check``: one request → one decision, stored as evidence (the contract's
  ``POST /api/v1/compliance/check/``, the outbox at queueing and at delivery, the desk).
- ``eligibility_batch``: many accounts, one channel, one instant, computed in sets (queues, cadences).
- ``decision_replay``: run a stored decision's inputs through the engine again.
"""

import dataclasses
import datetime as dt
import gc
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from collections_app.constants import Channel as CaseEventChannel
from collections_app.constants import EventType
from collections_app.models import Account
from compliance.eligibility import eligibility_in_sets
from compliance.engine import facts as F
from compliance.engine.gate import evaluate
from compliance.models import Decision
from compliance.prepared import PreparedStatement
from compliance.snapshots import (
    AccountRef,
    DebtorBundle,
    load_account_bundle,
    load_bundles,
    message_facts,
    primary_target,
    snapshot_from_json,
    snapshot_of,
    snapshot_text,
)

CASE_EVENT_CHANNELS = frozenset(CaseEventChannel.values)


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
    if not Account.client.is_cached(account):
        account = Account.objects.select_related("client").get(pk=account.pk)
    bundle = load_bundles([account], at)[account.debtor_id]
    return _decide(account, bundle, channel=channel, target=target, at=at, direction=direction, message=message,
                   actor=actor, store=store, source=source)


def contact_check_visible(
    *,
    viewer: Any,
    account_id: int,
    channel: str,
    target: str = "",
    at: dt.datetime | None = None,
    direction: str = "outbound",
    message: Mapping[str, Any] | None = None,
    source: str = "api",
) -> ContactDecision | None:
    """``contact_check`` on an account given by id, as ``viewer`` (who must see it; else None),
    stored with ``viewer`` as actor: the API's form, with the account, its client and every fact
    of its debtor read in one query."""
    at = at or timezone.now()
    found = load_account_bundle(account_id, at, viewer_id=viewer.pk, everyone=viewer.is_superuser)
    if found is None:
        return None
    account, bundle = found
    return _decide(account, bundle, channel=channel, target=target, at=at, direction=direction, message=message,
                   actor=viewer, store=True, source=source)


def _decide(account: Account | AccountRef, bundle: DebtorBundle, *, channel: str, target: str, at: dt.datetime,
            direction: str, message: Mapping[str, Any] | None, actor: Any, store: bool,
            source: str) -> ContactDecision:
    target = target or primary_target(bundle.debtor, channel)
    snapshot = snapshot_of(bundle, account_id=account.id, channel=channel, target=target, at=at,
                           direction=direction, message=message_facts(message))
    decision = evaluate(snapshot)
    decision_id = None
    if store:
        decision_id = decision_record(account, snapshot, decision, snapshot_text(bundle, snapshot), source=source,
                                      actor=actor)
    return ContactDecision.of(decision, decision_id=decision_id, target=target)


DECISION_SQL = """
    with decision as (
        insert into compliance_decision (client_id, debtor_id, account_id, channel, target, direction, purpose, at,
                                         allowed, reasons, warnings, exemptions, next_allowed_at, timezones,
                                         ruleset_version, snapshot, source, actor_id, created_at)
        values (%(client)s, %(debtor)s, %(account)s, %(channel)s, %(target)s, %(direction)s, %(purpose)s, %(at)s,
                %(allowed)s, %(reasons)s::jsonb, %(warnings)s::jsonb, %(exemptions)s::jsonb, %(next_allowed_at)s,
                %(timezones)s::varchar[], %(ruleset_version)s, %(snapshot)s::jsonb, %(source)s, %(actor)s, %(now)s)
        returning id)
    insert into collections_app_caseevent (client_id, debtor_id, account_ids, type, occurred_at, direction, channel,
                                           target, outcome, written, data, created_by_id, created_at)
    select %(client)s, %(debtor)s, array[%(account)s]::bigint[], %(event_type)s, %(now)s, '', %(event_channel)s,
           %(target)s, '', false,
           jsonb_build_object('decision', decision.id, 'allowed', %(allowed)s, 'rules', %(rules)s::jsonb,
                              'at', %(at)s::timestamptz),
           %(actor)s, %(now)s
    from decision
    returning (data->>'decision')::bigint"""
"""One statement, one round trip: the decision with every input (``snapshot``), and its event on
the case timeline (``compliance_decision``, which the engine does not read)."""
DECISION = PreparedStatement("compliance_decision_record", DECISION_SQL)


def decision_record(account: Account | AccountRef, snapshot: F.Snapshot, decision: F.Decision, snapshot_json: str, *,
                    source: str, actor: Any = None) -> int:
    """Store ``decision`` (taken on ``snapshot``, given as JSON text) as evidence; returns its id."""
    request = snapshot.request
    now = timezone.now()
    with connection.cursor() as cur:
        DECISION.execute(cur, {
            "client": account.client_id, "debtor": account.debtor_id, "account": account.id,
            "channel": request.channel.value, "target": request.target, "direction": request.direction.value,
            "purpose": request.purpose.value, "at": request.at, "allowed": decision.allowed,
            "reasons": json.dumps(_reasons_json(decision.reasons)),
            "warnings": json.dumps(_reasons_json(decision.warnings)),
            "exemptions": json.dumps([{"rule": e.rule, "message": e.message} for e in decision.exemptions]),
            "next_allowed_at": decision.next_allowed_at, "timezones": list(decision.timezones),
            "ruleset_version": decision.ruleset_version, "snapshot": snapshot_json, "source": source,
            "actor": getattr(actor, "pk", None), "now": now, "event_type": EventType.COMPLIANCE_DECISION,
            "event_channel": request.channel.value if request.channel.value in CASE_EVENT_CHANNELS else "",
            "rules": json.dumps([r.rule for r in decision.reasons]),
        })
        row = cur.fetchone()
    return int(row[0])


def eligibility_batch(account_ids: Iterable[int], *, channel: str,
                      at: dt.datetime | None = None) -> dict[int, ContactDecision]:
    """Eligibility of many accounts for one channel at one instant, each at its primary contact
    point, exactly as ``contact_check`` would answer; computed in sets (``compliance.eligibility``),
    nothing stored."""
    # The batch makes millions of objects and no reference cycles: with the cyclic collector on, its
    # full collections walked them again and again (1M accounts: 23 -> 16 s of CPU without).
    collecting = gc.isenabled()
    gc.disable()
    try:
        answers: dict[int, ContactDecision] = {}
        # Per engine decision (kept alive here, so that its id is not reused), the fields its accounts share.
        fields: dict[int, tuple[F.Decision, dict[str, Any]]] = {}
        new = object.__new__
        for account_id, decision, target in eligibility_in_sets(account_ids, channel=channel,
                                                                at=at or timezone.now()):
            known = fields.get(id(decision))
            if known is None:
                known = fields[id(decision)] = (decision, ContactDecision.of(decision).__dict__)
            shared = known[1]
            # A frozen dataclass built field by field costs ~1 us; a copy of the shared fields a third.
            answer = new(ContactDecision)
            answer.__dict__.update(shared, target=target)
            answers[account_id] = answer
        return answers
    finally:
        if collecting:
            gc.enable()


def decision_replay(record: Decision) -> ContactDecision:
    """Re-run a stored decision on exactly the inputs it had."""
    return ContactDecision.of(evaluate(snapshot_from_json(record.snapshot)), decision_id=record.id,
                              target=record.target)


@dataclasses.dataclass(frozen=True)
class CheckRequest:
    """One question for ``contact_check_many``: the same arguments as ``contact_check``."""

    account: Account  # with client and debtor selected
    channel: str
    target: str = ""
    message: Mapping[str, Any] | None = None
    actor: Any = None
    direction: str = "outbound"


def contact_check_many(requests: Sequence[CheckRequest], *, at: dt.datetime | None = None, store: bool = True,
                       source: str = "api") -> list[ContactDecision]:
    """``contact_check`` for many requests at one instant, in order: the same evaluation and the
    same stored evidence, but the facts of every debtor load in one set of queries and the
    decisions are stored, each with its timeline event, by one statement (the outbox's batches)."""
    if not requests:
        return []
    at = at or timezone.now()
    bundles = load_bundles([r.account for r in requests], at)
    evaluated, rows = [], []
    for request in requests:
        account = request.account
        bundle = bundles[account.debtor_id]
        target = request.target or primary_target(bundle.debtor, request.channel)
        snapshot = snapshot_of(bundle, account_id=account.id, channel=request.channel, target=target, at=at,
                               direction=request.direction, message=message_facts(request.message))
        decision = evaluate(snapshot)
        evaluated.append((decision, target))
        if store:
            rows.append(_decision_row(account, snapshot, decision, snapshot_text(bundle, snapshot), source=source,
                                      actor=request.actor))
    ids: list[int | None] = list(decisions_record(rows)) if store else [None] * len(evaluated)
    return [ContactDecision.of(decision, decision_id=decision_id, target=target)
            for (decision, target), decision_id in zip(evaluated, ids, strict=True)]


def _decision_row(account: Account, snapshot: F.Snapshot, decision: F.Decision, snapshot_json: str, *, source: str,
                  actor: Any) -> str:
    """One decision as a JSON object text for ``DECISIONS_SQL``; the snapshot's JSON text goes in as it is."""
    request = snapshot.request
    fields = json.dumps({
        "client_id": account.client_id, "debtor_id": account.debtor_id, "account_id": account.id,
        "channel": request.channel.value, "target": request.target, "direction": request.direction.value,
        "purpose": request.purpose.value, "at": request.at.isoformat(), "allowed": decision.allowed,
        "reasons": _reasons_json(decision.reasons), "warnings": _reasons_json(decision.warnings),
        "exemptions": [{"rule": e.rule, "message": e.message} for e in decision.exemptions],
        "next_allowed_at": decision.next_allowed_at.isoformat() if decision.next_allowed_at else None,
        "timezones": list(decision.timezones), "ruleset_version": decision.ruleset_version, "source": source,
        "actor_id": getattr(actor, "pk", None),
    })
    return f'{fields[:-1]}, "snapshot": {snapshot_json}}}'


DECISIONS_SQL = """
    with v as (
        select * from rows from (jsonb_to_recordset(%(rows)s::jsonb) as (
            client_id bigint, debtor_id bigint, account_id bigint, channel varchar, target varchar,
            direction varchar, purpose varchar, at timestamptz, allowed boolean, reasons jsonb, warnings jsonb,
            exemptions jsonb, next_allowed_at timestamptz, timezones varchar[], ruleset_version varchar,
            snapshot jsonb, source varchar, actor_id bigint)) with ordinality as v(
            client_id, debtor_id, account_id, channel, target, direction, purpose, at, allowed, reasons, warnings,
            exemptions, next_allowed_at, timezones, ruleset_version, snapshot, source, actor_id, n)),
    decision as (
        insert into compliance_decision (client_id, debtor_id, account_id, channel, target, direction, purpose, at,
                                         allowed, reasons, warnings, exemptions, next_allowed_at, timezones,
                                         ruleset_version, snapshot, source, actor_id, created_at)
        select client_id, debtor_id, account_id, channel, target, direction, purpose, at, allowed, reasons,
               warnings, exemptions, next_allowed_at, timezones, ruleset_version, snapshot, source, actor_id,
               %(now)s
        from v order by n
        returning id, client_id, debtor_id, account_id, channel, target, at, allowed, reasons, actor_id)
    insert into collections_app_caseevent (client_id, debtor_id, account_ids, type, occurred_at, direction, channel,
                                           target, outcome, written, data, created_by_id, created_at)
    select d.client_id, d.debtor_id, array[d.account_id], %(event_type)s, %(now)s, '',
           case when d.channel = any(%(event_channels)s) then d.channel else '' end, d.target, '', false,
           jsonb_build_object('decision', d.id, 'allowed', d.allowed,
                              'rules', coalesce((select jsonb_agg(r->'rule') from jsonb_array_elements(d.reasons) r),
                                                '[]'::jsonb),
                              'at', d.at),
           d.actor_id, %(now)s
    from decision d order by d.id
    returning (data->>'decision')::bigint"""
"""Many decisions and their ``compliance_decision`` events in one statement, one JSON parameter."""


def decisions_record(rows: Sequence[str]) -> list[int]:
    """Store decisions given as ``_decision_row`` texts, each with its timeline event; their ids in order
    (ids come from one sequence in insertion order, which follows the rows')."""
    if not rows:
        return []
    with connection.cursor() as cur:
        cur.execute(DECISIONS_SQL, {"rows": f"[{', '.join(rows)}]", "now": timezone.now(),
                                    "event_type": EventType.COMPLIANCE_DECISION,
                                    "event_channels": sorted(CASE_EVENT_CHANNELS)})
        return sorted(row[0] for row in cur.fetchall())
