"""Compliance gate: one check through the API (latency distribution) and batch eligibility over the portfolio.

(a) ``POST /api/v1/compliance/check/`` on random accounts of the 1M-account portfolio, through a
    real gunicorn server on loopback (one sync worker, DEBUG off; the sync worker closes every
    connection, so each request opens one, the baseline's too); baseline:
    ``GET /healthz`` (a bare Django view with one query) interleaved request by request, so machine
    load hits both alike. A warm-up is excluded. Prints p50 / p95 / p99 / mean of both, the load
    average, and the server's CPU time per request (gunicorn worker and its PostgreSQL backend,
    read from /proc), which load disturbs much less than wall time. Then the same requests through
    Django's test Client in process (DEBUG off), with the CPU time of the view and of its backend.
(b) ``eligibility_batch`` over every account for channel ``call``; baseline: one set-based SQL pass
    over the same accounts and their timeline computing recent calls and the last conversation.
    The accounts' eligibility facts are worked out ahead for those that have none, as the beat
    task does after a bulk load (timed and printed; ``--cold`` forgets them all first).
"""

import argparse
import datetime as dt
import functools
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
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.portfolio import ensure_portfolio

WARM_UP = 100
SERVER_APP_NAME = "bench-compliance-server"


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _line(name: str, samples: list[float]) -> str:
    return (f"  {name:<32} p50 {_pct(samples, 0.5):6.2f}   p95 {_pct(samples, 0.95):6.2f}   "
            f"p99 {_pct(samples, 0.99):6.2f}   mean {statistics.mean(samples) * 1000:6.2f} ms   n={len(samples)}")


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backend_pid(application_name: str) -> int:
    """The PostgreSQL backend of the connection named ``application_name``."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("select pid from pg_stat_activity where application_name = %s and datname = current_database()",
                    [application_name])
        pids = [row[0] for row in cur.fetchall()]
    if len(pids) != 1:
        raise RuntimeError(f"expected one backend named {application_name}, found {len(pids)}")
    return int(pids[0])


def _server(port: int) -> subprocess.Popen[bytes]:
    from django.conf import settings

    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(48),
           "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY, "ALLOWED_HOSTS": "127.0.0.1",
           "LOG_LEVEL": "WARNING", "AXES_ENABLED": "0", "PGAPPNAME": SERVER_APP_NAME}
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


def _worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one gunicorn worker, found {len(children)}")
    return int(children[0])


class Run:
    """Latencies of the interleaved bare/check requests, and what the checks answered."""

    def __init__(self) -> None:
        self.bare: list[float] = []
        self.check: list[float] = []
        self.answers: Counter[str] = Counter()

    def record(self, bare: float, check: float, answer: dict[str, Any]) -> None:
        self.bare.append(bare)
        self.check.append(check)
        self.answers["allowed" if answer["allowed"] else
                     "blocked, next allowed instant searched" if answer["next_allowed_at"] else
                     "blocked, no time-based end"] += 1

    def print(self, title: str, cpu: dict[str, tuple[float, float]]) -> None:
        print(title)
        print(_line("baseline GET /healthz", self.bare))
        print(_line("POST /api/v1/compliance/check/", self.check))
        print(f"  ratio check / bare view: p50 {_pct(self.check, 0.5) / _pct(self.bare, 0.5):.1f}x, "
              f"p95 {_pct(self.check, 0.95) / _pct(self.bare, 0.95):.1f}x")
        for who, (bare, check) in cpu.items():
            print(f"  CPU per request, {who:<30} bare view {bare * 1000:5.2f} ms   check {check * 1000:5.2f} ms")
        print("  checks answered: " + ", ".join(f"{kind} {n:,}" for kind, n in self.answers.most_common()))


def _cpu_per_request(requests: list[Callable[[], object]],
                     processes: dict[str, Callable[[], int]]) -> dict[str, float]:
    """CPU time per request of each process (given by a function returning its current pid)
    while ``requests`` run, measured again if a process was replaced meanwhile (the server's
    database connection is renewed after ``CONN_MAX_AGE``)."""
    for _ in range(3):
        pids = {who: pid() for who, pid in processes.items()}
        before = {who: _cpu_seconds(p) for who, p in pids.items()}
        for request in requests:
            request()
        if all(pid() == pids[who] for who, pid in processes.items()):
            return {who: (_cpu_seconds(p) - before[who]) / len(requests) for who, p in pids.items()}
    raise RuntimeError("the measured processes kept changing")


def _measure(bare: Callable[[], None], check: Callable[[int], dict[str, Any]], ids: list[int],
             processes: dict[str, Callable[[], int]]) -> tuple[Run, dict[str, tuple[float, float]]]:
    """Interleave bare and check requests over ``ids`` after a warm-up, timing each; then the
    CPU time of ``processes`` over a block of each kind (a quarter of the ids, at least 200)."""
    run = Run()
    for n, account_id in enumerate(ids):
        started = time.perf_counter()
        bare()
        middle = time.perf_counter()
        answer = check(account_id)
        ended = time.perf_counter()
        if n >= WARM_UP:
            run.record(middle - started, ended - middle, answer)
    block = ids[WARM_UP:][: max(200, len(ids) // 4)]
    bare_cpu = _cpu_per_request([bare] * len(block), processes)
    check_cpu = _cpu_per_request([functools.partial(check, account_id) for account_id in block], processes)
    return run, {who: (bare_cpu[who], check_cpu[who]) for who in processes}


def _over_http(port: int, server: subprocess.Popen[bytes], token: str, ids: list[int],
               at: str) -> tuple[Run, dict[str, tuple[float, float]]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def bare() -> None:
        conn.request("GET", "/healthz")
        conn.getresponse().read()

    def check(account_id: int) -> dict[str, Any]:
        conn.request("POST", "/api/v1/compliance/check/",
                     json.dumps({"account": account_id, "channel": "call", "at": at}), headers)
        response = conn.getresponse()
        payload = response.read()
        if response.status != 200:
            raise RuntimeError(f"check answered {response.status}: {payload[:200]!r}")
        answer: dict[str, Any] = json.loads(payload)
        return answer

    bare()  # the worker connects to the database
    return _measure(bare, check, ids, {"gunicorn worker": lambda: _worker_pid(server.pid),
                                       "its PostgreSQL backend": lambda: _backend_pid(SERVER_APP_NAME)})


def _in_process(token: str, ids: list[int], at: str) -> tuple[Run, dict[str, tuple[float, float]]]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.DEBUG = False  # as served: no query log
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")

    def bare() -> None:
        client.get("/healthz")

    def check(account_id: int) -> dict[str, Any]:
        response = client.post("/api/v1/compliance/check/", {"account": account_id, "channel": "call", "at": at},
                               content_type="application/json")
        assert response.status_code == 200, response.content[:200]
        answer: dict[str, Any] = response.json()
        return answer

    def backend() -> int:
        with connection.cursor() as cur:
            cur.execute("select pg_backend_pid()")
            return int(cur.fetchone()[0])

    return _measure(bare, check, ids, {"this process (client + Django)": os.getpid, "its PostgreSQL backend": backend})


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
    parser.add_argument("--at", help="the instant checked (ISO 8601 with offset; default: now)")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--cold", action="store_true",
                        help="forget every account's kept eligibility facts first, and time working them out again")
    args = parser.parse_args(argv)
    held = ensure_portfolio(args.accounts)

    from django.db import connection, transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from collections_app.models import Account
    from compliance.services import eligibility_batch

    ids = list(Account.objects.order_by("id").values_list("id", flat=True)[: args.accounts])
    at = dt.datetime.fromisoformat(args.at) if args.at else timezone.now().replace(microsecond=0)
    print(f"portfolio: {held:,} accounts in {connection.settings_dict['NAME']}; instant {at.isoformat()} "
          f"({at.astimezone(ZoneInfo('America/New_York')):%H:%M} in New York); load average {_load()} (1/5/15 min); "
          "2-core machine shared with other engineers' jobs")
    if not args.skip_api:
        token = Token.objects.get_or_create(user=User.objects.get(username="admin"))[0].key
        sample = random.Random(3).sample(ids, args.requests + WARM_UP)
        port = _free_port()
        server = _server(port)
        try:
            run, cpu = _over_http(port, server, token, sample, at.isoformat())
        finally:
            server.terminate()
            server.wait(timeout=10)
        run.print(f"(a) single check through the API, gunicorn on loopback (1 sync worker, a connection per request, "
                  f"DEBUG off), {WARM_UP} warm-up pairs excluded; load average now {_load()}", cpu)
        print(f"  target p95 <= 10 ms: {'met' if _pct(run.check, 0.95) <= 10 else 'MISSED'}")
        run, cpu = _in_process(token, sample, at.isoformat())
        run.print(f"    same, in process (django.test.Client, DEBUG off); load average now {_load()}", cpu)
    if not args.skip_batch:
        from compliance.eligibility_facts import refresh_missing

        if args.cold:
            with connection.cursor() as cur:
                cur.execute("truncate compliance_eligibilityfacts")
        started = time.perf_counter()
        worked_out = refresh_missing()
        kept = time.perf_counter() - started
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
        print(f"  eligibility facts worked out ahead (refresh_missing, as the beat task does after a bulk load) "
              f"for {worked_out:,} accounts without any: {kept:6.2f} s" + (" (--cold: all of them)" if args.cold else ""))
        print(f"  baseline: one SQL pass (recent calls, last conversation) {baseline:6.2f} s "
              f"= {len(rows) / baseline:,.0f} accounts/s")
        print(f"  eligibility_batch                                          {elapsed:6.2f} s "
              f"= {len(decisions) / elapsed:,.0f} accounts/s   ({elapsed / baseline:.1f}x the baseline's time; "
              f"target >= 100,000/s: {'met' if len(decisions) / elapsed >= 100_000 else 'MISSED'})")
        allowed = sum(d.allowed for d in decisions.values())
        rules = Counter(r.rule for d in decisions.values() for r in d.reasons)
        print(f"  allowed {allowed:,}; blocking rules: " + ", ".join(f"{k} {v:,}" for k, v in rules.most_common(8)))
    return 0
