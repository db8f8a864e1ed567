"""Compliance gate: one check through the API (p50/p95) and batch eligibility over the portfolio.

(a) ``POST /api/v1/compliance/check/`` on random accounts of the 1M-account portfolio, through a
    real gunicorn server on loopback (keep-alive, one worker, DEBUG off) and through Django's test
    Client in process; baseline: ``GET /healthz`` (a bare Django view with one query), requests
    interleaved so machine load hits both alike.
(b) ``eligibility_batch`` over every account for channel ``call``; baseline: one set-based SQL pass
    over the same accounts and their timeline computing recent calls and the last conversation.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.portfolio import ensure_portfolio


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _line(name: str, samples: list[float]) -> str:
    return (f"  {name:<34} p50 {_pct(samples, 0.5):6.2f} ms   p95 {_pct(samples, 0.95):6.2f} ms   "
            f"mean {statistics.mean(samples) * 1000:6.2f} ms   n={len(samples)}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server(port: int) -> subprocess.Popen[bytes]:
    from django.conf import settings

    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(48),
           "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY, "ALLOWED_HOSTS": "127.0.0.1",
           "LOG_LEVEL": "WARNING", "AXES_ENABLED": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "collections_app.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "1", "--log-level", "warning"],
        cwd=Path(__file__).resolve().parent.parent, env=env)
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def _over_http(port: int, token: str, ids: list[int], at: str) -> tuple[list[float], list[float]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    bare, check = [], []
    for n, account_id in enumerate(ids):
        started = time.perf_counter()
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        response.read()
        bare.append(time.perf_counter() - started)
        body = json.dumps({"account": account_id, "channel": "call", "at": at})
        started = time.perf_counter()
        conn.request("POST", "/api/v1/compliance/check/", body, headers)
        response = conn.getresponse()
        payload = response.read()
        check.append(time.perf_counter() - started)
        if response.status != 200:
            raise RuntimeError(f"check answered {response.status}: {payload[:200]!r}")
        if n < 50:  # warm-up
            bare.clear()
            check.clear()
    return bare, check


def _in_process(token: str, ids: list[int], at: str) -> tuple[list[float], list[float]]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    bare, check = [], []
    for n, account_id in enumerate(ids):
        started = time.perf_counter()
        client.get("/healthz")
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        response = client.post("/api/v1/compliance/check/", {"account": account_id, "channel": "call", "at": at},
                               content_type="application/json")
        check.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:200]
        if n < 50:
            bare.clear()
            check.clear()
    return bare, check


BASELINE_SQL = """
    select a.id,
           count(*) filter (where e.type in ('call_attempt', 'voicemail_left')
                            and e.occurred_at > %(at)s - interval '7 days'),
           max(e.occurred_at) filter (where e.type = 'conversation')
    from collections_app_account a join collections_app_caseevent e on e.debtor_id = a.debtor_id
    where e.occurred_at <= %(at)s and a.id = any(%(ids)s::bigint[])
    group by a.id"""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench compliance", description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args(argv)
    held = ensure_portfolio(args.accounts)

    from django.db import connection, transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from collections_app.models import Account
    from compliance.services import eligibility_batch

    ids = list(Account.objects.order_by("id").values_list("id", flat=True)[: args.accounts])
    at = timezone.now().replace(microsecond=0)
    print(f"portfolio: {held:,} accounts in collections_bench; instant {at.isoformat()}; "
          "2-core machine shared with other engineers' jobs (figures are noisy)")
    if not args.skip_api:
        token = Token.objects.get_or_create(user=User.objects.get(username="admin"))[0].key
        sample = random.Random(3).sample(ids, args.requests + 50)
        port = _free_port()
        server = _server(port)
        try:
            bare, check = _over_http(port, token, sample, at.isoformat())
        finally:
            server.terminate()
            server.wait(timeout=10)
        print("(a) single check through the API, gunicorn on loopback (1 worker, keep-alive, DEBUG off)")
        print(_line("baseline GET /healthz", bare))
        print(_line("POST /api/v1/compliance/check/", check))
        print(f"  ratio p95 check / p95 bare view: {_pct(check, 0.95) / _pct(bare, 0.95):.1f}x   "
              f"(target p95 <= 10 ms: {'met' if _pct(check, 0.95) <= 10 else 'MISSED'})")
        bare, check = _in_process(token, sample, at.isoformat())
        print("    same, in process (django.test.Client, DEBUG as configured)")
        print(_line("baseline GET /healthz", bare))
        print(_line("POST /api/v1/compliance/check/", check))
    if not args.skip_batch:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("set local jit = off")
            started = time.perf_counter()
            cur.execute(BASELINE_SQL, {"at": at, "ids": ids})
            rows = cur.fetchall()
            baseline = time.perf_counter() - started
        started = time.perf_counter()
        decisions = eligibility_batch(ids, channel="call", at=at)
        elapsed = time.perf_counter() - started
        print(f"(b) batch eligibility, channel call, {len(decisions):,} accounts")
        print(f"  baseline: one SQL pass (recent calls, last conversation) {baseline:6.2f} s "
              f"= {len(rows) / baseline:,.0f} accounts/s")
        print(f"  eligibility_batch                                          {elapsed:6.2f} s "
              f"= {len(decisions) / elapsed:,.0f} accounts/s   ({elapsed / baseline:.1f}x the baseline's time; "
              f"target >= 100,000/s: {'met' if len(decisions) / elapsed >= 100_000 else 'MISSED'})")
        allowed = sum(d.allowed for d in decisions.values())
        rules = Counter(r.rule for d in decisions.values() for r in d.reasons)
        print(f"  allowed {allowed:,}; blocking rules: " + ", ".join(f"{k} {v:,}" for k, v in rules.most_common(8)))
    return 0
