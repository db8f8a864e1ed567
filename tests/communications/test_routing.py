"""Work is routed by kind (sends, imports, analytics, the rest), the beat sweeps due work each minute,
and worker processes keep their start-up objects out of the garbage collector's scans."""

import gc
import weakref

import pytest
from celery import signals
from django.conf import settings

from collections_app.celery import app, gc_freeze_startup
from communications import tasks


def queue_of(task: str) -> str:
    return app.amqp.router.route({}, task, (), {})["queue"].name


@pytest.mark.parametrize(("task", "queue"), [
    ("communications.tasks.deliver", "sends"),
    ("communications.tasks.sweep", "sends"),
    ("collections_app.imports.tasks.import_job_run", "imports"),
    ("analytics.tasks.anything", "analytics"),
    ("collections_app.money_nightly_evaluate", "celery"),
])
def test_tasks_go_to_the_queue_of_their_kind(task, queue):
    assert queue_of(task) == queue
    assert queue in settings.CELERY_TASK_QUEUE_NAMES


def test_the_beat_sweeps_due_work_from_the_database_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["communications-sweep"]
    assert entry["task"] == "communications.tasks.sweep" and entry["schedule"] == 60.0
    assert entry["options"]["expires"] < 60  # a missed sweep is not run late on top of the next one
    assert tasks.sweep.name == entry["task"] and tasks.deliver.name == "communications.tasks.deliver"


@pytest.mark.parametrize("signal", [signals.worker_init, signals.worker_process_init])
def test_a_worker_and_each_pool_process_freeze_what_they_loaded_at_start(signal):
    receivers = [ref() if isinstance(ref, weakref.ReferenceType) else ref for _, ref in signal.receivers]
    assert gc_freeze_startup in receivers
    gc.unfreeze()
    try:
        gc_freeze_startup()
        assert gc.get_freeze_count() > 10_000  # Django and the apps, out of the cyclic collector's scans
    finally:
        gc.unfreeze()
