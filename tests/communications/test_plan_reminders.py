"""Plan installment reminders: before the due date, on it, after a miss — driven by real plans."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from collections_app.services.payments import payment_post
from collections_app.services.plans import plan_activate, plan_cancel, plan_propose
from communications import cadence
from communications.models import Message, PlanReminder, Strategy, StrategyStep, StrategyVariant
from tests.communications.conftest import DAYTIME, reachable_account

pytestmark = pytest.mark.django_db
FIRST_DUE = dt.date(2026, 3, 16)  # a Monday; DAYTIME is Tuesday 10 March, 10:00 in Chicago


def at(day: dt.date, hour_utc: int = 16) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour_utc, tzinfo=dt.UTC)


def reminder_strategy(*, holdout=False):
    strategy = Strategy.objects.create(name="Plans")
    variant = StrategyVariant.objects.create(strategy=strategy, name="champion", is_holdout=holdout)
    for order, (anchor, day, channel, code) in enumerate([
        ("installment_before", 3, "email", "plan_installment_due"),
        ("installment_due", 0, "sms", "plan_installment_due"),
        ("installment_missed", 2, "email", "plan_installment_missed"),
    ], start=1):
        StrategyStep.objects.create(variant=variant, order=order, anchor=anchor, day_offset=day, channel=channel,
                                    template_code=code)
    return strategy


def planned_account(acme, *, language="en", installments=3, email="jane@example.com"):
    account = reachable_account(acme, email=email, principal=Decimal("300.00"),
                                principal_balance=Decimal("300.00"), interest=Decimal("0"),
                                interest_balance=Decimal("0"), fees=Decimal("0"), fees_balance=Decimal("0"))
    account.debtor.preferred_language = language
    account.debtor.save(update_fields=["preferred_language"])
    plan = plan_propose(accounts=[account], frequency="monthly", start=FIRST_DUE, count=installments,
                        grace_days=5)
    plan_activate(plan, signed_by_name="Jane Doe")
    return account, plan


def sweep(instant, django_capture_on_commit_callbacks):
    with time_machine.travel(instant, tick=False), django_capture_on_commit_callbacks(execute=True):
        return cadence.sweep(instant)


def test_reminders_go_out_before_on_and_after_a_missed_due_date_once_each(
        acme, daytime, sms_outbox, django_capture_on_commit_callbacks):
    reminder_strategy()
    account, plan = planned_account(acme)
    first = plan.installments.get(seq=1)
    assert sweep(DAYTIME, django_capture_on_commit_callbacks).reminders == {}  # 6 days ahead: too early
    report = sweep(at(FIRST_DUE - dt.timedelta(days=3)), django_capture_on_commit_callbacks)
    assert report.reminders == {"queued": 1}
    [before] = mail.outbox
    assert before.to == ["jane@example.com"]
    assert f"${first.amount}" in before.body and "March 16, 2026" in before.body
    assert "This communication is from a debt collector" in before.body and "unsubscribe" in before.body
    # The next sweeps (same day, next day) send it no second time.
    assert sweep(at(FIRST_DUE - dt.timedelta(days=3), 17), django_capture_on_commit_callbacks).reminders == {}
    assert sweep(at(FIRST_DUE - dt.timedelta(days=2)), django_capture_on_commit_callbacks).reminders == {}
    assert len(mail.outbox) == 1
    # On the due date: the text message.
    assert sweep(at(FIRST_DUE), django_capture_on_commit_callbacks).reminders == {"queued": 1}
    assert [s["to"] for s in sms_outbox] == ["+13125550101"] and "Reply STOP" in sms_outbox[0]["body"]
    # Unpaid two days later: the missed-installment email, once.
    assert sweep(at(FIRST_DUE + dt.timedelta(days=2)), django_capture_on_commit_callbacks).reminders == {"queued": 1}
    assert sweep(at(FIRST_DUE + dt.timedelta(days=3)), django_capture_on_commit_callbacks).reminders == {}
    assert [m.subject for m in mail.outbox][1:] == ["We did not receive your installment"]
    assert set(PlanReminder.objects.values_list("installment__seq", "kind", "outcome")) == {
        (1, "installment_before", "queued"), (1, "installment_due", "queued"), (1, "installment_missed", "queued")}
    assert Message.objects.filter(account=account, status="sent").count() == 3


def test_a_paid_installment_and_a_cancelled_plan_get_no_reminders(acme, daytime, django_capture_on_commit_callbacks):
    reminder_strategy()
    account, plan = planned_account(acme)
    first = plan.installments.get(seq=1)
    payment_post(account=account, amount=first.amount, received_at=DAYTIME, method="ach", external_id="p1")
    assert sweep(at(FIRST_DUE - dt.timedelta(days=3)), django_capture_on_commit_callbacks).reminders == {}
    assert sweep(at(FIRST_DUE + dt.timedelta(days=2)), django_capture_on_commit_callbacks).reminders == {}
    second = plan.installments.get(seq=2)
    with time_machine.travel(at(second.due_date - dt.timedelta(days=5)), tick=False):
        plan_cancel(plan, reason="debtor withdrew")
    assert sweep(at(second.due_date - dt.timedelta(days=3)), django_capture_on_commit_callbacks).reminders == {}
    assert sweep(at(second.due_date), django_capture_on_commit_callbacks).reminders == {}
    assert mail.outbox == [] and not Message.objects.exists()


def test_a_deferred_reminder_is_withdrawn_when_the_installment_is_paid(acme, daytime,
                                                                      django_capture_on_commit_callbacks):
    acme.defer_blocked_messages = True
    acme.save(update_fields=["defer_blocked_messages"])
    reminder_strategy()
    account, plan = planned_account(acme)
    night = at(FIRST_DUE - dt.timedelta(days=3), hour_utc=8)  # 02:00 in Chicago: the gate defers it
    assert sweep(night, django_capture_on_commit_callbacks).reminders == {"scheduled": 1}
    message = Message.objects.get()
    assert message.status == "scheduled" and message.scheduled_for > night
    payment_post(account=account, amount=plan.installments.get(seq=1).amount, received_at=night, method="card",
                 external_id="p2")
    sweep(message.scheduled_for + dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.status == "blocked" and "withdrawn" in message.error
    assert mail.outbox == []


def test_a_broken_plan_stops_its_reminders(acme, daytime, django_capture_on_commit_callbacks):
    from collections_app.services.plans import plans_evaluate

    reminder_strategy()
    _, plan = planned_account(acme)
    with time_machine.travel(at(FIRST_DUE + dt.timedelta(days=6)), tick=False):
        assert plans_evaluate(now=at(FIRST_DUE + dt.timedelta(days=6))) == 1
    plan.refresh_from_db()
    assert plan.status == "broken"
    second = plan.installments.get(seq=2)
    assert sweep(at(second.due_date - dt.timedelta(days=3)), django_capture_on_commit_callbacks).reminders == {}
    assert not Message.objects.exists()


def test_reminders_speak_the_debtors_language_and_pass_the_gate(acme, daytime, django_capture_on_commit_callbacks):
    from tests.factories import CaseEventFactory

    reminder_strategy()
    planned_account(acme, language="es")
    ceased, _ = planned_account(acme, email="cease@example.com")
    CaseEventFactory(debtor=ceased.debtor, type="cease_notice_received", channel="letter", outcome="",
                     direction="inbound", written=True, occurred_at=DAYTIME)
    report = sweep(at(FIRST_DUE - dt.timedelta(days=3)), django_capture_on_commit_callbacks)
    assert report.reminders == {"queued": 1, "blocked": 1}
    [spanish] = mail.outbox
    assert spanish.subject == "Su cuota vence el 16 de marzo de 2026"
    assert "Esta comunicación proviene de un cobrador de deudas" in spanish.body
    assert "This communication is from a debt collector" in spanish.body
    assert Message.objects.get(account=ceased).status == "blocked"


def test_the_hold_out_gets_no_reminders(acme, daytime, django_capture_on_commit_callbacks):
    reminder_strategy(holdout=True)
    planned_account(acme)
    assert sweep(at(FIRST_DUE - dt.timedelta(days=3)), django_capture_on_commit_callbacks).reminders == {}


def test_the_editor_offers_plan_reminder_steps_and_refuses_a_call_reminder(client, supervisor):
    strategy = Strategy.objects.create(name="Plans")
    champion = StrategyVariant.objects.create(strategy=strategy, name="champion")
    client.force_login(supervisor)
    url = f"/strategies/{strategy.pk}/variants/{champion.pk}/steps/"
    page = client.get(url)
    assert b"Plan reminder: days before each installment is due" in page.content
    management = {"steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0",
                  "steps-MAX_NUM_FORMS": "1000"}
    step = {"steps-0-order": "1", "steps-0-day_offset": "3", "steps-0-anchor": "installment_before",
            "steps-0-segments": "", "steps-0-min_balance": "", "steps-0-max_balance": ""}
    bad = client.post(url, {**management, **step, "steps-0-channel": "call", "steps-0-template_code": "collector_call"})
    assert bad.status_code == 200 and b"a plan reminder is an email, text or letter" in bad.content
    good = client.post(url, {**management, **step, "steps-0-channel": "email",
                             "steps-0-template_code": "plan_installment_due"})
    assert good.status_code == 302
    assert StrategyStep.objects.get(variant=champion).anchor == "installment_before"
