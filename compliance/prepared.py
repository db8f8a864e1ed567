"""Server-side prepared statements for the gate's hot single-check queries.

Django binds parameters on the client, so PostgreSQL plans every statement anew; for the check's
bundle read and decision insert the planning costs about as much as the execution. A statement
registered here is ``PREPARE``d once per database session (on first use) and run with ``EXECUTE``
through Django's own cursor, so query logging, counting and wrappers still see it.
"""

import re
import weakref
from collections.abc import Mapping
from typing import Any

from django.db import connection

_NAMED = re.compile(r"%\((\w+)\)s")
_prepared: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()


class PreparedStatement:
    """``sql`` with ``%(name)s`` placeholders, prepared as ``name`` with parameter types inferred."""

    def __init__(self, name: str, sql: str) -> None:
        order: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in order:
                order.append(match.group(1))
            return f"${order.index(match.group(1)) + 1}"

        self.name = name
        self.prepare_sql = f"prepare {name} as " + _NAMED.sub(number, sql).replace("%%", "%")
        self.params = tuple(order)
        self.execute_sql = f"execute {name} ({', '.join(['%s'] * len(order))})"

    def execute(self, cursor: Any, params: Mapping[str, Any]) -> None:
        """Run on ``cursor`` (a cursor of ``django.db.connection``), preparing first if this
        session has not seen the statement yet."""
        raw = connection.connection
        seen = _prepared.get(raw)
        if seen is None:
            seen = _prepared[raw] = set()
        if self.name not in seen:
            cursor.execute(self.prepare_sql)
            seen.add(self.name)
        cursor.execute(self.execute_sql, [params[p] for p in self.params])
