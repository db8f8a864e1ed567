"""Messages per second, end to end: gate + render + outbox + Celery delivery + SMTP to a local aiosmtpd.

Two baselines are measured in the same run, against the same server and broker:
  * bare SMTP: one smtplib connection handing the same messages (built by the email transport:
    same parts, same headers) to the same server;
  * no-op Celery tasks: the same number of tasks through the same broker and worker settings.

The SMTP server runs in a process of its own, so neither the queueing side nor the baselines
share an interpreter lock with it.

    python -m bench messages [--messages 1000] [--concurrency 4]

Uses its own database on the server of DATABASE_URL (``collections_bench_messages``, or
``$BENCH_MESSAGES_DATABASE``; created and migrated) and the broker in CELERY_BROKER_URL; creates fresh
accounts for each run under a "Bench messages" client. The queueing side and the worker run as in
production: DEBUG off (no query log), logging at WARNING. The machine has 2 cores shared with
PostgreSQL, Redis, the SMTP server and whatever else runs: read the figures as relative.
"""

import argparse
import datetime as dt
import gc
import multiprocessing
import os
import secrets
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
SENDS_CONCURRENCY = 4
ZONES = ("Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver", "America/Chicago",
         "America/New_York", "America/Halifax", "America/Sao_Paulo", "Atlantic/Azores", "Europe/London",
         "Europe/Berlin", "Europe/Athens", "Europe/Moscow", "Asia/Dubai", "Asia/Karachi", "Asia/Dhaka",
         "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Australia/Brisbane", "Pacific/Noumea", "Pacific/Auckland")


class CountingSink:
    """aiosmtpd handler that only counts (in a value shared with the bench process)."""

    def __init__(self, counter) -> None:  # type: ignore[no-untyped-def]
        self.counter = counter

    @property
    def count(self) -> int:
        return self.counter.value

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        with self.counter.get_lock():
            self.counter.value += len(envelope.rcpt_tos)
        return "250 OK"


def serve_smtp(port: int, counter, stop) -> None:  # type: ignore[no-untyped-def]
    """The child process: an aiosmtpd server until ``stop`` is set."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(CountingSink(counter), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the benchmark stalled")
        time.sleep(0.02)


def awake_zone() -> str:
    now = dt.datetime.now(dt.UTC)
    return next(z for z in ZONES if 10 <= now.astimezone(ZoneInfo(z)).hour < 18)


def make_accounts(n: int):  # type: ignore[no-untyped-def]
    """Fresh reachable accounts (email given with consent, a mid-day time zone) for this run."""
    from collections_app.models import Account, CaseEvent, Client, Debtor, Email

    run = uuid.uuid4().hex[:8]
    client, _ = Client.objects.get_or_create(name="Bench messages")
    zone = awake_zone()
    now = dt.datetime.now(dt.UTC)
    debtors = Debtor.objects.bulk_create([Debtor(client=client, name=f"Bench Debtor {i}", timezones=[zone],
                                                 external_ref=f"bench-{run}-{i}") for i in range(n)])
    Email.objects.bulk_create([Email(debtor=d, address=f"b{run}-{i}@bench.example", consent=True)
                               for i, d in enumerate(debtors)])
    CaseEvent.objects.bulk_create([CaseEvent(client=client, debtor=d, type="location_stated", occurred_at=now,
                                             direction="inbound", channel="call", data={"timezone": zone})
                                   for d in debtors])
    created = Account.objects.bulk_create([
        Account(client=client, debtor=d, reference=f"B{run}{i:06d}", principal=900, interest=80, fees=20,
                principal_balance=900, interest_balance=80, fees_balance=20, current_creditor="Acme Bank")
        for i, d in enumerate(debtors)])
    return list(Account.objects.filter(pk__in=[a.pk for a in created]).select_related("client", "debtor")
                .order_by("id"))


def _cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """A process and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(children.get(found[-1], []))
    return found


def _backends(database: str) -> list[int]:
    """PostgreSQL backends serving ``database``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if cmdline.startswith("postgres: ") and f" {database} " in cmdline:
                pids.append(int(entry.name))
    return pids


def cpu_by_part(worker: int, server: int, database: str) -> dict[str, float]:
    """CPU seconds used so far by each part of the pipeline."""
    parts = {"producer": _cpu(os.getpid()), "worker main": _cpu(worker),
             "worker children": sum(_cpu(p) for p in _tree(worker) if p != worker),
             "smtp server": _cpu(server), "postgres": sum(_cpu(p) for p in _backends(database))}
    if server == os.getpid():  # one process: its time is the producer's and the server's
        parts["producer + smtp server"] = parts.pop("producer") + parts.pop("smtp server")
    return parts


def start_worker(env: dict[str, str], concurrency: int, log: Path) -> subprocess.Popen:
    log.write_text("")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "collections_app", "worker", "-Q", "sends", "-c", str(concurrency),
         "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat", "-n",
         f"bench-{os.getpid()}@%h", f"--logfile={log}"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    wait_for(lambda: "ready." in log.read_text() or proc.poll() is not None, 60)
    if proc.poll() is not None:
        raise RuntimeError(log.read_text()[-2000:])
    return proc


def bare_smtp(port: int, messages: list, sink: CountingSink) -> float:
    """The same messages, built as the email transport builds them and handed over by smtplib."""
    from communications.channels.email import email_for

    start_count, started = sink.count, time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for message in messages:
            email = email_for(message)
            smtp.sendmail(email.from_email, email.to, email.message().as_bytes(linesep="\r\n"))
    wait_for(lambda: sink.count - start_count >= len(messages), 60)
    return len(messages) / (time.perf_counter() - started)


def noop_tasks(n: int, broker) -> float:  # type: ignore[no-untyped-def]
    from communications.tasks import noop

    started = time.perf_counter()
    for _ in range(n):
        noop.delay()
    wait_for(lambda: broker.llen("sends") == 0 and broker.hlen("unacked") == 0, 300)
    return n / (time.perf_counter() - started)


def add_cpu(total: dict[str, float], part: dict[str, float]) -> None:
    for name, seconds in part.items():
        total[name] = total.get(name, 0.0) + seconds


def per_message(cpu: dict[str, float], n: int) -> str:
    return (", ".join(f"{part} {1000 * seconds / n:.2f} ms" for part, seconds in cpu.items())
            + f"; total {1000 * sum(cpu.values()) / n:.2f} ms")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench messages")
    parser.add_argument("--messages", type=int, default=1000, help="messages per round")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of (end to end, then bare SMTP on the same messages); the ratio reported is "
                             "the median of the rounds' ratios, which a shared machine's load swings less")
    parser.add_argument("--concurrency", type=int, default=SENDS_CONCURRENCY,
                        help=f"worker processes, each with its own SMTP session (default {SENDS_CONCURRENCY}, as "
                             "recommended for a sends worker on 2 cores: a process waits on the SMTP server for most "
                             "of a message, so two per core keep both cores busy)")
    parser.add_argument("--smtp-thread", action="store_true",
                        help="run the SMTP server in a thread of this process, as the issue's reference figure "
                             "(~400/s) did: it then shares the interpreter lock with the queueing side and the "
                             "bare client")
    args = parser.parse_args(argv)

    # The SMTP server first, in its own process (or thread), before Django and its connections exist.
    context = multiprocessing.get_context("fork")
    counter, stop, port = context.Value("q", 0), context.Event(), free_port()
    server: Any
    if args.smtp_thread:
        server = threading.Thread(target=serve_smtp, args=(port, counter, stop), daemon=True)
    else:
        server = context.Process(target=serve_smtp, args=(port, counter, stop), daemon=True)
    server.start()
    server_pid = os.getpid() if args.smtp_thread else server.pid
    sink = CountingSink(counter)
    wait_for(lambda: _listening(port), 30)

    from bench.portfolio import use_database

    # As in production: DEBUG off in this process (queueing) and in the worker (same environment).
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    use_database(os.environ.get("BENCH_MESSAGES_DATABASE", "collections_bench_messages"))
    import logging

    import redis
    from django.conf import settings
    from django.db import transaction
    from django.db.models import Count

    from communications.constants import DELIVERY_BATCH_SIZE, MessageStatus
    from communications.models import Message
    from communications.services import MessageSpec, messages_request, templates_seed_defaults

    logging.getLogger("communications").setLevel(logging.WARNING)
    templates_seed_defaults()
    gc.freeze()  # queueing stands in for the cadence sweep, a task in a worker process, which freezes its start
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    db = settings.DATABASES["default"]
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}", "LOG_LEVEL": "WARNING",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    n = args.messages
    print(f"messages bench: {args.rounds} rounds of {n} messages, batch {DELIVERY_BATCH_SIZE} per task, "
          f"{args.concurrency} worker processes, SMTP server in a "
          f"{'thread of the bench' if args.smtp_thread else 'process of its own'}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    rounds: list[tuple[float, float]] = []
    cpu: dict[str, float] = {}
    bare_cpu: dict[str, float] = {}
    bare_count = 0
    with tempfile.TemporaryDirectory() as tmp:
        worker = start_worker(env, args.concurrency, Path(tmp) / "worker.log")
        try:
            # Not measured: each pool process's start (billiard's after-fork set-up alone imports cffi and
            # pycparser, ~0.1 s of CPU) and first batches (connections, templates, the gate's modules), as a
            # long-running worker has them behind it.
            warm = make_accounts(100 * args.concurrency)
            count_before = sink.count
            for chunk in range(0, len(warm), 100):
                with transaction.atomic():
                    messages_request([MessageSpec(account=a, channel="email", template_code="payment_reminder")
                                      for a in warm[chunk:chunk + 100]], source="cadence")
            wait_for(lambda since=count_before: sink.count - since >= len(warm), 300)
            for number in range(1, args.rounds + 1):
                accounts = make_accounts(n)
                # End to end: gate + render + outbox row in the producer; gate again + SMTP in the workers.
                cpu_before = cpu_by_part(worker.pid, server_pid, db["NAME"])
                started = time.perf_counter()
                count_before = sink.count
                for chunk in range(0, n, 100):  # as a cadence sweep does: a batch of due steps per transaction
                    with transaction.atomic():
                        messages_request([MessageSpec(account=a, channel="email", template_code="payment_reminder")
                                          for a in accounts[chunk:chunk + 100]], source="cadence")
                queued_in = time.perf_counter() - started
                wait_for(lambda since=count_before: sink.count - since >= n, 600)
                e2e = n / (time.perf_counter() - started)
                round_cpu = {part: seconds - cpu_before[part]
                             for part, seconds in cpu_by_part(worker.pid, server_pid, db["NAME"]).items()}
                add_cpu(cpu, round_cpu)
                wait_for(lambda accounts=accounts: not Message.objects.filter(
                    account__in=accounts, status__in=["queued", "sending"]).exists(),
                    120)  # the last batches record their outcome after the hand-over
                statuses = dict(Message.objects.filter(account__in=accounts).values_list("status")
                                .annotate(c=Count("id")).values_list("status", "c"))
                # Baseline 1: the same messages, handed over by a bare smtplib client.
                same = list(Message.objects.filter(account__in=accounts, status=MessageStatus.SENT).order_by("id"))
                before = {"client": _cpu(os.getpid()), "smtp server": _cpu(server_pid)}
                bare = bare_smtp(port, same, sink)
                used = {part: _cpu(pid) - before[part]
                        for part, pid in (("client", os.getpid()), ("smtp server", server_pid))}
                add_cpu(bare_cpu, {"client + smtp server": used["client"]} if args.smtp_thread else used)
                bare_count += len(same)
                rounds.append((e2e, bare))
                print(f"  round {number}: end to end {e2e:7.1f}/s (queueing alone {n / queued_in:.1f}/s; "
                      f"statuses {statuses}), bare SMTP {bare:7.1f}/s, ratio {e2e / bare:.0%}; CPU per message "
                      f"{1000 * sum(round_cpu.values()) / n:.2f} ms (workers "
                      f"{1000 * (round_cpu['worker main'] + round_cpu['worker children']) / n:.2f}) against "
                      f"{1000 * sum(used.values()) / len(same):.2f} ms; load average {os.getloadavg()[0]:.1f}",
                      flush=True)
            # Baseline 2: no-op tasks through the same broker and workers.
            noop = noop_tasks(n, broker)
        finally:
            worker.terminate()
            worker.wait(30)
            stop.set()
            server.join(10)
    e2e = statistics.median(r[0] for r in rounds)
    bare = statistics.median(r[1] for r in rounds)
    ratio = statistics.median(r[0] / r[1] for r in rounds)
    print(f"  end to end        {e2e:8.1f} messages/s   (median of {len(rounds)} rounds)")
    print(f"  bare SMTP         {bare:8.1f} messages/s   (one smtplib connection, same messages, same server)")
    print(f"  no-op Celery task {noop:8.1f} tasks/s")
    print(f"  ratio end to end / bare SMTP = {ratio:.0%} (median of the rounds' ratios; target ≥ 70 %);  "
          f"/ no-op tasks = {e2e / noop:.0%}")
    print(f"  CPU per message end to end: {per_message(cpu, n * len(rounds))}")
    print(f"  CPU per message bare SMTP:  {per_message(bare_cpu, bare_count)}")
    print(f"  load average at the end {os.getloadavg()[0]:.1f}")
    return 0
