"""Validation-period dates (12 CFR 1006.34(b)(5); 5 USC 6103(a)).

Only the holidays' actual dates are skipped, not a weekday on which one is observed: 6103(a)
lists the dates (catalogue 13.5).
"""

from datetime import date, timedelta
from functools import cache

from .constants import ASSUMED_RECEIPT_BUSINESS_DAYS, VALIDATION_PERIOD_DAYS


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


MONDAY, THURSDAY = 0, 3


@cache
def legal_public_holidays(year: int) -> frozenset[date]:
    """5 USC 6103(a): the eleven legal public holidays (Juneteenth from 2021)."""
    days = {
        date(year, 1, 1),
        _nth_weekday(year, 1, MONDAY, 3),
        _nth_weekday(year, 2, MONDAY, 3),
        _last_weekday(year, 5, MONDAY),
        date(year, 7, 4),
        _nth_weekday(year, 9, MONDAY, 1),
        _nth_weekday(year, 10, MONDAY, 2),
        date(year, 11, 11),
        _nth_weekday(year, 11, THURSDAY, 4),
        date(year, 12, 25),
    }
    if year >= 2021:
        days.add(date(year, 6, 19))
    return frozenset(days)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in legal_public_holidays(day.year)


def assumed_receipt(sent_on: date) -> date:
    """The fifth day after sending that is not a Saturday, Sunday or legal public holiday."""
    day, counted = sent_on, 0
    while counted < ASSUMED_RECEIPT_BUSINESS_DAYS:
        day += timedelta(days=1)
        if is_business_day(day):
            counted += 1
    return day


def earliest_period_end(sent_on: date) -> date:
    """Earliest validation-period end a notice sent on ``sent_on`` may state (receipt + 30)."""
    return assumed_receipt(sent_on) + timedelta(days=VALIDATION_PERIOD_DAYS)
