"""Template filters for facts the timeline keeps as JSON (ISO dates are strings there)."""

import datetime as dt

from django import template
from django.utils.dateparse import parse_date

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
