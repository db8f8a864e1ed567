"""One-statement inserts and updates: every column type round-trips exactly, in order."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from collections_app.bulk import rows_insert, rows_update
from collections_app.models import CaseEvent
from communications.models import Message
from tests.factories import AccountFactory, DebtorFactory

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 3, 10, 16, 0, 0, 123456, tzinfo=dt.UTC)


def test_inserted_rows_read_back_as_written_and_get_their_ids_in_order(acme, django_assert_num_queries):
    debtors = [DebtorFactory(client=acme) for _ in range(3)]
    events = [CaseEvent(client=acme, debtor=d, type="email_sent", occurred_at=AT + dt.timedelta(seconds=i),
                        account_ids=[i, i + 1], channel="email", target=f"d{i}@example.com", written=i == 1,
                        data={"n": i, "nested": {"list": [1, "two"]}}) for i, d in enumerate(debtors)]
    with django_assert_num_queries(1):
        rows_insert(events)
    assert all(e.pk for e in events) and [e.pk for e in events] == sorted(e.pk for e in events)
    for event, debtor in zip(events, debtors, strict=True):
        stored = CaseEvent.objects.get(pk=event.pk)
        assert stored.debtor_id == debtor.pk and stored.occurred_at == event.occurred_at  # microseconds kept
        assert (stored.account_ids, stored.data, stored.written, stored.target) == (
            event.account_ids, event.data, event.written, event.target)
        assert stored.created_at is not None and stored.created_at == event.created_at


def test_updates_write_each_rows_own_values_and_a_unique_clash_raises(acme, django_assert_num_queries):
    account = AccountFactory(debtor=DebtorFactory(client=acme))
    messages = [Message(client=acme, account=account, channel="email", target="a@example.com", text="x",
                        key=f"k{i}", amount_demanded=Decimal("12.30")) for i in range(2)]
    rows_insert(messages)
    messages[0].status, messages[0].decisions, messages[0].scheduled_for = "scheduled", [7, 8], AT
    messages[1].status, messages[1].decision, messages[1].error = "blocked", {"allowed": False}, "no"
    with django_assert_num_queries(1):
        assert rows_update(messages, ["status", "decision", "decisions", "scheduled_for", "error"]) == 2
    first, second = Message.objects.get(pk=messages[0].pk), Message.objects.get(pk=messages[1].pk)
    assert (first.status, first.decisions, first.scheduled_for, first.amount_demanded) == (
        "scheduled", [7, 8], AT, Decimal("12.30"))
    assert (second.status, second.decision, second.error) == ("blocked", {"allowed": False}, "no")
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert([Message(client=acme, account=account, channel="email", target="a@example.com", text="x",
                             key="k0")])
