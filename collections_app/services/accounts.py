"""Placing accounts (debts) and keeping their derived dates current."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from collections_app.constants import EventType
from collections_app.geo.limitations import sol_expiry
from collections_app.models import Account, CaseEvent, Debtor
from collections_app.selectors import home_state

CENT = Decimal("0.01")


def money(value: Any) -> Decimal:
    """The one rounding helper: any amount to cents, half-up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def account_sol_expiry(account: Account) -> dt.date | None:
    return sol_expiry(
        account.governing_state,
        account.product,
        account.last_payment_date,
        account.delinquency_date,
        account.charge_off_date,
    )


@transaction.atomic
def account_create(*, debtor: Debtor, reference: str, created_by: Any = None, **fields: Any) -> Account:
    principal = money(fields.pop("principal", 0))
    interest = money(fields.pop("interest", 0))
    fees = money(fields.pop("fees", 0))
    if not fields.get("governing_state"):
        fields["governing_state"] = home_state(debtor)
    account = Account(
        client_id=debtor.client_id,
        debtor=debtor,
        reference=reference,
        principal=principal,
        interest=interest,
        fees=fees,
        principal_balance=principal,
        interest_balance=interest,
        fees_balance=fees,
        **fields,
    )
    account.sol_expires_on = account_sol_expiry(account)
    account.save()
    CaseEvent.objects.create(
        client_id=debtor.client_id,
        debtor=debtor,
        account_ids=[account.id],
        type=EventType.PLACEMENT,
        occurred_at=account.placed_at or timezone.now(),
        data={"balance": str(principal + interest + fees), "reference": reference},
        created_by=created_by,
    )
    return account
