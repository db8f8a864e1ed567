"""``python -m bench desk``: queue and account page latency under concurrent load, at 1,000,000 accounts.

Serves the project with gunicorn (DEBUG off, collected static files) on loopback against the
shared bench portfolio, signs in the demo collectors, and fires a mix of requests from client
threads. Latency is read server-side from gunicorn's access log (``%(D)s``: time spent handling
the request, excluding time waiting to be accepted) and client-side. The baseline is a trivial
Django view (``/healthz``: one ``select 1``) measured in the same run, under the same load.

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

from bench.portfolio import ensure_portfolio

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


def _server_times(access_log: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"baseline": [], "queue": [], "account": []}
    for line in access_log.read_text().splitlines():
        path, status, micros = line.split()
        if status != "200":
            raise SystemExit(f"{path} answered {status}")
        kind = "baseline" if path == "/healthz" else "queue" if path == "/desk/" else "account"
        times[kind].append(int(micros) / 1000)
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench desk", description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per page kind (default 300)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
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
        try:
            base = f"http://127.0.0.1:{port}"
            rng = random.Random(11)
            jobs: list[tuple[str, str, str]] = []
            for i in range(args.requests):
                user = users[i % len(users)]
                jobs.append(("baseline", "/healthz", cookies[user]))
                jobs.append(("queue", "/desk/", cookies[user]))
                jobs.append(("account", f"/desk/accounts/{rng.choice(sample[user])}/", cookies[user]))
            rng.shuffle(jobs)
            _fire(base, jobs[: len(users) * 10], args.concurrency)  # warm-up: connections, caches
            access_log.write_text("")
            started = time.perf_counter()
            client = _fire(base, jobs, args.concurrency)
            wall = time.perf_counter() - started
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        server_side = _server_times(access_log)

    print(f"desk latency at {have:,} accounts — {len(jobs):,} requests, {args.concurrency} client threads, "
          f"{args.workers} gunicorn workers, loopback, {os.cpu_count()} cores shared with other work; "
          f"{len(jobs) / wall:.0f} req/s overall")
    print(f"{'page':<10}{'server p50':>12}{'server p95':>12}{'client p50':>12}{'client p95':>12}"
          f"{'p95 / baseline':>16}")
    base_p95 = _percentile(server_side["baseline"], 0.95)
    ok = True
    for kind in ("baseline", "queue", "account"):
        s, c = server_side[kind], client[kind]
        p95 = _percentile(s, 0.95)
        print(f"{kind:<10}{statistics.median(s):>10.1f}ms{p95:>10.1f}ms{statistics.median(c):>10.1f}ms"
              f"{_percentile(c, 0.95):>10.1f}ms{p95 / base_p95:>15.1f}x")
        if kind != "baseline" and p95 > TARGET_P95_MS:
            ok = False
    print(f"target: queue and account p95 ≤ {TARGET_P95_MS:.0f} ms server-side — {'met' if ok else 'NOT met'}")
    print("load average (1/5/15 min) at start {:.2f} {:.2f} {:.2f}, at end {:.2f} {:.2f} {:.2f}".format(
        *load_start, *os.getloadavg()))
    return 0 if ok else 1
