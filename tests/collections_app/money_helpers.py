"""Shared helpers for the money tests: posting through the API and checking the ledger."""

from decimal import Decimal
from typing import Any, cast

from collections_app.models import Account, LedgerEntry
from collections_app.services.ledger import ledger_reconcile
from tests.factories import AccountFactory

NOW = "2026-05-01T10:00:00-05:00"


def pay(api, account, amount, external_id="", method="card", received_at=None):
    body = {"account": account.id, "amount": str(amount), "received_at": received_at or NOW, "method": method}
    if external_id:
        body["external_id"] = external_id
    return api.post("/api/v1/payments/", body, format="json")


def assert_reconciles(account: Account) -> None:
    assert ledger_reconcile(account) == []


def ledger_total(account: Account) -> Decimal:
    return sum((e.amount for e in LedgerEntry.objects.filter(account=account)), Decimal("0"))


def account_for(**fields: Any) -> Account:
    """An account from the factory, typed as the model."""
    return cast(Account, AccountFactory(**fields))
