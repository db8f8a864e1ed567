"""Channels as transports: one base class, errors that say permanent or transient.

To add a channel, subclass ``Transport`` in a module here and register it in ``TRANSPORTS``.
Only ``communications.delivery`` instantiates a transport: every message goes through the gate.
"""

from communications.channels.base import PermanentError, TransientError, Transport
from communications.channels.email import EmailTransport
from communications.channels.letter import LetterTransport
from communications.channels.sms import SmsTransport

TRANSPORTS: dict[str, type[Transport]] = {
    "email": EmailTransport,
    "sms": SmsTransport,
    "letter": LetterTransport,
}

__all__ = ["TRANSPORTS", "PermanentError", "TransientError", "Transport"]
