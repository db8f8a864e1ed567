"""The Celery app: ``celery -A collections_app worker`` / ``celery -A collections_app beat``."""

import gc
import os
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")

app = Celery("collections_app")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.worker_process_init.connect
def gc_freeze_startup(**kwargs: Any) -> None:
    """Move everything loaded at start (Django, the apps, ~190,000 objects) out of the cyclic
    garbage collector's reach, in the worker before it forks its pool and in each pool process:
    a full collection then scans what tasks allocate instead of the whole program (measured on
    delivery batches: ~0.1 ms CPU a message less), and forked processes keep sharing those pages."""
    gc.freeze()
