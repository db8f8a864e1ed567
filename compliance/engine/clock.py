"""Local time arithmetic: every instant is UTC-aware, local dates come from IANA zones."""

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def at_local(day: date, clock_time: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of ``clock_time`` on ``day`` in ``zone`` (DST-aware)."""
    return datetime.combine(day, clock_time, tzinfo=zone).astimezone(UTC)


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    return at_local(day, time(0), zone)


def days_between(start: date, end: date) -> list[date]:
    """Every date from ``start`` to ``end`` inclusive."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def parse_instant(value: object) -> datetime | None:
    """An aware datetime from an ISO 8601 string (or datetime); None when absent or naive."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return parsed.astimezone(UTC) if parsed.utcoffset() is not None else None


def parse_date(value: object) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parse_time(value: object) -> time | None:
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            return None
    return None


def add_years(day: date, years: int) -> date:
    """Same month and day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def earliest_passing(
    candidates: Iterable[datetime], after: datetime, passes: Callable[[datetime], bool]
) -> datetime | None:
    """The first candidate instant later than ``after`` at which ``passes`` holds."""
    for candidate in sorted({c for c in candidates if c > after}):
        if passes(candidate):
            return candidate
    return None
