"""Template filters: money, and facts the timeline keeps as JSON (ISO dates and amounts are strings there)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.dateparse import parse_date

from collections_app.constants import PaymentMethod
from desk import formatting

register = template.Library()


@register.filter(name="parse_date")
def parse_iso_date(value: object) -> dt.date | object:
    """``"2026-11-27"`` → a date the ``date`` filter can format; anything else unchanged."""
    if isinstance(value, str):
        try:
            return parse_date(value) or value
        except ValueError:
            return value
    return value


@register.filter(name="money")
def money(value: object) -> str:
    """``1234.5`` (a Decimal, or a string kept in an event's JSON) → ``"$1,234.50"``; anything else as is."""
    if isinstance(value, (Decimal, int, str)) and not isinstance(value, bool):
        try:
            return formatting.money(Decimal(value))
        except InvalidOperation:
            pass
    return "" if value is None else str(value)


@register.filter(name="payment_method")
def payment_method(value: object) -> str:
    """``"ach"`` → ``"ACH"``: the label of a method kept in an event's JSON."""
    return PaymentMethod(value).label if isinstance(value, str) and value in PaymentMethod.values else str(value or "")
