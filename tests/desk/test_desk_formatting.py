"""How the desk words money, ages and the next allowed time (pure functions, no database)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from desk.eligibility import ChannelStatus
from desk.formatting import ago, clock, money

NOW = dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC)  # a Thursday, 11:00 AM in Chicago


def test_money_has_a_dollar_sign_thousands_and_cents():
    assert money(Decimal("1234.5")) == "$1,234.50"
    assert money(Decimal("-20")) == "-$20.00"
    assert money(None) == "—"


def test_ages_are_counted_in_the_unit_a_collector_thinks_in():
    assert ago(None, NOW) == "Never"
    assert ago(NOW - dt.timedelta(seconds=20), NOW) == "just now"
    assert ago(NOW - dt.timedelta(minutes=1), NOW) == "1 minute ago"
    assert ago(NOW - dt.timedelta(hours=5), NOW) == "5 hours ago"
    assert ago(NOW - dt.timedelta(days=13), NOW) == "13 days ago"
    assert ago(NOW - dt.timedelta(days=20), NOW) == "2 weeks ago"
    assert ago(NOW - dt.timedelta(days=200), NOW) == "6 months ago"
    assert ago(NOW - dt.timedelta(days=800), NOW) == "2 years ago"


def test_a_clock_says_its_zone():
    assert clock(NOW, "America/Chicago") == "11:00 AM CST"
    assert clock(NOW, "Pacific/Honolulu") == "7:00 AM HST"


def at_chicago(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, tzinfo=ZoneInfo("America/Chicago"))


def test_the_next_allowed_time_reads_as_today_tomorrow_a_weekday_or_a_date():
    def status(at: dt.datetime, zones=("America/Chicago",)) -> ChannelStatus:
        return ChannelStatus(False, next_allowed_at=at, timezones=zones)

    assert status(at_chicago(3, 20)).next_allowed_text(NOW) == "8:00 PM CST"
    assert status(at_chicago(4, 8)).next_allowed_text(NOW) == "tomorrow 8:00 AM CST"
    assert status(at_chicago(8, 8)).next_allowed_text(NOW) == "Tue 8:00 AM CST"
    assert status(at_chicago(14, 8)).next_allowed_text(NOW) == "Mon Dec 14, 8:00 AM CST"
    two_zones = status(at_chicago(4, 8), ("America/Chicago", "America/New_York"))
    with time_machine.travel(NOW, tick=False):
        assert two_zones.call_badge == ("later", "Opens tomorrow 8:00 AM CST (+1 zone)")
    assert "Fri Dec 4, 9:00 AM EST" in two_zones.reasons_text
    assert ChannelStatus(True).call_badge == ("ok", "Callable now")


def test_event_details_say_what_the_event_holds_and_nothing_for_what_it_lacks():
    from collections_app.models import CaseEvent
    from desk.timeline import event_detail

    def detail(type_: str, **data) -> str:
        return event_detail(CaseEvent(type=type_, data=data))

    assert detail("plan_created", installments=10, frequency="monthly", total="1795.02") == "10 × monthly · $1,795.02"
    assert detail("plan_created", installments=10, total="1795.02") == "10 payments · $1,795.02"  # seeded: no frequency
    assert detail("promise_made", amount="200", due_date="2026-12-11") == "$200.00 by Fri Dec 11, 2026"
    assert detail("payment_received", amount="50", method="ach", balance="950") == "$50.00 · ACH · balance $950.00"
    assert detail("dispute_received", portion="partial", amount="35") == "Partial debt · $35.00"
    assert detail("status_changed", to="paid") == ""
    assert detail("settlement_offered") == ""
