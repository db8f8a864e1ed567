"""The work queue: whose accounts, in which order, filtered how, at a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collections_app.models import Account, Task
from collections_app.models.timeline import TaskKind
from collections_app.services.events import event_record
from tests.desk.conftest import CHICAGO, signed_in
from tests.factories import AccountFactory, CaseEventFactory, DebtorFactory, PhoneFactory, PromiseFactory

pytestmark = pytest.mark.django_db
OLD = timezone.now() - dt.timedelta(days=200)


def queue_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-account="(\d+)"', response.content.decode())]


def account(client, collector, **kw):
    debtor = DebtorFactory(client=client)
    PhoneFactory(debtor=debtor)
    kw.setdefault("placed_at", OLD)
    return AccountFactory(debtor=debtor, assigned_to=collector, **kw)


def test_the_queue_orders_callbacks_then_new_placements_then_score_then_balance(acme, collector, desk):
    low = account(acme, collector, score=0.2)
    high = account(acme, collector, score=0.9)
    tie_small = account(acme, collector, score=0.5, principal=100, interest=0, fees=0)
    tie_big = account(acme, collector, score=0.5, principal=5000, interest=0, fees=0)
    fresh = account(acme, collector, score=0.1, placed_at=timezone.now() - dt.timedelta(days=2))
    callback = account(acme, collector, score=0.0)
    Task.objects.create(debtor=callback.debtor, account=callback, kind=TaskKind.CALLBACK, title="Call back",
                        due_at=timezone.now() - dt.timedelta(minutes=5), assigned_to=collector)
    later = account(acme, collector, score=0.05)
    Task.objects.create(debtor=later.debtor, account=later, kind=TaskKind.CALLBACK, title="Tomorrow",
                        due_at=timezone.now() + dt.timedelta(days=1), assigned_to=collector)
    response = desk.get("/desk/")
    assert queue_ids(response) == [callback.id, fresh.id, high.id, tie_big.id, tie_small.id, low.id, later.id]
    body = response.content.decode()
    assert "Callback due" in body and "New placement" in body
    assert "1 callback due" in body and "1 new placement<" in body


def test_the_queue_holds_only_my_workable_accounts_of_my_clients(acme, globex, collector, other_collector, desk):
    mine = account(acme, collector)
    account(acme, collector, status="paid")
    account(acme, other_collector)  # someone else's
    account(globex, collector)  # a client I do not work (assigned by mistake)
    account(acme, None)
    assert queue_ids(desk.get("/desk/")) == [mine.id]


def test_filters_narrow_the_queue(acme, globex, collector, desk):
    globex.members.add(collector)
    il = account(acme, collector, governing_state="IL", segment="high-aged")
    tx = account(acme, collector, governing_state="TX", segment="low-aged")
    gx = account(globex, collector, governing_state="TX", segment="low-aged")
    in_plan = account(acme, collector, status="in_plan", governing_state="CA")
    assert set(queue_ids(desk.get("/desk/"))) == {il.id, tx.id, gx.id, in_plan.id}
    assert queue_ids(desk.get("/desk/", {"state": "IL"})) == [il.id]
    assert set(queue_ids(desk.get("/desk/", {"segment": "low-aged"}))) == {tx.id, gx.id}
    assert set(queue_ids(desk.get("/desk/", {"client": globex.id}))) == {gx.id}
    assert queue_ids(desk.get("/desk/", {"status": "in_plan"})) == [in_plan.id]


def test_a_filter_change_from_htmx_returns_only_the_results(acme, collector, desk):
    account(acme, collector)
    response = desk.get("/desk/", {"state": "IL"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="queue-results"')
    assert "<nav" not in body.split('id="queue-results"')[0]


def test_an_empty_queue_says_what_to_do(desk, supervisor):
    body = desk.get("/desk/").content.decode()
    assert "Nothing to work here" in body and "A supervisor assigns work" in body
    body = signed_in(supervisor).get("/desk/").content.decode()  # a supervisor works from the team queue
    assert "Nothing to work here" in body and 'href="/desk/team/">Open the team queue' in body


def test_the_queue_costs_the_same_queries_for_5_or_40_rows(acme, collector, desk):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert desk.get("/desk/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        account(acme, collector)
    few = count()
    for _ in range(35):
        debtor_account = account(acme, collector)
        CaseEventFactory(debtor=debtor_account.debtor)
    Task.objects.create(debtor=debtor_account.debtor, account=debtor_account, kind=TaskKind.CALLBACK,
                        title="cb", due_at=timezone.now(), assigned_to=collector)
    assert count() == few


def test_the_queue_page_stays_within_its_query_budget(acme, collector, desk, django_assert_max_num_queries):
    for _ in range(35):
        account(acme, collector)
    # The first view works out the page's eligibility facts too (a fixed cost: 13 statements); later
    # views read them as kept (3: the facts, their clients, their signatures).
    with django_assert_max_num_queries(25):
        response = desk.get("/desk/")
    assert len(queue_ids(response)) == 25 and "Next page" in response.content.decode()
    with django_assert_max_num_queries(15):
        assert queue_ids(desk.get("/desk/")) == queue_ids(response)
    assert len(queue_ids(desk.get("/desk/", {"page": 2}))) == 10


def test_next_account_opens_the_top_of_the_queue_then_the_one_after(acme, collector, desk):
    first = account(acme, collector, score=0.9)
    second = account(acme, collector, score=0.8)
    third = account(acme, collector, score=0.7)
    assert desk.get("/desk/next/")["Location"] == f"/desk/accounts/{first.id}/"
    assert desk.get("/desk/next/", {"after": first.id})["Location"] == f"/desk/accounts/{second.id}/"
    assert desk.get("/desk/next/", {"after": second.id})["Location"] == f"/desk/accounts/{third.id}/"
    response = desk.get("/desk/next/", {"after": third.id}, follow=True)
    assert "Your queue is empty" in response.content.decode()


def test_the_team_queue_is_for_supervisors(acme, collector, supervisor, desk):
    mine = account(acme, collector)
    unassigned = account(acme, None)
    assert desk.get("/desk/team/").status_code == 403
    boss = signed_in(supervisor)
    assert set(queue_ids(boss.get("/desk/team/"))) == {mine.id, unassigned.id}
    assert queue_ids(boss.get("/desk/team/", {"collector": "none"})) == [unassigned.id]
    assert queue_ids(boss.get("/desk/team/", {"collector": collector.id})) == [mine.id]


def test_a_supervisor_reassigns_accounts_in_bulk_within_their_clients(acme, globex, collector, supervisor,
                                                                      other_collector):
    a1, a2 = account(acme, None), account(acme, None)
    foreign = account(globex, other_collector)
    boss = signed_in(supervisor)
    response = boss.post("/desk/team/reassign/", {"accounts": [a1.id, a2.id], "to": collector.id}, follow=True)
    assert "Reassigned 2 accounts to alice" in response.content.decode()
    assert set(Account.objects.filter(assigned_to=collector).values_list("id", flat=True)) == {a1.id, a2.id}
    response = boss.post("/desk/team/reassign/", {"accounts": [a1.id, foreign.id], "to": "none"}, follow=True)
    assert "not yours to reassign" in response.content.decode()
    assert Account.objects.get(pk=a1.id).assigned_to == collector  # nothing half-done
    assert Account.objects.get(pk=foreign.id).assigned_to == other_collector


def test_a_collector_cannot_reassign(acme, collector, desk):
    a1 = account(acme, None)
    assert desk.post("/desk/team/reassign/", {"accounts": [a1.id], "to": collector.id}).status_code == 403
    assert Account.objects.get(pk=a1.id).assigned_to is None


def talked_yesterday(acct) -> None:
    event_record(debtor=acct.debtor, type="conversation", occurred_at=timezone.now() - dt.timedelta(days=1),
                 channel="call", direction="outbound", target=acct.debtor.phones.first().number,
                 account_ids=[acct.id])


def test_each_row_says_whether_a_call_is_allowed_now_and_else_the_next_local_time(acme, collector, desk):
    free = account(acme, collector, score=0.9)
    quiet = account(acme, collector, score=0.8)
    talked_yesterday(quiet)
    body = desk.get("/desk/").content.decode()
    rows = {int(i): html for i, html in re.findall(r'data-account="(\d+)">(.*?)</tr>', body, re.S)}
    assert "Callable now" in rows[free.id]
    next_local = (timezone.now() + dt.timedelta(days=6)).astimezone(CHICAGO)
    assert "Opens " + next_local.strftime("%a 8:00 AM") in rows[quiet.id]  # within the week: the weekday
    assert "CST" in rows[quiet.id] or "CDT" in rows[quiet.id]
    assert "7 days" in rows[quiet.id] or "conversation" in rows[quiet.id]  # the reason, on hover


def test_the_eligibility_filter_keeps_callable_or_blocked_rows(acme, collector, desk):
    free = account(acme, collector, score=0.9)
    quiet = account(acme, collector, score=0.8)
    talked_yesterday(quiet)
    assert queue_ids(desk.get("/desk/", {"eligibility": "allowed"})) == [free.id]
    assert queue_ids(desk.get("/desk/", {"eligibility": "blocked"})) == [quiet.id]


def test_next_account_skips_accounts_that_may_not_be_called_now(acme, collector, desk):
    quiet = account(acme, collector, score=0.9)
    talked_yesterday(quiet)
    free = account(acme, collector, score=0.5)
    assert desk.get("/desk/next/")["Location"] == f"/desk/accounts/{free.id}/"


def test_when_nobody_may_be_called_next_account_still_opens_the_top_one(acme, collector, desk, desk_clock):
    first = account(acme, collector, score=0.9)
    account(acme, collector, score=0.5)
    desk_clock.move_to(timezone.now().replace(hour=8))  # 02:00 in Chicago: nobody may be called
    assert desk.get("/desk/next/")["Location"] == f"/desk/accounts/{first.id}/"


def test_the_segment_filter_lists_each_segment_once(acme, collector, desk):
    for segment in ("high-fresh", "high-fresh", "low-aged", "low-aged", "low-aged"):
        AccountFactory(debtor=DebtorFactory(client=acme), assigned_to=collector, segment=segment)
    body = desk.get("/desk/").content.decode()
    assert body.count('<option value="high-fresh"') == 1 and body.count('<option value="low-aged"') == 1


def test_a_promise_due_today_leads_the_queue_before_callbacks(acme, collector, desk):
    callback = account(acme, collector, score=0.9)
    Task.objects.create(debtor=callback.debtor, account=callback, kind=TaskKind.CALLBACK, title="Call back",
                        due_at=timezone.now() - dt.timedelta(minutes=5), assigned_to=collector)
    promised = account(acme, collector, score=0.1)
    later = account(acme, collector, score=0.5)
    today = timezone.now().astimezone(dt.UTC).date()
    for acct, due in ((promised, today), (later, today + dt.timedelta(days=5))):
        PromiseFactory(account=acct, client=acct.client, debtor=acct.debtor, amount=50, due_date=due,
                       made_at=timezone.now() - dt.timedelta(days=3))
    response = desk.get("/desk/")
    assert queue_ids(response)[:3] == [promised.id, callback.id, later.id]
    body = response.content.decode()
    assert "Promise due today" in body and "1 promise due<" in body and "1 callback due<" in body
