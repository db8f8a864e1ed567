"""`make run`: engines, schema, demo data, then web + worker + beat until Ctrl-C.

PostgreSQL and Redis come from DATABASE_URL / REDIS_URL when set, else embedded engines start in
./.var (see scripts/services.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import services

ROOT = services.ROOT
PY = sys.executable
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")
DEMO_ACCOUNTS = os.environ.get("DEMO_ACCOUNTS", "2000")


def main() -> int:
    env = {**os.environ, **services.environment("run")}
    env.setdefault("DEBUG", "1")
    mail = services.VAR / "mail"  # the demo's e-mails as files (one per message), not in this terminal
    env.setdefault("EMAIL_URL", f"filemail:///{mail}")  # django-environ drops one slash of an absolute path

    def manage(*args: str) -> None:
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)

    manage("migrate", "--noinput", "-v", "0")
    manage("seed_demo", "--accounts", DEMO_ACCOUNTS, "--if-empty")
    manage("refresh_eligibility_facts", "--verbosity", "0")
    manage("seed_demo_strategies")
    processes = {
        "web": [PY, "-m", "gunicorn", "collections_app.wsgi", "-b", f"{HOST}:{PORT}", "-w", "3", "--threads", "4",
                "--access-logfile", "-", "--log-level", "warning"],
        "worker": [PY, "-m", "celery", "-A", "collections_app", "worker", "-l", "warning", "-c", "2",
                   "-Q", "celery,sends,imports,analytics"],
        "beat": [PY, "-m", "celery", "-A", "collections_app", "beat", "-l", "warning",
                 "-s", str(services.VAR / "celerybeat-schedule")],
    }
    running = {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in processes.items()}
    time.sleep(2)
    print(
        f"""
  Collections platform is running at http://{HOST}:{PORT}/

    Staff desk ........ http://{HOST}:{PORT}/
    Back office ....... http://{HOST}:{PORT}/admin/
    API docs .......... http://{HOST}:{PORT}/api/v1/docs/

  Demo logins (password for all: collect-demo)
    admin        administrator, every client
    supervisor   supervisor, Acme Bank + Initech Health
    collector    collector, Acme Bank
    collector2   collector, Acme Bank + Initech Health
    globex       collector, Globex Retail only
    compliance   compliance officer (read-only)

  The demo cadence runs every minute: e-mails land in {env["EMAIL_URL"].removeprefix("filemail://")},
  texts in .var/sms.log, letters in print batches (Back office → Print batches).

  Ctrl-C stops web, worker and beat; `make stop` stops the embedded engines.
""",
        flush=True,
    )

    def stop(*_: object) -> None:
        for proc in running.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in running.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while True:
        for name, proc in running.items():
            if proc.poll() is not None:
                print(f"{name} exited with {proc.returncode}; stopping.", file=sys.stderr)
                stop()
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
