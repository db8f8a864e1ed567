"""Cadences: assignment by segment, champion/challenger with hold-out, due steps swept from rows."""

import datetime as dt
import random
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from collections_app.models import Task
from communications import cadence, delivery
from communications.constants import MessageStatus, StepOutcome
from communications.models import Message, StepRun, Strategy, StrategyAssignment, StrategyStep, StrategyVariant
from tests.communications.conftest import DAYTIME, reachable_account
from tests.factories import CaseEventFactory

pytestmark = pytest.mark.django_db


def strategy_with(name="Early stage", *, segments=(), steps=(), variants=(("champion", 100, False),), **fields):
    strategy = Strategy.objects.create(name=name, segments=list(segments), **fields)
    made = []
    for vname, weight, holdout in variants:
        variant = StrategyVariant.objects.create(strategy=strategy, name=vname, weight=weight, is_holdout=holdout)
        for order, (day, channel, code, extra) in enumerate(steps, start=1):
            StrategyStep.objects.create(variant=variant, order=order, day_offset=day, channel=channel,
                                        template_code=code, **extra)
        made.append(variant)
    return strategy, made


def run_sweep(at):
    with time_machine.travel(at, tick=False):
        return cadence.sweep(at)


def test_accounts_take_the_first_matching_strategy_by_priority(acme, daytime):
    small = reachable_account(acme, email="a@example.com", phone="+13125550111", segment="early",
                              principal=Decimal("100"), principal_balance=Decimal("100"))
    big = reachable_account(acme, email="b@example.com", phone="+13125550112", segment="early")
    other = reachable_account(acme, email="c@example.com", phone="+13125550113", segment="late")
    strategy_with("Small early", segments=["early"], max_balance=Decimal("500"), priority=1)
    strategy_with("Any early", segments=["early"], priority=2)
    assert cadence.accounts_assign(DAYTIME) == 2
    assert StrategyAssignment.objects.get(account=small).strategy.name == "Small early"
    assert StrategyAssignment.objects.get(account=big).strategy.name == "Any early"
    assert not StrategyAssignment.objects.filter(account=other).exists()


def test_variants_are_drawn_by_weight_and_kept(acme, daytime):
    for i in range(200):
        reachable_account(acme, email=f"d{i}@example.com", phone=f"+1312556{i:04d}")
    _, variants = strategy_with(variants=(("champion", 70, False), ("challenger", 20, False), ("hold-out", 10, True)),
                                steps=[(0, "email", "payment_reminder", {})])
    cadence.accounts_assign(DAYTIME, rng=random.Random(7))
    counts = {v.name: v.assignments.count() for v in variants}
    assert sum(counts.values()) == 200
    assert 120 <= counts["champion"] <= 160 and 20 <= counts["challenger"] <= 60 and 5 <= counts["hold-out"] <= 35
    holdout = StrategyAssignment.objects.filter(variant__is_holdout=True)
    assert all(a.next_due_at is None for a in holdout)  # the hold-out is contacted by no step
    before = dict(StrategyAssignment.objects.values_list("account_id", "variant_id"))
    cadence.accounts_assign(DAYTIME, rng=random.Random(99))
    assert dict(StrategyAssignment.objects.values_list("account_id", "variant_id")) == before


def test_due_steps_go_through_the_gate_and_the_next_step_is_scheduled_in_the_row(acme, daytime,
                                                                                 django_capture_on_commit_callbacks):
    ok = reachable_account(acme, email="ok@example.com", phone="+13125550121", placed_at=DAYTIME)
    ceased = reachable_account(acme, email="cease@example.com", phone="+13125550122", placed_at=DAYTIME)
    CaseEventFactory(debtor=ceased.debtor, type="cease_notice_received", channel="letter", outcome="",
                     direction="inbound", written=True, occurred_at=DAYTIME - dt.timedelta(days=1))
    strategy_with(steps=[(0, "email", "payment_reminder", {}), (3, "email", "settlement_offer", {})])
    with django_capture_on_commit_callbacks(execute=True):
        report = run_sweep(DAYTIME)
    assert report.assigned == 2
    assert report.steps == {StepOutcome.QUEUED: 1, StepOutcome.BLOCKED: 1}
    assert [m.to for m in mail.outbox] == [["ok@example.com"]]  # on-commit → deliver (eager in tests)
    assignment = StrategyAssignment.objects.get(account=ok)
    assert assignment.next_order == 2
    assert assignment.next_due_at == DAYTIME + dt.timedelta(days=3)
    # Nothing more is due until day 3; then the second step runs once.
    assert run_sweep(DAYTIME + dt.timedelta(days=1)).steps == {}
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(DAYTIME + dt.timedelta(days=3, minutes=1))
    assert StepRun.objects.filter(assignment=assignment).count() == 2
    assert assignment.account.messages.filter(template__code="settlement_offer").count() == 1


def test_a_step_whose_conditions_fail_is_skipped(acme, daytime):
    reachable_account(acme, segment="early", placed_at=DAYTIME)
    strategy_with(steps=[(0, "email", "payment_reminder", {"segments": ["late"]}),
                         (0, "email", "settlement_offer", {"min_balance": Decimal("10.00")})])
    run_sweep(DAYTIME)
    run_sweep(DAYTIME + dt.timedelta(minutes=1))
    assert list(StepRun.objects.order_by("step_order").values_list("outcome", flat=True)) == ["skipped", "queued"]


def test_a_call_step_puts_a_task_on_the_collectors_desk(acme, collector, daytime):
    account = reachable_account(acme, placed_at=DAYTIME, assigned_to=collector)
    strategy_with(steps=[(0, "call", "collector_call", {})])
    run_sweep(DAYTIME)
    task = Task.objects.get(account=account)
    assert task.assigned_to == collector and task.kind == "callback"
    assert "Jane Doe" in task.title


def test_accounts_on_an_active_plan_or_a_pending_promise_wait_and_resume_when_it_breaks(acme, daytime):
    from collections_app.services.plans import plan_activate, plan_cancel, plan_propose
    from collections_app.services.promises import promise_make

    planned = reachable_account(acme, email="plan@example.com", phone="+13125550131", placed_at=DAYTIME)
    promised = reachable_account(acme, email="promise@example.com", phone="+13125550132", placed_at=DAYTIME)
    free = reachable_account(acme, email="free@example.com", phone="+13125550133", placed_at=DAYTIME)
    plan = plan_propose(accounts=[planned], frequency="monthly", start=dt.date(2026, 3, 20), count=3)
    plan_activate(plan)
    promise_make(account=promised, amount=Decimal("50.00"), due_date=dt.date(2026, 3, 20))
    strategy_with(steps=[(0, "email", "payment_reminder", {})])
    assert run_sweep(DAYTIME).steps == {"queued": 1, "paused": 2}
    assert list(Message.objects.values_list("account_id", flat=True)) == [free.pk]
    # The plan is cancelled: the next look at the account (a day later) sends the step.
    plan_cancel(plan)
    assert run_sweep(DAYTIME + cadence.PAUSE_RECHECK).steps == {"queued": 1, "paused": 1}
    assert set(Message.objects.values_list("account_id", flat=True)) == {free.pk, planned.pk}


def test_scheduled_messages_are_released_by_the_sweep_and_checked_again(account, django_capture_on_commit_callbacks):
    message = Message.objects.create(client=account.client, account=account, channel="email",
                                     target="jane@example.com", subject="Hello", text="x", key="k",
                                     status=MessageStatus.SCHEDULED, scheduled_for=DAYTIME - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert run_sweep(DAYTIME).released == 1
    message.refresh_from_db()
    assert message.status in (MessageStatus.SENT, MessageStatus.BLOCKED)


def stuck(account, key, claim):
    return Message.objects.create(client=account.client, account=account, channel="email", target="jane@example.com",
                                  subject="Hello", text="x", key=key, claim=claim, status=MessageStatus.SENDING,
                                  sending_at=DAYTIME - dt.timedelta(hours=1), enqueued_at=DAYTIME - dt.timedelta(hours=1))


def test_rows_a_dead_worker_left_sending_are_failed_if_handed_over_and_requeued_if_not(account):
    journal = delivery.journal()
    handed, waiting = stuck(account, "a", "claim1"), stuck(account, "b", "claim1")
    journal.sadd("communications:handover:claim1", delivery.SENTINEL, handed.pk)
    lost = stuck(account, "c", "claim2")  # no journal at all: Redis lost it, so nothing can be known
    assert delivery.messages_recover_stuck(DAYTIME) == {"failed": 2, "requeued": 1}
    statuses = dict(Message.objects.values_list("key", "status"))
    assert statuses == {"a": "failed", "b": "queued", "c": "failed"}
    assert Message.objects.get(key="a").error.startswith("outcome unknown")
    assert delivery.deliver([handed.pk, lost.pk]).skipped == [handed.pk, lost.pk]
    assert not journal.exists("communications:handover:claim1")
    assert waiting.pk and lost.pk
