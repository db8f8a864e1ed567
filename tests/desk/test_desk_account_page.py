"""The account page: what it shows, who may see it, and that it costs a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collections_app.services.events import event_record
from tests.desk.conftest import CHICAGO, signed_in
from tests.factories import AccountFactory, CaseEventFactory, DebtorFactory, EmailFactory, PhoneFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_debtor_contact_points_with_local_time_and_itemized_accounts(desk, jane, jane_account):
    PhoneFactory(debtor=jane, number="+18085550123", kind="home")  # Honolulu
    body = desk.get(f"/desk/accounts/{jane_account.id}/").content.decode()
    assert "Jane Doe" in body
    assert "+13125550101" in body and "jane@example.com" in body and "1 Main St, Chicago, IL 60601" in body
    assert "CST" in body or "CDT" in body
    assert "HST" in body  # the Hawaii number's own zone
    assert "J-1" in body and "J-2" in body
    assert "900.00" in body and "80.00" in body and "20.00" in body and "$1,000.00" in body
    assert "Total owed <strong class=\"money\">$1,250.00" in body
    assert "SMS consent" in body


def test_another_clients_account_is_a_404(jane_account, other_collector):
    assert signed_in(other_collector).get(f"/desk/accounts/{jane_account.id}/").status_code == 404
    assert signed_in(other_collector).get(f"/desk/accounts/{jane_account.id}/act/call/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, jane_account):
    response = client.get(f"/desk/accounts/{jane_account.id}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_timeline_lists_facts_newest_first_and_filters_by_group(desk, jane, jane_account, collector):
    now = timezone.now()
    event_record(debtor=jane, type="call_attempt", occurred_at=now - dt.timedelta(hours=2), channel="call",
                 direction="outbound", target="+13125550101", outcome="no_answer", account_ids=[jane_account.id])
    event_record(debtor=jane, type="dispute_received", occurred_at=now - dt.timedelta(hours=1), written=True,
                 data={"portion": "partial", "amount": "35"}, account_ids=[jane_account.id])
    body = desk.get(f"/desk/accounts/{jane_account.id}/").content.decode()
    assert body.index("Dispute received") < body.index("Call attempt")
    assert "Partial debt · $35.00" in body
    fragment = desk.get(f"/desk/accounts/{jane_account.id}/", {"group": "contacts"},
                        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline").content.decode()
    assert fragment.lstrip().startswith('<section class="card" id="timeline"')
    assert "Call attempt" in fragment and "Dispute received" not in fragment
    notices = desk.get(f"/desk/accounts/{jane_account.id}/", {"group": "notices"}).content.decode()
    assert "Dispute received" in notices.split('id="timeline"')[1]


def test_times_on_the_page_are_the_debtors_local_time_and_say_their_zone(desk, jane, jane_account):
    at = dt.datetime(2026, 1, 15, 23, 30, tzinfo=dt.UTC)  # 5:30 PM in Chicago, winter time
    event_record(debtor=jane, type="call_attempt", occurred_at=at, channel="call", direction="outbound",
                 target="+13125550101", outcome="no_answer", account_ids=[jane_account.id])
    body = desk.get(f"/desk/accounts/{jane_account.id}/").content.decode()
    timeline = body.split('id="timeline"')[1]
    assert "Jan 15, 2026" in timeline and "5:30 PM CST" in timeline
    assert "23:30" not in timeline.replace('title="2026-01-15 23:30 UTC"', "")  # UTC only on hover
    header_zone = timezone.now().astimezone(CHICAGO).strftime("%Z")
    panel = body.split('id="compliance-panel"')[1].split("</section>")[0]
    assert f"checked {timezone.now().astimezone(CHICAGO):%-I:}" in panel and header_zone in panel
    assert "Their time" in body and f"<small>{header_zone}</small>" in body


def test_the_timeline_can_show_one_account(desk, jane, jane_account):
    other = jane.accounts.get(reference="J-2")
    event_record(debtor=jane, type="call_attempt", occurred_at=timezone.now(), channel="call",
                 direction="outbound", target="+13125550101", outcome="busy", account_ids=[other.id])
    body = desk.get(f"/desk/accounts/{jane_account.id}/", {"account": jane_account.id}).content.decode()
    assert "Busy" not in body.split('id="timeline"')[1]
    body = desk.get(f"/desk/accounts/{jane_account.id}/", {"account": other.id}).content.decode()
    assert "Busy" in body.split('id="timeline"')[1] and "Account J-2 only" in body
    stranger = AccountFactory(debtor=DebtorFactory(client=jane.client))  # not this debtor's: no filter at all
    body = desk.get(f"/desk/accounts/{jane_account.id}/", {"account": stranger.id}).content.decode()
    assert "Busy" in body.split('id="timeline"')[1] and " only" not in body.split('id="timeline"')[1][:3000]


def test_the_page_costs_the_same_queries_however_much_history(desk, acme, collector):
    def build(n: int):
        debtor = DebtorFactory(client=acme)
        for _ in range(n):
            PhoneFactory(debtor=debtor)
            EmailFactory(debtor=debtor)
            AccountFactory(debtor=debtor, assigned_to=collector)
        for _ in range(n * 10):
            CaseEventFactory(debtor=debtor, type="note_added", outcome="", data={})
        return debtor.accounts.first()

    def count(account) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert desk.get(f"/desk/accounts/{account.id}/").status_code == 200
        return len(ctx.captured_queries)

    assert count(build(1)) == count(build(6))


def test_the_page_stays_within_its_query_budget(desk, jane_account, django_assert_max_num_queries):
    with django_assert_max_num_queries(18):  # the gate reads the debtor's facts once for all 4 channels: 6 of them
        assert desk.get(f"/desk/accounts/{jane_account.id}/").status_code == 200


def test_a_compliance_officer_reads_but_has_no_actions(jane_account, compliance_officer):
    officer = signed_in(compliance_officer)
    body = officer.get(f"/desk/accounts/{jane_account.id}/").content.decode()
    assert "Jane Doe" in body and "Work this account" not in body
    response = officer.post(f"/desk/accounts/{jane_account.id}/act/note/", {"body": "hi"})
    assert response.status_code == 403


def test_the_timeline_shows_the_placement_each_account_keeps_on_its_row(desk, jane, jane_account, collector):
    """An account holds its placement (placed_at, opening balance, and the job when imported): the
    timeline shows it under "All" and "Placement & status", for that account only when one account
    is chosen."""
    from collections_app.models import ImportJob

    job = ImportJob.objects.create(client=jane.client, filename="week1.csv", created_by=collector)
    jane.accounts.filter(id=jane_account.id).update(placed_by_import=job)

    def timeline(**params) -> str:
        body = desk.get(f"/desk/accounts/{jane_account.id}/", params).content.decode()
        return body.split('id="timeline"')[1]

    assert timeline().count('data-type="placement"') == 2  # jane's two accounts
    assert f"by {collector.username}" in timeline(group="account")
    assert 'data-type="placement"' not in timeline(group="contacts")
    other = jane.accounts.get(reference="J-2")  # placed through the API: no job, no one named
    assert timeline(account=other.id).count('data-type="placement"') == 1
    assert f"by {collector.username}" not in timeline(account=other.id)
    assert timeline(account=jane_account.id).count('data-type="placement"') == 1
    assert f"by {collector.username}" in timeline(account=jane_account.id)
