"""Placing accounts (debts) and keeping their derived dates current."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from collections_app.geo.limitations import sol_expiry
from collections_app.models import Account, Debtor
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
def account_create(*, debtor: Debtor, reference: str, **fields: Any) -> Account:
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
        opening_balance=principal + interest + fees,  # the placement, shown on the timeline from here
        **fields,
    )
    account.sol_expires_on = account_sol_expiry(account)
    account.save()
    return account
