"""What comes back: texts (STOP / HELP / replies), unsubscribe clicks, bounces, returned mail, email replies.

Each becomes a fact on the timeline through ``event_record``; the gate reads those facts.
"""

import datetime as dt
import logging
import re

from django.db import transaction
from django.utils import timezone

from collections_app.models import Account, Debtor, Email, Phone
from collections_app.services.events import event_record
from communications.constants import HELP_KEYWORDS, STOP_KEYWORDS, MessageStatus, Source
from communications.models import Message
from communications.services import message_request, phone_e164

log = logging.getLogger(__name__)
MESSAGE_ID = re.compile(r"<msg-(\d+)@")


def _debtors_with_phone(number: str) -> list[Debtor]:
    wanted = phone_e164(number)
    phones = Phone.objects.select_related("debtor").filter(number__in={number, wanted} - {None})
    return list({p.debtor_id: p.debtor for p in phones}.values())


def _latest_account(debtor: Debtor, channel: str, target: str) -> Account | None:
    """The account our last message to this target was about, else the debtor's newest open one."""
    message = Message.objects.filter(account__debtor=debtor, channel=channel, target=target).order_by("-id").first()
    if message is not None:
        return message.account
    return debtor.accounts.filter(status__in=("open", "in_plan", "disputed")).order_by("-id").first()


def inbound_sms_receive(*, from_number: str, body: str, at: dt.datetime | None = None) -> str:
    """A text from a consumer: STOP → medium opt-out (+ the one confirmation), HELP → help reply,
    anything else → an ``inbound_sms`` fact. Returns the keyword class ("stop", "help", "reply", "unknown")."""
    at = at or timezone.now()
    debtors = _debtors_with_phone(from_number)
    if not debtors:
        log.info("sms.inbound_unmatched")
        return "unknown"
    keyword = body.strip().lower().strip(".!")
    kind = "stop" if keyword in STOP_KEYWORDS else "help" if keyword in HELP_KEYWORDS else "reply"
    number = phone_e164(from_number) or from_number
    for debtor in debtors:
        with transaction.atomic():
            event_record(debtor=debtor, type="inbound_sms", occurred_at=at, direction="inbound", channel="sms",
                         target=number, data={"keyword": kind} if kind != "reply" else {})
            if kind == "stop":
                event_record(debtor=debtor, type="medium_opt_out", occurred_at=at, direction="inbound",
                             channel="sms", target=number, data={"channel": "sms", "target": number})
        account = _latest_account(debtor, "sms", number)
        if account is not None and kind in ("stop", "help"):
            message_request(account=account, channel="sms", target=number, source=Source.SYSTEM,
                            template_code="opt_out_confirmation" if kind == "stop" else "help_reply",
                            key=f"sms-{kind}:{debtor.pk}:{number}:{at.isoformat()}", at=at)
    log.info("sms.inbound kind=%s debtors=%s", kind, [d.pk for d in debtors])
    return kind


def email_opt_out(*, message: Message, at: dt.datetime | None = None) -> bool:
    """An unsubscribe link was confirmed: opt the address out of email. False when already out."""
    at = at or timezone.now()
    debtor = message.account.debtor
    already = debtor.events.filter(type="medium_opt_out", target__iexact=message.target).exists()
    if already:
        return False
    event_record(debtor=debtor, type="medium_opt_out", occurred_at=at, direction="inbound", channel="email",
                 target=message.target, data={"channel": "email", "target": message.target, "message": message.pk})
    log.info("email.unsubscribed message=%s", message.pk)
    return True


@transaction.atomic
def message_undeliverable(*, message: Message, reason: str = "", at: dt.datetime | None = None) -> None:
    """A bounce or a returned letter: the message failed and the timeline says the item came back."""
    at = at or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status in (MessageStatus.SENT, MessageStatus.DELIVERED):
        message.mark_failed()
        message.failed_at = at
        message.error = f"undeliverable: {reason}"[:500]
        message.save(update_fields=["status", "failed_at", "error", "updated_at"])
    data = {"item_event": message.event_id} if message.event_id else {}
    event_record(debtor=message.account.debtor, type="undeliverable_notice_received", occurred_at=at,
                 account_ids=[message.account_id], direction="inbound", channel=message.channel,
                 target=message.target, data=data)
    log.info("message.undeliverable id=%s", message.pk)


def message_for_headers(*headers: str) -> Message | None:
    """The outbox row an In-Reply-To / References / DSN header quotes (our Message-ID)."""
    for header in headers:
        match = MESSAGE_ID.search(header or "")
        if match:
            return Message.objects.select_related("account__debtor").filter(pk=int(match.group(1))).first()
    return None


def inbound_email_receive(*, sender: str, subject: str, in_reply_to: str = "", references: str = "",
                          is_bounce: bool = False, at: dt.datetime | None = None) -> str:
    """An email to us: a bounce of one of ours → undeliverable; a reply → ``inbound_email`` fact."""
    at = at or timezone.now()
    original = message_for_headers(in_reply_to, references)
    if is_bounce:
        if original is None:
            return "unknown"
        message_undeliverable(message=original, reason="bounced", at=at)
        return "bounce"
    debtors = [original.account.debtor] if original else \
        list({e.debtor_id: e.debtor for e in Email.objects.select_related("debtor").filter(address__iexact=sender)}
             .values())
    for debtor in debtors:
        event_record(debtor=debtor, type="inbound_email", occurred_at=at, direction="inbound", channel="email",
                     target=sender.lower(), account_ids=[original.account_id] if original else [],
                     data={"message": original.pk} if original else {})
    return "reply" if debtors else "unknown"


def sms_status_update(*, provider_id: str, status: str, at: dt.datetime | None = None) -> bool:
    """Twilio's status callback: delivered → ``delivered``; undelivered / failed → ``failed``."""
    at = at or timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(provider_id=provider_id, channel="sms").first()
        if message is None:
            return False
        if status == "delivered" and message.status == MessageStatus.SENT:
            message.mark_delivered()
            message.delivered_at = at
        elif status in ("undelivered", "failed") and message.status in (MessageStatus.SENT, MessageStatus.DELIVERED):
            message.mark_failed()
            message.failed_at = at
            message.error = f"provider status {status}"
        else:
            return False
        message.save(update_fields=["status", "delivered_at", "failed_at", "error", "updated_at"])
    return True
