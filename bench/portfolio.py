"""Shared helper: the benchmark databases, and the 1,000,000-account demo portfolio in ``collections_bench``.

``ensure_portfolio(accounts=1_000_000)`` points Django at database ``collections_bench`` (or ``$BENCH_DATABASE``; creating
and migrating it when missing) and runs the demo seeder only when fewer accounts exist. Call it
before anything touches the database.
"""

from __future__ import annotations

import os
import time
from urllib.parse import urlsplit, urlunsplit

BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "collections_bench")  # a copy per developer: CREATE DATABASE … TEMPLATE
DEFAULT_URL = "postgres://root@127.0.0.1:5432/collections"


def database_url(name: str) -> str:
    """DATABASE_URL with the database name replaced."""
    parts = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    return urlunsplit(parts._replace(path="/" + name))


def _admin_connect():  # type: ignore[no-untyped-def]
    import psycopg

    parts = urlsplit(database_url("postgres"))
    return psycopg.connect(urlunsplit(parts), autocommit=True)


def create_database(name: str, *, fresh: bool = False) -> None:
    """Create database ``name`` if missing (``fresh``: drop it first)."""
    from psycopg import sql

    with _admin_connect() as conn:
        if fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    from psycopg import sql

    with _admin_connect() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def use_database(name: str, *, fresh: bool = False) -> str:
    """Point this process (and the children it starts) at database ``name``, created and migrated."""
    create_database(name, fresh=fresh)
    url = database_url(name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")
    os.environ.setdefault("DEBUG", "1")
    import django
    from django.apps import apps

    if apps.ready:  # already set up in this process: switch the connection over
        from django.conf import settings
        from django.db import connections

        connections["default"].close()
        settings.DATABASES["default"]["NAME"] = name
    else:
        django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def ensure_portfolio(accounts: int = 1_000_000, *, seed: int = 1) -> int:
    """The demo portfolio in ``collections_bench`` with at least ``accounts`` accounts; returns the count."""
    use_database(BENCH_DATABASE)
    from django.core.management import call_command

    from collections_app.models import Account

    existing = Account.objects.count()
    if existing < accounts:
        started = time.perf_counter()
        print(f"seeding {accounts - existing:,} demo accounts into {BENCH_DATABASE} (once) …", flush=True)
        call_command("seed_demo", accounts=accounts - existing, seed=seed, verbosity=1)
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
        existing = Account.objects.count()
    return existing
