"""Work is routed by kind (sends, imports, analytics, the rest), and the beat sweeps due work each minute."""

import pytest
from django.conf import settings

from collections_app.celery import app
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
