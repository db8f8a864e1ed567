"""Desk fixtures: a signed-in browser session per persona and a worked-up debtor."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client as HttpClient
from django.utils import timezone

from tests.factories import AccountFactory, AddressFactory, DebtorFactory, EmailFactory, PhoneFactory

CHICAGO = ZoneInfo("America/Chicago")


def next_weekday_morning(hour: int = 11) -> dt.datetime:
    """The next Monday–Thursday ``hour``:00 in Chicago: every calling window is open then."""
    day = dt.datetime.now(CHICAGO).date() + dt.timedelta(days=1)
    while day.weekday() > 3:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=CHICAGO)


@pytest.fixture(autouse=True)
def desk_clock():
    """Desk tests run on a weekday morning in the debtors' zone, so calls are allowed unless a test
    says otherwise (the clock keeps ticking, and stays within days of the real one for cookies)."""
    with time_machine.travel(next_weekday_morning(), tick=True) as traveller:
        yield traveller


def signed_in(user) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


@pytest.fixture
def desk(collector):
    return signed_in(collector)


@pytest.fixture
def jane(acme, collector):
    """A Chicago debtor with two Acme accounts assigned to the collector, a phone, an e-mail, an address."""
    debtor = DebtorFactory(client=acme, name="Jane Doe", timezones=["America/Chicago"])
    PhoneFactory(debtor=debtor, number="+13125550101", sms_consent=True)
    EmailFactory(debtor=debtor, address="jane@example.com")
    AddressFactory(debtor=debtor)
    placed = timezone.now() - dt.timedelta(days=90)
    AccountFactory(debtor=debtor, reference="J-1", assigned_to=collector, placed_at=placed, score=0.5)
    AccountFactory(debtor=debtor, reference="J-2", assigned_to=collector, placed_at=placed, score=0.4,
                   principal=Decimal("250.00"), interest=Decimal("0.00"), fees=Decimal("0.00"))
    return debtor


@pytest.fixture
def jane_account(jane):
    return jane.accounts.get(reference="J-1")
