"""How the desk writes money, instants and ages, in Python: the queue formats 25 rows of them per page,
and a template filter chain costs several times more than these few string operations.

Instants a collector reads are in the debtor's local time with the zone's abbreviation ("2:05 PM
CST"); a debtor with no known zone gets UTC, labelled as such. ``debtor_zone`` picks the zone.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

UTC = "UTC"


def money(amount: Decimal | None) -> str:
    """``Decimal("1234.5")`` → ``"$1,234.50"``."""
    if amount is None:
        return "—"
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"


def debtor_zone(timezones: list[str] | tuple[str, ...] | None) -> str:
    """The zone a debtor's times are shown in: their first (primary) zone, else UTC."""
    return timezones[0] if timezones else UTC


def local(at: dt.datetime, zone: str) -> dt.datetime:
    return at.astimezone(ZoneInfo(zone))


def clock(at: dt.datetime, zone: str) -> str:
    """``"2:05 PM CST"``."""
    t = local(at, zone)
    return f"{t:%-I:%M %p} {t.tzname()}"


def day_and_clock(at: dt.datetime, zone: str) -> str:
    """``"Mon Dec 7, 8:00 AM CST"``."""
    t = local(at, zone)
    return f"{t:%a %b %-d, %-I:%M %p} {t.tzname()}"


# (below this many seconds, count in units of this many seconds, unit name)
_AGE_UNITS = ((3600, 60, "minute"), (86400, 3600, "hour"), (14 * 86400, 86400, "day"),
              (9 * 7 * 86400, 7 * 86400, "week"), (365 * 86400, 30 * 86400, "month"),
              (float("inf"), 365 * 86400, "year"))


def ago(at: dt.datetime | None, now: dt.datetime) -> str:
    """How long ago, in the unit a collector thinks in: minutes, hours, then days, weeks, months."""
    if at is None:
        return "Never"
    seconds = (now - at).total_seconds()
    if seconds < 60:
        return "just now"
    for below, size, unit in _AGE_UNITS:
        if seconds < below:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    raise AssertionError("unreachable: the last unit has no upper bound")
