"""Payments: posts/s through the ledger service and the API, serial and contended, against a bare locked write.

The baseline, measured in the same run and database, is the least a correct posting can do: lock
the account row, insert one payment row and one ledger row, update the balance, commit. The
service adds what makes it exact and useful: idempotency checks, allocation over components,
plan/promise lookups, the timeline event and status transitions. Contention: threads posting to
one account, each with its own connection (the lock serialises them; nothing may be lost).
Runs in its own database (``collections_bench_money``, created and migrated when missing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

DATABASE = "collections_bench_money"


def _use_database() -> None:
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/collections"))
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{DATABASE}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")
    os.environ.setdefault("DEBUG", "1")
    import psycopg

    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [DATABASE]).fetchone():
            conn.execute(f'create database "{DATABASE}"')


def _setup(accounts: int):  # type: ignore[no-untyped-def]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from collections_app.models import Account, Client, Debtor

    stamp = time.strftime("%Y%m%d%H%M%S")
    client = Client.objects.create(name=f"Bench payments {stamp}")
    user = User.objects.create(username=f"bench-{stamp}", role="collector")
    client.members.add(user)
    debtor = Debtor.objects.create(client=client, name="Bench Debtor", timezones=["America/Chicago"])
    rows = [
        Account(client=client, debtor=debtor, reference=f"B{stamp}-{i}", principal=Decimal("900.00"),
                interest=Decimal("80.00"), fees=Decimal("20.00"), principal_balance=Decimal("900.00"),
                interest_balance=Decimal("80.00"), fees_balance=Decimal("20.00"))
        for i in range(accounts)
    ]
    return user, Account.objects.bulk_create(rows)


def _bare_post(account_id: int, amount: Decimal) -> None:
    from django.db import transaction
    from django.utils import timezone

    from collections_app.models import Account, LedgerEntry, Payment

    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account_id)
        payment = Payment.objects.create(client_id=account.client_id, account=account, amount=amount,
                                         received_at=timezone.now(), method="card")
        LedgerEntry.objects.create(account=account, kind="allocation", component="principal", amount=-amount,
                                   payment=payment)
        account.principal_balance -= amount
        account.save(update_fields=["principal_balance", "updated_at"])


def _service_post(account_id: int, amount: Decimal, key: str) -> None:
    from django.utils import timezone

    from collections_app.models import Account
    from collections_app.services.payments import payment_post

    payment_post(account=Account(pk=account_id, client_id=_CLIENT[0]), amount=amount, received_at=timezone.now(),
                 method="card", external_id=key)


_CLIENT: list[int] = []


def _timed(fn, items) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    latencies = []
    started = time.perf_counter()
    for item in items:
        t = time.perf_counter()
        fn(item)
        latencies.append(time.perf_counter() - t)
    return time.perf_counter() - started, latencies


def _threads(fn, threads: int, per_thread: int) -> float:  # type: ignore[no-untyped-def]
    from django.db import connection

    barrier = threading.Barrier(threads)

    def run(t: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                fn(t, i)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - started


def _line(name: str, count: int, seconds: float, latencies: list[float] | None = None) -> float:
    rate = count / seconds
    extra = ""
    if latencies:
        ordered = sorted(latencies)
        extra = (f"  p50 {statistics.median(ordered) * 1000:6.2f} ms  "
                 f"p95 {ordered[int(len(ordered) * 0.95) - 1] * 1000:6.2f} ms")
    print(f"  {name:<44} {count:>6} in {seconds:6.2f} s  {rate:8.1f}/s{extra}")
    return rate


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench payments", description=__doc__)
    parser.add_argument("--posts", type=int, default=500, help="serial posts per variant (default 500)")
    parser.add_argument("--threads", type=int, default=8, help="threads for the contended run (default 8)")
    parser.add_argument("--per-thread", type=int, default=40, help="posts per thread (default 40)")
    args = parser.parse_args(argv)
    _use_database()
    n = args.posts
    user, accounts = _setup(accounts=3 * n + 2)
    _CLIENT.append(accounts[0].client_id)
    from django.db import connection
    from rest_framework.test import APIClient

    from collections_app.models import Account
    from collections_app.services.ledger import ledger_reconcile

    print(f"payments benchmark — database {DATABASE}; machine: {os.cpu_count()} cores, shared with other work")
    print("serial, one post per account:")
    amount = Decimal("10.00")
    bare_s, bare_lat = _timed(lambda a: _bare_post(a.id, amount), accounts[:n])
    bare = _line("baseline: lock + payment + ledger row + update", n, bare_s, bare_lat)
    svc_s, svc_lat = _timed(lambda a: _service_post(a.id, amount, f"svc-{a.id}"), accounts[n:2 * n])
    svc = _line("payment_post service", n, svc_s, svc_lat)
    api = APIClient(SERVER_NAME="localhost")
    api.force_authenticate(user)
    api_s, api_lat = _timed(lambda a: api.post("/api/v1/payments/", {
        "account": a.id, "amount": "10.00", "received_at": "2026-01-01T00:00:00Z", "method": "card",
        "external_id": f"api-{a.id}"}, format="json"), accounts[2 * n:3 * n])
    api_rate = _line("POST /api/v1/payments/ (in-process client)", n, api_s, api_lat)
    replay_s, replay_lat = _timed(lambda a: _service_post(a.id, amount, f"svc-{a.id}"), accounts[n:2 * n])
    replay = _line("idempotent replay (same external_id)", n, replay_s, replay_lat)
    print(f"  ratio service/baseline {svc / bare:.2f}; API/baseline {api_rate / bare:.2f}; "
          f"replay/baseline {replay / bare:.2f}")

    hot_bare, hot_svc = accounts[-2], accounts[-1]
    total = args.threads * args.per_thread
    small = Decimal("0.01")
    connection.close()
    print(f"contended: {args.threads} threads x {args.per_thread} posts on one account:")
    bare_c = _line("baseline", total, _threads(lambda t, i: _bare_post(hot_bare.id, small), args.threads,
                                               args.per_thread))
    svc_c = _line("payment_post service", total, _threads(
        lambda t, i: _service_post(hot_svc.id, small, f"hot-{t}-{i}"), args.threads, args.per_thread))
    print(f"  ratio service/baseline {svc_c / bare_c:.2f}")
    hot = Account.objects.get(pk=hot_svc.id)
    expected = Decimal("1000.00") - small * total
    ok = hot.balance == expected and ledger_reconcile(hot) == []
    print(f"  exactness: balance {hot.balance} (expected {expected}), ledger reconciles: {ok}")
    return 0 if ok else 1
