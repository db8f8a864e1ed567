"""Letters: the message's HTML page rendered to PDF with WeasyPrint, filed in today's print batch."""

from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from communications.channels.base import Transport

if TYPE_CHECKING:
    from communications.models import Message, PrintBatch


def open_print_batch(client_id: int) -> "PrintBatch":
    from communications.models import PrintBatch

    today = timezone.localdate()
    try:
        with transaction.atomic():
            return PrintBatch.objects.get_or_create(client_id=client_id, day=today, closed_at=None)[0]
    except IntegrityError:  # another worker opened it first
        return PrintBatch.objects.get(client_id=client_id, day=today, closed_at=None)


def letter_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


class LetterTransport(Transport):
    channel = "letter"

    def prepare(self, message: "Message") -> bytes:
        return letter_pdf(message.html)

    def send(self, message: "Message", prepared: Any = None) -> str:
        batch = open_print_batch(message.client_id)
        pdf = prepared if prepared is not None else letter_pdf(message.html)
        message.pdf.save(f"letter-{message.pk}.pdf", ContentFile(pdf), save=False)
        message.print_batch = batch
        message.save(update_fields=["pdf", "print_batch", "updated_at"])
        return f"print-batch-{batch.pk}"
