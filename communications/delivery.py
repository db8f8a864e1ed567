"""Delivering queued messages, at most once.

The protocol, per message of a batch (one transport connection per channel for the batch):

1. In a transaction: lock the row with ``SELECT … FOR UPDATE SKIP LOCKED`` where it is still
   ``queued`` (a row another worker holds, or one no longer queued, is skipped). Ask the gate
   again, now. Refused → ``blocked`` (or ``scheduled`` when the client defers). Allowed → the row
   becomes ``sending`` and the transaction COMMITS before the transport is called.
2. Call the transport. Only a row this worker moved to ``sending`` is ever handed over, and
   nothing ever moves a row out of ``sending`` back to a state that is sent again, except a
   transport error that proves the message was not handed over (``TransientError``).
3. In a transaction: ``sent`` plus the timeline event (``email_sent`` …), or ``failed`` with the
   error (``PermanentError``: dead letter), or back to ``queued`` → ``scheduled`` with
   exponential backoff (``TransientError``; ``failed`` after ``MAX_TRANSIENT_ATTEMPTS``).

A worker killed between 1 and 3 leaves the row in ``sending``; a redelivered task skips it (it is
not ``queued``) and the sweep marks it ``failed`` ("outcome unknown") after
``STUCK_SENDING_MINUTES`` for a person to look at. So a crash may lose a message but never
sends one twice. Rows of the batch not yet reached are still ``queued`` and are sent by the
redelivered task (or the sweep's re-enqueue).
"""

import datetime as dt
import logging
from contextlib import ExitStack
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from collections_app.services.events import event_record
from communications.channels import TRANSPORTS, PermanentError, Transport, TransientError
from communications.constants import MAX_TRANSIENT_ATTEMPTS, RETRY_BASE_SECONDS, SENT_EVENT, MessageStatus, Purpose
from communications.models import Message
from communications.services import decision_apply, gate_message
from compliance.services import contact_check

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    blocked: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def _claim(message_id: int) -> tuple[Message | None, str]:
    """Step 1: lock, re-check, mark ``sending``. Returns the row to send (or None) and why not."""
    with transaction.atomic():
        message = (Message.objects.select_for_update(skip_locked=True, of=("self",))
                   .select_related("account__debtor", "client", "template")
                   .filter(pk=message_id, status=MessageStatus.QUEUED).first())
        if message is None:
            return None, "skipped"
        decision = contact_check(account=message.account, channel=message.channel, target=message.target,
                                 at=timezone.now(), message=gate_message(message, message.purpose), store=True)
        decision_apply(message, decision)
        if not decision.allowed:
            message.save(update_fields=["status", "decision", "decisions", "scheduled_for", "updated_at"])
            log.info("message.blocked_at_delivery id=%s status=%s", message.pk, message.status)
            return None, "blocked"
        message.start_sending()
        message.attempts += 1
        message.sending_at = timezone.now()
        message.save(update_fields=["status", "decision", "decisions", "attempts", "sending_at", "updated_at"])
    return message, "sending"


def _retry_or_fail(message_id: int, error: str) -> str:
    """The transport proved it did not take the message: try later, or give up."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        message.error = error
        if message.attempts >= MAX_TRANSIENT_ATTEMPTS:
            message.mark_failed()
            message.failed_at = timezone.now()
            outcome = "failed"
        else:
            message.return_to_queue()
            message.defer()
            message.scheduled_for = timezone.now() + dt.timedelta(seconds=RETRY_BASE_SECONDS * 2 ** message.attempts)
            outcome = "retrying"
        message.save(update_fields=["status", "error", "failed_at", "scheduled_for", "updated_at"])
    log.warning("message.transient_error id=%s attempts=%s outcome=%s", message_id, message.attempts, outcome)
    return outcome


def _fail(message_id: int, error: str) -> None:
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        message.mark_failed()
        message.error = error
        message.failed_at = timezone.now()
        message.save(update_fields=["status", "error", "failed_at", "updated_at"])
    log.error("message.failed id=%s error=%s", message_id, error)


def _record_sent(message: Message, provider_id: str) -> None:
    """Step 3: ``sent`` and the timeline facts, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        event = event_record(
            debtor=message.account.debtor, type=SENT_EVENT[message.channel], occurred_at=now,
            account_ids=[message.account_id], direction="outbound", channel=message.channel, target=message.target,
            written=message.channel == "letter",
            data={"template": message.template.code if message.template else "", "message": message.pk},
        )
        if message.purpose == Purpose.VALIDATION_NOTICE and message.validation_period_end:
            event_record(
                debtor=message.account.debtor, type="validation_notice_sent", occurred_at=now,
                account_ids=[message.account_id], channel=message.channel, target=message.target,
                data={"validation_period_end": message.validation_period_end.isoformat(), "message": message.pk},
            )
        Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.SENT, sent_at=now, provider_id=provider_id[:120], event_id=event.pk, updated_at=now,
        )


def deliver(message_ids: list[int]) -> DeliveryReport:
    """Send a batch: each message claimed, checked and sent in turn over shared connections."""
    report = DeliveryReport()
    with ExitStack() as stack:
        transports: dict[str, Transport] = {}
        channels = dict(Message.objects.filter(pk__in=message_ids).values_list("pk", "channel"))
        for message_id in message_ids:
            channel = channels.get(message_id)
            if channel is None:
                report.skipped.append(message_id)
                continue
            if channel not in transports:
                try:
                    transports[channel] = stack.enter_context(TRANSPORTS[channel]())
                except TransientError as exc:
                    # Cannot connect: nothing was handed over; the row is still queued. Back off.
                    if _claim_for_retry(message_id):
                        getattr(report, _retry_or_fail(message_id, str(exc))).append(message_id)
                    continue
            _deliver_one(message_id, transports[channel], report)
    return report


def _claim_for_retry(message_id: int) -> bool:
    """Move a queued row we could not even try to ``sending`` so the retry bookkeeping is uniform."""
    with transaction.atomic():
        message = (Message.objects.select_for_update(skip_locked=True)
                   .filter(pk=message_id, status=MessageStatus.QUEUED).first())
        if message is None:
            return False
        message.start_sending()
        message.attempts += 1
        message.save(update_fields=["status", "attempts", "updated_at"])
    return True


def _deliver_one(message_id: int, transport: Transport, report: DeliveryReport) -> None:
    message, state = _claim(message_id)
    if message is None:
        getattr(report, state).append(message_id)
        return
    # The row is committed as `sending`: whatever happens next, it is never handed over again.
    try:
        provider_id = transport.send(message)
    except TransientError as exc:
        getattr(report, _retry_or_fail(message.pk, str(exc))).append(message.pk)
        return
    except PermanentError as exc:
        _fail(message.pk, f"permanent: {exc}")
        report.failed.append(message.pk)
        return
    except Exception as exc:  # outcome unknown: it may have gone out, so it is never retried
        _fail(message.pk, f"outcome unknown: {type(exc).__name__}")
        report.failed.append(message.pk)
        return
    _record_sent(message, provider_id)
    report.sent.append(message.pk)
    log.info("message.sent id=%s channel=%s attempts=%s", message.pk, message.channel, message.attempts)
