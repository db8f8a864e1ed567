"""Portfolio import: 1,000,000 generated rows end to end (rows/s, peak memory) against a raw COPY of the file.

Steps, all in one run:

1. generate a deterministic standard-layout CSV (cached under .var/bench/; 0.1 % of the rows are
   bad in the ways the contract lists, so the error path is measured too);
2. baseline: ``COPY`` the same file, untouched, into a bare table of 28 text columns in the same
   database — the machine's limit for moving these bytes into PostgreSQL;
3. the real thing: ``manage.py import_portfolio`` in a child process (so its peak memory —
   ``ru_maxrss`` of the child — is the import's alone), into a fresh database;
4. the same file again: it must create nothing and report every good row unchanged.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.portfolio import use_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("BENCH_IMPORT_DATABASE", "collections_bench_import")  # a name per developer
CLIENT = "Bench Bank"
COLUMNS = (
    "account_ref", "debtor_ref", "debtor_kind", "first_name", "last_name", "business_name", "date_of_birth",
    "address_line1", "address_line2", "city", "state", "postal_code", "phone_mobile", "phone_home", "phone_work",
    "email", "original_creditor", "current_creditor", "product", "account_kind", "principal", "interest", "fees",
    "open_date", "delinquency_date", "charge_off_date", "last_payment_date", "itemization_date",
)  # fmt: skip
BAD_KINDS = ("date", "negative", "state", "missing_ref", "duplicate_ref", "phone")


def _phone(rng: random.Random, area_code: str) -> str:
    line = f"{rng.randint(0, 9999):04d}"
    style = rng.random()
    if style < 0.5:
        return f"({area_code}) 555-{line}"
    if style < 0.8:
        return f"{area_code}-555-{line}"
    return f"+1{area_code}555{line}"


def generate(path: Path, rows: int, seed: int) -> int:
    """Write ``rows`` rows (header excluded); returns how many are bad on purpose."""
    from collections_app.demo import people

    rng = random.Random(seed)
    bad = 0
    written = 0
    debtor = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        while written < rows:
            debtor += 1
            place = people.pick_place(rng)
            business = rng.random() < 0.08
            first, last = (people.person_name(rng).split(" ", 1)) if not business else ("", "")
            company = people.business_name(rng) if business else ""
            born = dt.date(rng.randint(1945, 2003), rng.randint(1, 12), rng.randint(1, 28))
            dob = "" if business else born.isoformat()
            zip_code = place.zip_code + (f"-{rng.randint(0, 9999):04d}" if rng.random() < 0.1 else "")
            mobile = _phone(rng, rng.choice(place.area_codes))
            home = _phone(rng, rng.choice(place.area_codes)) if rng.random() < 0.3 else ""
            work = _phone(rng, rng.choice(place.area_codes)) if rng.random() < 0.15 else ""
            email = f"{(first or 'ap').lower()}.{debtor}@Example.com" if rng.random() < 0.7 else ""
            street = people.street(rng)
            for _ in range(min(rows - written, rng.choices((1, 2, 3), (80, 16, 4))[0])):
                written += 1
                product = people.pick_product(rng)
                charge_off = dt.date(2026, 1, 1) - dt.timedelta(days=rng.randint(30, 2000))
                delinquency = charge_off - dt.timedelta(days=rng.randint(120, 200))
                last_payment = delinquency - dt.timedelta(days=rng.randint(1, 40))
                opened = last_payment - dt.timedelta(days=rng.randint(200, 3000))
                principal = f"{rng.lognormvariate(7.0, 0.9):.2f}"
                row = [
                    f"A{written:08d}", f"C{debtor:07d}", "business" if business else "person", first, last, company,
                    dob, street, "", place.city, place.state, zip_code, mobile, home, work, email,
                    people.original_creditor(rng, product, CLIENT), CLIENT, product,
                    "commercial" if business else "consumer", principal,
                    f"{float(principal) * rng.uniform(0, 0.25):.2f}",
                    rng.choice(("0.00", "25.00", "35.00", "")), opened.isoformat(), delinquency.isoformat(),
                    charge_off.isoformat(), last_payment.isoformat(), charge_off.isoformat(),
                ]
                if written % 1000 == 500:  # one bad row in a thousand, each kind in turn
                    bad += 1
                    kind = BAD_KINDS[(written // 1000) % len(BAD_KINDS)]
                    if kind == "date":
                        row[COLUMNS.index("open_date")] = "2021-02-30"
                    elif kind == "negative":
                        row[COLUMNS.index("principal")] = "-12.50"
                    elif kind == "state":
                        row[COLUMNS.index("state")] = "ZZ"
                    elif kind == "missing_ref":
                        row[COLUMNS.index("account_ref")] = ""
                    elif kind == "duplicate_ref":
                        row[COLUMNS.index("account_ref")] = f"A{written - 1:08d}"
                    else:
                        row[COLUMNS.index("phone_mobile")] = "555-0100"
                writer.writerow(row)
    tmp.rename(path)
    return bad


def _expected_bad(rows: int) -> int:
    return sum(1 for n in range(1, rows + 1) if n % 1000 == 500)


def copy_baseline(path: Path) -> float:
    """Seconds to COPY the file as it is into a bare table (text columns, no indexes)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_copy")
        cursor.execute(f"CREATE TABLE bench_raw_copy ({', '.join(c + ' text' for c in COLUMNS)})")
    started = time.perf_counter()
    copy_sql = "COPY bench_raw_copy FROM STDIN (FORMAT csv, HEADER)"
    with connection.cursor() as cursor, cursor.copy(copy_sql) as copy, path.open("rb") as handle:
        while block := handle.read(1 << 20):
            copy.write(block)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_copy")
    return elapsed


def _postmaster() -> int | None:
    """The database server's main process, when it runs on this machine and /proc shows it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
        try:  # while the backend is alive: its parent is the server's main process
            return int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            return None
        finally:
            connection.close()


def server_cpu(postmaster: int | None) -> float | None:
    """CPU seconds used so far by the server: the main process, the backends that ended (it waited
    for them) and the processes running now. Every database's work on that server counts."""
    if postmaster is None:
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def times(pid: str | int) -> list[int]:
        return [int(x) for x in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1:15]]

    try:
        main = times(postmaster)
    except OSError:
        return None
    total = sum(main[10:14])  # utime, stime, cutime, cstime
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = times(pid)
        except OSError:
            continue
        if fields[0] == postmaster:
            total += fields[10] + fields[11]
    return total / tick


class DatabaseBackends:
    """CPU seconds of the server's backends connected to one database, sampled every 0.1 s while a
    load runs (a backend's last 0.1 s before it exits can be missed): the import's own database
    work, without the other databases' on a shared server."""

    def __init__(self, postmaster: int | None, database: str) -> None:
        self.postmaster, self.tag = postmaster, f" {database} ".encode()
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _sample(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                if int(stat[1]) != self.postmaster or self.tag not in Path(f"/proc/{pid}/cmdline").read_bytes():
                    continue
            except (OSError, IndexError, ValueError):
                continue
            self.seen[int(pid)] = (int(stat[11]) + int(stat[12])) / tick

    def _poll(self) -> None:
        while not self._stop.wait(0.1):
            self._sample()

    def __enter__(self) -> DatabaseBackends:
        if self.postmaster is not None:
            self._sample()
            self.before = dict(self.seen)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.postmaster is not None:
            self._stop.set()
            self._thread.join()
            self._sample()

    @property
    def cpu(self) -> float | None:
        if self.postmaster is None:
            return None
        return sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self.seen.items())


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_import(path: Path, extra: list[str]) -> tuple[float, int, str, float]:
    """(seconds, peak RSS in bytes, last output line, CPU seconds) of ``manage.py import_portfolio`` in a child
    process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cpu_before = _cpu_children()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "import_portfolio", str(path), "--client", CLIENT, "--verbosity", "0",
         *extra],
        cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak_kib <= before:
        print("  (peak memory of this child not above an earlier child's; figure below is the earlier maximum)")
    return elapsed, peak_kib * 1024, done.stdout.strip().splitlines()[-1], _cpu_children() - cpu_before


def _cpu_line(rows: int, process_cpu: float, database_cpu: float | None, backends_cpu: float | None) -> str:
    """CPU seconds of the import's process and of the database server, and per 1,000 rows: what two
    cores must supply, which the machine's load disturbs far less than the wall time."""
    parts = [f"import process {process_cpu:5.1f} s ({process_cpu / rows * 1e6:.1f} µs/row)"]
    if database_cpu is not None:
        parts.append(f"database server {database_cpu:5.1f} s ({database_cpu / rows * 1e6:.1f} µs/row; the whole "
                     "server: other databases' work on it counts too)")
        total = process_cpu + database_cpu
        parts.append(f"together {total:.1f} s = at best {total / 2:.1f} s on 2 cores")
    line = "cpu       " + ", ".join(parts)
    if backends_cpu is not None:
        total = process_cpu + backends_cpu
        line += (f"\n          of which this database's backends {backends_cpu:5.1f} s ({backends_cpu / rows * 1e6:.1f} "
                 f"µs/row; without WAL writer, checkpointer, other databases): with the process {total:.1f} s = "
                 f"at best {total / 2:.1f} s on 2 cores")
    return line


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench import", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--audit-inserts", action="store_true", help="Also write per-row insert history.")
    parser.add_argument("--keep", action="store_true", help=f"Keep database {DATABASE} afterwards.")
    args = parser.parse_args(argv)

    use_database(DATABASE, fresh=True)
    from django.db import connection

    from collections_app.models import Account, CaseEvent, Client, Debtor, ImportJob

    path = ROOT / ".var" / "bench" / f"portfolio-{args.rows}-s{args.seed}.csv"
    if not path.exists():
        started = time.perf_counter()
        generate(path, args.rows, args.seed)
        print(f"generated {path.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")
    expected_bad = _expected_bad(args.rows)
    size_mb = path.stat().st_size / 1e6
    Client.objects.get_or_create(name=CLIENT)
    with connection.cursor() as cursor:  # figures depend on these: print them (bench/README.md, "import")
        cursor.execute("select name, current_setting(name) from pg_settings where name in "
                       "('server_version', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_buffers', "
                       "'synchronous_commit') order by name")
        settings = ", ".join(f"{name} {value}" for name, value in cursor.fetchall())
    print(f"server: {connection.settings_dict['HOST']}:{connection.settings_dict['PORT']}, {settings}")
    connection.close()
    cpu = os.cpu_count()
    load = os.getloadavg()[0]
    print(f"file: {args.rows:,} rows, {size_mb:.0f} MB, {expected_bad:,} bad on purpose; {cpu} cores, "
          f"load average {load:.1f} at start (other work on the machine shares these cores)")

    copy_seconds = copy_baseline(path)
    copy_rate = args.rows / copy_seconds
    print(f"baseline  raw COPY of the file into a bare table: {copy_seconds:6.1f} s  {copy_rate:9,.0f} rows/s")
    connection.close()

    extra = ["--audit-inserts"] if args.audit_inserts else []
    postmaster = _postmaster()
    server_before = server_cpu(postmaster)
    with DatabaseBackends(postmaster, DATABASE) as backends:
        seconds, peak, summary, process_cpu = run_import(path, extra)
    server_after = server_cpu(postmaster)
    rate = args.rows / seconds
    job = ImportJob.objects.order_by("-id").first()
    assert job is not None
    print(f"import    manage.py import_portfolio (end to end):  {seconds:6.1f} s  {rate:9,.0f} rows/s  "
          f"peak RSS {peak / 2**20:,.0f} MiB{'  (with per-row insert history)' if args.audit_inserts else ''}")
    print(f"          {summary}")
    print(_cpu_line(args.rows, process_cpu, None if server_before is None or server_after is None
                    else server_after - server_before, backends.cpu))
    print(f"ratio     import / raw COPY = {rate / copy_rate:.2f}  (target ≥ 40,000 rows/s, < 1 GiB)")
    print(f"          database now: {Debtor.objects.count():,} debtors, {Account.objects.count():,} accounts, "
          f"{CaseEvent.objects.count():,} events")
    ok = job.rejected == expected_bad and job.created == args.rows - expected_bad
    print(f"check     rejected {job.rejected:,} of {expected_bad:,} bad rows, created {job.created:,}: "
          f"{'ok' if ok else 'MISMATCH'}")
    connection.close()

    server_before = server_cpu(postmaster)
    with DatabaseBackends(postmaster, DATABASE) as backends:
        seconds2, _, summary2, process_cpu2 = run_import(path, extra)
    server_after = server_cpu(postmaster)
    again = ImportJob.objects.order_by("-id").first()
    assert again is not None
    ok2 = again.created == 0 and again.updated == 0 and again.unchanged == args.rows - expected_bad
    print(f"again     the same file a second time: {seconds2:6.1f} s  {args.rows / seconds2:9,.0f} rows/s — "
          f"created {again.created}, updated {again.updated}, unchanged {again.unchanged:,}: "
          f"{'ok' if ok2 else 'MISMATCH'}")
    print(f"          {summary2}")
    print(_cpu_line(args.rows, process_cpu2, None if server_before is None or server_after is None
                    else server_after - server_before, backends.cpu))
    print(f"load      average {os.getloadavg()[0]:.1f} at the end")
    connection.close()
    if not args.keep:
        from bench.portfolio import drop_database

        drop_database(DATABASE)
    return 0 if ok and ok2 else 1
