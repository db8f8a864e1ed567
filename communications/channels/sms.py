"""Texts: an ``SmsBackend`` interface, a Twilio adapter and a file backend for the demo."""

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from django.conf import settings
from django.utils.module_loading import import_string

from communications.channels.base import PermanentError, TransientError, Transport

if TYPE_CHECKING:
    from communications.models import Message


class SmsBackend:
    """Hands one text to a provider; returns the provider's message id."""

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        raise NotImplementedError


class FileSmsBackend(SmsBackend):
    """Demo: appends each text as a JSON line to ``SMS_FILE_PATH``."""

    _lock = threading.Lock()

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        sid = f"file-{uuid4().hex}"
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"sid": sid, "to": to, "body": body}) + "\n")
        return sid


class LocmemSmsBackend(SmsBackend):
    """Tests: keeps texts in ``LocmemSmsBackend.outbox``."""

    outbox: list[dict[str, str]] = []

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        sid = f"mem-{len(self.outbox) + 1}"
        self.outbox.append({"sid": sid, "to": to, "body": body})
        return sid


class TwilioSmsBackend(SmsBackend):
    """Twilio's Messages API. Errors: 429 and 5xx are transient, other 4xx permanent."""

    def __init__(self, client: Any = None) -> None:
        if client is None:
            from twilio.rest import Client

            client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
        self.client = client

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        from twilio.base.exceptions import TwilioRestException

        kwargs: dict[str, Any] = {"to": to, "from_": settings.TWILIO_FROM_NUMBER, "body": body}
        if status_callback:
            kwargs["status_callback"] = status_callback
        try:
            return str(self.client.messages.create(**kwargs).sid)
        except TwilioRestException as exc:
            if exc.status == 429 or exc.status >= 500:
                raise TransientError(f"Twilio {exc.status}") from exc
            raise PermanentError(f"Twilio {exc.status} code {exc.code}") from exc
        except ConnectionError as exc:
            raise TransientError("cannot reach Twilio") from exc


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


class SmsTransport(Transport):
    channel = "sms"

    def __init__(self, backend: SmsBackend | None = None) -> None:
        self.backend = backend or sms_backend()

    def send(self, message: "Message", prepared: Any = None) -> str:
        callback = f"{settings.PUBLIC_BASE_URL}/communications/twilio/status/"
        return self.backend.send(to=message.target, body=message.text, status_callback=callback)
