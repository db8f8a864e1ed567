"""Candidate time zones for imported debtors, fast enough for a million rows.

Two paths, both built on ``collections_app.geo.timezones``:

* in Python, for the rows of the file: ``debtor_zones`` answered once per distinct address
  (ZIP, state) and once per phone exchange (+1 NPA-NXX: the zone data never splits finer), then
  combined per distinct combination;
* in SQL, for debtors who already existed and gained a contact point: the same rules over every
  contact point the debtor has, from lookup tables filled from the same functions (the job loads
  them into temporary tables the first time it needs them).
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import pandas as pd

from collections_app.geo.timezones import STATE_ZONES, US_COUNTRY_CODES, debtor_zones, zones_for_postal_code


def phone_key(e164: str) -> str:
    """What a phone's zones depend on: +1 and the area code and exchange, or the whole number."""
    return e164[:8] if len(e164) == 12 and e164.startswith("+1") else e164


def array_literal(zones: tuple[str, ...]) -> str:
    return "{" + ",".join(zones) + "}"


class ZoneResolver:
    def __init__(self) -> None:
        self._addresses: dict[tuple[str, str], tuple[str, ...]] = {}
        self._phones: dict[str, tuple[str, ...]] = {}
        self._ids: dict[tuple[str, ...], int] = {(): 0}
        self._by_id: list[tuple[str, ...]] = [()]
        self._literals: dict[tuple[int, ...], str] = {}
        self._address_key_ids: dict[str, int] = {}  # "zip5|state" → zone-set id
        self._phone_key_ids: dict[str, int] = {}  # phone key (+1 NPA-NXX) → zone-set id

    def address(self, zip5: str, state: str) -> tuple[str, ...]:
        key = (zip5, state)
        if key not in self._addresses:
            address = {"postal_code": zip5, "state": state, "country": "US"}
            self._addresses[key] = tuple(debtor_zones([address], []) if zip5 or state else ())
        return self._addresses[key]

    def phone(self, e164: str) -> tuple[str, ...]:
        key = phone_key(e164)
        if key not in self._phones:
            self._phones[key] = tuple(debtor_zones([], [e164]) if e164 else ())
        return self._phones[key]

    def _zone_id(self, zones: tuple[str, ...]) -> int:
        if zones not in self._ids:
            if len(self._by_id) > 0x7FFF:  # ids are packed 16 bits each (rows), in a signed 64-bit key
                raise OverflowError("more than 32,767 distinct zone sets")
            self._ids[zones] = len(self._by_id)
            self._by_id.append(zones)
        return self._ids[zones]

    def _literal(self, ids: tuple[int, ...]) -> str:
        if ids not in self._literals:
            found: dict[str, None] = {}
            for zone_id in ids:
                found.update(dict.fromkeys(self._by_id[zone_id]))
            self._literals[ids] = array_literal(tuple(found))
        return self._literals[ids]

    def rows(self, zip5: pd.Series, state: pd.Series, phones: list[pd.Series]) -> np.ndarray:
        """Each row's zones as a PostgreSQL array literal: address zones first, then each phone's.

        Distinct addresses and phone exchanges are looked up once per file (their zone-set ids are
        remembered by key); rows are then combined by the ids of their zone sets, of which there are few.
        """
        columns = [self._ids_of(zip5 + "|" + state, self._address_key_ids, self._address_zone_id)]
        for column in phones:
            nanp = (column.str.len() == 12) & column.str.startswith("+1")
            columns.append(self._ids_of(column.where(~nanp, column.str.slice(0, 8)), self._phone_key_ids,
                                        self._phone_zone_id))
        # One 64-bit key per row from the (small) zone-set ids, 16 bits each.
        combined = np.zeros(len(zip5), dtype=np.int64)
        for ids in columns:
            combined = (combined << 16) | ids
        codes, uniques = pd.factorize(combined)
        literals = np.array([self._literal(tuple(int(key >> (16 * shift)) & 0xFFFF
                                                 for shift in reversed(range(len(columns)))))
                             for key in uniques.tolist()], dtype=object)
        return literals[codes]

    @staticmethod
    def _ids_of(keys: pd.Series, known: dict[str, int], zone_id: Any) -> np.ndarray:
        """The zone-set id of each key, worked out once per distinct key for the whole file."""
        codes, uniques = pd.factorize(keys)
        ids = np.fromiter((known[key] if key in known else known.setdefault(key, zone_id(key))
                           for key in np.asarray(uniques, dtype=object).tolist()), dtype=np.int64, count=len(uniques))
        return ids[codes] if len(ids) else np.zeros(len(keys), dtype=np.int64)

    def _address_zone_id(self, key: str) -> int:
        return self._zone_id(self.address(*key.split("|")))

    def _phone_zone_id(self, key: str) -> int:
        return self._zone_id(self.phone(self._representative(key)) if key else ())

    @staticmethod
    def _representative(key: str) -> str:
        """A full number for a key (+1 NPA-NXX gets a line number; the zones do not depend on it)."""
        return key + "0000" if len(key) == 8 and key.startswith("+1") else key


# --- the SQL path -----------------------------------------------------------------------------

LOOKUP_TABLES_SQL = """
CREATE TEMP TABLE IF NOT EXISTS import_zip_zones (zip5 text PRIMARY KEY, zones text[], state text);
CREATE TEMP TABLE IF NOT EXISTS import_state_zones (state text PRIMARY KEY, zones text[]);
CREATE TEMP TABLE IF NOT EXISTS import_phone_zones (key text PRIMARY KEY, zones text[]);
"""

PHONE_KEY_SQL = "CASE WHEN p.number ~ '^\\+1[0-9]{10}$' THEN left(p.number, 8) ELSE btrim(p.number) END"

MISSING_PHONE_KEYS_SQL = f"""
SELECT DISTINCT ON (key) key, number FROM (
  SELECT {PHONE_KEY_SQL} AS key, btrim(p.number) AS number
  FROM collections_app_phone p JOIN import_touched t ON t.debtor_id = p.debtor_id
) k WHERE NOT EXISTS (SELECT 1 FROM import_phone_zones z WHERE z.key = k.key)
"""

# debtor_timezones_refresh, set-based: addresses (not undeliverable) by id, then phones (not
# disconnected or wrong) by id; a debtor who stated a location keeps it.
REFRESH_SQL = f"""
WITH evidence AS (
  SELECT a.debtor_id, ARRAY[1, a.id, z.ord] AS at, z.zone
  FROM collections_app_address a
  JOIN import_touched t ON t.debtor_id = a.debtor_id
  LEFT JOIN import_zip_zones zz ON zz.zip5 = substring(btrim(a.postal_code) from '^([0-9]{{5}})(?:[- ]?[0-9]{{4}})?$')
  LEFT JOIN import_state_zones sz ON sz.state = upper(btrim(a.state))
  LEFT JOIN import_state_zones zs ON zs.state = zz.state
  CROSS JOIN LATERAL unnest(COALESCE(NULLIF(zz.zones, '{{}}'), NULLIF(sz.zones, '{{}}'), zs.zones, '{{}}'))
    WITH ORDINALITY AS z(zone, ord)
  WHERE a.status <> 'undeliverable' AND (btrim(a.country) = '' OR upper(btrim(a.country)) = ANY(%(us)s))
  UNION ALL
  SELECT p.debtor_id, ARRAY[2, p.id, z.ord], z.zone
  FROM collections_app_phone p
  JOIN import_touched t ON t.debtor_id = p.debtor_id
  JOIN import_phone_zones pz ON pz.key = {PHONE_KEY_SQL}
  CROSS JOIN LATERAL unnest(pz.zones) WITH ORDINALITY AS z(zone, ord)
  WHERE p.status NOT IN ('disconnected', 'wrong_number')
), firsts AS (
  SELECT debtor_id, zone, min(at) AS at FROM evidence GROUP BY debtor_id, zone
), found AS (
  SELECT t.debtor_id, coalesce(array_agg(f.zone ORDER BY f.at) FILTER (WHERE f.zone IS NOT NULL), '{{}}') AS zones
  FROM import_touched t LEFT JOIN firsts f ON f.debtor_id = t.debtor_id GROUP BY t.debtor_id
)
UPDATE collections_app_debtor d SET timezones = found.zones, updated_at = now()
FROM found
WHERE d.id = found.debtor_id AND d.timezones::text[] IS DISTINCT FROM found.zones
  AND NOT EXISTS (SELECT 1 FROM collections_app_caseevent e WHERE e.debtor_id = d.id AND e.type = 'location_stated')
"""


def load_lookup_tables(cursor: Any) -> None:
    """Fill the ZIP and state tables (once per connection)."""
    cursor.execute(LOOKUP_TABLES_SQL)
    cursor.execute("SELECT EXISTS (SELECT 1 FROM import_state_zones)")
    if cursor.fetchone()[0]:
        return
    zipcodes: Any = importlib.import_module("zipcodes")  # untyped package
    with cursor.copy("COPY import_zip_zones (zip5, zones, state) FROM STDIN") as copy:
        for record in zipcodes.list_all():
            zones = tuple(zones_for_postal_code(record["zip_code"]))
            copy.write_row((record["zip_code"], array_literal(zones), record.get("state") or ""))
    with cursor.copy("COPY import_state_zones (state, zones) FROM STDIN") as copy:
        for state, zones in STATE_ZONES.items():
            copy.write_row((state, array_literal(zones)))


def refresh_touched_debtors(cursor: Any, resolver: ZoneResolver) -> int:
    """Recompute the zones of the debtors in ``import_touched``; returns how many changed."""
    load_lookup_tables(cursor)
    cursor.execute(MISSING_PHONE_KEYS_SQL)
    missing = cursor.fetchall()
    if missing:
        with cursor.copy("COPY import_phone_zones (key, zones) FROM STDIN") as copy:
            for key, number in missing:
                copy.write_row((key, array_literal(resolver.phone(number))))
    cursor.execute(REFRESH_SQL, {"us": sorted(US_COUNTRY_CODES)})
    return int(cursor.rowcount)
