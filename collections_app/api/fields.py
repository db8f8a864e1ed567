import datetime as dt
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import NotFound


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference to an object the caller may see; anything else is a 404, as the contract says.

    ``scope`` maps the request's user to the visible queryset.
    """

    def __init__(self, scope: Any, **kwargs: Any) -> None:
        self.scope = scope
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return self.scope(self.context["request"].user)

    def use_pk_only_optimization(self) -> bool:
        return True

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str) or not str(data).isdigit():
            self.fail("incorrect_type", data_type=type(data).__name__)
        obj = self.get_queryset().filter(pk=int(data)).first()
        if obj is None:
            raise NotFound(f"{self.field_name} {data} not found.")
        return obj


class InstantField(serializers.DateTimeField):
    """An ISO 8601 instant *with* its UTC offset (the contract's convention): a naive local time
    would be read in the server's zone, and a dialer's 22:30 taken for UTC could pass the gate."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                raise serializers.ValidationError("An instant needs its UTC offset, e.g. 2026-04-08T10:00:00-05:00.")
        result: dt.datetime = super().to_internal_value(value)
        return result
