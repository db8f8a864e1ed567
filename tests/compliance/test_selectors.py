"""Decisions appear on the case timeline: the selector the desk merges."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.selectors import decisions_for_debtor
from compliance.services import contact_check
from tests.factories import AccountFactory, DebtorFactory, PhoneFactory

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 4, 8, 15, 0, tzinfo=dt.UTC)


def test_a_debtors_decisions_come_newest_first_limited_and_without_other_debtors(acme) -> None:  # type: ignore[no-untyped-def]
    debtor, other = DebtorFactory(client=acme), DebtorFactory(client=acme)
    for person in (debtor, other):
        PhoneFactory(debtor=person, kind="mobile")
    account, elsewhere = AccountFactory(debtor=debtor), AccountFactory(debtor=other)
    first = contact_check(account=account, channel="call", at=AT)
    second = contact_check(account=account, channel="sms", at=AT + dt.timedelta(hours=14))
    contact_check(account=elsewhere, channel="call", at=AT)
    with CaptureQueriesContext(connection) as queries:
        found = list(decisions_for_debtor(debtor.id, limit=5))
        assert [d.account.reference for d in found] == [account.reference, account.reference]
    assert len(queries) == 1
    assert [d.id for d in found] == [second.decision_id, first.decision_id]
    assert found[0].allowed is False and found[0].rules
    assert [d.id for d in decisions_for_debtor(debtor.id, limit=1)] == [second.decision_id]
