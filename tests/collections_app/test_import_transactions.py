"""The updates feed: adjustments, recalls and payments from the client, with the same guarantees."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from collections_app.models import Account, CaseEvent, FeedTransaction, ImportJob, LedgerEntry, Payment
from collections_app.services.payments import payment_post
from tests.factories import AccountFactory, DebtorFactory

pytestmark = pytest.mark.django_db

HEADER = "account_ref,type,amount,date,external_id,component\n"


@pytest.fixture
def accounts(acme):
    debtor = DebtorFactory(client=acme, external_ref="C1")
    return (
        AccountFactory(debtor=debtor, reference="A1", principal=Decimal("900.00"), interest=Decimal("80.00"),
                       fees=Decimal("20.00")),
        AccountFactory(debtor=debtor, reference="A2", status="paid"),
    )


def feed(tmp_path: Path, body: str, name: str = "updates.csv", **options) -> ImportJob:
    path = tmp_path / name
    path.write_text(HEADER + body)
    call_command("import_portfolio", str(path), client="Acme Bank", verbosity=0, **options)
    return ImportJob.objects.order_by("-id").first()


def test_adjustments_move_balances_once_and_write_balance_adjusted(accounts, tmp_path):
    a1, _ = accounts
    body = "A1,adjustment,-100.00,2026-01-05,ADJ-1,principal\nA1,adjustment,15.00,2026-01-06,ADJ-2,fees\n"
    job = feed(tmp_path, body)

    assert (job.kind, job.created, job.unchanged, job.rejected) == ("transactions", 2, 0, 0)
    a1.refresh_from_db()
    assert (a1.principal_balance, a1.fees_balance, a1.principal) == (Decimal("800.00"), Decimal("35.00"),
                                                                     Decimal("900.00"))
    events = CaseEvent.objects.filter(type="balance_adjusted").order_by("id")
    assert [(e.data["external_id"], e.data["amount"], e.data["component"]) for e in events] == [
        ("ADJ-1", "-100.00", "principal"), ("ADJ-2", "15.00", "fees")]
    assert events[0].data["balance"] == ["1000.00", "915.00"]

    again = feed(tmp_path, body)
    assert (again.created, again.unchanged) == (0, 2)
    a1.refresh_from_db()
    assert a1.principal_balance == Decimal("800.00") and CaseEvent.objects.filter(type="balance_adjusted").count() == 2


def test_a_recall_closes_the_account_once(accounts, tmp_path):
    a1, _ = accounts
    job = feed(tmp_path, "A1,recall,,2026-01-05,REC-1,\n")
    a1.refresh_from_db()
    assert (job.created, a1.status) == (1, "recalled")
    event = CaseEvent.objects.get(type="status_changed")
    assert (event.data["from"], event.data["to"], event.account_ids) == ("open", "recalled", [a1.id])
    assert feed(tmp_path, "A1,recall,,2026-01-05,REC-1,\n").unchanged == 1
    assert feed(tmp_path, "A1,recall,,2026-01-06,REC-2,\n").unchanged == 1  # already recalled
    assert CaseEvent.objects.filter(type="status_changed").count() == 1


def test_bad_lines_are_reported_and_the_good_ones_apply(accounts, tmp_path):
    body = (
        "A1,adjustment,-5000.00,2026-01-05,ADJ-1,principal\n"   # 2: below zero
        "A2,adjustment,5.00,2026-01-05,ADJ-2,principal\n"       # 3: closed account
        "NOPE,adjustment,5.00,2026-01-05,ADJ-3,principal\n"     # 4: unknown account
        "A1,refund,5.00,2026-01-05,ADJ-4,principal\n"           # 5: unknown type
        "A1,adjustment,5.00,2026-01-05,,principal\n"            # 6: no external id
        "A1,adjustment,5.001,2026-01-05,ADJ-6,principal\n"      # 7: three decimals
        "A1,adjustment,5.00,2026-13-05,ADJ-7,principal\n"       # 8: bad date
        "A1,adjustment,5.00,2026-01-05,ADJ-8,interest\n"        # 9: good
        "A1,adjustment,5.00,2026-01-05,ADJ-8,interest\n"        # 10: repeated external id
    )  # fmt: skip
    job = feed(tmp_path, body)
    errors = list(job.row_errors.values_list("line", "column", "reason"))
    assert errors == [
        (2, "amount", "would make the principal balance negative"),
        (3, "amount", "the account is closed"),
        (4, "account_ref", "no account with this account_ref"),
        (5, "type", "must be payment, adjustment or recall"),
        (6, "external_id", "missing external_id"),
        (7, "amount", "an adjustment needs a non-zero amount with at most two decimals"),
        (8, "date", "not a date (YYYY-MM-DD or MM/DD/YYYY)"),
        (10, "external_id", "duplicate external_id: first on line 9"),
    ]
    assert (job.created, job.rejected) == (1, 8)
    assert Account.objects.get(reference="A1").interest_balance == Decimal("85.00")
    assert list(FeedTransaction.objects.values_list("external_id", flat=True)) == ["ADJ-8"]


def test_payments_go_through_the_money_services_once_per_external_id(accounts, tmp_path):
    """Allocated by the client's order, written to the ledger, with the payment on the timeline; the same
    external id again (from the feed, or posted earlier through the API) changes nothing."""
    a1, _ = accounts
    a1.client.allocation_order = "fees,interest,principal"
    a1.client.save()
    job = feed(tmp_path, "A1,payment,50.00,2026-01-05,PAY-1,\n")
    assert (job.created, job.unchanged, job.rejected) == (1, 0, 0)
    a1.refresh_from_db()
    assert (a1.balance, a1.fees_balance, a1.interest_balance, a1.principal_balance) == (
        Decimal("950.00"), Decimal("0.00"), Decimal("50.00"), Decimal("900.00"))
    payment = Payment.objects.get(external_id="PAY-1")
    assert (payment.account_id, payment.amount, payment.method, payment.received_at.date().isoformat()) == (
        a1.id, Decimal("50.00"), "other", "2026-01-05")
    assert sorted(payment.entries.values_list("component", "amount")) == [
        ("fees", Decimal("-20.00")), ("interest", Decimal("-30.00"))]
    assert CaseEvent.objects.filter(type="payment_received", account_ids=[a1.id]).count() == 1
    assert FeedTransaction.objects.get(external_id="PAY-1").kind == "payment"

    again = feed(tmp_path, "A1,payment,50.00,2026-01-05,PAY-1,\n")
    assert (again.created, again.unchanged) == (0, 1)

    payment_post(account=a1, amount=Decimal("10.00"), received_at=payment.received_at, method="card",
                 external_id="PAY-2")
    later = feed(tmp_path, "A1,payment,10.00,2026-01-06,PAY-2,\n")
    assert (later.created, later.unchanged) == (0, 1)
    a1.refresh_from_db()
    assert a1.balance == Decimal("940.00") and Payment.objects.filter(account=a1).count() == 2
    assert LedgerEntry.objects.filter(account=a1).count() == 3


def test_a_payment_the_service_refuses_is_a_row_error(accounts, tmp_path):
    # accounts[1] (A2) is paid: closed to payments
    job = feed(tmp_path, "A2,payment,5.00,2026-01-05,PAY-9,\n")
    assert [(line, column) for line, column, _ in job.row_errors.values_list("line", "column", "reason")] == [
        (2, "amount")]
    assert (job.created, job.rejected) == (0, 1)
    assert not Payment.objects.exists() and not FeedTransaction.objects.exists()


def test_the_transactions_flag_reads_a_feed_whatever_its_columns(accounts, tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("account_ref,type,external_id\nA1,recall,R-9\n")
    call_command("import_portfolio", str(path), client="Acme Bank", transactions=True, verbosity=0)
    assert ImportJob.objects.get().kind == "transactions"
    assert Account.objects.get(reference="A1").status == "recalled"
