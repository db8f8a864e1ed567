"""`make run`'s demo cadence: installed once, it draws the demo portfolio into champion, challenger
and hold-out, and its first steps go out through the gate on the first sweep."""

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command

from communications import cadence
from communications.demo import demo_strategies_install
from communications.models import Message, StepRun, Strategy, StrategyAssignment

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 6, 2, 16, 0, tzinfo=dt.UTC)  # 11:00-12:00 across the US mainland


def test_the_demo_cadence_is_installed_once_and_never_over_a_users_strategies():
    call_command("seed_demo_strategies", verbosity=0)
    strategy = Strategy.objects.get()
    assert {(v.name, v.weight, v.is_holdout, v.steps.count()) for v in strategy.variants.all()} == {
        ("Champion: e-mail first", 45, False, 8), ("Challenger: text first", 45, False, 7), ("Hold-out", 10, True, 0)}
    assert demo_strategies_install() is None  # a second run changes nothing
    assert Strategy.objects.count() == 1


def test_the_first_sweep_draws_the_demo_portfolio_and_sends_first_steps_through_the_gate():
    with time_machine.travel(AT, tick=False):
        call_command("seed_demo", accounts=150, seed=3, as_of=AT.date(), verbosity=0)
        demo_strategies_install()
        cadence.sweep(AT)

    assignments = StrategyAssignment.objects.select_related("variant")
    variants = Counter(a.variant.name for a in assignments)
    assert sum(variants.values()) > 50 and len(variants) == 3  # every open account, in all three variants
    assert not StepRun.objects.filter(assignment__variant__is_holdout=True).exists()
    runs = Counter((r.step.channel, r.outcome) for r in StepRun.objects.select_related("step"))
    assert {channel for channel, _ in runs} == {"email", "sms"}  # each variant's first step
    messages = Message.objects.all()
    assert messages.exists() and all(m.decisions for m in messages)  # every one asked the gate, stored
    statuses = Counter(m.status for m in messages)
    assert statuses["queued"] > 0  # reachable debtors at a lawful hour
    assert statuses["blocked"] > 0  # e.g. texts without consent (1006.6(d)(5))
