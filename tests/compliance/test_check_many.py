"""``contact_check_many`` stores the same evidence as ``contact_check`` — the decision with its
snapshot and the ``compliance_decision`` timeline event — for a whole batch in one statement."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collections_app.models import CaseEvent
from collections_app.services.events import event_record
from compliance.models import Decision
from compliance.services import CheckRequest, contact_check, contact_check_many
from tests.factories import AccountFactory, DebtorFactory, EmailFactory, PhoneFactory

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 10, 16, 0, tzinfo=dt.UTC)  # a Tuesday, 10:00 in Chicago
COMPARED = ("client_id", "debtor_id", "account_id", "channel", "target", "direction", "purpose", "at", "allowed",
            "reasons", "warnings", "exemptions", "next_allowed_at", "timezones", "ruleset_version", "snapshot",
            "source", "actor_id")


def _account(client, address: str, *, cease: bool = False):  # type: ignore[no-untyped-def]
    debtor = DebtorFactory(client=client, timezones=["America/Chicago"])
    EmailFactory(debtor=debtor, address=address, consent=True)
    PhoneFactory(debtor=debtor, number="+13125550101", kind="mobile", sms_consent=True)
    if cease:
        event_record(debtor=debtor, type="cease_notice_received", occurred_at=AT - dt.timedelta(days=1),
                     written=True, direction="inbound", channel="letter")
    return AccountFactory(debtor=debtor)


def _event(decision_id: int) -> CaseEvent:
    return CaseEvent.objects.get(type="compliance_decision", data__decision=decision_id)


def test_a_batch_stores_what_single_checks_store_in_order_with_one_statement(acme, collector):
    accounts = [_account(acme, "a@example.com"), _account(acme, "b@example.com", cease=True),
                _account(acme, "c@example.com")]
    message = {"purpose": "collection", "subject": "Your account",
               "text": "This communication is from a debt collector. This is an attempt to collect a debt and any "
                       "information obtained will be used for that purpose. To unsubscribe, click the link."}
    requests = [CheckRequest(accounts[0], "email", "", message, collector), CheckRequest(accounts[1], "email"),
                CheckRequest(accounts[2], "sms", "+13125550101", None, collector)]
    with CaptureQueriesContext(connection) as queries:
        batch = contact_check_many(requests, at=AT, source="outbox")
    assert len(queries) == 2  # the debtors' facts, then every decision with its event

    singles = [contact_check(account=r.account, channel=r.channel, target=r.target, message=r.message, actor=r.actor,
                             at=AT, source="outbox") for r in requests]
    assert [d.allowed for d in batch] == [d.allowed for d in singles] == [True, False, True]
    assert [d.rules for d in batch] == [d.rules for d in singles]
    assert [d.target for d in batch] == ["a@example.com", "b@example.com", "+13125550101"]
    assert all(d.decision_id for d in batch) and batch[0].decision_id < batch[1].decision_id < batch[2].decision_id
    for ours, theirs in zip(batch, singles, strict=True):
        stored, reference = Decision.objects.get(pk=ours.decision_id), Decision.objects.get(pk=theirs.decision_id)
        assert {f: getattr(stored, f) for f in COMPARED} == {f: getattr(reference, f) for f in COMPARED}
        event, reference_event = _event(stored.pk), _event(reference.pk)
        assert dict(event.data, decision=None) == dict(reference_event.data, decision=None)
        for field in ("client_id", "debtor_id", "account_ids", "direction", "channel", "target", "written",
                      "created_by_id"):
            assert getattr(event, field) == getattr(reference_event, field), field
        assert event.occurred_at == stored.created_at
    assert batch[1].rules == ["REGF-1006.6c-cease"] and _event(batch[1].decision_id).data["allowed"] is False


def test_not_storing_writes_nothing(acme):
    account = _account(acme, "a@example.com")
    decisions = contact_check_many([CheckRequest(account, "email")], at=AT, store=False)
    assert decisions[0].allowed and decisions[0].decision_id is None
    assert not Decision.objects.exists() and not CaseEvent.objects.filter(type="compliance_decision").exists()


def test_each_stored_snapshot_replays_to_the_same_decision(acme):
    from compliance.services import decision_replay
    from compliance.snapshots import snapshot_from_json, to_json

    accounts = [_account(acme, "a@example.com"), _account(acme, "b@example.com", cease=True)]
    message = {"purpose": "validation_notice", "subject": "Notice", "text": "Hello.", "amount_demanded": "1000.00",
               "validation_period_end": "2026-04-20"}
    decisions = contact_check_many([CheckRequest(a, "email", "", message) for a in accounts], at=AT, source="outbox")
    for decision in decisions:
        record = Decision.objects.get(pk=decision.decision_id)
        replayed = decision_replay(record)
        assert (replayed.allowed, replayed.rules, replayed.next_allowed_at) == \
            (decision.allowed, decision.rules, decision.next_allowed_at)
        snapshot = snapshot_from_json(record.snapshot)  # enums, instants, dates, amounts, nested facts
        assert to_json(snapshot) == record.snapshot and snapshot_from_json(to_json(snapshot)) == snapshot
