"""Cadences: assigning accounts to strategies and variants, and dispatching the steps that are due.

Due work lives in database rows (``StrategyAssignment.next_due_at``, ``Message.scheduled_for``)
and the beat task ``communications.tasks.sweep`` looks at them every minute; no far-future ETAs.
Every step that sends goes through ``message_request`` (and so through the gate); a call step
becomes a task on the collector's desk after the gate allows a call.
"""

import datetime as dt
import logging
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from collections_app.constants import PlanStatus
from collections_app.models import Account, Installment, Plan, Task
from collections_app.selectors import account_cadence_paused
from communications.constants import (
    PLAN_REMINDER_ANCHORS,
    REQUEUE_AFTER_MINUTES,
    SEQUENCE_ANCHORS,
    SWEEP_BATCH,
    MessageStatus,
    Source,
    StepAnchor,
    StepOutcome,
)
from communications.delivery import messages_recover_stuck
from communications.models import (
    Message,
    PlanReminder,
    StepRun,
    Strategy,
    StrategyAssignment,
    StrategyStep,
    StrategyVariant,
)
from communications.rendering import local_today, long_date, message_context, render
from communications.services import MessageSpec, messages_enqueue, messages_request, template_current
from compliance.services import contact_check

log = logging.getLogger(__name__)
ACTIVE_STATUSES = ("open", "in_plan", "disputed")
PAUSE_RECHECK = dt.timedelta(days=1)
SWEEP_SECONDS = 40  # the beat fires every 60 s and the task expires after 55


@dataclass
class SweepReport:
    released: int = 0
    recovered: dict[str, int] = field(default_factory=dict)
    requeued: int = 0
    assigned: int = 0
    steps: dict[str, int] = field(default_factory=dict)
    reminders: dict[str, int] = field(default_factory=dict)


def variant_draw(variants: list[StrategyVariant], draw: float) -> StrategyVariant:
    """The variant a uniform draw in [0, 1) falls in, by weight."""
    total = sum(v.weight for v in variants) or 1
    point, acc = draw * total, 0
    for variant in variants:
        acc += variant.weight
        if point < acc:
            return variant
    return variants[-1]


def _steps_by_variant(anchors: tuple[str, ...] = SEQUENCE_ANCHORS) -> dict[int, list[StrategyStep]]:
    """Each variant's steps in order: the sequence (default) or the plan reminder steps."""
    steps: dict[int, list[StrategyStep]] = {}
    for step in StrategyStep.objects.filter(anchor__in=anchors).order_by("variant_id", "order"):
        steps.setdefault(step.variant_id, []).append(step)
    return steps


def step_due_at(step: StrategyStep, *, placed_at: dt.datetime, previous_at: dt.datetime) -> dt.datetime:
    base = placed_at if step.anchor == StepAnchor.PLACEMENT else previous_at
    return base + dt.timedelta(days=step.day_offset)


def accounts_assign(at: dt.datetime, *, limit: int = SWEEP_BATCH, rng: random.Random | None = None) -> int:
    """Give unassigned open accounts a strategy (first match by priority) and a variant (random, once)."""
    strategies = [s for s in Strategy.objects.filter(is_active=True).prefetch_related("clients", "variants")
                  if s.variants.all()]
    if not strategies:
        return 0
    rng = rng or random.SystemRandom()
    steps = _steps_by_variant()
    rows = (Account.objects.filter(status__in=ACTIVE_STATUSES, strategy_assignment__isnull=True)
            .order_by("id").values("id", "client_id", "segment", "balance", "placed_at")[:limit])
    new = []
    for row in rows:
        strategy = next((s for s in strategies if s.takes(client_id=row["client_id"], segment=row["segment"],
                                                          balance=row["balance"] or Decimal("0"))), None)
        if strategy is None:
            continue
        draw = rng.random()
        variant = variant_draw(list(strategy.variants.all()), draw)
        first = None if variant.is_holdout else next(iter(steps.get(variant.pk, [])), None)
        new.append(StrategyAssignment(
            account_id=row["id"], strategy=strategy, variant=variant, strategy_version=strategy.version, draw=draw,
            next_order=first.order if first else None,
            next_due_at=step_due_at(first, placed_at=row["placed_at"], previous_at=at) if first else None,
        ))
    StrategyAssignment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _call_task(assignment: StrategyAssignment, step: StrategyStep, at: dt.datetime) -> tuple[str, int | None]:
    account = assignment.account
    phone = account.debtor.phones.filter(status="active").order_by("id").first()
    if phone is None:
        return StepOutcome.NO_TARGET, None
    decision = contact_check(account=account, channel="call", target=phone.number, at=at, store=True)
    if not decision.allowed and decision.next_allowed_at is None:
        return StepOutcome.BLOCKED, None
    template = template_current(step.template_code, "call", account.debtor.preferred_language)
    title = f"Cadence call: {account.reference}"
    if template is not None:
        title = render(template, message_context(account, at=at, key=f"call:{assignment.pk}",
                                                 language=template.language)).subject[:200]
    task = Task.objects.create(
        debtor=account.debtor, account=account, kind="callback", assigned_to=account.assigned_to,
        due_at=decision.next_allowed_at or at, title=title,
    )
    return StepOutcome.CALL_TASK, task.pk


def _run_step(assignment: StrategyAssignment, step: StrategyStep, at: dt.datetime) -> tuple[StepRun, MessageSpec | None]:
    """A step's run, and the message it asks for (sent through the gate with the others of the sweep)."""
    account = assignment.account
    run = StepRun(assignment=assignment, step=step, step_order=step.order)
    if not step.applies(segment=account.segment, balance=account.balance_now(), status=account.status):
        run.outcome = StepOutcome.SKIPPED
        return run, None
    if step.channel == "call":
        run.outcome, run.task_id = _call_task(assignment, step, at)
        return run, None
    return run, MessageSpec(account=account, channel=step.channel, template_code=step.template_code,
                            key=f"cadence:{assignment.pk}:{step.order}")


def steps_dispatch(at: dt.datetime, *, limit: int = SWEEP_BATCH) -> dict[str, int]:
    """Run every step due by ``at`` (up to ``limit`` accounts), then schedule each account's next one."""
    steps = _steps_by_variant()
    with transaction.atomic():
        due = list(StrategyAssignment.objects.select_for_update(skip_locked=True, of=("self",))
                   .select_related("account__debtor", "account__client")
                   .filter(next_due_at__lte=at).order_by("next_due_at")[:limit])
        paused = account_cadence_paused([a.account_id for a in due])
        runs: list[StepRun] = []
        sends: list[tuple[StepRun, MessageSpec]] = []
        for assignment in due:
            account = assignment.account
            assignment.updated_at = at
            if account.id in paused:
                assignment.next_due_at = at + PAUSE_RECHECK  # waits while the plan or promise is active
                continue
            variant_steps = steps.get(assignment.variant_id, [])
            step = next((s for s in variant_steps if s.order == assignment.next_order), None)
            if step is None or account.status not in ACTIVE_STATUSES:
                assignment.next_order = assignment.next_due_at = None
                continue
            run, spec = _run_step(assignment, step, at)
            runs.append(run)
            if spec is not None:
                sends.append((run, spec))
            assignment.last_step_at = at
            following = next((s for s in variant_steps if s.order > step.order), None)
            assignment.next_order = following.order if following else None
            assignment.next_due_at = step_due_at(following, placed_at=account.placed_at, previous_at=at) \
                if following else None
            # A step whose placement-anchored day has already passed runs on the next sweep, not twice now.
            if assignment.next_due_at is not None and assignment.next_due_at < at:
                assignment.next_due_at = at + dt.timedelta(minutes=1)
        results = messages_request([spec for _, spec in sends], source=Source.CADENCE, at=at)
        for (run, _), result in zip(sends, results, strict=True):
            if isinstance(result, ValidationError):
                run.outcome = StepOutcome.NO_TARGET
                continue
            run.message = result
            run.outcome = {MessageStatus.QUEUED: StepOutcome.QUEUED,
                           MessageStatus.SCHEDULED: StepOutcome.SCHEDULED}.get(result.status, StepOutcome.BLOCKED)
        StrategyAssignment.objects.bulk_update(due, ["next_order", "next_due_at", "last_step_at", "updated_at"])
        StepRun.objects.bulk_create(runs, ignore_conflicts=True)
    counts: dict[str, int] = {}
    for run in runs:
        counts[str(run.outcome)] = counts.get(str(run.outcome), 0) + 1
    if paused & {a.account_id for a in due}:
        counts["paused"] = len(paused & {a.account_id for a in due})
    return counts


def reminder_due(step: StrategyStep, due_date: dt.date, today: dt.date, grace_days: int) -> bool:
    """Whether a plan reminder step is due today (the debtor's local date) for an unpaid installment.

    Before: from ``day_offset`` days before the due date until the day before it. On the due
    date: that day only. After a miss: from ``day_offset`` (at least 1) days after the due date
    until its grace days end (then the plan breaks and reminders stop).
    """
    if step.anchor == StepAnchor.INSTALLMENT_BEFORE:
        return due_date - dt.timedelta(days=max(step.day_offset, 1)) <= today < due_date
    if step.anchor == StepAnchor.INSTALLMENT_DUE:
        return today == due_date
    return due_date + dt.timedelta(days=max(step.day_offset, 1)) <= today <= due_date + dt.timedelta(days=grace_days)


def _plan_reminder_accounts(plan_ids: set[int], variants: set[int]) -> dict[int, StrategyAssignment]:
    """For each plan, the assignment of its first account in a (non hold-out) variant with reminder
    steps: reminders follow that account's strategy and are written about it."""
    links = Plan.accounts.through.objects.filter(plan_id__in=plan_ids).values_list("plan_id", "account_id")
    assignments = {a.account_id: a for a in StrategyAssignment.objects.select_related("account__debtor",
                                                                                    "account__client")
                   .defer("account__debtor__date_of_birth", "account__debtor__ssn")
                   .filter(account_id__in=[a for _, a in links], variant_id__in=variants,
                           variant__is_holdout=False)}
    chosen: dict[int, StrategyAssignment] = {}
    for plan_id, account_id in sorted(links, key=lambda link: link[1]):
        if plan_id not in chosen and account_id in assignments:
            chosen[plan_id] = assignments[account_id]
    return chosen


def plan_reminders_dispatch(at: dt.datetime, *, limit: int = SWEEP_BATCH) -> dict[str, int]:
    """Send the plan installment reminders due today: before the due date, on it, after a miss.

    Driven by the installments of active plans (due work in rows, nothing scheduled ahead), each
    reminder at most once per installment, kind and offset (``PlanReminder`` and the message key),
    through the gate with the other messages. Paid installments and plans no longer active (paid
    off, cancelled, broken) get none.
    """
    steps = _steps_by_variant(PLAN_REMINDER_ANCHORS)
    if not steps:
        return {}
    ahead = max((s.day_offset for group in steps.values() for s in group
                 if s.anchor == StepAnchor.INSTALLMENT_BEFORE), default=1)
    behind = Installment.objects.filter(plan__status=PlanStatus.ACTIVE).aggregate(g=Max("plan__grace_days"))["g"] or 0
    # Candidates by UTC date with a day of slack either side; each is then judged on the debtor's date.
    utc_day = at.date()
    installments = list(
        Installment.objects.filter(plan__status=PlanStatus.ACTIVE, paid_amount__lt=F("amount"),
                                   due_date__gte=utc_day - dt.timedelta(days=behind + 1),
                                   due_date__lte=utc_day + dt.timedelta(days=ahead + 1))
        .select_related("plan").order_by("due_date", "id")
    )
    assignments = _plan_reminder_accounts({i.plan_id for i in installments}, set(steps))
    done = set(PlanReminder.objects.filter(installment__in=installments)
               .values_list("installment_id", "kind", "day_offset"))
    reminders: list[PlanReminder] = []
    specs: list[MessageSpec] = []
    for inst in installments:
        assignment = assignments.get(inst.plan_id)
        if assignment is None:
            continue
        account = assignment.account
        today = local_today(account, at)
        for step in steps.get(assignment.variant_id, []):
            offset = 0 if step.anchor == StepAnchor.INSTALLMENT_DUE else max(step.day_offset, 1)
            if (inst.pk, step.anchor, offset) in done or step.channel == "call":
                continue
            if not reminder_due(step, inst.due_date, today, inst.plan.grace_days):
                continue
            done.add((inst.pk, step.anchor, offset))
            reminder = PlanReminder(installment=inst, step=step, kind=step.anchor, day_offset=offset)
            reminders.append(reminder)
            if not step.applies(segment=account.segment, balance=account.balance_now(), status=account.status):
                reminder.outcome = StepOutcome.SKIPPED
                continue
            language = account.debtor.preferred_language or "en"
            specs.append(MessageSpec(
                account=account, channel=step.channel, template_code=step.template_code,
                key=f"plan-reminder:{inst.pk}:{step.anchor}:{offset}",
                extra={"installment_amount": inst.amount - inst.paid_amount,
                       "installment_due": long_date(inst.due_date, language)},
            ))
        if len(reminders) >= limit:
            break
    sending = [r for r in reminders if not r.outcome]
    with transaction.atomic():
        results = messages_request(specs, source=Source.CADENCE, at=at)
        for reminder, result in zip(sending, results, strict=True):
            if isinstance(result, ValidationError):
                reminder.outcome = StepOutcome.NO_TARGET
                continue
            reminder.message = result
            reminder.outcome = {MessageStatus.QUEUED: StepOutcome.QUEUED,
                                MessageStatus.SCHEDULED: StepOutcome.SCHEDULED}.get(result.status, StepOutcome.BLOCKED)
        PlanReminder.objects.bulk_create(reminders, ignore_conflicts=True)
    counts: dict[str, int] = {}
    for reminder in reminders:
        counts[str(reminder.outcome)] = counts.get(str(reminder.outcome), 0) + 1
    return counts


def plan_reminders_withdraw(at: dt.datetime) -> int:
    """Reminders waiting as ``scheduled`` (the gate deferred them) whose installment has been paid
    or whose plan is no longer active: blocked, never sent."""
    stale = (PlanReminder.objects.filter(message__status=MessageStatus.SCHEDULED)
             .filter(Q(installment__paid_amount__gte=F("installment__amount"))
                     | ~Q(installment__plan__status=PlanStatus.ACTIVE))
             .values_list("message_id", flat=True))
    return Message.objects.filter(pk__in=list(stale), status=MessageStatus.SCHEDULED).update(
        status=MessageStatus.BLOCKED, error="plan reminder withdrawn: the installment was paid or the plan closed",
        updated_at=at)


def messages_release_due(at: dt.datetime, *, limit: int = SWEEP_BATCH) -> int:
    """Scheduled messages whose instant came: back to ``queued``; delivery checks the gate again."""
    with transaction.atomic():
        rows = list(Message.objects.select_for_update(skip_locked=True)
                    .filter(status=MessageStatus.SCHEDULED, scheduled_for__lte=at).order_by("scheduled_for")[:limit])
        for message in rows:
            message.release()
            message.updated_at = at
        Message.objects.bulk_update(rows, ["status", "updated_at"])
        messages_enqueue([m.pk for m in rows])
    return len(rows)


def messages_requeue_stale(at: dt.datetime, *, limit: int = SWEEP_BATCH) -> int:
    """Queued rows whose task was lost (broker restart): enqueue again; delivery is idempotent."""
    cutoff = at - dt.timedelta(minutes=REQUEUE_AFTER_MINUTES)
    ids = list(Message.objects.filter(status=MessageStatus.QUEUED, enqueued_at__lt=cutoff)
               .order_by("id").values_list("id", flat=True)[:limit])
    messages_enqueue(ids)
    return len(ids)


def sweep(at: dt.datetime | None = None) -> SweepReport:
    """The per-minute sweep: release, recover, requeue, assign, dispatch."""
    at = at or timezone.now()
    plan_reminders_withdraw(at)
    report = SweepReport(
        released=messages_release_due(at),
        recovered=messages_recover_stuck(at),
        requeued=messages_requeue_stale(at),
        assigned=accounts_assign(at),
    )
    deadline = time.monotonic() + SWEEP_SECONDS
    while True:  # batches of due steps until none is left or the minute is nearly used
        counts = steps_dispatch(at)
        for outcome, n in counts.items():
            report.steps[outcome] = report.steps.get(outcome, 0) + n
        if sum(counts.values()) < SWEEP_BATCH or time.monotonic() > deadline:
            break
    while True:
        counts = plan_reminders_dispatch(at)
        for outcome, n in counts.items():
            report.reminders[outcome] = report.reminders.get(outcome, 0) + n
        if sum(counts.values()) < SWEEP_BATCH or time.monotonic() > deadline:
            break
    log.info("cadence.sweep released=%s recovered=%s requeued=%s assigned=%s steps=%s reminders=%s",
             report.released, report.recovered, report.requeued, report.assigned, report.steps, report.reminders)
    return report
