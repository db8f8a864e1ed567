"""Fixtures of the outbound path: seeded templates, a reachable debtor, frozen daytime."""

import datetime as dt

import pytest
import time_machine

from communications.services import templates_seed_defaults
from tests.factories import AccountFactory, AddressFactory, DebtorFactory, EmailFactory, PhoneFactory

# A Tuesday, 10:00 in Chicago: inside every contact window.
DAYTIME = dt.datetime(2026, 3, 10, 16, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _templates(request):
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames or \
            request.node.get_closest_marker("django_db"):
        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
        templates_seed_defaults()


@pytest.fixture(autouse=True)
def _eager_celery(request, monkeypatch):
    """Tasks run in-process, except in the pipeline tests, which run a real worker."""
    from collections_app.celery import app

    if not request.node.get_closest_marker("pipeline"):
        monkeypatch.setattr(app.conf, "task_always_eager", True)


@pytest.fixture
def daytime():
    with time_machine.travel(DAYTIME, tick=True):
        yield DAYTIME


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sms_outbox(settings):
    from communications.channels.sms import LocmemSmsBackend

    settings.SMS_BACKEND = "communications.channels.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend.outbox


def reachable_account(client, *, email="jane@example.com", phone="+13125550101", **fields):
    """A consumer account whose debtor gave us an email and a mobile number (consent) and a home address."""
    debtor = DebtorFactory(client=client, name="Jane Doe", timezones=["America/Chicago"])
    EmailFactory(debtor=debtor, address=email, consent=True)
    PhoneFactory(debtor=debtor, number=phone, kind="mobile", sms_consent=True)
    AddressFactory(debtor=debtor)
    return AccountFactory(debtor=debtor, **fields)


@pytest.fixture
def account(acme, daytime):
    return reachable_account(acme)


def deliver_queued():
    """Do what the worker does after the commit: deliver every queued message."""
    from communications import delivery
    from communications.models import Message

    return delivery.deliver(list(Message.objects.filter(status="queued").order_by("id").values_list("id", flat=True)))
