"""Schedule edge cases: month ends, 29 February, paydays, cents, DST. Pure functions, no database."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_app.schedules import (
    amounts_for_installment,
    debtor_local_date,
    due_dates,
    end_of_local_day,
    first_due_date,
    schedule_build,
    split_amounts,
)

D = dt.date


@pytest.mark.parametrize(("first", "expected"), [
    (D(2026, 1, 31), [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31)]),
    (D(2028, 1, 31), [D(2028, 1, 31), D(2028, 2, 29), D(2028, 3, 31), D(2028, 4, 30), D(2028, 5, 31)]),
    (D(2026, 1, 30), [D(2026, 1, 30), D(2026, 2, 28), D(2026, 3, 30), D(2026, 4, 30), D(2026, 5, 30)]),
    (D(2026, 12, 15), [D(2026, 12, 15), D(2027, 1, 15), D(2027, 2, 15), D(2027, 3, 15), D(2027, 4, 15)]),
])
def test_monthly_dates_clip_to_month_end_without_drifting(first, expected):
    assert due_dates("monthly", first, 5) == expected


def test_a_monthly_plan_from_29_february_falls_on_28_february_in_a_common_year():
    dates = due_dates("monthly", D(2028, 2, 29), 13)
    assert dates[1] == D(2028, 3, 29) and dates[12] == D(2029, 2, 28)


def test_monthly_payday_on_the_31st_starts_on_the_next_month_end():
    first = first_due_date("monthly", start=D(2026, 2, 3), payday=D(2026, 1, 31))
    assert first == D(2026, 2, 28)
    assert due_dates("monthly", first, 3, anchor_day=31) == [D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]


@pytest.mark.parametrize(("frequency", "payday", "start", "first"), [
    ("weekly", D(2026, 11, 20), D(2026, 11, 23), D(2026, 11, 27)),     # Friday payday, asked on a Monday
    ("weekly", D(2026, 11, 27), D(2026, 11, 27), D(2026, 11, 27)),     # payday is today
    ("biweekly", D(2026, 11, 20), D(2026, 11, 23), D(2026, 12, 4)),
    ("biweekly", D(2027, 1, 15), D(2026, 11, 23), D(2026, 12, 4)),     # a future payday counts back
    ("monthly", D(2026, 10, 15), D(2026, 11, 16), D(2026, 12, 15)),
    ("semi_monthly", D(2026, 10, 15), D(2026, 11, 16), D(2026, 11, 30)),
    ("semi_monthly", D(2026, 10, 5), D(2026, 11, 6), D(2026, 11, 20)),
])
def test_the_first_date_aligns_to_the_debtors_payday(frequency, payday, start, first):
    assert first_due_date(frequency, start=start, payday=payday) == first


def test_semi_monthly_is_the_15th_and_the_last_day():
    assert due_dates("semi_monthly", D(2028, 1, 15), 6, anchor_day=15) == [
        D(2028, 1, 15), D(2028, 1, 31), D(2028, 2, 15), D(2028, 2, 29), D(2028, 3, 15), D(2028, 3, 31)]
    assert due_dates("semi_monthly", D(2026, 2, 5), 4, anchor_day=20) == [
        D(2026, 2, 5), D(2026, 2, 20), D(2026, 3, 5), D(2026, 3, 20)]


def test_weekly_dates_keep_their_weekday_across_a_dst_change():
    dates = due_dates("weekly", D(2026, 3, 6), 3)  # US clocks spring forward on 8 March 2026
    assert dates == [D(2026, 3, 6), D(2026, 3, 13), D(2026, 3, 20)]
    assert {d.weekday() for d in dates} == {4}


def test_a_due_day_ends_at_local_midnight_whatever_the_dst_offset():
    assert end_of_local_day("America/Chicago", D(2026, 3, 7)) == dt.datetime(
        2026, 3, 8, 5, 59, 59, 999999, tzinfo=dt.UTC)  # CST, UTC-6
    assert end_of_local_day("America/Chicago", D(2026, 3, 8)) == dt.datetime(
        2026, 3, 9, 4, 59, 59, 999999, tzinfo=dt.UTC)  # CDT, UTC-5
    assert end_of_local_day("America/Chicago", D(2026, 11, 1)) == dt.datetime(
        2026, 11, 2, 5, 59, 59, 999999, tzinfo=dt.UTC)  # back to CST: a 25-hour day


def test_the_debtors_today_is_the_earliest_date_anywhere_they_may_be():
    instant = dt.datetime(2026, 3, 9, 4, 30, tzinfo=dt.UTC)
    assert debtor_local_date(["America/New_York"], instant) == D(2026, 3, 9)
    assert debtor_local_date(["America/New_York", "America/Chicago"], instant) == D(2026, 3, 8)
    assert debtor_local_date([], instant) == D(2026, 3, 9)


def test_amounts_are_in_cents_with_the_remainder_on_the_last():
    assert split_amounts(Decimal("1000.00"), 3) == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    assert amounts_for_installment(Decimal("1000.00"), Decimal("300.00")) == [
        Decimal("300.00"), Decimal("300.00"), Decimal("300.00"), Decimal("100.00")]
    assert amounts_for_installment(Decimal("900.00"), Decimal("300.00")) == [Decimal("300.00")] * 3


@given(
    total=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2),
    count=st.integers(min_value=1, max_value=60),
    frequency=st.sampled_from(["weekly", "biweekly", "semi_monthly", "monthly"]),
    start=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
    payday=st.none() | st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
)
def test_every_schedule_sums_to_its_total_in_cents_on_rising_dates(total, count, frequency, start, payday):
    count = min(count, int(total * 100))
    lines = schedule_build(total=total, frequency=frequency, start=start, payday=payday, count=count)
    assert sum(line.amount for line in lines) == total
    assert all(line.amount > 0 and line.amount == line.amount.quantize(Decimal("0.01")) for line in lines)
    assert all(line.amount == lines[0].amount for line in lines[:-1]) and lines[-1].amount >= lines[0].amount
    dates = [line.due_date for line in lines]
    assert dates == sorted(set(dates)) and dates[0] >= start
    assert [line.seq for line in lines] == list(range(1, len(lines) + 1))
