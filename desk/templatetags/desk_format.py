"""Template filters: money (a Decimal, or an amount kept as a string in JSON)."""

from decimal import Decimal, InvalidOperation

from django import template

from desk import formatting

register = template.Library()


@register.filter(name="money")
def money(value: object) -> str:
    """``1234.5`` (a Decimal, or a string kept in an event's JSON) → ``"$1,234.50"``; anything else as is."""
    if isinstance(value, (Decimal, int, str)) and not isinstance(value, bool):
        try:
            return formatting.money(Decimal(value))
        except InvalidOperation:
            pass
    return "" if value is None else str(value)
