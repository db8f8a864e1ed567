"""New debtors COPYed straight into their tables (``imports.new_debtors``) get exactly the rows the
set-based SQL path (staging table, ``INSERT … SELECT``) gives the same file."""

import datetime as dt
from decimal import Decimal

import pytest

from collections_app.geo.limitations import sol_expiry
from collections_app.imports import portfolio_load, services
from collections_app.imports.portfolio_rows import KnownReferences
from collections_app.models import Account, Address, Debtor, Email, ImportJob, Phone
from tests.collections_app.test_imports import BOB_BUSINESS, JANE, JANE_CARD_2, errors_of, run, write_csv
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def rows() -> list[dict]:
    """Debtors with several accounts whose rows repeat, add and reorder contact points; a business;
    a leap-day accrual; a nameless new debtor (rejected on either path); a bad row."""
    jane_3 = {**JANE, "account_ref": "A3", "phone_mobile": "(773) 555-0123", "phone_home": "(312) 555-0101",
              "email": "jane.doe@example.com", "address_line1": "9 Lake Shore Dr", "address_line2": "",
              "postal_code": "60611", "last_payment_date": "2020-02-29", "delinquency_date": "2019-12-01"}
    leap = {**JANE, "account_ref": "L1", "debtor_ref": "C9", "first_name": "Lee", "last_name": "Park",
            "date_of_birth": "", "phone_mobile": "(312) 555-0101", "phone_work": "", "email": "lee@example.com",
            "charge_off_date": "2016-02-29", "last_payment_date": "", "delinquency_date": "", "fees": ""}
    nameless = {**JANE, "account_ref": "N1", "debtor_ref": "C8", "first_name": "", "last_name": ""}
    no_contact = {**JANE, "account_ref": "Z1", "debtor_ref": "C0", "first_name": "Zed", "last_name": "Zane",
                  "address_line1": "", "phone_mobile": "", "phone_work": "", "email": "", "open_date": ""}
    bad = {**JANE, "account_ref": "X1", "debtor_ref": "C7", "state": "ZZ"}
    return [JANE, leap, BOB_BUSINESS, JANE_CARD_2, nameless, jane_3, no_contact, bad,
            {**BOB_BUSINESS, "account_ref": "B2", "phone_mobile": "", "phone_work": "+12125550142"}]


def snapshot(client) -> dict:
    """Everything the import wrote for ``client``, without ids, clients and timestamps; contact points
    in id order per debtor (the order ``primary_target`` breaks ties by)."""
    debtors = {}
    for d in Debtor.objects.filter(client=client).order_by("external_ref"):
        debtors[d.external_ref] = {
            "debtor": (d.kind, d.name, d.date_of_birth, d.ssn_index,
                       d.preferred_language, tuple(d.timezones)),
            "phones": [(p.kind, p.number, p.sms_consent, p.status) for p in Phone.objects.filter(debtor=d).order_by("id")],
            "emails": [(e.address, e.employer_provided, e.consent, e.status)
                       for e in Email.objects.filter(debtor=d).order_by("id")],
            "addresses": [(a.kind, a.line1, a.line2, a.city, a.state, a.postal_code, a.country, a.status)
                          for a in Address.objects.filter(debtor=d).order_by("id")],
        }
    skip = {"id", "client", "debtor", "placed_by_import", "placed_at", "created_at", "updated_at"}
    fields = [f.name for f in Account._meta.concrete_fields if f.name not in skip]
    accounts = {a.reference: (a.debtor.external_ref, *(getattr(a, f) for f in fields))
                for a in Account.objects.filter(client=client).select_related("debtor")}
    return {"debtors": debtors, "accounts": accounts}


def test_new_debtors_copied_straight_in_are_what_the_sql_path_inserts(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "placement.csv", rows())
    copied, staged = ClientFactory(name="Copied"), ClientFactory(name="Staged")
    fast = run(path, client="Copied")

    loaded = []
    real_load = portfolio_load.PortfolioLoader.load

    def spy(self, prepared, **kwargs):
        loaded.append(prepared.rows.num_rows)
        return real_load(self, prepared, **kwargs)

    # Every reference "may exist": every row goes through the staging table and is looked up.
    monkeypatch.setattr(services, "known_references", lambda client_id: KnownReferences.everything())
    monkeypatch.setattr(portfolio_load.PortfolioLoader, "load", spy)
    slow = run(path, client="Staged")

    assert loaded == [7]  # the good rows went through the SQL path
    assert (fast.created, fast.rejected) == (slow.created, slow.rejected) == (7, 2)
    assert errors_of(fast) == errors_of(slow) == [(6, "last_name", "missing name"), (9, "state", "unknown state")]
    got = snapshot(copied)
    assert got == snapshot(staged)
    assert sorted(got["debtors"]) == ["C0", "C1", "C2", "C9"] and len(got["accounts"]) == 7
    # Jane's rows: a number first seen as home stays home; contact points in the SQL path's id order.
    assert got["debtors"]["C1"]["phones"] == [("work", "+12125550199", False, "active"),
                                              ("mobile", "+13125550101", False, "active"),
                                              ("home", "+17735550123", False, "active")]
    assert [e[0] for e in got["debtors"]["C1"]["emails"]] == ["jane.doe@example.com", "jane@example.com"]
    assert got["debtors"]["C0"]["phones"] == got["debtors"]["C0"]["addresses"] == []
    leap = Account.objects.get(client=copied, reference="L1")  # charged off on 29 February
    assert leap.sol_expires_on == sol_expiry("IL", "credit card", None, None, dt.date(2016, 2, 29)) \
        == dt.date(2021, 2, 28)
    assert (leap.fees, leap.opening_balance) == (Decimal("0.00"), Decimal("980.00"))


def test_a_new_debtor_without_a_name_is_refused_on_the_sql_path(acme, tmp_path):
    """A file without name columns can only update debtors on file: a new one is refused, not COPYed."""
    columns = [c for c in JANE if c not in ("first_name", "last_name", "business_name")]
    job = run(write_csv(tmp_path / "balances.csv", [JANE], columns=columns))
    assert (job.created, job.rejected) == (0, 1)
    assert errors_of(job) == [(2, "last_name", "a new debtor needs a name")]
    assert not Debtor.objects.exists()


def test_a_second_load_of_copied_rows_is_unchanged_through_the_sql_path(acme, tmp_path):
    path = write_csv(tmp_path / "placement.csv", rows())
    first = run(path)
    again = run(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert ImportJob.objects.count() == 2


@pytest.mark.parametrize("paid, expected", [
    ("2023-06-01", dt.date(2022, 1, 10)),  # after the three years ran out: not revived (CPLR 214-i)
    ("2020-06-01", dt.date(2023, 6, 1)),  # before: the period runs from the payment
    ("", dt.date(2022, 1, 10)),
])
def test_a_new_york_consumer_debt_is_not_revived_by_a_late_payment_on_either_path(acme, tmp_path, paid, expected):
    ny = {**JANE, "state": "NY", "city": "Albany", "postal_code": "12207", "delinquency_date": "2019-01-10",
          "charge_off_date": "2019-07-10", "last_payment_date": paid}
    run(write_csv(tmp_path / "first.csv", [ny]))  # a new debtor: COPYed
    run(write_csv(tmp_path / "second.csv", [{**ny, "account_ref": "A2"}]))  # the same debtor: the SQL path
    for reference in ("A1", "A2"):
        account = Account.objects.get(reference=reference)
        assert account.sol_expires_on == expected == sol_expiry(
            "NY", "credit card", dt.date.fromisoformat(paid) if paid else None, dt.date(2019, 1, 10),
            dt.date(2019, 7, 10))
    commercial = {**ny, "account_ref": "A3", "account_kind": "commercial", "last_payment_date": "2023-06-01"}
    run(write_csv(tmp_path / "third.csv", [commercial]))
    assert Account.objects.get(reference="A3").sol_expires_on == sol_expiry(
        "NY", "credit card", dt.date(2023, 6, 1), dt.date(2019, 1, 10), dt.date(2019, 7, 10), consumer=False)
