"""Writing many rows of one model with one statement and one JSON parameter.

Django's ``bulk_create`` and ``bulk_update`` prepare every field of every row in Python and send
one placeholder per value (``bulk_update`` also builds a CASE per field and row); for the outbox's
batches that cost more than the work itself. Here the rows travel as one JSON document that
PostgreSQL unpacks with ``jsonb_to_recordset``, typed by each field's own column type. Triggers
(pghistory) and constraints apply as for any insert or update.

Only for models whose fields store what they hold (no encrypted or custom-serialised fields).
"""

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _value(field: models.Field, value: Any) -> Any:
    value = field.get_prep_value(value)
    return str(value) if isinstance(field, models.FileField) else value


def _columns(fields: Sequence[models.Field]) -> tuple[str, str]:
    names = ", ".join(f'"{f.column}"' for f in fields)
    types = ", ".join(f'"{f.column}" {f.db_type(connection)}' for f in fields)
    return names, types


def rows_insert(objs: Sequence[models.Model]) -> None:
    """Insert new rows (one model, auto primary key) in order and set their primary keys."""
    if not objs:
        return
    meta = objs[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    rows = [{"_n": n, **{f.column: _value(f, f.pre_save(obj, True)) for f in fields}} for n, obj in enumerate(objs)]
    names, types = _columns(fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{meta.db_table}" ({names}) SELECT {names} FROM jsonb_to_recordset(%s::jsonb) '
            f'AS v("_n" bigint, {types}) ORDER BY "_n" RETURNING "{meta.pk.column}"',
            [json.dumps(rows, default=_plain)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def rows_update(objs: Sequence[models.Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of many saved rows (one model), each row its own values, in one statement."""
    if not objs:
        return 0
    meta = objs[0]._meta
    columns = [field for name in fields if isinstance(field := meta.get_field(name), models.Field)]
    rows = [{"_pk": obj.pk, **{f.column: _value(f, getattr(obj, f.attname)) for f in columns}} for obj in objs]
    sets = ", ".join(f'"{f.column}" = v."{f.column}"' for f in columns)
    _, types = _columns(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{meta.db_table}" AS t SET {sets} FROM jsonb_to_recordset(%s::jsonb) '
            f'AS v("_pk" {meta.pk.db_type(connection)}, {types}) WHERE t."{meta.pk.column}" = v."_pk"',
            [json.dumps(rows, default=_plain)],
        )
        return cursor.rowcount
