"""Money and messages from the account page: promise, payment, plan / settlement (with its live
preview and approval routing) and send message, each through the domain service."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from collections_app.models import Account, CaseEvent, Payment, Plan, Promise, Settlement, Task
from collections_app.models.timeline import TaskKind, TaskStatus
from collections_app.schedules import debtor_local_date
from communications.models import Message
from communications.services import templates_seed_defaults
from tests.desk.conftest import signed_in
from tests.desk.test_desk_actions import HX, act
from tests.factories import AccountFactory, DebtorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _templates(db):
    templates_seed_defaults()


def today(account) -> dt.date:
    return debtor_local_date(account.debtor.timezones, timezone.now())


def in_days(account, days: int) -> str:
    return (today(account) + dt.timedelta(days=days)).isoformat()


def fragment(body: str, element_id: str) -> str:
    return body.split(f'id="{element_id}"')[1].split("</section>")[0]


# --- promises -----------------------------------------------------------------------------------


def test_a_right_party_contact_can_carry_a_promise_which_the_page_then_shows(desk, jane_account, collector):
    response = act(desk, jane_account, "call", {"phone": "+13125550101", "outcome": "right_party_contact",
                                                "promise_amount": "200.00", "promise_date": in_days(jane_account, 3)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Promise to pay $200.00 by" in body
    promise = Promise.objects.get()
    assert (promise.account, promise.amount, promise.created_by, promise.source) == (
        jane_account, Decimal("200.00"), collector, "call")
    assert CaseEvent.objects.filter(type="promise_made", data__promise=promise.id).exists()
    assert "$200.00" in fragment(body, "arrangements") and "Promise to pay made" in fragment(body, "timeline")


def test_a_promise_needs_the_debtor_on_the_line_and_both_amount_and_date(desk, jane_account):
    no_answer = act(desk, jane_account, "call", {"phone": "+13125550101", "outcome": "no_answer",
                                                 "promise_amount": "50", "promise_date": in_days(jane_account, 2)})
    assert no_answer.status_code == 400 and "log a right-party contact" in no_answer.content.decode()
    half = act(desk, jane_account, "call", {"phone": "+13125550101", "outcome": "right_party_contact",
                                            "promise_amount": "50"})
    assert half.status_code == 400 and "both an amount and a date" in half.content.decode()
    too_much = act(desk, jane_account, "call", {"phone": "+13125550101", "outcome": "right_party_contact",
                                                "promise_amount": "5000", "promise_date": in_days(jane_account, 2)})
    assert too_much.status_code == 400 and "at most the balance of 1000.00" in too_much.content.decode()
    # The error is tied to its field for screen readers.
    assert 'aria-invalid="true" aria-describedby="id_promise_amount-error"' in too_much.content.decode()
    assert 'id="id_promise_amount-error"' in too_much.content.decode()
    # The refused promise took the call with it: the collector fixes the promise and saves again.
    # (The gate's answers to the dials stay on record as evidence: compliance_decision events only.)
    assert not CaseEvent.objects.exclude(type="compliance_decision").exists() and not Promise.objects.exists()


def test_the_promise_action_validates_the_date_server_side(desk, jane_account):
    past = act(desk, jane_account, "promise", {"amount": "75", "due_date": in_days(jane_account, -1)})
    assert past.status_code == 400 and "between today and 90 days" in past.content.decode()
    ok = act(desk, jane_account, "promise", {"amount": "75", "due_date": in_days(jane_account, 5)})
    assert ok.status_code == 200 and "Promise to pay $75.00" in ok.content.decode()
    again = act(desk, jane_account, "promise", {"amount": "75", "due_date": in_days(jane_account, 6)})
    assert again.status_code == 400 and "already has a pending promise" in again.content.decode()
    assert Promise.objects.count() == 1


# --- payments -----------------------------------------------------------------------------------


def test_taking_a_payment_posts_it_and_refreshes_the_balances(desk, jane_account, collector):
    form = act(desk, jane_account, "payment").content.decode()
    token = form.split('name="token" value="')[1].split('"')[0]
    data = {"amount": "100.00", "method": "card", "reference": "", "token": token}
    response = act(desk, jane_account, "payment", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Payment of $100.00 posted. Balance now $900.00." in body
    assert "$900.00" in fragment(body, "debtor-accounts") and "Payment received" in fragment(body, "timeline")
    payment = Payment.objects.get()
    assert (payment.amount, payment.method, payment.created_by) == (Decimal("100.00"), "card", collector)
    # A double submit of the same form posts nothing twice.
    twice = act(desk, jane_account, "payment", data)
    assert "already recorded" in twice.content.decode() and Payment.objects.count() == 1
    assert Account.objects.get(pk=jane_account.pk).balance == Decimal("900.00")


def test_a_payment_above_the_balance_is_refused_and_changes_nothing(desk, jane_account):
    response = act(desk, jane_account, "payment", {"amount": "1000.01", "method": "ach", "token": "t1"})
    assert response.status_code == 400 and "more than the balance of 1000.00" in response.content.decode()
    response = act(desk, jane_account, "payment", {"amount": "-5", "method": "ach", "token": "t2"})
    assert response.status_code == 400
    assert not Payment.objects.exists() and Account.objects.get(pk=jane_account.pk).balance == Decimal("1000.00")


# --- plans and settlements -----------------------------------------------------------------------


def preview(client, account, **data):
    return client.post(f"/desk/accounts/{account.id}/plan-preview/", data,
                       HTTP_HX_REQUEST="true", HTTP_HX_TARGET="plan-preview").content.decode()


def plan_data(account, **overrides):
    return {"kind": "plan", "accounts": [str(account.id)], "start": in_days(account, 7), "frequency": "monthly",
            "count": "3", **overrides}


def test_the_plan_preview_shows_the_schedule_as_typed_and_writes_nothing(desk, jane, jane_account):
    body = preview(desk, jane_account, **plan_data(jane_account))
    assert "3 payments" in body and "$1,000.00" in body
    assert body.count("$333.33") == 2 and "$333.34" in body  # the cent remainder on the last
    both = preview(desk, jane_account, **plan_data(jane_account, accounts=[str(a.id) for a in jane.accounts.all()],
                                                   count="", installment_amount="500"))
    assert "3 payments" in both and "$1,250.00" in both and "$250.00" in both
    bad = preview(desk, jane_account, **plan_data(jane_account, count="", installment_amount=""))
    assert "number of payments or the amount per payment" in bad
    past = preview(desk, jane_account, **plan_data(jane_account, start="2020-01-01"))
    assert "Not yet a valid schedule" in past and "cannot be in the past" in past
    assert not Plan.objects.exists() and not CaseEvent.objects.exists()


def test_proposing_a_plan_and_activating_it_when_the_debtor_agrees(desk, jane_account, collector):
    response = act(desk, jane_account, "plan", plan_data(jane_account))
    assert response.status_code == 200 and "Plan proposed" in response.content.decode()
    plan = Plan.objects.get()
    assert plan.status == "proposed" and plan.installments.count() == 3 and plan.created_by == collector
    Plan.objects.filter(pk=plan.pk).update(status="cancelled")
    response = act(desk, jane_account, "plan", plan_data(jane_account, count="", installment_amount="250",
                                                         activate="on", signed_by_name="Jane Doe"))
    body = response.content.decode()
    assert response.status_code == 200 and "Plan activated: 4 payments" in body
    active = Plan.objects.get(status="active")
    assert active.signed_by_name == "Jane Doe"
    assert Account.objects.get(pk=jane_account.pk).status == "in_plan"
    assert "Plan · Active" in fragment(body, "arrangements") and "In payment plan" in fragment(body, "debtor-accounts")


def test_a_proposed_plan_is_activated_from_its_debtors_page_only(desk, jane_account, acme, collector,
                                                                 other_collector):
    act(desk, jane_account, "plan", plan_data(jane_account))
    plan = Plan.objects.get()
    url = f"/desk/plans/{plan.id}/activate/"
    assert signed_in(other_collector).post(url, {"account": jane_account.id}).status_code == 404
    stranger = AccountFactory(debtor=DebtorFactory(client=acme), assigned_to=collector)
    assert desk.post(url, {"account": stranger.id}, **HX).status_code == 400
    assert Plan.objects.get().status == "proposed"
    response = desk.post(url, {"account": jane_account.id, "signed_by_name": "Jane Doe"}, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and "Plan activated: $1,000.00 over 3 payments." in body
    assert "Plan · Active" in fragment(body, "arrangements")
    again = desk.post(url, {"account": jane_account.id}, **HX).content.decode()
    assert "not activated" in again and "only a proposed plan" in again


def test_a_settlement_within_the_collectors_limit_is_approved_at_once(desk, jane_account):
    data = plan_data(jane_account, kind="settlement", count="1", discount_pct="20")
    assert "Within your limit of 30.00%" in preview(desk, jane_account, **data)
    response = act(desk, jane_account, "plan", data)
    assert response.status_code == 200 and "Settlement for $800.00 (20.00% off $1,000.00) approved" in \
        response.content.decode()
    settlement = Settlement.objects.get()
    assert settlement.status == "approved" and settlement.plan.status == "active"


def test_a_settlement_above_the_limit_waits_for_a_supervisor_who_approves_it(desk, jane_account, collector,
                                                                             supervisor, other_collector):
    collector.settlement_limit_pct = Decimal("10.00")
    collector.save()
    data = plan_data(jane_account, kind="settlement", count="1", settlement_amount="600")
    assert "Above your limit of 10.00%" in preview(desk, jane_account, **data)
    response = act(desk, jane_account, "plan", data)
    body = response.content.decode()
    assert response.status_code == 200 and "sent to a supervisor for approval" in body
    assert "awaiting a supervisor" in fragment(body, "arrangements")
    settlement = Settlement.objects.get()
    assert settlement.status == "pending_approval" and settlement.discount_pct == Decimal("40.00")
    assert Task.objects.get(kind=TaskKind.APPROVAL).status == TaskStatus.OPEN
    # The collector may not decide it, nor may another client's supervisor see it.
    assert desk.post(f"/desk/approvals/settlements/{settlement.id}/", {"decision": "approve"}).status_code == 403
    boss = signed_in(supervisor)
    page = boss.get("/desk/approvals/").content.decode()
    assert "Jane Doe" in page and "40.00% off" in page and "alice" in page
    response = boss.post(f"/desk/approvals/settlements/{settlement.id}/", {"decision": "approve", "note": "ok"},
                         follow=True)
    assert f"Settlement {settlement.id} approved" in response.content.decode()
    settlement.refresh_from_db()
    assert settlement.status == "approved" and settlement.decided_by == supervisor
    assert settlement.plan is not None and settlement.plan.status == "active"
    assert Task.objects.get(kind=TaskKind.APPROVAL).status == TaskStatus.DONE
    again = boss.post(f"/desk/approvals/settlements/{settlement.id}/", {"decision": "reject"}, follow=True)
    assert "already approved" in again.content.decode()


def test_a_supervisor_can_reject_a_settlement(desk, jane_account, collector, supervisor):
    collector.settlement_limit_pct = Decimal("0")
    collector.save()
    act(desk, jane_account, "plan", plan_data(jane_account, kind="settlement", count="1", discount_pct="15"))
    settlement = Settlement.objects.get()
    signed_in(supervisor).post(f"/desk/approvals/settlements/{settlement.id}/", {"decision": "reject"})
    settlement.refresh_from_db()
    assert settlement.status == "rejected" and settlement.plan is None
    assert Account.objects.get(pk=jane_account.pk).status == "open"


def test_the_approvals_page_costs_the_same_queries_however_many_settlements(desk, jane, jane_account, collector,
                                                                           supervisor, django_assert_max_num_queries):
    collector.settlement_limit_pct = Decimal("0")
    collector.save()
    for account in jane.accounts.all():
        act(desk, account, "plan", plan_data(account, kind="settlement", count="1", discount_pct="5"))
    assert Settlement.objects.filter(status="pending_approval").count() == 2
    boss = signed_in(supervisor)
    with django_assert_max_num_queries(9):
        assert "Jane Doe" in boss.get("/desk/approvals/").content.decode()


def test_the_plan_agreement_pdf_is_for_the_plans_client_only(desk, jane_account, other_collector):
    act(desk, jane_account, "plan", plan_data(jane_account))
    plan = Plan.objects.get()
    response = desk.get(f"/desk/plans/{plan.id}/agreement.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert signed_in(other_collector).get(f"/desk/plans/{plan.id}/agreement.pdf").status_code == 404


# --- messages -----------------------------------------------------------------------------------


def test_sending_an_email_from_a_template_goes_through_the_outbound_path(desk, jane_account, collector):
    form = act(desk, jane_account, "message").content.decode()
    assert 'value="payment_reminder"' in form and "settlement_offer" not in form
    response = act(desk, jane_account, "message", {"channel": "email", "template": "payment_reminder", "target": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "Email queued for delivery to jane@example.com" in body
    message = Message.objects.get()
    assert (message.source, message.created_by, message.target, message.template.code) == (
        "collector", collector, "jane@example.com", "payment_reminder")
    assert message.decision["allowed"] is True and message.decisions  # the gate's decision is on record
    assert "Queued" in fragment(body, "outbox")
    assert 'id="timeline"' not in body  # nothing happened on the timeline yet: it is written when sent


def test_a_message_the_gate_refuses_is_kept_blocked_with_its_reasons(desk, jane, jane_account):
    act(desk, jane_account, "cease", {"channel": "letter", "written": "on"})
    response = act(desk, jane_account, "message", {"channel": "sms", "template": "payment_reminder", "target": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "SMS not sent" in body and "alert-warning" in body
    message = Message.objects.get()
    assert message.status == "blocked"
    assert "Blocked" in fragment(body, "outbox")


def test_message_input_errors_are_400s_and_queue_nothing(desk, jane_account):
    wrong_channel = act(desk, jane_account, "message", {"channel": "sms", "template": "payment_reminder",
                                                        "target": "jane@example.com"})
    assert wrong_channel.status_code == 400 and "not for this channel" in wrong_channel.content.decode()
    # A validation notice is the system's to send (with its dates), not a collector's one-off.
    notice = act(desk, jane_account, "message", {"channel": "letter", "template": "validation_notice", "target": ""})
    assert notice.status_code == 400 and "Select a valid choice" in notice.content.decode()
    assert not Message.objects.exists()


# --- the page with every kind of arrangement ------------------------------------------------------


def test_the_page_stays_within_its_query_budget_with_arrangements_and_messages(desk, jane, jane_account, collector,
                                                                               django_assert_max_num_queries):
    collector.settlement_limit_pct = Decimal("0")
    collector.save()
    other = jane.accounts.get(reference="J-2")
    act(desk, jane_account, "promise", {"amount": "75", "due_date": in_days(jane_account, 5)})
    act(desk, jane_account, "plan", plan_data(jane_account))
    act(desk, other, "plan", plan_data(other, kind="settlement", count="1", discount_pct="10"))
    act(desk, jane_account, "message", {"channel": "email", "template": "payment_reminder", "target": ""})
    assert Promise.objects.exists() and Plan.objects.exists() and Settlement.objects.exists()
    assert Message.objects.exists()
    with django_assert_max_num_queries(24):  # the gate reads the debtor's facts once for all 4 channels: 6 of them
        body = desk.get(f"/desk/accounts/{jane_account.id}/").content.decode()
    assert "Plan · Proposed" in body and "awaiting a supervisor" in body and "$75.00" in body
