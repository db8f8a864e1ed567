"""Celery tasks: ids in, one service call, nothing else (routed to the "sends" queue)."""

from celery import shared_task
from django.db import OperationalError

from communications import cadence, delivery


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, retry_backoff_max=300, max_retries=5)
def deliver(message_ids: list[int]) -> dict[str, int]:
    """Send a batch of queued messages at most once each (see communications.delivery)."""
    report = delivery.deliver([int(i) for i in message_ids])
    return {name: len(ids) for name, ids in vars(report).items()}


@shared_task(ignore_result=True)
def sweep() -> None:
    """Beat, every minute: release scheduled messages, settle dead workers' batches, dispatch due cadence steps."""
    cadence.sweep()


@shared_task(ignore_result=True)
def noop() -> None:
    """Does nothing: the bench's baseline for the cost of a Celery task round trip."""
