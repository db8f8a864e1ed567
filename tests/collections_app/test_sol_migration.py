"""Migration 0013: stored New York consumer limitation dates restarted by a late payment are recomputed."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("collections_app.migrations.0013_new_york_sol_not_revived")


def test_a_new_york_consumer_debt_revived_by_a_late_payment_gets_its_real_last_day_to_sue():
    revived = AccountFactory(governing_state="NY", kind="consumer", product="credit card",
                             delinquency_date=dt.date(2019, 1, 10), charge_off_date=dt.date(2019, 7, 10),
                             last_payment_date=dt.date(2023, 6, 1), sol_expires_on=dt.date(2026, 6, 1))
    ohio = AccountFactory(governing_state="OH", kind="consumer", product="credit card",
                          delinquency_date=dt.date(2019, 1, 10), last_payment_date=dt.date(2023, 6, 1),
                          sol_expires_on=dt.date(2029, 6, 1))
    migration.recompute(apps, None)
    revived.refresh_from_db()
    ohio.refresh_from_db()
    assert revived.sol_expires_on == dt.date(2022, 1, 10)
    assert ohio.sol_expires_on == dt.date(2029, 6, 1)  # not New York: untouched
