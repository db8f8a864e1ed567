"""The Celery app: ``celery -A collections_app worker`` / ``celery -A collections_app beat``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")

app = Celery("collections_app")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
