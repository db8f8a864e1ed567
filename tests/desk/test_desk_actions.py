"""Actions on the account page: each goes through the domain service and refreshes only what changed."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collections_app.models import Account, CaseEvent, Note, Phone, Task
from collections_app.models.timeline import TaskKind, TaskStatus
from compliance.models import Decision
from tests.desk.conftest import signed_in

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "action-panel"}


def act(client, account, name, data=None):
    url = f"/desk/accounts/{account.id}/act/{name}/"
    if name == "call" and data is not None:
        data = {"dialed_at": timezone.now().isoformat(), **data}
    return client.post(url, data, **HX) if data is not None else client.get(url, **HX)


def test_each_action_form_loads_as_a_fragment(desk, jane_account):
    for name in ("call", "promise", "payment", "plan", "message", "note", "callback", "dispute", "cease", "attorney",
                 "escalate"):
        response = act(desk, jane_account, name)
        assert response.status_code == 200, name
        assert response.content.decode().lstrip().startswith('<form class="action-form'), name
    assert act(desk, jane_account, "teleport").status_code == 404


def test_the_call_form_posts_back_the_instant_it_was_opened_whatever_zone_it_was_rendered_in(desk, jane_account):
    form = act(desk, jane_account, "call").content.decode()  # rendered in Chicago time
    dialed_at = re.search(r'name="dialed_at" value="([^"]+)"', form).group(1)
    assert abs(dt.datetime.fromisoformat(dialed_at) - timezone.now()) < dt.timedelta(minutes=1)
    response = desk.post(f"/desk/accounts/{jane_account.id}/act/call/",
                         {"dialed_at": dialed_at, "phone": "+13125550101", "outcome": "no_answer"}, **HX)
    assert response.status_code == 200 and "Call logged: No answer." in response.content.decode()


def test_logging_a_right_party_contact_records_the_call_and_the_conversation(desk, jane_account, collector):
    response = act(desk, jane_account, "call", {"phone": "+13125550101", "outcome": "right_party_contact",
                                                "note": "Promised to pay Friday"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Call logged: Right-party contact." in body
    # Only the changed fragments come back, swapped out of band; a call changes no balance.
    for fragment in ("timeline", "compliance-panel", "contact-points", "tasks", "arrangements"):
        assert f'id="{fragment}"' in body
    assert 'id="debtor-accounts"' not in body and 'id="outbox"' not in body
    assert 'hx-swap-oob="true"' in body and "Work this account" not in body
    events = CaseEvent.objects.filter(debtor=jane_account.debtor).order_by("id")
    decision, call, conversation, note = events  # the gate's decision is on the timeline first
    assert decision.type == "compliance_decision" and decision.data["decision"] == call.data["decision"]
    assert (call.type, call.outcome, call.target, call.account_ids, call.created_by) == (
        "call_attempt", "right_party_contact", "+13125550101", [jane_account.id], collector)
    assert conversation.type == "conversation"
    dial = Decision.objects.get(pk=call.data["decision"])  # the gate's evidence for the dial
    assert dial.allowed and dial.actor == collector and dial.source == "desk" and dial.channel == "call"
    # The panel now says why calling again is blocked: a conversation starts a 7-day quiet period.
    panel = body.split('id="compliance-panel"')[1].split("</section>")[0]
    call_row = panel.split('data-channel="call"')[1].split('data-channel="sms"')[0]
    assert "Not now" in call_row and "Next allowed" in call_row
    assert note.type == "note_added" and Note.objects.get(pk=note.data["note"]).body == "Promised to pay Friday"


def test_a_call_the_gate_blocks_is_refused_and_nothing_is_logged(desk, jane_account, desk_clock):
    desk_clock.move_to(timezone.now().replace(hour=8, minute=0))  # 02:00 in Chicago
    response = act(desk, jane_account, "call", {"phone": "+13125550101", "outcome": "no_answer"})
    assert response.status_code == 400
    assert "not allowed when you dialled" in response.content.decode()
    # Nothing is logged but the refused dial's decision, which stays on record and on the timeline.
    assert list(CaseEvent.objects.filter(debtor=jane_account.debtor).values_list("type", flat=True)) == [
        "compliance_decision"]
    assert Decision.objects.get().allowed is False
    # ... and on the timeline, with its reasons (under "All" and "Gate refusals", not under "Notes").
    page = desk.get(f"/desk/accounts/{jane_account.id}/").content.decode().split('id="timeline"')[1]
    assert "Contact refused by the gate" in page and "REGF-1006.6b1i-inconvenient-time" in page
    assert page.count("Contact refused by the gate") == 1  # its compliance_decision event is not shown twice
    refusals = desk.get(f"/desk/accounts/{jane_account.id}/", {"group": "decisions"}).content.decode()
    assert "Contact refused by the gate" in refusals.split('id="timeline"')[1]
    notes = desk.get(f"/desk/accounts/{jane_account.id}/", {"group": "notes"}).content.decode()
    assert "Contact refused by the gate" not in notes.split('id="timeline"')[1]


def test_the_call_form_says_before_dialling_whether_each_number_may_be_called(desk, jane, jane_account, desk_clock):
    Phone.objects.create(debtor=jane, number="+13125550199", kind="work", status="wrong_number")  # not offered
    form = act(desk, jane_account, "call").content.decode()
    statuses = form.split('class="dial-statuses')[1].split("</ul>")[0]
    assert 'data-number="+13125550101"' in statuses and "Callable now" in statuses
    assert "+13125550199" not in statuses
    desk_clock.move_to(timezone.now().replace(hour=8, minute=0))  # 02:00 in Chicago
    statuses = act(desk, jane_account, "call").content.decode().split('class="dial-statuses')[1].split("</ul>")[0]
    assert "Not now" in statuses and "A call logged now is refused" in statuses
    assert "Next allowed: " in statuses and "8:00 AM CST" in statuses
    assert not Decision.objects.exists()  # looking is not contacting: nothing stored


def test_pages_are_read_outside_the_history_context_and_actions_are_audited_with_who(desk, jane_account, collector):
    with CaptureQueriesContext(connection) as reads:
        assert desk.get("/desk/").status_code == 200
        assert desk.get(f"/desk/accounts/{jane_account.id}/").status_code == 200
    assert reads.captured_queries and not any("pghistory" in q["sql"] for q in reads.captured_queries)
    assert act(desk, jane_account, "note", {"body": "Asked for a statement"}).status_code == 200
    history = Note.objects.get(debtor=jane_account.debtor).history.select_related("pgh_context").get()
    assert history.pgh_context.metadata["user"] == collector.id
    assert history.pgh_context.metadata["url"] == f"/desk/accounts/{jane_account.id}/act/note/"


def test_a_stale_call_form_is_refused(desk, jane_account):
    stale = (timezone.now() - dt.timedelta(hours=5)).isoformat()
    response = act(desk, jane_account, "call", {"phone": "+13125550101", "outcome": "no_answer",
                                                "dialed_at": stale})
    assert response.status_code == 400 and "too old" in response.content.decode()


def test_a_wrong_number_marks_the_phone_through_the_event_service(desk, jane_account):
    act(desk, jane_account, "call", {"phone": "+13125550101", "outcome": "wrong_number"})
    assert Phone.objects.get(number="+13125550101").status == "wrong_number"


def test_bad_input_is_a_400_with_the_form_and_changes_nothing(desk, jane_account):
    response = act(desk, jane_account, "call", {"phone": "+19999999999", "outcome": "right_party_contact"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = act(desk, jane_account, "dispute", {"portion": "partial", "channel": "letter"})
    assert response.status_code == 400 and "Say how much" in response.content.decode()
    response = act(desk, jane_account, "note", {"body": "   "})
    assert response.status_code == 400
    assert not CaseEvent.objects.filter(debtor=jane_account.debtor).exists()
    assert not Note.objects.exists()


def test_a_dispute_pauses_the_account(desk, jane_account):
    response = act(desk, jane_account, "dispute", {"portion": "entire", "channel": "letter", "written": "on"})
    assert response.status_code == 200 and "Dispute recorded" in response.content.decode()
    jane_account.refresh_from_db()
    assert jane_account.status == "disputed"
    event = CaseEvent.objects.get(type="dispute_received")
    assert event.written and event.data == {"portion": "entire"} and event.account_ids == [jane_account.id]
    assert "Disputed" in response.content.decode()  # the accounts card was refreshed


def test_cease_and_attorney_notices_cover_every_account_of_the_debtor(desk, jane_account):
    act(desk, jane_account, "cease", {"channel": "letter", "written": "on"})
    act(desk, jane_account, "attorney", {"attorney": "Kim Wexler", "contact": "+15055550199"})
    cease = CaseEvent.objects.get(type="cease_notice_received")
    attorney = CaseEvent.objects.get(type="attorney_representation_notice")
    assert cease.account_ids == [] and cease.written
    assert attorney.data == {"attorney": "Kim Wexler", "contact": "+15055550199"}


def test_a_callback_is_scheduled_in_the_debtors_time_and_later_leads_the_queue(desk, jane_account, collector):
    tomorrow = (timezone.now() + dt.timedelta(days=1)).date()
    response = act(desk, jane_account, "callback", {"due_date": tomorrow.isoformat(), "due_time": "18:00",
                                                    "zone": "America/Chicago", "title": "After work"})
    assert response.status_code == 200
    assert "Callback scheduled for" in response.content.decode()
    task = Task.objects.get(kind=TaskKind.CALLBACK)
    local = task.due_at.astimezone(ZoneInfo("America/Chicago"))
    assert (local.hour, task.assigned_to, task.title) == (18, collector, "After work")
    assert "After work" in response.content.decode()  # the tasks card was refreshed
    past = act(desk, jane_account, "callback", {"due_date": "2020-01-01", "due_time": "09:00",
                                                "zone": "America/Chicago"})
    assert past.status_code == 400 and "must be in the future" in past.content.decode()


def test_an_escalation_waits_for_a_supervisor_who_places_the_account(desk, jane_account, supervisor):
    response = act(desk, jane_account, "escalate", {"target": "legal", "reason": "Refuses to pay, has assets"})
    assert response.status_code == 200
    task = Task.objects.get(kind=TaskKind.ESCALATION)
    assert act(desk, jane_account, "escalate", {"target": "agency", "reason": "again"}).status_code == 400
    assert desk.get("/desk/approvals/").status_code == 403
    boss = signed_in(supervisor)
    assert "Refuses to pay" in boss.get("/desk/approvals/").content.decode()
    response = boss.post(f"/desk/approvals/{task.id}/", {"decision": "approve"}, follow=True)
    assert "Approved" in response.content.decode()
    jane_account.refresh_from_db()
    task.refresh_from_db()
    assert jane_account.status == "legal" and task.status == TaskStatus.DONE
    change = CaseEvent.objects.get(type="status_changed")
    assert change.data["from"] == "open" and change.data["to"] == "legal" and change.created_by == supervisor
    again = boss.post(f"/desk/approvals/{task.id}/", {"decision": "approve"}, follow=True)
    assert "already decided" in again.content.decode()


def test_a_declined_escalation_leaves_the_account_alone(desk, jane_account, supervisor):
    act(desk, jane_account, "escalate", {"target": "agency", "reason": "Skip"})
    task = Task.objects.get(kind=TaskKind.ESCALATION)
    signed_in(supervisor).post(f"/desk/approvals/{task.id}/", {"decision": "decline"})
    assert Account.objects.get(pk=jane_account.pk).status == "open"
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CANCELLED


def test_actions_on_another_clients_account_are_a_404_and_write_nothing(jane_account, other_collector):
    response = act(signed_in(other_collector), jane_account, "note", {"body": "sneaky"})
    assert response.status_code == 404
    assert not Note.objects.exists()


def test_a_note_appears_on_the_timeline(desk, jane_account):
    response = act(desk, jane_account, "note", {"body": "Prefers e-mail.\nWorks nights."})
    body = response.content.decode()
    assert "Note added." in body and "Prefers e-mail.<br>Works nights." in body


def test_a_logged_call_answers_the_callbacks_already_due(desk, jane_account, collector):
    due = Task.objects.create(debtor=jane_account.debtor, account=jane_account, kind=TaskKind.CALLBACK,
                              title="9am", due_at=timezone.now() - dt.timedelta(minutes=10), assigned_to=collector)
    later = Task.objects.create(debtor=jane_account.debtor, account=jane_account, kind=TaskKind.CALLBACK,
                                title="next week", due_at=timezone.now() + dt.timedelta(days=7),
                                assigned_to=collector)
    act(desk, jane_account, "call", {"phone": "+13125550101", "outcome": "no_answer"})
    assert Task.objects.get(pk=due.pk).status == TaskStatus.DONE
    assert Task.objects.get(pk=later.pk).status == TaskStatus.OPEN


def test_supervisors_see_why_their_teams_contacts_were_blocked(desk, jane_account, supervisor, desk_clock,
                                                               django_assert_max_num_queries):
    desk_clock.move_to(timezone.now().replace(hour=8, minute=0))  # 02:00 in Chicago
    act(desk, jane_account, "call", {"phone": "+13125550101", "outcome": "no_answer"})
    boss = signed_in(supervisor)
    with django_assert_max_num_queries(8):
        body = boss.get("/desk/blocked/").content.decode()
    assert "REGF-1006.6b1i-inconvenient-time" in body
    assert "Jane Doe" in body and "alice" in body
    assert desk.get("/desk/blocked/").status_code == 403


def test_the_blocked_contacts_page_has_an_empty_state(supervisor):
    assert "No blocked contacts" in signed_in(supervisor).get("/desk/blocked/").content.decode()
