"""Celery tasks of the import: ids in, one service call (routed to the ``imports`` queue)."""

from pathlib import Path

from celery import shared_task

from collections_app.imports.services import import_run
from collections_app.models import ImportJob, ImportStatus


@shared_task(acks_late=True)
def import_job_run(job_id: int) -> None:
    """Run an uploaded import job; a job no longer queued (already run, or running) is left alone."""
    job = ImportJob.objects.select_related("mapping").filter(id=job_id, status=ImportStatus.QUEUED).first()
    if job is None or not job.file:
        return
    import_run(job, Path(job.file.path))
