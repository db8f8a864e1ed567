"""Email through Django's mail backend (SMTP from ``EMAIL_URL``; any django-anymail backend works)."""

import contextlib
import smtplib
import socket
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from communications.channels.base import PermanentError, TransientError, Transport
from communications.rendering import unsubscribe_url_for

if TYPE_CHECKING:
    from communications.models import Message

MESSAGE_ID_DOMAIN = "collections.example"


def message_id_for(message: "Message") -> str:
    """Our Message-ID: replies and bounces quote it, which leads back to the outbox row."""
    return f"<msg-{message.pk}@{MESSAGE_ID_DOMAIN}>"


def _smtp_code_error(code: int, what: str) -> Exception:
    return TransientError(f"{what}: SMTP {code}") if 400 <= code < 500 else PermanentError(f"{what}: SMTP {code}")


def email_for(message: "Message", connection: BaseEmailBackend | None = None) -> EmailMultiAlternatives:
    """The email exactly as it goes out: text and HTML parts, our Message-ID, one-click unsubscribe."""
    headers = {
        "Message-ID": message_id_for(message),
        "List-Unsubscribe": f"<{unsubscribe_url_for(message.key)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.target], headers=headers, connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    return email


class EmailTransport(Transport):
    channel = "email"

    def __init__(self, connection: BaseEmailBackend | None = None) -> None:
        self.connection = connection or get_connection(fail_silently=False)

    def open(self) -> None:
        try:
            self.connection.open()
        except (ConnectionError, TimeoutError, socket.gaierror, smtplib.SMTPConnectError, smtplib.SMTPHeloError,
                smtplib.SMTPAuthenticationError) as exc:
            raise TransientError(f"cannot reach the mail server: {type(exc).__name__}") from exc

    def close(self) -> None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self.connection.close()

    def send(self, message: "Message") -> str:
        email = email_for(message, connection=self.connection)
        try:
            self.connection.send_messages([email])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise _smtp_code_error(max(codes) if codes else 550, "recipient refused") from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise _smtp_code_error(exc.smtp_code, type(exc).__name__) from exc
        except ConnectionRefusedError as exc:
            raise TransientError("mail server refused the connection") from exc
        return email.extra_headers["Message-ID"]
