"""Fifty threads, each with its own PostgreSQL connection, posting to one account through the API."""

import threading
from collections import Counter
from decimal import Decimal
from typing import cast

import pytest
from django.db import connection

from accounts.models import User
from collections_app.constants import AccountStatus
from collections_app.models import Client, LedgerEntry, Payment
from tests.collections_app.money_helpers import account_for, assert_reconciles, pay
from tests.conftest import api_for
from tests.factories import ClientFactory, DebtorFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 50


def _hammer(user, jobs):
    """Run ``jobs`` (callables taking an API client) at once, one thread each; return their results."""
    barrier = threading.Barrier(len(jobs), timeout=120)
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            client = api_for(user)
            barrier.wait()
            results[i] = job(client)
        except BaseException as error:  # e.g. no connection left: fail the test, never hang the others
            barrier.abort()
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:  # the cause, not the other threads' BrokenBarrierError
        raise next((e for e in errors if not isinstance(e, threading.BrokenBarrierError)), errors[0])
    return results


@pytest.fixture
def setup():
    client = cast(Client, ClientFactory(name="Acme Bank"))
    user = cast(User, UserFactory(username="alice"))
    client.members.add(user)
    account = account_for(debtor=DebtorFactory(client=client))  # balance 1000.00
    api_for(user)  # create the token before the threads race for it
    return user, account


def test_repeated_external_ids_post_each_payment_exactly_once(setup):
    user, account = setup
    keys = [f"gw_{i % 10}" for i in range(THREADS)]  # ten keys, five attempts each

    def job(key):
        return lambda api: (lambda r: (r.status_code, r.json()))(pay(api, account, "10.00", key))

    results = _hammer(user, [job(key) for key in keys])
    codes = Counter(code for code, _ in results)
    assert codes == {201: 10, 200: 40}, results
    ids_by_key: dict[str, set[int]] = {}
    for key, (_, body) in zip(keys, results, strict=True):
        ids_by_key.setdefault(key, set()).add(body["id"])
    assert all(len(ids) == 1 for ids in ids_by_key.values())
    account.refresh_from_db()
    assert account.balance == Decimal("900.00")
    assert (account.fees_balance, account.interest_balance, account.principal_balance) == (
        Decimal("0.00"), Decimal("0.00"), Decimal("900.00"))
    assert Payment.objects.count() == 10
    assert sum(-e.amount for e in LedgerEntry.objects.all()) == Decimal("100.00")
    assert_reconciles(account)


def test_concurrent_payments_never_take_the_balance_below_zero(setup):
    user, account = setup
    results = _hammer(user, [lambda api, i=i: pay(api, account, "30.00", f"k{i}").status_code
                             for i in range(THREADS)])
    # 1000 / 30 = 33 payments fit (990.00); the rest would overpay.
    assert Counter(results) == {201: 33, 400: 17}
    account.refresh_from_db()
    assert account.balance == Decimal("10.00")
    assert_reconciles(account)


def test_concurrent_reversals_of_one_payment_reverse_it_once(setup):
    user, account = setup
    api = api_for(user)
    payment_id = pay(api, account, "1000.00", "full").json()["id"]
    connection.close()
    results = _hammer(user, [
        lambda api: api.post(f"/api/v1/payments/{payment_id}/reverse/", {"reason": "nsf"}, format="json")[
            "Idempotent-Replayed"]
        for _ in range(THREADS)
    ])
    assert Counter(results) == {"false": 1, "true": THREADS - 1}
    account.refresh_from_db()
    assert account.balance == Decimal("1000.00") and account.status == AccountStatus.OPEN
    assert LedgerEntry.objects.filter(kind="reversal").count() == 3
    assert_reconciles(account)


def test_one_key_raced_across_two_accounts_of_a_client_posts_once(setup):
    user, account = setup
    other = account_for(debtor=account.debtor)
    targets = [account if i % 2 else other for i in range(THREADS)]
    results = _hammer(user, [lambda api, target=target: (lambda r: (r.status_code, r.json()["id"]))(
        pay(api, target, "10.00", "gw_same")) for target in targets])
    assert Counter(code for code, _ in results) == {201: 1, 200: THREADS - 1}
    assert len({payment_id for _, payment_id in results}) == 1
    assert Payment.objects.count() == 1
    for acct in (account, other):
        assert_reconciles(acct)
