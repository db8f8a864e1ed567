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
