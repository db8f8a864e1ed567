"""The whole outbound path with real parts: PostgreSQL, Redis, a Celery worker subprocess and an
aiosmtpd SMTP server. The worker uses the same test database, so these tests commit their rows."""

import asyncio
import datetime as dt
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from collections_app.services.events import event_record
from communications import cadence
from communications.constants import STUCK_SENDING_MINUTES, MessageStatus
from communications.models import Message, Strategy, StrategyStep, StrategyVariant
from communications.services import message_request
from tests.factories import AccountFactory, ClientFactory, DebtorFactory, EmailFactory

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
ZONES = ("Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver", "America/Chicago",
         "America/New_York", "America/Halifax", "America/Sao_Paulo", "Atlantic/Azores", "Europe/London",
         "Europe/Berlin", "Europe/Athens", "Europe/Moscow", "Asia/Dubai", "Asia/Karachi", "Asia/Dhaka",
         "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Australia/Brisbane", "Pacific/Noumea", "Pacific/Auckland")


def awake_zone() -> str:
    """A zone where it is mid-day now, so the gate's time-of-day rule allows email while the test runs."""
    now = timezone.now()
    return next(z for z in ZONES if 10 <= now.astimezone(ZoneInfo(z)).hour < 18)


class Sink:
    """aiosmtpd handler: remembers every recipient of every message, optionally slowly."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.delay:
            await asyncio.sleep(self.delay)
        parsed = email.message_from_bytes(envelope.content)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, parsed.get_payload(0).get_payload(decode=True).decode()
                                      if parsed.is_multipart() else parsed.get_payload()))
        return "250 OK"

    def recipients(self) -> list[str]:
        with self.lock:
            return [rcpt for rcpt, _ in self.received]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log, self.proc = env, log, None

    def start(self) -> None:
        self.log.write_text("")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "collections_app", "worker", "-Q", "sends,celery", "-c", "1",
             "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat", "-n",
             f"pipeline-{os.getpid()}@%h", f"--logfile={self.log}"],
            cwd=ROOT, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 40
        while "ready." not in self.log.read_text():
            assert self.proc.poll() is None, f"the worker exited: {self.log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL the worker and its children: no warm shutdown, no acknowledgement."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(smtp, tmp_path):
    """A Celery worker on the real Redis broker, pointed at this test database and the SMTP sink."""
    db = settings.DATABASES["default"]
    broker = settings.CELERY_BROKER_URL
    redis.Redis.from_url(broker).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp[1]}",
        "CELERY_BROKER_URL": broker,
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "DEBUG": "1",
        "CONN_MAX_AGE": "0",
    }
    worker = Worker(env, tmp_path / "worker.log")
    yield worker
    worker.stop()


def wait_until(check, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def debtor_with_email(client, zone: str, address: str, consent: bool = True, **account_fields):  # type: ignore[no-untyped-def]
    debtor = DebtorFactory(client=client, timezones=[zone])
    EmailFactory(debtor=debtor, address=address, consent=consent)
    event_record(debtor=debtor, type="location_stated", occurred_at=timezone.now() - dt.timedelta(days=1),
                 direction="inbound", channel="call", data={"timezone": zone})
    return AccountFactory(debtor=debtor, **account_fields)


def test_a_cadence_over_three_hundred_accounts_sends_exactly_what_the_gate_permits(worker, smtp):
    sink, _ = smtp
    zone, now = awake_zone(), timezone.now()
    client = ClientFactory(name="Pipeline Bank")
    strategy = Strategy.objects.create(name="Early", segments=["early"])
    champion = StrategyVariant.objects.create(strategy=strategy, name="champion", weight=100)
    StrategyStep.objects.create(variant=champion, order=1, day_offset=0, channel="email",
                                template_code="payment_reminder")
    expected, accounts = set(), []
    for i in range(300):
        address = f"p{i:03d}@example.com"
        segment = "late" if i % 10 == 9 else "early"  # 30 accounts no strategy takes
        consent = i % 10 != 7  # 30 addresses the consumer never gave us (no 1006.6(d)(4) procedure)
        account = debtor_with_email(client, zone, address, consent=consent, segment=segment,
                                    placed_at=now - dt.timedelta(hours=1))
        accounts.append(account)
        if i % 10 == 3:  # 30 consumers who sent a cease notice
            event_record(debtor=account.debtor, type="cease_notice_received", occurred_at=now, written=True,
                         direction="inbound", channel="letter")
        elif i % 10 == 5:  # 30 who opted out of email to that address
            event_record(debtor=account.debtor, type="medium_opt_out", occurred_at=now, direction="inbound",
                         channel="email", target=address, data={"channel": "email", "target": address})
        elif segment == "early" and consent:
            expected.add(address)
    worker.start()
    report = cadence.sweep()
    assert report.assigned == 270
    assert report.steps == {"queued": 180, "blocked": 90}
    wait_until(lambda: Message.objects.filter(status=MessageStatus.QUEUED).count() == 0 and
               len(sink.recipients()) >= len(expected))
    time.sleep(1)  # anything extra would arrive now
    received = sink.recipients()
    assert sorted(received) == sorted(expected)  # each exactly once
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 180
    blocked_rules = {r["rule"] for m in Message.objects.filter(status=MessageStatus.BLOCKED)
                     for r in m.decision["reasons"]}
    assert blocked_rules == {"REGF-1006.6c-cease", "REGF-1006.14h-medium-opt-out", "REGF-1006.6d4-email-procedures"}
    body = next(text for rcpt, text in sink.received if rcpt == "p000@example.com")
    assert "This is an attempt to collect a debt" in body and "unsubscribe" in body
    # The next sweep finds nothing new to send.
    assert cadence.sweep().steps == {}


def test_a_worker_killed_mid_batch_and_restarted_sends_nothing_twice(worker, smtp):
    sink, _ = smtp
    sink.delay = 0.15
    zone = awake_zone()
    client = ClientFactory(name="Crash Bank")
    with transaction.atomic():
        messages = [
            message_request(account=debtor_with_email(client, zone, f"k{i:02d}@example.com"), channel="email",
                            template_code="payment_reminder")
            for i in range(50)
        ]
    assert all(m.status == MessageStatus.QUEUED for m in messages)
    worker.start()
    # Kill it in the middle of a batch: rows claimed (`sending`) and some already handed over.
    wait_until(lambda: len(sink.recipients()) >= 3 and Message.objects.filter(status=MessageStatus.SENDING).exists())
    worker.kill()
    assert len(sink.recipients()) < 50
    worker.start()
    # Later, the sweep settles the dead worker's batch (the one message in flight → failed, outcome
    # unknown; the rest → queued) and re-enqueues queued rows whose task was lost.
    cadence.sweep(timezone.now() + dt.timedelta(minutes=STUCK_SENDING_MINUTES + 1))
    wait_until(lambda: not Message.objects.filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING])
               .exists(), seconds=90)
    time.sleep(2)
    received = sink.recipients()
    assert len(received) == len(set(received)), "a message was sent twice"
    statuses = dict(Message.objects.values_list("target", "status"))
    sent = {target for target, status in statuses.items() if status == MessageStatus.SENT}
    unknown = {target for target, status in statuses.items() if status == MessageStatus.FAILED}
    assert len(unknown) <= 1  # at most the one the worker was handing over when it died
    assert all(m.error.startswith("outcome unknown") for m in Message.objects.filter(status=MessageStatus.FAILED))
    assert sent <= set(received) <= sent | unknown
    assert len(sent) + len(unknown) == 50


def test_a_cease_notice_recorded_between_queueing_and_delivery_stops_the_message(worker, smtp):
    sink, _ = smtp
    account = debtor_with_email(ClientFactory(name="Cease Bank"), awake_zone(), "cease@example.com")
    message = message_request(account=account, channel="email", template_code="payment_reminder")
    assert message.status == MessageStatus.QUEUED  # allowed at queueing; its task waits in Redis
    event_record(debtor=account.debtor, type="cease_notice_received", occurred_at=timezone.now(), written=True,
                 direction="inbound", channel="letter")
    worker.start()
    wait_until(lambda: Message.objects.get(pk=message.pk).status != MessageStatus.QUEUED)
    message.refresh_from_db()
    assert message.status == MessageStatus.BLOCKED
    assert any(r["rule"] == "REGF-1006.6c-cease" for r in message.decision["reasons"])
    assert sink.recipients() == []
