"""The transport interface every channel implements."""

from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from communications.models import Message


class TransportError(Exception):
    """A transport refused a message."""


class TransientError(TransportError):
    """Refused before the message was handed over (connection refused, 4xx, throttled): safe to retry."""


class PermanentError(TransportError):
    """Refused for good (bad address, 5xx): never retried; the message fails (dead letter)."""


class Transport:
    """Sends messages of one channel. Used as a context manager around a batch so a connection
    (SMTP session, HTTP pool, print batch) is opened once and reused.

    Two steps per message: ``prepare`` builds what will be handed over (MIME bytes, a PDF …) and
    hands nothing over, so any error there is provably "not sent"; ``send`` hands it over and
    returns the provider's id. From ``send``, any exception other than the two above means the
    outcome is unknown, and the message is never handed over again.
    """

    channel: str = ""

    def open(self) -> None:
        """Open a connection for a batch (optional)."""

    def close(self) -> None:
        """Close it (optional)."""

    def prepare(self, message: "Message") -> Any:
        """What ``send`` will hand over for ``message`` (default: nothing beyond the message)."""
        return None

    def send(self, message: "Message", prepared: Any = None) -> str:
        raise NotImplementedError

    def __enter__(self) -> "Transport":
        self.open()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
