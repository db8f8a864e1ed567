"""``python -m bench desk``: queue and account page latency under concurrent load, at 1,000,000 accounts.

Serves the project with gunicorn (DEBUG off, collected static files) on loopback against the
bench portfolio (``$BENCH_DATABASE``), signs in the demo collectors and measures in two phases:

* **concurrent** (the target's figure): ``--concurrency`` client threads, each sending its next
  request as soon as the last one answered (a closed loop, no think time), to ``--workers``
  gunicorn sync workers; a shuffled mix of equal parts page one of the queue, an account page (the
  top of the queue and random accounts further down) and the baseline;
* **sequential**: one request at a time per kind, for the latency of a page on its own and the
  CPU it costs (gunicorn workers + PostgreSQL backends, from /proc), which load disturbs far less.

Latency is read server-side from gunicorn's access log (``%(D)s``: from the request read to the
response written, excluding time waiting to be accepted) and client-side. The baseline is a
trivial Django view (``/healthz``: one ``select 1``) measured in the same run, under the same load.

Target (issue 7): queue and account page p95 ≤ 150 ms server-side.
"""

import argparse
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.messages import _backends, _cpu, _tree
from bench.portfolio import BENCH_DATABASE, ensure_portfolio

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 150.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _sessions(usernames: list[str]) -> dict[str, str]:
    """A signed-in session per demo user, created directly (the bench measures pages, not sign-in)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    cookies = {}
    for user in User.objects.filter(username__in=usernames):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        cookies[user.username] = session.session_key or ""
    return cookies


def _account_sample(usernames: list[str], per_user: int) -> dict[str, list[int]]:
    """Accounts each collector would open: the top of their queue and random ones further down."""
    from accounts.models import User
    from collections_app.selectors import accounts_visible_to
    from desk.selectors import QueueFilters, queue_page

    rng = random.Random(7)
    sample = {}
    for user in User.objects.filter(username__in=usernames):
        top = [row.account.id for row in queue_page(user, QueueFilters()).rows]
        ids = list(accounts_visible_to(user).filter(assigned_to=user).values_list("id", flat=True)[:20000])
        sample[user.username] = top + rng.sample(ids, min(per_user, len(ids)))
    return sample


def _serve(port: int, workers: int, access_log: Path, env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "collections_app.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--access-logfile", str(access_log),
               "--access-logformat", "%(U)s %(s)s %(D)s", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect (to the sign-in page) is a failed measurement, not something to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def _fire(base: str, jobs: list[tuple[str, str, str]], concurrency: int) -> dict[str, list[float]]:
    """Run (kind, path, session) jobs from ``concurrency`` threads; client-side times per kind (ms)."""
    lock = threading.Lock()
    queue = list(reversed(jobs))
    times: dict[str, list[float]] = {}
    errors: list[str] = []

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                kind, path, session = queue.pop()
            request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}"})
            started = time.perf_counter()
            try:
                with OPENER.open(request, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status != 200:
                    errors.append(f"{status} {path}")
                times.setdefault(kind, []).append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} requests failed, e.g. {errors[:3]}")
    return times


def _kind(path: str) -> str:
    return "baseline" if path == "/healthz" else "queue" if path == "/desk/" else "account"


def _server_times(access_log: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"baseline": [], "queue": [], "account": []}
    for line in access_log.read_text().splitlines():
        path, status, micros = line.split()
        if status != "200":
            raise SystemExit(f"{path} answered {status}")
        times[_kind(path)].append(int(micros) / 1000)
    return times


def _server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by the gunicorn workers and the PostgreSQL backends of the bench database."""
    return sum(_cpu(p) for p in _tree(server.pid)) + sum(_cpu(p) for p in _backends(BENCH_DATABASE))


def _ms(values: list[float], q: float) -> str:
    return f"{_percentile(values, q):>8.1f}"


KINDS = ("baseline", "queue", "account")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench desk", description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300, help="concurrent phase: requests per kind (default 300)")
    parser.add_argument("--concurrency", type=int, default=3, help="concurrent phase: client threads (default 3)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    parser.add_argument("--sequential", type=int, default=40,
                        help="sequential phase: requests per kind, one at a time (default 40; 0 skips it)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DEBUG", "1")
    from collections_app.settings import DEV_SECRET

    sys.modules.pop("collections_app.settings")  # read again below, with the server's secret
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", DEV_SECRET)  # what the demo portfolio was encrypted with
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(48)  # the sessions made here must be valid in the server
    load_start = os.getloadavg()
    have = ensure_portfolio(args.accounts)
    users = ["collector", "collector2"]
    cookies = _sessions(users)
    sample = _account_sample(users, per_user=args.requests)
    rng = random.Random(11)

    def jobs_for(count: int, kinds: tuple[str, ...]) -> list[tuple[str, str, str]]:
        jobs = []
        for i in range(count):
            user = users[i % len(users)]
            paths = {"baseline": "/healthz", "queue": "/desk/",
                     "account": f"/desk/accounts/{rng.choice(sample[user])}/"}
            jobs += [(kind, paths[kind], cookies[user]) for kind in kinds]
        return jobs

    with tempfile.TemporaryDirectory() as tmp:
        static_root = Path(tmp) / "static"
        env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
               "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "STATIC_ROOT": str(static_root),
               "LOG_LEVEL": "WARNING"}
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                       check=True)
        port = _free_port()
        access_log = Path(tmp) / "access.log"
        server = _serve(port, args.workers, access_log, env)
        base = f"http://127.0.0.1:{port}"
        sequential: dict[str, tuple[list[float], float]] = {}
        try:
            warm_up = jobs_for(args.workers * 4, KINDS)
            _fire(base, warm_up, args.concurrency)  # every worker: connections, caches, compiled templates
            for kind in KINDS if args.sequential else ():
                access_log.write_text("")
                cpu_before = _server_cpu(server)
                _fire(base, jobs_for(args.sequential, (kind,)), 1)
                sequential[kind] = (_server_times(access_log)[kind],
                                    (_server_cpu(server) - cpu_before) * 1000 / args.sequential)
            jobs = jobs_for(args.requests, KINDS)
            rng.shuffle(jobs)
            access_log.write_text("")
            cpu_before = _server_cpu(server)
            started = time.perf_counter()
            client = _fire(base, jobs, args.concurrency)
            wall = time.perf_counter() - started
            cpu_concurrent = (_server_cpu(server) - cpu_before) * 1000 / len(jobs)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        server_side = _server_times(access_log)

    print(f"desk latency at {have:,} accounts ({BENCH_DATABASE}), loopback, {os.cpu_count()} cores shared with "
          "other work")
    print(f"concurrent: {args.concurrency} client threads in a closed loop (no think time) against {args.workers} "
          f"gunicorn sync workers; {len(jobs):,} requests, equal parts queue / account / baseline, shuffled; "
          f"{len(jobs) / wall:.0f} req/s, {cpu_concurrent:.1f} ms CPU per request (workers + PostgreSQL)")
    print(f"{'page':<10}{'server p50':>11}{'p95':>9}{'p99':>9}{'client p50':>12}{'p95':>9}{'p99':>9}"
          f"{'p95 / baseline':>16}")
    base_p95 = _percentile(server_side["baseline"], 0.95)
    ok = True
    for kind in KINDS:
        s, c = server_side[kind], client[kind]
        p95 = _percentile(s, 0.95)
        print(f"{kind:<10}{statistics.median(s):>11.1f}{_ms(s, 0.95)}{_ms(s, 0.99)}{statistics.median(c):>12.1f}"
              f"{_ms(c, 0.95)}{_ms(c, 0.99)}{p95 / base_p95:>15.1f}x")
        if kind != "baseline" and p95 > TARGET_P95_MS:
            ok = False
    if sequential:
        print(f"sequential: one request at a time, {args.sequential} per kind")
        print(f"{'page':<10}{'server p50':>11}{'p95':>9}{'CPU per request (workers + PostgreSQL)':>42}")
        for kind, (times, cpu) in sequential.items():
            print(f"{kind:<10}{statistics.median(times):>11.1f}{_ms(times, 0.95)}{cpu:>39.1f} ms")
    print(f"target: queue and account p95 ≤ {TARGET_P95_MS:.0f} ms server-side (concurrent) — "
          f"{'met' if ok else 'NOT met'}")
    print("load average (1/5/15 min) at start {:.2f} {:.2f} {:.2f}, at end {:.2f} {:.2f} {:.2f}".format(
        *load_start, *os.getloadavg()))
    return 0 if ok else 1
