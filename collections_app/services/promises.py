"""Promises to pay: recorded from a call or the portal, evaluated on every payment and nightly.

A promise counts the account's posted payments received from when it was made to the end of its
due date (the debtor's local day). Paid in full → kept (at once); after the due date with less →
partly kept or broken, which writes a timeline fact and a ``broken_promise`` task for the
account's collector. A reversal re-evaluates it (a kept promise can become pending or broken).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from collections_app.constants import EventType, PaymentStatus, PromiseSource, PromiseStatus
from collections_app.models import Account, Payment, Promise, Task
from collections_app.models.accounts import ZERO
from collections_app.models.timeline import TaskKind
from collections_app.schedules import debtor_local_date, end_of_local_day
from collections_app.services.ledger import accounts_lock, money_event

OPEN_PROMISE_STATUSES = (PromiseStatus.PENDING, PromiseStatus.KEPT)
MAX_PROMISE_DAYS = 90


def _debtor_zone(account: Account) -> str:
    """The zone whose local day ends last: a payment counts until the due day ends everywhere."""
    zones = account.debtor.timezones or ["UTC"]
    return max(zones, key=lambda z: end_of_local_day(z, dt.date(2000, 1, 1)))


@transaction.atomic
def promise_make(
    *,
    account: Account,
    amount: Decimal,
    due_date: dt.date,
    source: str = PromiseSource.CALL,
    created_by: Any = None,
    now: dt.datetime | None = None,
) -> Promise:
    now = now or timezone.now()
    [account] = accounts_lock([account.id])
    if account.is_closed:
        raise ValidationError({"account": [f"the account is {account.status}; nothing is owed."]})
    if amount <= 0 or amount > account.balance_now():
        raise ValidationError({"amount": [f"must be more than 0 and at most the balance of {account.balance_now()}."]})
    if source not in PromiseSource.values:
        raise ValidationError({"source": [f"must be one of {', '.join(PromiseSource.values)}."]})
    today = debtor_local_date(account.debtor.timezones, now)
    if not today <= due_date <= today + dt.timedelta(days=MAX_PROMISE_DAYS):
        raise ValidationError({"due_date": [f"must be between today and {MAX_PROMISE_DAYS} days from now."]})
    if Promise.objects.filter(account=account, status=PromiseStatus.PENDING).exists():
        raise ValidationError({"account": ["this account already has a pending promise."]})
    promise = Promise.objects.create(client_id=account.client_id, debtor_id=account.debtor_id, account=account,
                                     amount=amount, due_date=due_date, source=source, made_at=now,
                                     created_by=created_by)
    money_event([account.id], debtor_id=account.debtor_id, client_id=account.client_id, type=EventType.PROMISE_MADE,
                occurred_at=now, channel="portal" if source == PromiseSource.PORTAL else "call",
                data={"promise": promise.id, "amount": str(amount), "due_date": due_date.isoformat()},
                created_by=created_by)
    return promise


def _paid_toward(promise: Promise, zone: str) -> Decimal:
    row = Payment.objects.filter(
        account_id=promise.account_id, status=PaymentStatus.POSTED, received_at__gte=promise.made_at,
        received_at__lte=end_of_local_day(zone, promise.due_date),
    ).aggregate(applied=Sum(F("amount") - F("unapplied")))
    return row["applied"] or ZERO


def _status_for(promise: Promise, paid: Decimal, today: dt.date) -> str:
    if paid >= promise.amount:
        return PromiseStatus.KEPT
    if today <= promise.due_date:
        return PromiseStatus.PENDING
    return PromiseStatus.PARTLY_KEPT if paid > 0 else PromiseStatus.BROKEN


EVENT_FOR: dict[str, str] = {
    PromiseStatus.KEPT: EventType.PROMISE_KEPT,
    PromiseStatus.PARTLY_KEPT: EventType.PROMISE_PARTLY_KEPT,
    PromiseStatus.BROKEN: EventType.PROMISE_BROKEN,
}


def promises_evaluate(account: Account, *, created_by: Any = None, now: dt.datetime | None = None) -> list[Promise]:
    """Re-evaluate the (locked) account's open promises; returns those whose status changed."""
    now = now or timezone.now()
    today = debtor_local_date(account.debtor.timezones, now)
    zone = _debtor_zone(account)
    changed = []
    for promise in Promise.objects.select_for_update().filter(account=account, status__in=OPEN_PROMISE_STATUSES):
        paid = _paid_toward(promise, zone)
        status = _status_for(promise, paid, today)
        promise.paid_amount, promise.evaluated_at = paid, now
        if status == promise.status:
            promise.save(update_fields=["paid_amount", "evaluated_at", "updated_at"])
            continue
        promise.status = status
        promise.save(update_fields=["status", "paid_amount", "evaluated_at", "updated_at"])
        changed.append(promise)
        if status in EVENT_FOR:
            money_event([account.id], debtor_id=account.debtor_id, client_id=account.client_id,
                        type=EVENT_FOR[status], occurred_at=now, created_by=created_by,
                        data={"promise": promise.id, "amount": str(promise.amount), "paid": str(paid),
                              "due_date": promise.due_date.isoformat()})
        if status in (PromiseStatus.BROKEN, PromiseStatus.PARTLY_KEPT):
            Task.objects.create(
                debtor_id=account.debtor_id, account=account, kind=TaskKind.BROKEN_PROMISE, due_at=now,
                assigned_to_id=account.assigned_to_id, created_by=created_by,
                title=f"Promise of {promise.amount} due {promise.due_date} "
                      f"{'partly kept' if status == PromiseStatus.PARTLY_KEPT else 'broken'}: paid {paid}",
            )
    return changed


@transaction.atomic
def promises_evaluate_account(account_id: int, *, now: dt.datetime | None = None) -> int:
    [account] = accounts_lock([account_id])
    return len(promises_evaluate(account, now=now))


def promises_evaluate_due(*, now: dt.datetime | None = None) -> int:
    """Nightly: settle every pending promise whose due date has passed (one transaction per account)."""
    now = now or timezone.now()
    account_ids = (
        Promise.objects.filter(status=PromiseStatus.PENDING, due_date__lt=now.date())
        .values_list("account_id", flat=True)
        .distinct()
    )
    return sum(promises_evaluate_account(account_id, now=now) for account_id in list(account_ids))
