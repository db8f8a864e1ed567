"""Running an import job: read the file in chunks, check them, load them, count what happened.

Reading and checking (Arrow and pandas column operations) run in a thread of their own while
the database applies earlier chunks. A portfolio is loaded by ``LANES`` threads, each on its own
database connection: every chunk is split by debtor (a hash of ``debtor_ref``), so the lanes
never touch the same debtor, and each lane applies its part of a chunk in one transaction —
PostgreSQL then works on every core while the next chunk is being checked. Each transaction
moves the job's counters with it, so the job shows exactly what is in the database at every
moment. One import of a client runs at a time (``client_import_lock``).
"""

from __future__ import annotations

import contextlib
import csv
import gc
import hashlib
import io
import json
import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import pghistory
import pgtrigger
import pyarrow as pa
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from collections_app.imports.columns import (
    PORTFOLIO_COLUMNS,
    PORTFOLIO_REQUIRED,
    TRANSACTION_COLUMNS,
    TRANSACTION_REQUIRED,
    LayoutError,
    layout_of,
    missing_required,
    resolve_columns,
)
from collections_app.imports.portfolio_load import ChunkResult, PortfolioLoader, known_references
from collections_app.imports.portfolio_rows import PortfolioRows, Prepared
from collections_app.imports.reader import SUFFIXES, FileUnreadable, chunks, count_rows, read_header
from collections_app.imports.transactions import TransactionLoader, TransactionRows
from collections_app.models import Client, ColumnMapping, ImportJob, ImportKind, ImportRowError, ImportStatus

CHUNK_ROWS = 50_000
# The first chunk of a portfolio: smaller, so the database starts working sooner (it waits for it).
FIRST_CHUNK_ROWS = 10_000
# Loading lanes (threads with a connection each) for a portfolio of more than one chunk.
LANES = 2
KNOWN_COLUMNS = tuple(dict.fromkeys(PORTFOLIO_COLUMNS + TRANSACTION_COLUMNS))

# Per-row history of the rows an import *creates* is not written (bench/README.md, "Audit"): the
# job (who, when, which file by its SHA-256, what it counted) is, under one history context that
# every later change by the import also carries.
INSERT_HISTORY_TRIGGERS = (
    "collections_app.Debtor:insert_insert",
    "collections_app.Address:insert_insert",
    "collections_app.Phone:insert_insert",
    "collections_app.Email:insert_insert",
    "collections_app.Account:insert_insert",
)


def _insert_history_triggers() -> tuple[str, ...]:
    """The database names of the history triggers on inserts of the tables an import fills."""
    return tuple(trigger.get_pgid(model) for model, trigger in pgtrigger.registry.registered(*INSERT_HISTORY_TRIGGERS))


def _insert_mode(audit_inserts: bool) -> str:
    """How rows the import creates are written (see PortfolioLoader._inserting)."""
    if audit_inserts:
        return "audited"
    if settings.IMPORT_INSERT_MODE in ("audited", "untracked", "replica"):
        return str(settings.IMPORT_INSERT_MODE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return "replica" if row and row[0] else "untracked"


T = TypeVar("T")
_DONE = object()


class MappingError(ValueError):
    """A mapping file that is not a JSON object of header → standard column."""


def mapping_from_json(text: str) -> tuple[dict[str, str], str]:
    """``{"columns": {"their header": "our column"}, "date_format": "%d.%m.%Y"}`` (or just the columns)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MappingError(f"the mapping is not JSON: {exc}") from exc
    columns = data.get("columns", data) if isinstance(data, dict) else None
    if not isinstance(columns, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items()):
        raise MappingError('the mapping must be {"columns": {"their header": "standard column", ...}}')
    date_format = data.get("date_format", "") if "columns" in data else ""
    if not isinstance(date_format, str):
        raise MappingError("date_format must be a string such as %d.%m.%Y")
    unknown = sorted(set(columns.values()) - set(KNOWN_COLUMNS))
    if unknown:
        raise MappingError(f"the mapping names columns we do not have: {', '.join(unknown)}")
    return columns, date_format


def column_mapping_save(*, client: Client, name: str, columns: dict[str, str], date_format: str = "") -> ColumnMapping:
    mapping, _ = ColumnMapping.objects.update_or_create(
        client=client, name=name, defaults={"columns": columns, "date_format": date_format}
    )
    return mapping


@contextlib.contextmanager
def client_import_lock(client_id: int) -> Iterator[None]:
    """Hold the client's import lock (a PostgreSQL advisory lock of this session) while a job runs:
    a second import of the same client, portfolio or feed, waits for the first to finish."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext('collections_import'), %s)", [client_id])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext('collections_import'), %s)", [client_id])


def _in_background(items: Iterator[T], work: Callable[[T], Any], depth: int = 2) -> Generator[Any, None, None]:
    """``work(item)`` for each item, computed one or two items ahead in a second thread."""
    results: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        # What exists before the import (Django, the modules) and what the first chunk loads for good
        # (phone-number metadata, the checks' caches) is left out of the per-chunk collections below:
        # a full collection over all of it took up to 0.3 s a chunk, with the interpreter lock held.
        # (Not frozen after every chunk: the lanes' objects of the moment would never be collected.)
        gc.freeze()
        try:
            for number, item in enumerate(items):
                result = work(item)
                del item
                # A chunk's frames sit in reference cycles (pandas accessors, closures); collect them
                # now so their Arrow buffers are freed per chunk, not whenever the GC next runs.
                gc.collect()
                if number == 0:
                    gc.freeze()
                while not stop.is_set():
                    try:
                        results.put(result, timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            results.put(_DONE)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            results.put(exc)
        finally:
            gc.unfreeze()

    thread = threading.Thread(target=produce, name="import-reader", daemon=True)
    thread.start()
    try:
        while (result := results.get()) is not _DONE:
            if isinstance(result, BaseException):
                raise result
            yield result
    finally:
        stop.set()
        if thread is not threading.current_thread():
            thread.join(timeout=5)


@dataclass
class Layout:
    kind: str
    present: set[str]


def _layout(path: Path, mapping: dict[str, str] | None, kind: str | None) -> Layout:
    if path.suffix.lower() not in SUFFIXES:
        raise FileUnreadable(f"{path.name}: only .csv and .xlsx files can be imported")
    names = resolve_columns(read_header(path), mapping, KNOWN_COLUMNS)
    kind = kind or layout_of(names)
    required = TRANSACTION_REQUIRED if kind == ImportKind.TRANSACTIONS else PORTFOLIO_REQUIRED
    missing = missing_required(names, required)
    if missing:
        raise FileUnreadable(f"the file has no {', '.join(missing)} column (a mapping file can rename yours)")
    return Layout(kind, {n for n in names if n})


def import_run(
    job: ImportJob,
    path: Path,
    *,
    kind: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int], None] | None = None,
    audit_inserts: bool = False,
    lanes: int | None = None,
) -> ImportJob:
    """Load ``path`` for ``job.client``; the job records progress, counts, errors and duration.

    ``kind`` forces the layout ("portfolio" or "transactions"); by default the columns decide.
    ``lanes``: connections loading a portfolio at once (default: ``LANES`` for a file of more than
    one chunk, run outside a transaction — other connections cannot see uncommitted rows).
    Raises nothing for bad rows (they are the job's row errors); a file that cannot be read
    leaves the job ``failed`` with ``error`` set.
    """
    mapping = job.mapping.columns if job.mapping else None
    date_format = job.mapping.date_format if job.mapping else ""
    job.status, job.started_at, job.error = ImportStatus.RUNNING, timezone.now(), ""
    # The file's SHA-256 in a thread of its own (hashlib lets go of the interpreter lock), beside
    # the first chunk's reading, while the database has nothing to do yet.
    sha256 = None if job.sha256 else _Background(_file_sha256, path)
    try:
        layout = _layout(path, mapping, kind)
        job.rows_total = count_rows(path)
        job.kind = layout.kind
        job.save()
        if lanes is None:
            lanes = LANES if (job.rows_total or 0) > chunk_rows and not connection.in_atomic_block else 1
        with client_import_lock(job.client_id), pghistory.context(**_history_metadata(job)):
            if layout.kind == ImportKind.TRANSACTIONS:
                _run_transactions(job, path, mapping, date_format, layout, chunk_rows, progress)
            else:
                _run_portfolio(job, path, mapping, date_format, layout, chunk_rows, progress, audit_inserts, lanes)
        job.refresh_from_db(fields=["rows_read", "created", "updated", "unchanged", "rejected"])
        job.status = ImportStatus.SUCCEEDED
    except (FileUnreadable, LayoutError, OSError) as exc:
        job.status, job.error = ImportStatus.FAILED, str(exc)
    except Exception:
        job.status, job.error = ImportStatus.FAILED, "stopped by an unexpected error (see the logs)"
        _finish(job, sha256)
        raise
    _finish(job, sha256)
    return job


def import_job_submit(*, client: Client, upload: Any, mapping: ColumnMapping | None = None, kind: str = "",
                      created_by: Any = None) -> tuple[ImportJob, bool]:
    """Keep an uploaded file as a new job and run it: during the request when small (returns
    ``(job, True)``, finished), else in the Celery worker once the caller's transaction commits
    (``(job, False)``, queued). The API and the back office upload through here."""
    from collections_app.imports.tasks import import_job_run  # the task module imports this one

    job = ImportJob(client=client, mapping=mapping, created_by=created_by, filename=Path(upload.name).name,
                    kind=kind or ImportKind.PORTFOLIO)
    job.file.save(job.filename, upload, save=False)
    job.save()
    if upload.size <= settings.IMPORT_INLINE_MAX_BYTES:
        return import_run(job, Path(job.file.path), kind=kind or None), True
    transaction.on_commit(lambda: import_job_run.delay(job.id))
    return job, False


def _finish(job: ImportJob, sha256: _Background[str] | None) -> None:
    if sha256 is not None:
        with contextlib.suppress(OSError):  # an unreadable file is the job's error already
            job.sha256 = sha256.result()
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "sha256", "rows_total", "kind", "updated_at"])


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class _Background(Generic[T]):
    """``function(*args)`` in a thread of its own; ``result()`` waits for it (and raises what it raised)."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        self._outcome: list[Any] = []
        self._thread = threading.Thread(target=self._run, args=(function, args), name="import-background", daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., T], args: tuple[Any, ...]) -> None:
        try:
            self._outcome.append(function(*args))
        except BaseException as exc:  # handed to result()
            self._outcome.append(exc)

    def result(self) -> T:
        self._thread.join()
        (outcome,) = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome  # type: ignore[no-any-return]


def _history_metadata(job: ImportJob) -> dict[str, Any]:
    return {"import_job": job.id, "user": job.created_by_id, "via": "import"}


def _run_portfolio(job: ImportJob, path: Path, mapping: dict[str, str] | None, date_format: str, layout: Layout,
                   chunk_rows: int, progress: Callable[[int], None] | None, audit_inserts: bool, lanes: int) -> None:
    # Arrow's jemalloc pool gives the chunks' buffers back sooner than its default (mimalloc, a heap
    # per thread: the reader and every lane allocate): a million rows peak at ~900 MiB, not ~1 GiB.
    with contextlib.suppress(NotImplementedError):
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    rows = PortfolioRows(layout.present, date_format=date_format, today=timezone.localdate(), lanes=lanes,
                         known=known_references(job.client_id))
    skip_triggers, insert_mode = _insert_history_triggers(), _insert_mode(audit_inserts)

    def loader() -> PortfolioLoader:
        return PortfolioLoader(client_id=job.client_id, job_id=job.id, user_id=job.created_by_id,
                               present=layout.present, skip_triggers=skip_triggers, insert_mode=insert_mode)

    # Closed here, on an error too: left to the garbage collector, the reader thread could end up finalizing it.
    read = chunks(path, mapping, KNOWN_COLUMNS, chunk_rows, first_rows=FIRST_CHUNK_ROWS)
    with contextlib.closing(_in_background(read, rows.prepare)) as prepared:
        if lanes == 1:
            _load_lane(job, loader(), prepared, progress)
            return
        with _Lanes(lanes, lambda parts: _lane_thread(job, loader(), parts, progress)) as running:
            for chunk in prepared:
                for index in range(lanes):
                    running.put(index, chunk.lane(index))


def _load_lane(job: ImportJob, loader: PortfolioLoader, parts: Iterable[Prepared],
               progress: Callable[[int], None] | None) -> None:
    """Apply each part in its own transaction on this thread's connection."""
    loader.setup()
    try:
        for part in parts:
            try:
                with transaction.atomic():
                    result = loader.load(part)
                    _record_chunk(job, part.read, result)
            except IntegrityError:
                # A reference the client did not have when the job started was created by someone
                # else since (the unique constraint says so): the chunk again, every row looked up.
                with transaction.atomic():
                    result = loader.load(part, look_up_all=True)
                    _record_chunk(job, part.read, result)
            if progress and part.read:
                progress(part.read)
    finally:
        loader.teardown()


def _lane_thread(job: ImportJob, loader: PortfolioLoader, parts: queue.Queue[Any],
                 progress: Callable[[int], None] | None) -> None:
    """A lane: its own connection and history context (same metadata as the job's), closed at the end."""
    try:
        with pghistory.context(**_history_metadata(job)):
            _load_lane(job, loader, iter(parts.get, _DONE), progress)
    finally:
        connection.close()


class _Lanes:
    """Threads each consuming its own queue; an error in any of them is raised in the caller."""

    def __init__(self, count: int, target: Callable[[queue.Queue[Any]], None]) -> None:
        self.queues: list[queue.Queue[Any]] = [queue.Queue(maxsize=1) for _ in range(count)]
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._run, args=(target, q), name=f"import-lane-{i}", daemon=True)
                        for i, q in enumerate(self.queues)]

    def _run(self, target: Callable[[queue.Queue[Any]], None], parts: queue.Queue[Any]) -> None:
        try:
            target(parts)
        except BaseException as exc:  # handed to the caller
            self.errors.append(exc)
            while True:  # keep draining so the caller never blocks on this lane
                if parts.get() is _DONE:
                    return

    def put(self, index: int, item: Any) -> None:
        if self.errors:
            raise self.errors[0]
        self.queues[index].put(item)

    def __enter__(self) -> _Lanes:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for parts in self.queues:
            parts.put(_DONE)
        for thread in self.threads:
            thread.join()
        if self.errors and exc[0] is None:
            raise self.errors[0]


def _run_transactions(job: ImportJob, path: Path, mapping: dict[str, str] | None, date_format: str,
                      layout: Layout, chunk_rows: int, progress: Callable[[int], None] | None) -> None:
    rows = TransactionRows(layout.present, date_format=date_format, today=timezone.localdate())
    loader = TransactionLoader(client_id=job.client_id, job_id=job.id, user=job.created_by)
    for chunk in _in_background(chunks(path, mapping, KNOWN_COLUMNS, chunk_rows), rows.prepare):
        with transaction.atomic():
            result = loader.load(chunk)
            _record_chunk(job, chunk.read, result)
        if progress:
            progress(chunk.read)


def _record_chunk(job: ImportJob, read: int, result: ChunkResult) -> None:
    """The chunk's row errors and counters, in the chunk's transaction (the job object is not refreshed)."""
    errors = result.errors
    if errors:
        ImportRowError.objects.bulk_create(
            [ImportRowError(job=job, line=line, column=column, reason=reason[:300]) for line, column, reason in errors],
            batch_size=5000,
        )
    ImportJob.objects.filter(id=job.id).update(
        rows_read=F("rows_read") + read, created=F("created") + result.created, updated=F("updated") + result.updated,
        unchanged=F("unchanged") + result.unchanged, rejected=F("rejected") + len({line for line, _, _ in errors}),
        updated_at=timezone.now(),
    )


def error_report_rows(job: ImportJob) -> Iterable[list[str]]:
    yield ["line", "column", "reason"]
    errors = job.row_errors.order_by("line", "id").values_list("line", "column", "reason")
    for line, column, reason in errors.iterator(chunk_size=5000):
        yield [str(line), column, reason]


def error_report_csv(job: ImportJob) -> Iterator[str]:
    """The job's rejected rows as CSV text, streamed a row at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in error_report_rows(job):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
