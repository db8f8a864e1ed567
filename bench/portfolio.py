"""The 1,000,000-account demo portfolio that benchmarks share, in database ``collections_bench``.

``use_bench_database()`` points Django at it (before ``django.setup()``); ``ensure_portfolio()``
creates and migrates the database and seeds it only when it holds fewer accounts than asked for.
An advisory lock makes concurrent benchmark runs wait for one seeding instead of doubling it.
"""

import os
import time

BENCH_DATABASE_URL = "postgres://root@127.0.0.1:5432/collections_bench"
SEED = 1
LOCK_KEY = 0x0BE4C4  # pg_advisory_lock key for seeding


def use_bench_database() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", BENCH_DATABASE_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")
    os.environ.setdefault("DEBUG", "1")
    return url


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))


def ensure_portfolio(accounts: int = 1_000_000) -> int:
    """Make sure the bench database holds at least ``accounts`` accounts; return how many it holds."""
    url = use_bench_database()
    _create_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from tqdm import tqdm

    from collections_app.demo.seeder import seed_portfolio
    from collections_app.models import Account

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("select pg_advisory_lock(%s)", [LOCK_KEY])
    try:
        have = Account.objects.count()
        if have < accounts:
            started = time.perf_counter()
            with tqdm(total=accounts - have, unit="acct", desc="seeding bench portfolio") as bar:
                seed_portfolio(accounts=accounts - have, seed=SEED + have, as_of=timezone.localdate(),
                               progress=bar.update)
            print(f"seeded {accounts - have:,} accounts in {time.perf_counter() - started:.0f} s")
            have = Account.objects.count()
        return have
    finally:
        with connection.cursor() as cursor:
            cursor.execute("select pg_advisory_unlock(%s)", [LOCK_KEY])


if __name__ == "__main__":
    print(f"{ensure_portfolio():,} accounts ready")
