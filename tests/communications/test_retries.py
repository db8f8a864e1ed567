"""Transport errors against a real SMTP server: transient ones retry with backoff, permanent ones fail
for good (the dead letters), and neither is ever handed over twice."""

import datetime as dt
import email
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.mail.message import sanitize_address

from communications import delivery
from communications.channels import email as email_channel
from communications.channels.email import envelope_address, message_id_for
from communications.constants import MAX_TRANSIENT_ATTEMPTS, RETRY_BASE_SECONDS, MessageStatus
from communications.models import Message
from communications.services import message_request
from tests.communications.conftest import reachable_account

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Refusing:
    """Answers RCPT TO with a fixed code per address; takes everything else."""

    def __init__(self, codes: dict[str, str]) -> None:
        self.codes = codes
        self.accepted: list[str] = []
        self.envelopes: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        if address in self.codes:
            return self.codes[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.accepted.extend(envelope.rcpt_tos)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    handler = Refusing({"busy@example.com": "451 4.3.0 try again later",
                        "gone@example.com": "550 5.1.1 no such user"})
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


def queued(acme, address):
    account = reachable_account(acme, email=address)
    return message_request(account=account, channel="email", template_code="payment_reminder", enqueue=False)


def test_a_transient_refusal_retries_with_growing_backoff_then_fails(acme, daytime, smtp):
    message = queued(acme, "busy@example.com")
    waits = []
    for attempt in range(1, MAX_TRANSIENT_ATTEMPTS + 1):
        report = delivery.deliver([message.pk])
        message.refresh_from_db()
        assert message.attempts == attempt and "SMTP 451" in message.error
        if attempt < MAX_TRANSIENT_ATTEMPTS:
            assert report.retrying == [message.pk] and message.status == MessageStatus.SCHEDULED
            waits.append((message.scheduled_for - message.updated_at).total_seconds())
            Message.objects.filter(pk=message.pk).update(status=MessageStatus.QUEUED)  # what the sweep's release does
    assert waits == [RETRY_BASE_SECONDS * 2 ** n for n in range(1, MAX_TRANSIENT_ATTEMPTS)]
    assert report.failed == [message.pk] and message.status == MessageStatus.FAILED
    assert smtp.accepted == []


def test_a_permanent_refusal_is_a_dead_letter_at_once_and_the_rest_of_the_batch_goes_out(acme, daytime, smtp):
    gone, fine = queued(acme, "gone@example.com"), queued(acme, "fine@example.com")
    report = delivery.deliver([gone.pk, fine.pk])
    assert report.failed == [gone.pk] and report.sent == [fine.pk]
    gone.refresh_from_db()
    assert gone.status == MessageStatus.FAILED and gone.error.startswith("permanent:") and gone.attempts == 1
    assert gone.failed_at is not None and gone.failed_at - gone.sending_at < dt.timedelta(minutes=1)
    assert smtp.accepted == ["fine@example.com"]
    assert delivery.deliver([gone.pk, fine.pk]).skipped == [gone.pk, fine.pk]  # never handed over again
    assert smtp.accepted == ["fine@example.com"]


def test_the_smtp_session_gets_the_envelope_and_message_djangos_backend_would_send(acme, daytime, smtp):
    message = queued(acme, "fine@example.com")
    assert delivery.deliver([message.pk]).sent == [message.pk]
    [(sender, recipients, data)] = smtp.envelopes
    assert sender == "noreply@collections.example" and recipients == ["fine@example.com"]
    parsed = email.message_from_bytes(data)
    assert parsed["Message-ID"] == message_id_for(message) and parsed["To"] == "fine@example.com"
    assert parsed["Subject"] == message.subject and parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = (part.get_payload(decode=True).decode() for part in parsed.get_payload())
    assert text.replace("\r\n", "\n").strip() == message.text and "This is an attempt to collect a debt" in text
    assert "unsubscribe" in html


def test_a_message_that_cannot_be_built_fails_without_being_handed_over(acme, daytime, smtp, monkeypatch):
    broken, fine = queued(acme, "broken@example.com"), queued(acme, "fine@example.com")
    build = email_channel.email_for

    def failing(message, connection=None):  # type: ignore[no-untyped-def]
        if message.target == "broken@example.com":
            raise ValueError("cannot encode")
        return build(message, connection)

    monkeypatch.setattr(email_channel, "email_for", failing)
    report = delivery.deliver([broken.pk, fine.pk])
    assert report.failed == [broken.pk] and report.sent == [fine.pk]
    broken.refresh_from_db()
    assert broken.status == MessageStatus.FAILED and broken.error == "permanent: cannot build the message: ValueError"
    assert smtp.accepted == ["fine@example.com"]


@pytest.mark.parametrize("address", ["jane@example.com", "J.Doe+tag@Mail.Example.co.uk", "o'brien@example.org",
                                     "x_1-2@sub-domain.example"])
def test_a_plain_address_goes_on_the_envelope_as_django_would_put_it(address):
    assert envelope_address(address) == sanitize_address(address, "utf-8") == address


@pytest.mark.parametrize("address", ["Jane Doe <jane@example.com>", "jane@bücher.example", "jané@example.com"])
def test_any_other_address_goes_through_djangos_sanitizer(address):
    assert envelope_address(address) == sanitize_address(address, "utf-8")


def test_an_address_with_a_line_break_is_refused():
    with pytest.raises(ValueError):
        envelope_address("jane@example.com\nBcc: x@example.com")


def test_the_hand_over_journal_is_dropped_after_the_record_and_kept_if_the_record_fails(acme, daytime, smtp,
                                                                                       monkeypatch):
    recorded, failing = queued(acme, "fine@example.com"), queued(acme, "other@example.com")
    journal = delivery.journal()
    assert delivery.deliver([recorded.pk]).sent == [recorded.pk]
    recorded.refresh_from_db()
    assert not journal.exists(delivery._journal_key(recorded.claim))

    def broken(outcomes, report):  # type: ignore[no-untyped-def]
        raise RuntimeError("database gone")

    monkeypatch.setattr(delivery, "_record", broken)
    with pytest.raises(RuntimeError):
        delivery.deliver([failing.pk])
    failing.refresh_from_db()
    key = delivery._journal_key(failing.claim)
    try:
        # Handed over but not recorded: the reaper will find it in the journal and never send it again.
        assert failing.status == MessageStatus.SENDING and smtp.accepted == ["fine@example.com", "other@example.com"]
        assert journal.smembers(key) == {delivery.SENTINEL.encode(), str(failing.pk).encode()}
        assert journal.connection_pool._in_use_connections == set()  # the batch's connection went back
    finally:
        journal.delete(key)
