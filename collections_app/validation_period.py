"""The Regulation F validation period (12 CFR 1006.34(b)(5)).

Receipt may be assumed on the fifth day after sending that is a weekday and not a legal public
holiday of 5 USC 6103(a); the period ends 30 calendar days after that. The statute lists the
actual holiday dates, so a Friday "observed" holiday is not skipped (catalogue 13.5).
"""

import datetime as dt
from functools import cache

RECEIPT_BUSINESS_DAYS = 5
PERIOD_DAYS = 30


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> dt.date:
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


@cache
def legal_public_holidays(year: int) -> frozenset[dt.date]:
    """The eleven holidays of 5 USC 6103(a) for a year, on their actual dates."""
    mon, thu = 0, 3
    return frozenset(
        {
            dt.date(year, 1, 1),
            _nth_weekday(year, 1, mon, 3),  # Birthday of Martin Luther King, Jr.
            _nth_weekday(year, 2, mon, 3),  # Washington's Birthday
            _last_weekday(year, 5, mon),  # Memorial Day
            dt.date(year, 6, 19),  # Juneteenth
            dt.date(year, 7, 4),
            _nth_weekday(year, 9, mon, 1),  # Labor Day
            _nth_weekday(year, 10, mon, 2),  # Columbus Day
            dt.date(year, 11, 11),
            _nth_weekday(year, 11, thu, 4),  # Thanksgiving
            dt.date(year, 12, 25),
        }
    )


def is_receipt_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in legal_public_holidays(day.year)


def assumed_receipt_date(sent_on: dt.date) -> dt.date:
    day, counted = sent_on, 0
    while counted < RECEIPT_BUSINESS_DAYS:
        day += dt.timedelta(days=1)
        counted += is_receipt_day(day)
    return day


def validation_period_end(sent_on: dt.date) -> dt.date:
    """Earliest permissible end of the validation period for a notice sent on ``sent_on``."""
    return assumed_receipt_date(sent_on) + dt.timedelta(days=PERIOD_DAYS)
