"""Read-side queries of the outbound path."""

from typing import Any

import redis
from django.conf import settings
from django.db.models import Count, QuerySet

from collections_app.selectors import client_ids_visible_to
from communications.broker import broker_redis
from communications.models import Message

# kombu's Redis transport keeps priority sub-queues as "<name>\x06\x16<n>" beside "<name>".
PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


def messages_visible_to(user: Any) -> QuerySet[Message]:
    ids = client_ids_visible_to(user)
    qs = Message.objects.select_related("template")
    return qs if ids is None else qs.filter(client_id__in=ids)


def queue_depths(broker_url: str | None = None) -> dict[str, Any]:
    """Tasks waiting per Celery queue, and tasks taken but not yet acknowledged, read from Redis."""
    client = broker_redis(socket_timeout=2, broker_url=broker_url)
    try:
        with client.pipeline() as pipe:
            for name in settings.CELERY_TASK_QUEUE_NAMES:
                for suffix in PRIORITY_SUFFIXES:
                    pipe.llen(f"{name}{suffix}")
            pipe.hlen("unacked")
            counts = pipe.execute()
    except redis.RedisError as exc:
        return {"error": f"{type(exc).__name__}: cannot read the broker", "queues": {}, "unacked": None}
    finally:
        client.close()
    width = len(PRIORITY_SUFFIXES)
    queues = {name: sum(counts[i * width:(i + 1) * width]) for i, name in enumerate(settings.CELERY_TASK_QUEUE_NAMES)}
    return {"error": None, "queues": queues, "unacked": counts[-1]}


def message_status_counts() -> dict[str, int]:
    return dict(Message.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
