"""The nightly promise and plan evaluation, run by Celery beat's schedule on a real worker and Redis."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.utils import timezone

from collections_app.celery import app
from collections_app.models import CaseEvent, Task
from collections_app.tasks import money_nightly_evaluate
from tests.collections_app.money_helpers import account_for
from tests.factories import ClientFactory, DebtorFactory, PromiseFactory, UserFactory

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]


def test_beat_schedules_the_nightly_evaluation_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["money-nightly-evaluate"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {10} and entry["schedule"].minute == {0}


def test_a_real_worker_breaks_an_overdue_promise_and_raises_a_task():
    collector = UserFactory(username="alice")
    account = account_for(debtor=DebtorFactory(client=ClientFactory(name="Acme Bank")), assigned_to=collector)
    today = timezone.now().date()
    promise = PromiseFactory(account=account, amount=Decimal("50.00"), due_date=today - dt.timedelta(days=3),
                             made_at=timezone.now() - dt.timedelta(days=10))
    connection.close()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        money_nightly_evaluate.delay()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            promise.refresh_from_db()
            if promise.status != "pending":
                break
            time.sleep(0.2)
    assert promise.status == "broken"
    assert CaseEvent.objects.filter(type="promise_broken", account_ids=[account.id]).count() == 1
    assert Task.objects.get(kind="broken_promise").assigned_to == collector
    connection.close()
