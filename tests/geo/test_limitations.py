from __future__ import annotations

import re
from datetime import date

import pytest

from collections_app.geo.limitations import (
    LIMITATIONS,
    OPEN_ACCOUNT,
    WRITTEN,
    Limitation,
    accrual_date,
    add_years,
    is_time_barred,
    limitation_basis,
    limitation_period_years,
    sol_expiry,
)

_STATES_AND_DC = """
AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM
NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY
"""
FIFTY_STATES_AND_DC = frozenset(_STATES_AND_DC.split())


# --- the table ----------------------------------------------------------------------------------


def test_the_table_has_exactly_the_fifty_states_and_dc() -> None:
    assert len(LIMITATIONS) == 51
    assert set(LIMITATIONS) == FIFTY_STATES_AND_DC


@pytest.mark.parametrize("state", sorted(FIFTY_STATES_AND_DC))
def test_every_row_has_plausible_positive_years_and_a_statute_citation(state: str) -> None:
    row = LIMITATIONS[state]

    assert 1 <= row.written_years <= 15
    assert 1 <= row.open_account_years <= 15
    assert re.search(r"(§|CPLR|ILCS|RCW|art\.)\s*\d", row.citation), row.citation


def test_a_row_cannot_be_changed() -> None:
    with pytest.raises(AttributeError):
        LIMITATIONS["NY"].written_years = 20  # type: ignore[misc]
    with pytest.raises(TypeError):
        LIMITATIONS["XX"] = Limitation(1, 1, "x")  # type: ignore[index]


@pytest.mark.parametrize(
    ("state", "written", "open_account", "cited"),
    [
        ("CA", 4, 4, "337"),
        ("NY", 6, 3, "214-i"),
        ("TX", 4, 4, "16.004"),
        ("FL", 5, 4, "95.11"),
        ("WA", 6, 3, "4.16.040"),
        ("OH", 6, 6, "2305.07"),
        ("IL", 10, 5, "13-206"),
        ("GA", 6, 4, "9-3-25"),
        ("PA", 4, 4, "5525"),
        ("MA", 6, 6, "ch. 260"),
    ],
)
def test_the_catalogues_states_have_the_catalogues_periods(
    state: str, written: int, open_account: int, cited: str
) -> None:
    row = LIMITATIONS[state]

    assert (row.written_years, row.open_account_years) == (written, open_account)
    assert cited in row.citation


@pytest.mark.parametrize("state", ["AZ", "CO", "KY", "LA", "MI", "PA", "MA", "WA"])
def test_rows_with_known_doubts_ask_for_counsel(state: str) -> None:
    assert "verify with counsel" in LIMITATIONS[state].note


# --- which period a product takes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        ("credit card", OPEN_ACCOUNT),
        ("Credit_Card", OPEN_ACCOUNT),
        ("store card", OPEN_ACCOUNT),
        ("private-label credit cards", OPEN_ACCOUNT),
        ("line of credit", OPEN_ACCOUNT),
        ("HELOC", OPEN_ACCOUNT),
        ("revolving", OPEN_ACCOUNT),
        ("overdraft", OPEN_ACCOUNT),
        ("personal loan", WRITTEN),
        ("Auto Loan", WRITTEN),
        ("auto", WRITTEN),
        ("installment", WRITTEN),
        ("medical", WRITTEN),
        ("student loans", WRITTEN),
        ("utility", None),
        ("block of services", None),  # "loc" only as a word
        ("", None),
        (None, None),
    ],
)
def test_open_ended_products_take_the_open_account_period_and_loans_the_written_one(
    product: str | None, expected: str | None
) -> None:
    assert limitation_basis(product) == expected


@pytest.mark.parametrize(
    ("state", "product", "consumer", "years"),
    [
        ("IL", "credit card", True, 5),
        ("IL", "personal loan", True, 10),
        ("FL", "medical", True, 5),
        ("FL", "gym membership", True, 4),  # unrecognised: the shorter period
        ("NY", "credit card", True, 3),
        ("NY", "auto loan", True, 3),  # CPLR 214-i whatever the product
        ("NY", "something else", True, 3),
        ("NY", "auto loan", False, 6),  # a commercial loan keeps CPLR 213
        ("ny", "credit card", True, 3),
        ("PR", "credit card", True, None),
        ("", "credit card", True, None),
        (None, "credit card", True, None),
    ],
)
def test_the_period_depends_on_state_and_product(
    state: str | None, product: str, consumer: bool, years: int | None
) -> None:
    assert limitation_period_years(state, product, consumer=consumer) == years


# --- accrual and expiry -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_payment", "delinquency", "charge_off", "expected"),
    [
        (date(2023, 1, 2), date(2023, 1, 15), date(2023, 7, 1), date(2023, 1, 15)),
        (date(2023, 3, 2), date(2023, 1, 15), date(2023, 7, 1), date(2023, 3, 2)),
        (date(2023, 3, 2), None, date(2023, 7, 1), date(2023, 3, 2)),
        (None, date(2023, 1, 15), None, date(2023, 1, 15)),
        (None, None, date(2023, 7, 1), date(2023, 7, 1)),
        (None, None, None, None),
    ],
)
def test_the_period_runs_from_the_later_of_last_payment_and_delinquency_else_charge_off(
    last_payment: date | None, delinquency: date | None, charge_off: date | None, expected: date
) -> None:
    assert accrual_date(last_payment, delinquency, charge_off) == expected


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2024, 2, 29), 3, date(2027, 2, 28)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2023, 2, 28), 1, date(2024, 2, 28)),
        (date(2023, 1, 15), 6, date(2029, 1, 15)),
    ],
)
def test_adding_years_to_29_february_lands_on_28_february_in_a_common_year(
    start: date, years: int, expected: date
) -> None:
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("state", "product", "last_payment", "delinquency", "charge_off", "expected"),
    [
        # the contract's example account, governed by Illinois: a card, 5 years
        (
            "IL",
            "credit card",
            date(2023, 1, 2),
            date(2023, 1, 15),
            date(2023, 7, 1),
            date(2028, 1, 15),
        ),
        (
            "NY",
            "credit card",
            date(2023, 1, 2),
            date(2023, 1, 15),
            date(2023, 7, 1),
            date(2026, 1, 15),
        ),
        ("NY", "personal loan", None, date(2020, 5, 1), None, date(2023, 5, 1)),
        ("TX", "auto loan", date(2022, 6, 30), None, None, date(2026, 6, 30)),
        ("CA", "medical", None, None, date(2021, 9, 1), date(2025, 9, 1)),
        ("NY", "credit card", date(2024, 2, 29), None, None, date(2027, 2, 28)),
        ("TX", "credit card", date(2024, 2, 29), None, None, date(2028, 2, 29)),
        ("IL", "credit card", None, None, None, None),
        ("PR", "credit card", date(2023, 1, 2), None, None, None),
    ],
)
def test_the_expiry_is_the_accrual_date_plus_the_period(
    state: str,
    product: str,
    last_payment: date | None,
    delinquency: date | None,
    charge_off: date | None,
    expected: date | None,
) -> None:
    assert sol_expiry(state, product, last_payment, delinquency, charge_off) == expected


def test_a_new_york_commercial_loan_keeps_the_six_year_contract_period() -> None:
    expiry = sol_expiry("NY", "loan", None, date(2020, 5, 1), None, consumer=False)

    assert expiry == date(2026, 5, 1)


@pytest.mark.parametrize(
    ("expiry", "today", "barred"),
    [
        (date(2026, 1, 15), date(2026, 1, 14), False),
        (date(2026, 1, 15), date(2026, 1, 15), False),  # the last day to sue
        (date(2026, 1, 15), date(2026, 1, 16), True),
        (date(2020, 1, 1), date(2026, 1, 1), True),
        (None, date(2026, 1, 1), False),  # unknown is not barred; the caller shows "unknown"
    ],
)
def test_a_debt_is_time_barred_only_after_its_expiry_day(
    expiry: date | None, today: date, barred: bool
) -> None:
    assert is_time_barred(expiry, today) is barred
