"""Delivering queued messages in batches, each message at most once.

The protocol for one batch (a task carries up to ``DELIVERY_BATCH_SIZE`` ids):

1. CLAIM, one transaction: lock the batch's rows with ``SELECT … FOR UPDATE SKIP LOCKED`` where
   they are still ``queued`` (rows another worker holds, or no longer queued, are skipped). Ask the
   gate again for each, now. Refused → ``blocked`` (or ``scheduled`` when the client defers).
   Allowed → ``sending`` with this batch's claim token. COMMIT. From here no other task will touch
   these rows: only ``queued`` rows are ever claimed.
2. JOURNAL: the claim token's hand-over set is opened in Redis with a sentinel, and each message
   id is added to it before the transport is called for it: the ``SADD`` is sent, the message is
   built (``Transport.prepare``: MIME bytes, PDF) meanwhile, and Redis's reply is read before the
   hand-over (``Transport.send``). A message that cannot be built was never handed over.
3. SEND over one connection per channel. ``TransientError`` (provably not handed over) → retry
   with backoff; ``PermanentError`` → ``failed`` (dead letter); anything else → outcome unknown.
4. RECORD, one transaction per batch: ``sent`` + the timeline event (``email_sent``, …) for each
   message sent, ``failed``/``scheduled`` for the others.

A worker killed between 1 and 4 leaves its rows in ``sending``. The sweep's reaper
(``messages_recover_stuck``) settles them once the claim is old: ids in the hand-over set, or
every id if the sentinel is gone (Redis lost its data), become ``failed`` "outcome unknown" for a
person to review — never re-sent; ids provably not handed over go back to ``queued``. So a crash
can lose at most the one message in flight, and nothing is ever sent twice.

The gate is asked at queueing and again at claim time, a batch's send time (tens of
milliseconds) before the hand-over.
"""

import datetime as dt
import functools
import logging
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field

import redis
from django.db import connection, transaction
from django.utils import timezone

from collections_app.bulk import rows_update
from collections_app.models import Client
from collections_app.services.events import EventSpec, events_record
from communications.broker import broker_redis
from communications.channels import TRANSPORTS, PermanentError, TransientError, Transport
from communications.constants import (
    MAX_TRANSIENT_ATTEMPTS,
    RETRY_BASE_SECONDS,
    SENT_EVENT,
    STUCK_SENDING_MINUTES,
    MessageStatus,
    Purpose,
)
from communications.models import Message, MessageTemplate
from communications.services import decision_apply, gate_message, messages_enqueue
from compliance.services import CheckRequest, contact_check_many

log = logging.getLogger(__name__)
JOURNAL_TTL = 7 * 24 * 3600
SENTINEL = "claimed"
DEBTOR_LOCK_SPACE = 7101  # advisory-lock namespace of "a batch is sending to this debtor"
LATER_SECONDS = 2


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    blocked: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


@functools.cache
def journal() -> redis.Redis:
    """The hand-over journal (the broker's Redis), one connection pool per worker process."""
    return broker_redis(socket_timeout=5)


def _journal_key(claim: str) -> str:
    return f"communications:handover:{claim}"


class Handover:
    """One batch's hand-over set, on a connection of its own taken from the journal's pool.

    ``note`` sends an id's ``SADD`` without waiting; ``confirm`` reads the replies, and must return
    before the transport is called for that id. So the Redis round trip overlaps building the
    message instead of blocking the worker once more per message."""

    def __init__(self, claim: str) -> None:
        self.key, self.pending = _journal_key(claim), 0
        self.pool = journal().connection_pool
        self.conn = self.pool.get_connection()
        try:
            self._send("SADD", self.key, SENTINEL)
            self._send("EXPIRE", self.key, JOURNAL_TTL)
            self.confirm()
        except BaseException:
            self.release()
            raise

    def _send(self, *command: object) -> None:
        self.conn.send_command(*command)
        self.pending += 1

    def note(self, message_id: int) -> None:
        self._send("SADD", self.key, message_id)

    def confirm(self) -> None:
        while self.pending:
            self.conn.read_response()
            self.pending -= 1

    def drop(self) -> None:
        """The batch's outcomes are recorded: the set is no longer needed."""
        self._send("DEL", self.key)
        self.confirm()

    def release(self) -> None:
        """Give the connection back to the pool (closed first if a reply may still be due on it)."""
        if self.pending:
            self.conn.disconnect()
        self.pool.release(self.conn)


def _debtor_locks(debtor_ids: list[int], *, take: bool) -> set[int]:
    """Session advisory locks, one per debtor: while a batch sends to a debtor no other batch may
    check or send to them, so each check sees the events of the sends before it. Released at the
    end of the batch, or by PostgreSQL when a dead worker's connection goes."""
    if not debtor_ids:
        return set()
    function = "pg_try_advisory_lock" if take else "pg_advisory_unlock"
    with connection.cursor() as cursor:
        # Two-int keys (namespace, id modulo 2^31 - 1): a rare collision only serializes two debtors.
        cursor.execute(f"SELECT d FROM unnest(%s::bigint[]) AS d WHERE {function}(%s, (d %% 2147483647)::int)",
                       [debtor_ids, DEBTOR_LOCK_SPACE])
        return {row[0] for row in cursor.fetchall()}


# The whole outbox row; of its account and debtor only what the gate, the send and the timeline
# read (ids and the debtor's time zones): nothing to decrypt, no forty columns to build per message.
CLAIM_COLUMNS = [*(f.name for f in Message._meta.concrete_fields), "account__client", "account__debtor",
                 "account__debtor__client", "account__debtor__timezones"]
CLAIM_FIELDS = ["status", "decision", "decisions", "scheduled_for", "attempts", "sending_at", "claim", "updated_at"]
RECORD_FIELDS = ["status", "sent_at", "provider_id", "event_id", "error", "failed_at", "scheduled_for", "updated_at"]


def _attach_shared(rows: list[Message]) -> None:
    """The batch's few clients and templates, one object each, on every row (a join would build
    one per row)."""
    clients = Client.objects.in_bulk({m.account.client_id for m in rows})
    templates = MessageTemplate.objects.in_bulk({m.template_id for m in rows if m.template_id is not None})
    for message in rows:
        message.client = message.account.client = clients[message.account.client_id]
        message.template = templates.get(message.template_id) if message.template_id is not None else None


def _claim(message_ids: list[int], claim: str, report: DeliveryReport) -> tuple[list[Message], list[int], set[int]]:
    """Step 1: lock the queued rows, one message per debtor, ask the gate again, mark the allowed
    ones ``sending``. Returns the claimed rows, the ids left for a later batch, the debtors locked."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(Message.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("account__debtor").only(*CLAIM_COLUMNS)
                    .filter(pk__in=message_ids, status=MessageStatus.QUEUED).order_by("id"))
        _attach_shared(rows)
        first_per_debtor = list({m.account.debtor_id: m for m in reversed(rows)}.values())[::-1]
        locked = _debtor_locks([m.account.debtor_id for m in first_per_debtor], take=True)
        batch = [m for m in first_per_debtor if m.account.debtor_id in locked]
        in_batch = {m.pk for m in batch}
        later = [m.pk for m in rows if m.pk not in in_batch]
        decisions = contact_check_many(
            [CheckRequest(m.account, m.channel, m.target, gate_message(m, m.purpose)) for m in batch],
            at=now, source="outbox")
        claimed = []
        for message, decision in zip(batch, decisions, strict=True):
            decision_apply(message, decision)
            if decision.allowed:
                message.start_sending()
                message.attempts += 1
                message.sending_at, message.claim = now, claim
                claimed.append(message)
            else:
                report.blocked.append(message.pk)
                log.info("message.blocked_at_delivery id=%s status=%s", message.pk, message.status)
            message.updated_at = now
        rows_update(batch, CLAIM_FIELDS)
    found = {m.pk for m in rows}
    report.skipped.extend(i for i in message_ids if i not in found)
    return claimed, later, locked


def _retry_or_fail(message: Message, error: str, now: dt.datetime) -> str:
    """The transport proved it did not take the message: try later, or give up."""
    message.error = error
    if message.attempts >= MAX_TRANSIENT_ATTEMPTS:
        message.mark_failed()
        message.failed_at = now
        return "failed"
    message.return_to_queue()
    message.defer()
    message.scheduled_for = now + dt.timedelta(seconds=RETRY_BASE_SECONDS * 2 ** message.attempts)
    return "retrying"


def _sent_events(message: Message, now: dt.datetime) -> list[EventSpec]:
    """The timeline facts of a message handed over: ``email_sent`` (…) first, then for a
    validation notice ``validation_notice_sent`` with the period end it stated."""
    debtor = message.account.debtor
    events = [EventSpec(
        debtor=debtor, type=SENT_EVENT[message.channel], occurred_at=now, account_ids=[message.account_id],
        direction="outbound", channel=message.channel, target=message.target, written=message.channel == "letter",
        data={"template": message.template.code if message.template else "", "message": message.pk},
    )]
    if message.purpose == Purpose.VALIDATION_NOTICE and message.validation_period_end:
        events.append(EventSpec(
            debtor=debtor, type="validation_notice_sent", occurred_at=now, account_ids=[message.account_id],
            channel=message.channel, target=message.target,
            data={"validation_period_end": message.validation_period_end.isoformat(), "message": message.pk},
        ))
    return events


def _record(outcomes: list[tuple[Message, str, str]], report: DeliveryReport) -> None:
    """Step 4: every outcome of the batch, one transaction: the timeline events with one insert,
    the rows with one update."""
    now = timezone.now()
    sent = [(message, detail) for message, outcome, detail in outcomes if outcome == "sent"]
    specs = [_sent_events(message, now) for message, _ in sent]
    with transaction.atomic():
        events = iter(events_record([spec for group in specs for spec in group]))
        for (message, provider_id), group in zip(sent, specs, strict=True):
            message.event_id = next(events).pk
            for _ in group[1:]:
                next(events)
            message.mark_sent()
            message.sent_at, message.provider_id = now, provider_id[:120]
            report.sent.append(message.pk)
        for message, outcome, detail in outcomes:
            if outcome == "transient":
                getattr(report, _retry_or_fail(message, detail, now)).append(message.pk)
            elif outcome != "sent":
                message.mark_failed()
                message.error, message.failed_at = detail, now
                report.failed.append(message.pk)
                log.error("message.failed id=%s error=%s", message.pk, detail)
            message.updated_at = now
        rows_update([m for m, _, _ in outcomes], RECORD_FIELDS)


def _send(message: Message, transports: dict[str, Transport], stack: ExitStack,
          handover: Handover) -> tuple[str, str]:
    if message.channel not in transports:
        try:
            transports[message.channel] = stack.enter_context(TRANSPORTS[message.channel]())
        except TransientError as exc:
            return "transient", str(exc)  # could not even connect: nothing was handed over
    transport = transports[message.channel]
    handover.note(message.pk)  # journal first: from the hand-over on, the outcome may be unknown
    try:
        prepared = transport.prepare(message)
    except Exception as exc:  # nothing handed over, and building it again would fail again
        handover.confirm()
        return "permanent", f"permanent: cannot build the message: {type(exc).__name__}"
    handover.confirm()
    try:
        return "sent", transport.send(message, prepared)
    except TransientError as exc:
        return "transient", str(exc)
    except PermanentError as exc:
        return "permanent", f"permanent: {exc}"
    except Exception as exc:  # it may have gone out: never retried
        return "unknown", f"outcome unknown: {type(exc).__name__}"


def deliver(message_ids: list[int]) -> DeliveryReport:
    """Send a batch: claimed and re-checked together, sent over shared connections, recorded together."""
    report = DeliveryReport()
    claim = uuid.uuid4().hex
    claimed, later, locked = _claim(message_ids, claim, report)
    try:
        if claimed:
            handover = Handover(claim)
            try:
                outcomes: list[tuple[Message, str, str]] = []
                with ExitStack() as stack:
                    transports: dict[str, Transport] = {}
                    for message in claimed:
                        outcome, detail = _send(message, transports, stack, handover)
                        outcomes.append((message, outcome, detail))
                _record(outcomes, report)
                handover.drop()  # kept if anything above failed: the reaper settles the batch with it
            finally:
                handover.release()
    finally:
        _debtor_locks(sorted(locked), take=False)
    if later:  # another message to the same debtor, or a debtor another batch holds: a moment later
        report.skipped.extend(later)
        messages_enqueue(later, countdown=LATER_SECONDS)
    log.info("delivery.batch claim=%s sent=%s blocked=%s retrying=%s failed=%s skipped=%s", claim,
             len(report.sent), len(report.blocked), len(report.retrying), len(report.failed), len(report.skipped))
    return report


def messages_recover_stuck(at: dt.datetime) -> dict[str, int]:
    """Settle rows a dead worker left in ``sending``: handed over (or unknowable) → failed, never
    re-sent; provably not handed over → queued again."""
    cutoff = at - dt.timedelta(minutes=STUCK_SENDING_MINUTES)
    claims = set(Message.objects.filter(status=MessageStatus.SENDING, sending_at__lt=cutoff)
                 .values_list("claim", flat=True))
    handover, counts = journal(), {"failed": 0, "requeued": 0}
    for claim in claims:
        members = {m.decode() for m in handover.smembers(_journal_key(claim))}  # type: ignore[union-attr]
        rows = Message.objects.filter(status=MessageStatus.SENDING, claim=claim)
        unknown = rows if SENTINEL not in members else rows.filter(pk__in=[int(m) for m in members - {SENTINEL}])
        counts["failed"] += unknown.update(status=MessageStatus.FAILED, failed_at=at, updated_at=at,
                                           error="outcome unknown: the worker stopped while sending")
        if SENTINEL in members:
            counts["requeued"] += rows.filter(status=MessageStatus.SENDING).update(
                status=MessageStatus.QUEUED, claim="", updated_at=at)
        handover.delete(_journal_key(claim))
    return counts
