import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from collections_app.constants import PromiseStatus
from collections_app.models import CaseEvent, Promise, Task
from collections_app.selectors import account_cadence_paused
from collections_app.services.promises import promises_evaluate_due
from collections_app.tasks import money_nightly_evaluate
from tests.collections_app.money_helpers import account_for, pay
from tests.factories import DebtorFactory, PromiseFactory

pytestmark = pytest.mark.django_db
MADE = dt.datetime(2026, 3, 2, 16, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(MADE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def account(acme, collector):
    return account_for(debtor=DebtorFactory(client=acme, timezones=["America/Chicago"]), assigned_to=collector)


def promise(api, account, amount="100.00", due="2026-03-09", source="call"):
    return api.post("/api/v1/promises/", {"account": account.id, "amount": amount, "due_date": due,
                                          "source": source}, format="json")


def test_a_promise_is_recorded_with_its_timeline_fact(api, account):
    response = promise(api, account, source="portal")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending" and response.json()["amount"] == "100.00"
    event = CaseEvent.objects.get(type="promise_made")
    assert event.channel == "portal" and event.data["due_date"] == "2026-03-09"
    assert api.get(f"/api/v1/promises/?account={account.id}").json()["count"] == 1


@pytest.mark.parametrize(("amount", "due"), [("0", "2026-03-09"), ("1000.01", "2026-03-09"),
                                             ("50.00", "2026-03-01"), ("50.00", "2026-09-01")])
def test_impossible_promises_are_400s(api, account, amount, due):
    assert promise(api, account, amount, due).status_code == 400
    assert not Promise.objects.exists()


def test_one_pending_promise_per_account(api, account):
    promise(api, account)
    assert promise(api, account).status_code == 400


def test_a_payment_in_full_keeps_the_promise_at_once(api, account):
    promise(api, account)
    pay(api, account, "100.00", received_at="2026-03-02T10:01:00-06:00")
    assert Promise.objects.get().status == PromiseStatus.KEPT
    assert CaseEvent.objects.filter(type="promise_kept").count() == 1


def test_a_short_payment_leaves_it_partly_kept_after_the_due_date(api, account, collector, _frozen):
    promise(api, account)
    pay(api, account, "40.00", received_at="2026-03-02T10:01:00-06:00")
    assert Promise.objects.get().status == PromiseStatus.PENDING
    _frozen.move_to(dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC))
    assert promises_evaluate_due() == 1
    kept = Promise.objects.get()
    assert (kept.status, kept.paid_amount) == (PromiseStatus.PARTLY_KEPT, Decimal("40.00"))
    task = Task.objects.get(kind="broken_promise")
    assert task.assigned_to == collector and "partly kept" in task.title


def test_no_payment_breaks_it_nightly_with_a_task_for_the_collector(api, account, collector, _frozen):
    promise(api, account)
    _frozen.move_to(dt.datetime(2026, 3, 10, 4, 30, tzinfo=dt.UTC))  # 23:30 CDT on 9 March
    assert money_nightly_evaluate() == {"promises": 0, "plans": 0}
    _frozen.move_to(dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC))
    assert money_nightly_evaluate() == {"promises": 1, "plans": 0}
    assert Promise.objects.get().status == PromiseStatus.BROKEN
    event = CaseEvent.objects.get(type="promise_broken")
    assert event.account_ids == [account.id] and event.data["paid"] == "0.00"
    assert Task.objects.get(kind="broken_promise").assigned_to == collector
    assert money_nightly_evaluate() == {"promises": 0, "plans": 0}  # evaluated once


def test_a_payment_late_on_the_due_day_local_time_still_counts(api, account, _frozen):
    promise(api, account)
    _frozen.move_to(dt.datetime(2026, 3, 10, 4, 45, tzinfo=dt.UTC))
    pay(api, account, "100.00", received_at="2026-03-09T23:40:00-05:00")  # CDT; 04:40 UTC on the 10th
    assert Promise.objects.get().status == PromiseStatus.KEPT


def test_reversing_the_payment_that_kept_it_reopens_or_breaks_it(api, account, _frozen):
    promise(api, account)
    payment_id = pay(api, account, "100.00", "a", received_at="2026-03-02T10:01:00-06:00").json()["id"]
    api.post(f"/api/v1/payments/{payment_id}/reverse/", {"reason": "nsf"}, format="json")
    assert Promise.objects.get().status == PromiseStatus.PENDING  # not due yet: pending again
    pay(api, account, "60.00", "b", received_at="2026-03-02T10:02:00-06:00")
    late_id = pay(api, account, "40.00", "c", received_at="2026-03-02T10:03:00-06:00").json()["id"]
    assert Promise.objects.get().status == PromiseStatus.KEPT
    _frozen.move_to(dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC))
    api.post(f"/api/v1/payments/{late_id}/reverse/", {"reason": "chargeback"}, format="json")
    reopened = Promise.objects.get()
    assert (reopened.status, reopened.paid_amount) == (PromiseStatus.PARTLY_KEPT, Decimal("60.00"))
    assert Task.objects.filter(kind="broken_promise").count() == 1


def test_cadence_pauses_for_a_pending_or_kept_promise_and_an_active_plan(api, account, acme, _frozen):
    other = account_for(debtor=DebtorFactory(client=acme))
    planned = account_for(debtor=DebtorFactory(client=acme))
    idle = account_for(debtor=DebtorFactory(client=acme))
    promise(api, account)
    PromiseFactory(account=other, amount=Decimal("10.00"), due_date=dt.date(2026, 3, 5), status="broken")
    plan_id = api.post("/api/v1/plans/", {"accounts": [planned.id], "frequency": "monthly", "count": 2,
                                          "start": "2026-03-05"}, format="json").json()["id"]
    ids = [account.id, other.id, planned.id, idle.id]
    assert account_cadence_paused(ids) == {account.id}  # a proposed plan does not pause
    api.post(f"/api/v1/plans/{plan_id}/activate/", {}, format="json")
    assert account_cadence_paused(ids) == {account.id, planned.id}
    _frozen.move_to(dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC))
    promises_evaluate_due()
    assert account_cadence_paused(ids) == {planned.id}  # broken: the cadence resumes
    assert account_cadence_paused([]) == set()
