"""The demo portfolio's money: ledger rows explain every seeded balance."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from collections_app.models import Account, Payment, Plan, Promise, Settlement
from collections_app.services.ledger import ledger_reconcile

pytestmark = pytest.mark.django_db


def test_seeded_balances_are_placed_amounts_plus_ledger_rows(db):
    call_command("seed_demo", accounts=600, seed=3, as_of=dt.date(2026, 6, 1), verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("""
            select count(*) from collections_app_account a
            left join (select account_id,
                              sum(amount) filter (where component = 'principal') p,
                              sum(amount) filter (where component = 'interest') i,
                              sum(amount) filter (where component = 'fees') f
                       from collections_app_ledgerentry group by account_id) l on l.account_id = a.id
            where a.principal + coalesce(l.p, 0) <> a.principal_balance
               or a.interest + coalesce(l.i, 0) <> a.interest_balance
               or a.fees + coalesce(l.f, 0) <> a.fees_balance
        """)
        assert cursor.fetchone()[0] == 0
    for account in Account.objects.filter(payments__isnull=False).distinct().order_by("id")[:40]:
        assert ledger_reconcile(account) == [], account.id
    assert not Account.objects.filter(status="paid", principal_balance__gt=0).exists()
    assert Account.objects.filter(status__in=["paid", "settled", "in_plan"]).count() == Account.objects.filter(
        payments__status="posted").distinct().count()
    assert set(Plan.objects.values_list("status", flat=True)) == {"active", "broken", "completed"}
    assert set(Promise.objects.values_list("status", flat=True)) == {"pending", "kept", "broken"}
    assert Settlement.objects.filter(status="fulfilled").exists()
    assert Payment.objects.filter(status="reversed").exists()
    for plan in Plan.objects.filter(status="active").prefetch_related("installments", "accounts")[:30]:
        assert sum(i.amount for i in plan.installments.all()) == plan.total
        assert plan.total - sum(i.paid_amount for i in plan.installments.all()) == sum(
            a.balance for a in plan.accounts.all())
