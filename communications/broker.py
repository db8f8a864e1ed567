"""The Celery broker's Redis, opened with redis-py (queue depths, the delivery hand-over journal)."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import redis
from django.conf import settings


def redis_py_url(broker_url: str) -> str:
    """``broker_url`` in redis-py's terms: kombu's unix-socket form ``redis+socket:///path.sock``
    (what ``make run`` uses with its embedded Redis; the database in ``virtual_host`` or ``db``)
    becomes ``unix:///path.sock?db=N``. Other URLs are the same in both."""
    parts = urlsplit(broker_url)
    if parts.scheme != "redis+socket":
        return broker_url
    query = dict(parse_qsl(parts.query))
    db = query.pop("virtual_host", None) or query.pop("db", None) or "0"
    return f"unix://{parts.path}?{urlencode({**query, 'db': db})}"


def broker_redis(*, socket_timeout: float, broker_url: str | None = None) -> redis.Redis:
    return redis.Redis.from_url(redis_py_url(broker_url or settings.CELERY_BROKER_URL), socket_timeout=socket_timeout)
