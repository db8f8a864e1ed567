"""The compliance gate: every rule in the catalogue's order (section 0.3), every blocking
reason collected, and the earliest instant the same request would pass.
"""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from .constants import SEARCH_HORIZON
from .context import Context, build_context
from .facts import Decision, Exemption, Reason, Snapshot
from .rules import (
    bankruptcy,
    call_frequency,
    client_policy,
    content,
    coverage,
    credit_reporting,
    electronic,
    state_overlays,
    stopping_events,
    third_party,
    time_place,
    validation,
)
from .verdicts import Advisory, Block, Rule

ABSOLUTE_STOPS: tuple[Rule, ...] = (
    bankruptcy.automatic_stay,
    bankruptcy.discharge_injunction,
    stopping_events.cease,
    stopping_events.dispute,
    stopping_events.original_creditor_request,
    stopping_events.attorney,
    state_overlays.california_attorney,
    stopping_events.medium_opt_out,
    third_party.deceased,
)
"""Catalogue 0.3 step 2: they read only their own events (and the request), never the time of day."""

RULES: tuple[Rule, ...] = (
    # 1. Coverage.
    coverage.coverage,
    # 2. Absolute stops.
    *ABSOLUTE_STOPS,
    # 3. Third parties.
    third_party.third_party,
    third_party.location_once,
    # 4. Time and place.
    time_place.inconvenient_time,
    client_policy.call_window,
    time_place.inconvenient_place,
    time_place.workplace,
    state_overlays.massachusetts_workplace_request,
    # 5. Call frequency, then state frequency overlays.
    call_frequency.seven_in_seven,
    call_frequency.post_conversation,
    client_policy.max_calls,
    state_overlays.massachusetts_collector_limit,
    state_overlays.massachusetts_creditor_limit,
    # 6. Channel procedures.
    client_policy.sms_disabled,
    client_policy.email_disabled,
    electronic.email_procedures,
    electronic.employer_email,
    electronic.sms_procedures,
    validation.delivery,
    validation.validation_timing,
    credit_reporting.passive_collection,
    # 7. Content.
    electronic.opt_out_notice,
    content.mini_miranda,
    content.limited_content,
    validation.validation_period,
    content.overshadowing,
    content.time_barred_threat,
    state_overlays.california_first_written_notice,
    state_overlays.california_time_barred_notice,
    state_overlays.california_no_suit,
    state_overlays.texas_time_barred,
    state_overlays.new_york_limitations,
)


@dataclass
class _Findings:
    blocks: list[Block] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)
    advisories: list[Advisory] = field(default_factory=list)


def _run(ctx: Context, at: datetime) -> _Findings:
    findings = _Findings()
    for rule in RULES:
        outcome = rule(ctx, at)
        if isinstance(outcome, Block):
            findings.blocks.append(outcome)
        elif isinstance(outcome, Exemption):
            findings.exemptions.append(outcome)
        elif isinstance(outcome, Advisory):
            findings.advisories.append(outcome)
    return findings


def _next_allowed(ctx: Context, blocks: list[Block]) -> datetime | None:
    """Step 8: jump to the latest ``retry_at`` of the blocks, re-run the whole gate there, and
    repeat until it passes. Each ``retry_at`` is a lower bound of when its rule passes, so the
    first instant that passes is the earliest. None as soon as a block has no time-based end
    (its ``unblocked_by`` names the event), or past ``SEARCH_HORIZON``."""
    horizon = ctx.request.at + SEARCH_HORIZON
    current = ctx.request.at
    while True:
        retries = [b.retry_at for b in blocks]
        if any(r is None for r in retries):
            return None
        candidate = max(r for r in retries if r is not None)
        if candidate <= current or candidate > horizon:
            return None
        current = candidate
        blocks = _run(ctx, current).blocks
        if not blocks:
            return current.astimezone(UTC)


def evaluate(snapshot: Snapshot) -> Decision:
    """May we make this contact now? If not, every reason and the next allowed instant."""
    ctx = build_context(snapshot)
    found = _run(ctx, ctx.request.at)
    return Decision(
        allowed=not found.blocks,
        reasons=tuple(Reason(b.rule, b.message, b.unblocked_by) for b in found.blocks),
        next_allowed_at=_next_allowed(ctx, found.blocks) if found.blocks else None,
        timezones=tuple(zone.key for zone in ctx.zones),
        regf_applies=ctx.regf_applies,
        exemptions=tuple(found.exemptions),
        warnings=tuple(
            Reason(w.rule, w.message, w.unblocked_by) for w in found.advisories
        ),
    )


def absolute_stops(snapshot: Snapshot) -> tuple[Reason, ...] | None:
    """The reasons of the absolute stops (catalogue 0.3 step 2) alone, at the request instant.

    None when one of them blocks with a time-based end or relies on an exception: then only
    the whole gate can answer. Used with ``with_absolute_stops`` by the batch form, which
    decides the other rules once per class of equivalent accounts.
    """
    ctx = build_context(snapshot)
    reasons = []
    for rule in ABSOLUTE_STOPS:
        outcome = rule(ctx, ctx.request.at)
        if isinstance(outcome, Block) and outcome.retry_at is None:
            reasons.append(Reason(outcome.rule, outcome.message, outcome.unblocked_by))
        elif outcome is not None:
            return None
    return tuple(reasons)


def with_absolute_stops(decision: Decision, stops: tuple[Reason, ...]) -> Decision:
    """``decision`` (taken on the same facts without the stopping events) once the absolute
    stops' ``stops`` are added: they come first in catalogue order, and a block that only an
    event lifts leaves no next allowed instant (step 8)."""
    if not stops:
        return decision
    return replace(decision, allowed=False, reasons=stops + decision.reasons, next_allowed_at=None)
