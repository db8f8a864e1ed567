"""Installment schedules, pure: due dates by frequency aligned to a payday, and amounts in cents.

- weekly / biweekly: every 7 / 14 days from a payday the debtor names;
- semi-monthly: two days a month from the payday's day ``d``: ``(d, d + 15)`` when ``d <= 15``,
  else ``(d - 15, d)``; a second day of 30 or more means the last day of the month (15th and
  month-end is the common US pair);
- monthly: the payday's day of the month, clipped to the month's last day without drifting
  (31 Jan → 28/29 Feb → 31 Mar; 29 Feb → 28 Feb in a common year).

Amounts split ``total`` in whole cents, equal but for the remainder on the last installment.
Dates are calendar dates; "today" for a debtor is the earliest local date across every zone they
may be in, so nothing is overdue anywhere the debtor may be before it is overdue everywhere.
"""

import calendar
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from collections_app.constants import PlanFrequency

CENT = Decimal("0.01")
MAX_INSTALLMENTS = 260


@dataclass(frozen=True)
class ScheduleLine:
    seq: int
    due_date: dt.date
    amount: Decimal


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _on_day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, _month_end(year, month)))


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _semi_monthly_days(anchor_day: int) -> tuple[int, int]:
    first = anchor_day if anchor_day <= 15 else anchor_day - 15
    second = first + 15
    return first, 31 if second >= 30 else second  # 31 = clipped to the month's end


def _semi_monthly_from(anchor_day: int, start: dt.date) -> Iterable[dt.date]:
    days = _semi_monthly_days(anchor_day)
    year, month = start.year, start.month
    while True:
        for day in days:
            candidate = _on_day(year, month, day)
            if candidate >= start:
                yield candidate
        year, month = _add_months(year, month, 1)


def first_due_date(frequency: str, *, start: dt.date, payday: dt.date | None = None) -> dt.date:
    """The first date on or after ``start`` that falls on the debtor's payday cycle."""
    if payday is None:
        return start
    if frequency in (PlanFrequency.WEEKLY, PlanFrequency.BIWEEKLY):
        step = 7 if frequency == PlanFrequency.WEEKLY else 14
        periods = -(-(start - payday).days // step)  # ceiling division, negative-safe
        return payday + dt.timedelta(days=periods * step)
    if frequency == PlanFrequency.MONTHLY:
        candidate = _on_day(start.year, start.month, payday.day)
        if candidate < start:
            candidate = _on_day(*_add_months(start.year, start.month, 1), payday.day)
        return candidate
    return next(iter(_semi_monthly_from(payday.day, start)))


def due_dates(frequency: str, first: dt.date, count: int, *, anchor_day: int | None = None) -> list[dt.date]:
    """``count`` due dates starting at ``first``; ``anchor_day`` is the payday's day of the month."""
    anchor = anchor_day or first.day
    if frequency in (PlanFrequency.WEEKLY, PlanFrequency.BIWEEKLY):
        step = 7 if frequency == PlanFrequency.WEEKLY else 14
        return [first + dt.timedelta(days=step * i) for i in range(count)]
    if frequency == PlanFrequency.MONTHLY:
        return [_on_day(*_add_months(first.year, first.month, i), anchor) for i in range(count)]
    dates = [first]
    for candidate in _semi_monthly_from(anchor, first + dt.timedelta(days=1)):
        if len(dates) == count:
            break
        dates.append(candidate)
    return dates[:count]


def split_amounts(total: Decimal, count: int) -> list[Decimal]:
    """``count`` amounts in cents summing to ``total``; the remainder goes on the last."""
    base = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    return [base] * (count - 1) + [total - base * (count - 1)]


def amounts_for_installment(total: Decimal, installment: Decimal) -> list[Decimal]:
    """Installments of ``installment`` until ``total`` is reached; the last one is the rest."""
    count = math.ceil(total / installment)
    return [installment] * (count - 1) + [total - installment * (count - 1)]


def schedule_build(
    *,
    total: Decimal,
    frequency: str,
    start: dt.date,
    payday: dt.date | None = None,
    count: int | None = None,
    installment_amount: Decimal | None = None,
) -> list[ScheduleLine]:
    """The whole schedule: either ``count`` installments or installments of ``installment_amount``."""
    if (count is None) == (installment_amount is None):
        raise ValueError("give exactly one of count or installment_amount")
    if installment_amount is not None:
        amounts = amounts_for_installment(total, installment_amount)
    else:
        assert count is not None
        amounts = split_amounts(total, count)
    first = first_due_date(frequency, start=start, payday=payday)
    dates = due_dates(frequency, first, len(amounts), anchor_day=(payday or first).day)
    return [ScheduleLine(i + 1, d, a) for i, (d, a) in enumerate(zip(dates, amounts, strict=True))]


def next_due_date(frequency: str, after: dt.date, *, anchor_day: int) -> dt.date:
    """The next date in the cycle after ``after`` (for an installment appended on renegotiation)."""
    return due_dates(frequency, after, 2, anchor_day=anchor_day)[1]


def debtor_local_date(zones: Iterable[str], now: dt.datetime) -> dt.date:
    """The earliest calendar date it is anywhere the debtor may be (UTC when no zone is known)."""
    dates = [now.astimezone(ZoneInfo(zone)).date() for zone in zones]
    return min(dates) if dates else now.astimezone(dt.UTC).date()


def end_of_local_day(zone: str, day: dt.date) -> dt.datetime:
    """The last instant of ``day`` in ``zone``, as an aware datetime (DST-correct)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=ZoneInfo(zone)) - dt.timedelta(
        microseconds=1
    )
