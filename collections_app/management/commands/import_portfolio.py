"""``python manage.py import_portfolio PATH --client "Acme Bank" [--mapping MAPPING.json]``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from collections_app.imports.services import MappingError, column_mapping_save, import_run, mapping_from_json
from collections_app.models import Client, ImportJob, ImportKind, ImportStatus


class Command(BaseCommand):
    help = ("Load a client's portfolio (placements) or updates feed (payments, adjustments, recalls) from a .csv "
            "or .xlsx file. Bad rows are reported and skipped; exits non-zero only when the file cannot be read.")
    # A data load, not a deployment step: the system checks (models, URLs, settings: ~0.2 s) run with
    # `manage.py check` and every server start, not before each file.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--client", required=True, help="The client's name, exactly as stored.")
        parser.add_argument("--mapping", type=Path, help='JSON: {"columns": {"their header": "our column"}}; '
                            "saved for the client under the file's name.")
        parser.add_argument("--transactions", action="store_true",
                            help="Read an updates feed (detected from the columns when omitted).")
        parser.add_argument("--chunk-rows", type=int, default=50_000)
        parser.add_argument("--audit-inserts", action="store_true",
                            help="Also write a history row for every row created (about a third slower).")

    def handle(self, *args: Any, path: Path, client: str, mapping: Path | None, transactions: bool,
               chunk_rows: int, audit_inserts: bool, **options: Any) -> None:
        path, mapping = Path(path), Path(mapping) if mapping else None
        found = Client.objects.filter(name=client).first()
        if found is None:
            raise CommandError(f"no client named {client!r}: nothing was loaded")
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        saved = None
        if mapping is not None:
            try:
                columns, date_format = mapping_from_json(mapping.read_text())
            except (OSError, MappingError) as exc:
                raise CommandError(f"{mapping}: {exc}") from exc
            saved = column_mapping_save(client=found, name=mapping.stem, columns=columns, date_format=date_format)
        job = ImportJob.objects.create(client=found, filename=path.name, mapping=saved)
        quiet = options["verbosity"] == 0
        with tqdm(unit="row", desc=f"import #{job.id}", disable=quiet) as bar:

            def advance(rows: int) -> None:
                if bar.total is None and job.rows_total is not None:  # counted by import_run before loading
                    bar.total = job.rows_total
                bar.update(rows)

            job = import_run(job, path, kind=ImportKind.TRANSACTIONS if transactions else None,
                             chunk_rows=chunk_rows, progress=advance, audit_inserts=audit_inserts)
        if job.status == ImportStatus.FAILED:
            raise CommandError(f"import #{job.id} failed: {job.error}")
        seconds = job.duration_seconds or 0.0
        self.stdout.write(
            f"import #{job.id} ({job.kind}): read {job.rows_read:,}, created {job.created:,}, updated {job.updated:,}, "
            f"unchanged {job.unchanged:,}, rejected {job.rejected:,} in {seconds:.1f} s "
            f"({job.rows_read / max(seconds, 1e-9):,.0f} rows/s)"
        )
        if job.rejected and not quiet:
            for error in job.row_errors.order_by("line", "id")[:20]:
                self.stdout.write(f"  line {error.line} {error.column}: {error.reason}")
            if job.rejected > 20:
                self.stdout.write(f"  … every rejected row: GET /api/v1/imports/{job.id}/error-report/")
