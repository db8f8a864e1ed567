"""The contract's Messages section: one outbound path, checked twice, sent at most once."""

import pytest
from django.core import mail

from communications import delivery
from communications.constants import MessageStatus
from communications.models import Message
from communications.services import message_request
from tests.communications.conftest import deliver_queued
from tests.factories import CaseEventFactory

pytestmark = pytest.mark.django_db


def post_message(api, account, **body):
    return api.post("/api/v1/messages/", {"account": account.id, "channel": "email", "target": "jane@example.com",
                                          "template": "payment_reminder", **body}, format="json")


def test_a_posted_message_is_queued_with_the_gates_decision(api, account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_message(api, account)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued"
    assert body["decision"]["allowed"] is True
    assert set(body["decision"]) >= {"allowed", "reasons", "next_allowed_at", "timezones", "decision"}
    assert body["scheduled_for"] is None
    assert len(callbacks) == 1  # delivery enqueued only after the commit
    assert api.get(f"/api/v1/messages/{body['id']}/").json()["status"] == "queued"


def test_delivery_sends_the_rendered_template_once_with_its_disclosures(api, account):
    message_id = post_message(api, account).json()["id"]
    report = delivery.deliver([message_id])
    assert report.sent == [message_id]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["jane@example.com"]
    assert "This is an attempt to collect a debt and any information obtained will be used for that purpose" \
        in email.body
    assert "from a debt collector" in email.body
    assert "/communications/unsubscribe/" in email.body and "opt out" in email.body.lower()
    assert "$1000.00" in email.body
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    message = Message.objects.get(pk=message_id)
    assert message.status == MessageStatus.SENT
    assert message.account.debtor.events.filter(type="email_sent", target="jane@example.com").count() == 1
    # A retried or duplicated task finds nothing to do.
    again = delivery.deliver([message_id])
    assert again.skipped == [message_id] and len(mail.outbox) == 1


def test_a_blocked_message_is_stored_with_reasons_and_never_sent(api, account):
    CaseEventFactory(debtor=account.debtor, type="cease_notice_received", channel="letter", outcome="",
                     direction="inbound", written=True)
    response = post_message(api, account)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "blocked"
    assert body["decision"]["allowed"] is False
    assert any(r["rule"] == "REGF-1006.6c-cease" for r in body["decision"]["reasons"])
    delivery.deliver([body["id"]])
    assert mail.outbox == []


def test_a_cease_notice_between_queueing_and_delivery_stops_the_message(api, account):
    message_id = post_message(api, account).json()["id"]
    CaseEventFactory(debtor=account.debtor, type="cease_notice_received", channel="letter", outcome="",
                     direction="inbound", written=True)
    report = delivery.deliver([message_id])
    assert report.blocked == [message_id]
    assert mail.outbox == []
    message = Message.objects.get(pk=message_id)
    assert message.status == MessageStatus.BLOCKED
    assert len(message.decisions) in (0, 2)  # both decisions stored (the stand-in gate stores none)


def test_a_one_off_text_is_checked_and_sent_as_written(api, account, sms_outbox):
    text = ("Please call us about your account. This communication is from a debt collector. This is an attempt to "
            "collect a debt and any information obtained will be used for that purpose. Reply STOP to opt out.")
    response = api.post("/api/v1/messages/", {"account": account.id, "channel": "sms", "target": "+1 312 555 0101",
                                              "text": text}, format="json")
    assert response.status_code == 201, response.content
    delivery.deliver([response.json()["id"]])
    assert sms_outbox == [{"sid": "mem-1", "to": "+13125550101", "body": text}]
    assert account.debtor.events.filter(type="sms_sent").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"template": "no_such_template"}, "template"),
        ({"target": "someone.else@example.com"}, "target"),
        ({"template": None, "text": ""}, "template"),
    ],
)
def test_bad_input_is_a_400_that_writes_nothing(api, account, body, field):
    payload = {"account": account.id, "channel": "email", "target": "jane@example.com",
               "template": "payment_reminder", **body}
    payload = {k: v for k, v in payload.items() if v is not None}
    response = api.post("/api/v1/messages/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Message.objects.exists()


def test_other_clients_accounts_and_messages_are_404(api, other_api, account):
    assert post_message(other_api, account).status_code == 404
    message_id = post_message(api, account).json()["id"]
    assert other_api.get(f"/api/v1/messages/{message_id}/").status_code == 404


def test_the_same_idempotency_key_returns_the_first_message(api, account):
    first = post_message(api, account, idempotency_key="k-1").json()
    second = post_message(api, account, idempotency_key="k-1").json()
    assert first["id"] == second["id"] and Message.objects.count() == 1


def test_at_night_a_client_that_defers_gets_a_scheduled_message_and_others_a_blocked_one(acme, globex):
    import datetime as dt

    import time_machine

    from communications import cadence
    from tests.communications.conftest import reachable_account

    night = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)  # 03:00 in Chicago
    globex.defer_blocked_messages = True
    globex.save()
    with time_machine.travel(night, tick=False):
        deferring = reachable_account(globex, email="night@example.com", phone="+13125550141")
        strict = reachable_account(acme, email="strict@example.com", phone="+13125550142")
        scheduled = message_request(account=deferring, channel="email", template_code="payment_reminder")
        blocked = message_request(account=strict, channel="email", template_code="payment_reminder")
    assert blocked.status == MessageStatus.BLOCKED
    assert scheduled.status == MessageStatus.SCHEDULED
    assert scheduled.scheduled_for == dt.datetime(2026, 3, 10, 13, 0, tzinfo=dt.UTC)  # 08:00 in Chicago
    assert "REGF-1006.6b1i-inconvenient-time" in {r["rule"] for r in scheduled.decision["reasons"]}
    # The sweep releases it at the allowed instant; the worker checks again and sends it.
    with time_machine.travel(scheduled.scheduled_for + dt.timedelta(minutes=1), tick=False):
        assert cadence.messages_release_due(scheduled.scheduled_for + dt.timedelta(minutes=1)) == 1
        deliver_queued()
    scheduled.refresh_from_db()
    assert scheduled.status == MessageStatus.SENT
    assert [m.to for m in mail.outbox] == [["night@example.com"]]


def test_a_batch_sends_one_message_per_debtor_so_each_check_sees_the_send_before_it(account, sms_outbox,
                                                                                   django_capture_on_commit_callbacks):
    text = message_request(account=account, channel="sms", template_code="payment_reminder", enqueue=False)
    email = message_request(account=account, channel="email", template_code="payment_reminder", enqueue=False)
    with django_capture_on_commit_callbacks() as later:
        report = delivery.deliver([text.pk, email.pk])
    assert report.sent == [text.pk] and report.skipped == [email.pk]
    assert len(later) == 1  # the email goes in a later batch
    assert Message.objects.get(pk=email.pk).status == MessageStatus.QUEUED
    assert delivery.deliver([email.pk]).sent == [email.pk]
    assert len(sms_outbox) == 1 and len(mail.outbox) == 1


def test_a_batch_is_queued_with_a_fixed_number_of_statements_and_enqueued_on_commit(
        acme, daytime, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    from communications.constants import DELIVERY_BATCH_SIZE
    from communications.services import MessageSpec, messages_request
    from tests.communications.conftest import reachable_account

    accounts = [reachable_account(acme, email=f"b{i}@example.com", phone=f"+1312555{i:04d}")
                for i in range(DELIVERY_BATCH_SIZE + 5)]
    specs = [MessageSpec(account=a, channel="email", template_code="payment_reminder") for a in accounts]
    # Contact points, template, debtors' facts, decisions + events, outbox rows (in a savepoint); no UPDATE.
    with django_assert_max_num_queries(7) as queries, django_capture_on_commit_callbacks() as callbacks:
        messages = messages_request(specs, source="cadence")
    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)
    assert all(isinstance(m, Message) and m.status == MessageStatus.QUEUED and m.enqueued_at for m in messages)
    assert len(callbacks) == 2  # DELIVERY_BATCH_SIZE ids a task
    assert Message.objects.filter(enqueued_at__isnull=False).count() == len(accounts)


def test_delivering_a_batch_takes_the_same_statements_whatever_its_size(acme, daytime):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.communications.conftest import reachable_account

    def batch(size: int, first: int) -> list[int]:
        return [message_request(account=reachable_account(acme, email=f"s{first + i}@example.com",
                                                          phone=f"+1312555{first + i:04d}"),
                                channel="email", template_code="payment_reminder", enqueue=False).pk
                for i in range(size)]

    small, large = batch(2, 0), batch(12, 100)
    counts = []
    for ids in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert delivery.deliver(ids).sent == ids
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(mail.outbox) == 14
