"""What comes back: signed Twilio webhooks, STOP/HELP, unsubscribe links, bounces, replies."""

import pytest
from django.core import mail
from twilio.request_validator import RequestValidator

from communications import delivery
from communications.constants import MessageStatus
from communications.models import Message
from communications.rendering import unsubscribe_token
from communications.services import message_request
from tests.communications.conftest import deliver_queued

pytestmark = pytest.mark.django_db
TOKEN = "test-twilio-auth-token"
BASE = "http://collections.test"


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.PUBLIC_BASE_URL = BASE
    settings.INBOUND_EMAIL_SECRET = "s3cret"


def twilio_post(client, path, params, *, token=TOKEN):
    signature = RequestValidator(token).compute_signature(f"{BASE}{path}", params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_an_unsigned_or_forged_webhook_is_refused_and_records_nothing(client, account):
    params = {"From": "+13125550101", "Body": "STOP"}
    assert client.post("/communications/twilio/inbound/", params).status_code == 403
    assert twilio_post(client, "/communications/twilio/inbound/", params, token="wrong").status_code == 403
    assert not account.debtor.events.filter(type__in=["inbound_sms", "medium_opt_out"]).exists()


def test_stop_opts_the_number_out_and_sends_the_one_confirmation(client, account, sms_outbox):
    response = twilio_post(client, "/communications/twilio/inbound/", {"From": "+13125550101", "Body": " Stop "})
    deliver_queued()
    assert response.status_code == 200 and b"<Response>" in response.content
    opt_out = account.debtor.events.get(type="medium_opt_out")
    assert opt_out.data == {"channel": "sms", "target": "+13125550101"}
    assert account.debtor.events.filter(type="inbound_sms").count() == 1
    confirmation = Message.objects.get(template__code="opt_out_confirmation")
    assert confirmation.status == MessageStatus.SENT
    assert sms_outbox[-1]["to"] == "+13125550101" and "no more texts" in sms_outbox[-1]["body"]


def test_help_gets_the_help_reply_and_a_reply_lands_on_the_timeline(client, account, sms_outbox):
    twilio_post(client, "/communications/twilio/inbound/", {"From": "+13125550101", "Body": "HELP"})
    deliver_queued()
    assert "help" in sms_outbox[-1]["body"].lower()
    twilio_post(client, "/communications/twilio/inbound/", {"From": "+13125550101", "Body": "I can pay Friday"})
    assert account.debtor.events.filter(type="inbound_sms").count() == 2
    assert not account.debtor.events.filter(type="medium_opt_out").exists()


def test_a_delivery_status_callback_marks_the_text_delivered(client, account, sms_outbox):
    message = message_request(account=account, channel="sms", template_code="payment_reminder")
    deliver_queued()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    twilio_post(client, "/communications/twilio/status/", {"MessageSid": message.provider_id,
                                                           "MessageStatus": "delivered"})
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_the_twilio_adapter_maps_provider_errors_to_transient_or_permanent(settings):
    from twilio.base.exceptions import TwilioRestException

    from communications.channels import PermanentError, TransientError
    from communications.channels.sms import TwilioSmsBackend

    class FakeMessages:
        def __init__(self, status):
            self.status = status

        def create(self, **kwargs):
            if self.status == 201:
                return type("M", (), {"sid": "SM123"})()
            raise TwilioRestException(self.status, "https://api.twilio.com/x", code=21211)

    def backend(status):
        return TwilioSmsBackend(client=type("C", (), {"messages": FakeMessages(status)})())

    assert backend(201).send(to="+13125550101", body="hi") == "SM123"
    with pytest.raises(TransientError):
        backend(503).send(to="+13125550101", body="hi")
    with pytest.raises(PermanentError):
        backend(400).send(to="+13125550101", body="hi")


def test_an_unsubscribe_link_asks_first_then_opts_the_address_out(client, account):
    message = message_request(account=account, channel="email", template_code="payment_reminder")
    deliver_queued()
    url = f"/communications/unsubscribe/{unsubscribe_token(message.key)}/"
    assert url in mail.outbox[0].body
    page = client.get(url)
    assert page.status_code == 200 and b"Stop emails" in page.content
    assert not account.debtor.events.filter(type="medium_opt_out").exists()
    assert client.post(url).status_code == 200
    event = account.debtor.events.get(type="medium_opt_out")
    assert event.data["channel"] == "email" and event.target == "jane@example.com"
    assert client.post(url).status_code == 200  # idempotent
    assert account.debtor.events.filter(type="medium_opt_out").count() == 1
    assert client.get("/communications/unsubscribe/forged-token/").status_code == 404


def test_a_bounce_fails_the_message_and_records_undeliverable(client, account):
    message = message_request(account=account, channel="email", template_code="payment_reminder")
    deliver_queued()
    message.refresh_from_db()
    body = {"from": "mailer-daemon@example.com", "subject": "Undelivered", "bounce": True,
            "references": f"<msg-{message.pk}@collections.example>"}
    assert client.post("/communications/inbound/email/", body, content_type="application/json").status_code == 403
    response = client.post("/communications/inbound/email/", body, content_type="application/json",
                           HTTP_X_INBOUND_SECRET="s3cret")
    assert response.json() == {"result": "bounce"}
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    event = account.debtor.events.get(type="undeliverable_notice_received")
    assert event.data == {"item_event": message.event_id}


def test_an_email_reply_lands_on_the_timeline(client, account):
    message = message_request(account=account, channel="email", template_code="payment_reminder")
    response = client.post("/communications/inbound/email/", {
        "from": "jane@example.com", "subject": "Re: your account", "in_reply_to": f"<msg-{message.pk}@x>",
    }, content_type="application/json", HTTP_X_INBOUND_SECRET="s3cret")
    assert response.json() == {"result": "reply"}
    event = account.debtor.events.get(type="inbound_email")
    assert event.account_ids == [account.id] and event.target == "jane@example.com"


def test_a_returned_letter_through_the_api(api, account, media):
    message = message_request(account=account, channel="letter", template_code="payment_reminder")
    deliver_queued()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    response = api.post(f"/api/v1/messages/{message.pk}/undeliverable/", {"reason": "moved"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "failed"
    assert account.debtor.events.filter(type="undeliverable_notice_received").count() == 1
    assert delivery.deliver([message.pk]).skipped == [message.pk]


def test_an_inbound_address_is_found_through_an_index_whatever_its_case():
    """The reply lookup (``address__iexact``) is ``UPPER(address) = UPPER(…)``: an index must serve it."""
    from django.db import connection

    from collections_app.models import Email

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Email.objects.filter(address__iexact="Jane@Example.COM").explain()
    assert "email_address_upper" in plan
