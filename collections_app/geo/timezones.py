"""Every IANA time zone a debtor may be in.

The compliance engine checks the local time in *every* candidate zone (Regulation F comment
6(b)(1)(i)-2: conflicting or ambiguous location evidence means all candidates count), so this
module errs towards listing a zone rather than dropping one.

Evidence, in order:

* addresses — the postal code through the offline ``zipcodes`` table (ZIP → zone); when the code
  is unknown, every zone of the address's state (multi-zone states list all of theirs);
* phone numbers — the area code (and, where the data splits one, the exchange) through
  ``phonenumbers``; an exchange the data does not list in an area code it splits (a new or a
  fictional 555 exchange in Florida's 850) gets every zone of the area code; toll-free and other
  non-geographic numbers say nothing about a place;
* a ``location_stated`` event — actual knowledge — replaces all of the inference.

Zone names are canonical IANA names as the main tz database defines them: a backward-compatible
alias (a ``Link``, such as ``US/Central`` or ``America/St_Thomas``) is replaced by the zone it
points to, so one zone never appears under two names. Distinct zones with the same current rules
(``America/Indiana/Indianapolis`` and ``America/New_York``) are kept apart; they are different
zones in the database and a local-time check gives the same answer for both.

Pure Python, no Django: the functions are cached so that bulk work (seeding or importing a
million debtors) pays for each postal code and each phone number once.
"""

from __future__ import annotations

import importlib
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Final, Protocol

import phonenumbers
from phonenumbers import timezone as phone_timezone
from phonenumbers.tzdata import TIMEZONE_DATA

__all__ = [
    "STATE_ZONES",
    "US_COUNTRY_CODES",
    "ZONE_ALIASES",
    "AddressLike",
    "canonical_zone",
    "debtor_zones",
    "normalize_postal_code",
    "zones_for_phone",
    "zones_for_postal_code",
    "zones_for_state",
]


class AddressLike(Protocol):
    """What ``debtor_zones`` reads from an address (a model instance works; so does a dict)."""

    @property
    def postal_code(self) -> str | None: ...

    @property
    def state(self) -> str | None: ...

    @property
    def country(self) -> str | None: ...


# Backward-compatible names (tz ``Link`` lines, tzdata 2026f) that can name a US zone, mapped to
# the canonical zone. ``zipcodes`` and ``phonenumbers`` emit some of them (America/St_Thomas,
# Pacific/Saipan, Pacific/Chuuk, Pacific/Majuro); users and old systems send the US/* ones.
# Debian's tzdata package is built with ``backzone`` and ships some of these as full zones; the
# main tz database (and the ``tzdata`` wheel) defines them as links, which is what we follow.
ZONE_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "US/Eastern": "America/New_York",
        "US/Central": "America/Chicago",
        "US/Mountain": "America/Denver",
        "US/Pacific": "America/Los_Angeles",
        "US/Arizona": "America/Phoenix",
        "US/Alaska": "America/Anchorage",
        "US/Aleutian": "America/Adak",
        "US/Hawaii": "Pacific/Honolulu",
        "US/Samoa": "Pacific/Pago_Pago",
        "US/Michigan": "America/Detroit",
        "US/East-Indiana": "America/Indiana/Indianapolis",
        "US/Indiana-Starke": "America/Indiana/Knox",
        "America/Indianapolis": "America/Indiana/Indianapolis",
        "America/Fort_Wayne": "America/Indiana/Indianapolis",
        "America/Knox_IN": "America/Indiana/Knox",
        "America/Louisville": "America/Kentucky/Louisville",
        "America/Atka": "America/Adak",
        "America/Shiprock": "America/Denver",
        "Navajo": "America/Denver",
        "MST": "America/Phoenix",
        "HST": "Pacific/Honolulu",
        "Pacific/Johnston": "Pacific/Honolulu",
        "Pacific/Samoa": "Pacific/Pago_Pago",
        "Pacific/Midway": "Pacific/Pago_Pago",
        "America/St_Thomas": "America/Puerto_Rico",
        "America/Virgin": "America/Puerto_Rico",
        "Pacific/Saipan": "Pacific/Guam",
        "Pacific/Chuuk": "Pacific/Port_Moresby",
        "Pacific/Truk": "Pacific/Port_Moresby",
        "Pacific/Yap": "Pacific/Port_Moresby",
        "Pacific/Pohnpei": "Pacific/Guadalcanal",
        "Pacific/Ponape": "Pacific/Guadalcanal",
        "Pacific/Majuro": "Pacific/Tarawa",
        "Pacific/Wake": "Pacific/Tarawa",
        "Kwajalein": "Pacific/Kwajalein",
    }
)

_EASTERN = "America/New_York"
_CENTRAL = "America/Chicago"
_MOUNTAIN = "America/Denver"
_PACIFIC = "America/Los_Angeles"

# Every zone a resident of a state, district or territory may be in (USPS two-letter codes), the
# most populous first. Multi-zone states list all of theirs, including the county-level zones the
# tz database keeps for Indiana, Kentucky, Michigan and North Dakota. Only zones where local time
# is official are listed: a few towns keep another zone unofficially (Phenix City AL on Eastern,
# Kenton OK and Jackpot NV on Mountain). West Wendover NV is officially on Mountain time.
STATE_ZONES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "AL": (_CENTRAL,),
        "AK": (
            "America/Anchorage",
            "America/Juneau",
            "America/Sitka",
            "America/Metlakatla",
            "America/Yakutat",
            "America/Nome",
            "America/Adak",
        ),
        "AZ": ("America/Phoenix", _MOUNTAIN),  # no DST, except the Navajo Nation (Mountain + DST)
        "AR": (_CENTRAL,),
        "CA": (_PACIFIC,),
        "CO": (_MOUNTAIN,),
        "CT": (_EASTERN,),
        "DE": (_EASTERN,),
        "DC": (_EASTERN,),
        "FL": (_EASTERN, _CENTRAL),
        "GA": (_EASTERN,),
        "HI": ("Pacific/Honolulu",),
        "ID": ("America/Boise", _PACIFIC),
        "IL": (_CENTRAL,),
        "IN": (
            "America/Indiana/Indianapolis",
            _CENTRAL,
            _EASTERN,
            "America/Kentucky/Louisville",
            "America/Indiana/Vincennes",
            "America/Indiana/Winamac",
            "America/Indiana/Marengo",
            "America/Indiana/Petersburg",
            "America/Indiana/Vevay",
            "America/Indiana/Tell_City",
            "America/Indiana/Knox",
        ),
        "IA": (_CENTRAL,),
        "KS": (_CENTRAL, _MOUNTAIN),
        "KY": (_EASTERN, "America/Kentucky/Louisville", _CENTRAL, "America/Kentucky/Monticello"),
        "LA": (_CENTRAL,),
        "ME": (_EASTERN,),
        "MD": (_EASTERN,),
        "MA": (_EASTERN,),
        "MI": ("America/Detroit", "America/Menominee"),
        "MN": (_CENTRAL,),
        "MS": (_CENTRAL,),
        "MO": (_CENTRAL,),
        "MT": (_MOUNTAIN,),
        "NE": (_CENTRAL, _MOUNTAIN),
        "NV": (_PACIFIC, _MOUNTAIN),
        "NH": (_EASTERN,),
        "NJ": (_EASTERN,),
        "NM": (_MOUNTAIN,),
        "NY": (_EASTERN,),
        "NC": (_EASTERN,),
        "ND": (
            _CENTRAL,
            _MOUNTAIN,
            "America/North_Dakota/Center",
            "America/North_Dakota/New_Salem",
            "America/North_Dakota/Beulah",
        ),
        "OH": (_EASTERN,),
        "OK": (_CENTRAL,),
        "OR": (_PACIFIC, "America/Boise"),
        "PA": (_EASTERN,),
        "RI": (_EASTERN,),
        "SC": (_EASTERN,),
        "SD": (_CENTRAL, _MOUNTAIN),
        "TN": (_CENTRAL, _EASTERN),
        "TX": (_CENTRAL, _MOUNTAIN),
        "UT": (_MOUNTAIN,),
        "VT": (_EASTERN,),
        "VA": (_EASTERN,),
        "WA": (_PACIFIC,),
        "WV": (_EASTERN,),
        "WI": (_CENTRAL,),
        "WY": (_MOUNTAIN,),
        # Territories.
        "PR": ("America/Puerto_Rico",),
        "VI": ("America/Puerto_Rico",),  # America/St_Thomas is a link to it
        "GU": ("Pacific/Guam",),
        "MP": ("Pacific/Guam",),  # Pacific/Saipan is a link to it
        "AS": ("Pacific/Pago_Pago",),
        # Freely associated states served by USPS ZIP codes.
        "FM": ("Pacific/Port_Moresby", "Pacific/Guadalcanal", "Pacific/Kosrae"),
        "MH": ("Pacific/Tarawa", "Pacific/Kwajalein"),
        "PW": ("Pacific/Palau",),
    }
)

# Country values under which an address's postal code and state are USPS ones.
US_COUNTRY_CODES: Final[frozenset[str]] = frozenset(
    {"US", "USA", "UNITED STATES", "UNITED STATES OF AMERICA", "PR", "GU", "VI", "AS", "MP"}
)

_ZIP_RE: Final = re.compile(r"^(\d{5})(?:[-\s]?\d{4})?$")
_NANP_E164_RE: Final = re.compile(r"^\+1(\d{10})$")


# --- zone names -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _available_zones() -> frozenset[str]:
    zones = frozenset(zoneinfo.available_timezones())
    if not zones:  # without zone data every lookup would quietly answer "nowhere"
        raise RuntimeError("no IANA time zone data found: install the tzdata package")
    return zones


def _known_zone(name: str) -> str | None:
    """The canonical name of ``name``, or None when it is not an IANA zone here."""
    name = ZONE_ALIASES.get(name, name)
    return name if name in _available_zones() else None


def canonical_zone(name: str) -> str:
    """Canonical IANA name of a zone (aliases resolved); ValueError when it is not a zone.

    Use it to validate a ``location_stated`` event's ``timezone``.
    """
    known = _known_zone(name.strip())
    if known is None:
        raise ValueError(f"not an IANA time zone: {name!r}")
    return known


# --- postal codes -----------------------------------------------------------------------------


def normalize_postal_code(postal_code: str | None) -> str | None:
    """The 5-digit ZIP of ``60601``, ``60601-1234``, ``60601 1234`` or ``606011234``; else None."""
    if not postal_code:
        return None
    match = _ZIP_RE.match(postal_code.strip())
    return match.group(1) if match else None


@lru_cache(maxsize=1)
def _zip_index() -> Mapping[str, tuple[tuple[str, ...], str]]:
    """ZIP5 → (canonical zones, state), built once from the ``zipcodes`` table.

    ``zipcodes.matching`` scans all ~42,700 records on every call; one dict pays that once. The
    package is imported here, not at module import, because loading its table takes ~0.5 s.
    Records whose zone is not a real zone (military ZIPs carry "", one Alaska ZIP carries a town
    name) get no zones; the caller falls back to the state.
    """
    zipcodes: Any = importlib.import_module("zipcodes")  # untyped package
    index: dict[str, tuple[tuple[str, ...], str]] = {}
    for record in zipcodes.list_all():
        zone = _known_zone(record.get("timezone") or "")
        index[record["zip_code"]] = ((zone,) if zone else (), record.get("state") or "")
    return index


@lru_cache(maxsize=65536)
def _postal_lookup(postal_code: str) -> tuple[tuple[str, ...], str]:
    zip5 = normalize_postal_code(postal_code)
    if zip5 is None:
        return (), ""
    return _zip_index().get(zip5, ((), ""))


def zones_for_postal_code(postal_code: str) -> list[str]:
    """Zones of a US ZIP code (5-digit or ZIP+4); [] when the code is unknown or malformed."""
    return list(_postal_lookup(postal_code)[0])


# --- states -----------------------------------------------------------------------------------


def zones_for_state(state: str) -> list[str]:
    """Every zone of a US state, DC or territory (two-letter code); [] when unknown."""
    return list(STATE_ZONES.get(state.strip().upper(), ()))


# --- phones -----------------------------------------------------------------------------------


def _parse_phone(number: str) -> phonenumbers.PhoneNumber | None:
    nanp = _NANP_E164_RE.match(number)
    if nanp:  # the common case, built directly: half the cost of phonenumbers.parse
        return phonenumbers.PhoneNumber(country_code=1, national_number=int(nanp.group(1)))
    try:
        return phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return None


@lru_cache(maxsize=131072)
def _phone_lookup(number: str) -> tuple[str, ...]:
    parsed = _parse_phone(number)
    if parsed is None:
        return ()
    # What time_zones_for_number does, minus its country-wide answer for non-geographic numbers
    # (a toll-free number would otherwise "be" in every zone of the NANP) and its placeholder.
    kind = phonenumbers.number_type(parsed)
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        return ()
    if not phonenumbers.is_number_type_geographical(kind, parsed.country_code or 0):
        return ()
    zones: list[str] = []
    raws = phone_timezone.time_zones_for_geographical_number(parsed)
    if parsed.country_code == 1 and not _exchange_known(parsed):
        # An exchange the data does not list, in an area code it splits between zones (Florida's
        # 850, Kentucky's 270, ...): the area code's own entry names one of them; the number may be
        # in any.
        raws = (*raws, *_split_area_zones().get(str(parsed.national_number)[:3], ()))
    for raw in raws:
        zone = _known_zone(raw)
        if zone is not None and zone not in zones:
            zones.append(zone)
    return tuple(zones)


def _exchange_known(parsed: phonenumbers.PhoneNumber) -> bool:
    """Whether the zone data holds an entry for the number's exchange (or anything finer)."""
    digits = f"1{parsed.national_number}"
    return any(digits[:n] in TIMEZONE_DATA for n in range(len(digits), 4, -1))


@lru_cache(maxsize=1)
def _split_area_zones() -> dict[str, tuple[str, ...]]:
    """NANP area codes whose exchanges the zone data places in more than one zone: every zone."""
    by_area: dict[str, dict[str, None]] = {}
    for prefix, raws in TIMEZONE_DATA.items():
        if prefix.startswith("1") and len(prefix) > 4:
            by_area.setdefault(prefix[1:4], {}).update(dict.fromkeys(raws))
    for area, found in by_area.items():
        found.update(dict.fromkeys(TIMEZONE_DATA.get(f"1{area}", ())))
    return {area: tuple(found) for area, found in by_area.items() if len(found) > 1}


def zones_for_phone(e164: str) -> list[str]:
    """Zones of a phone number's area code; [] for toll-free, non-geographic or invalid numbers.

    E.164 is expected (``+13125550101``); a bare 10-digit number is read as a US one.
    """
    return list(_phone_lookup(e164.strip()))


# --- a debtor ---------------------------------------------------------------------------------


def _field(address: Mapping[str, Any] | AddressLike, name: str) -> str:
    value = address.get(name) if isinstance(address, Mapping) else getattr(address, name, None)
    return str(value).strip() if value else ""


def _address_zones(address: Mapping[str, Any] | AddressLike) -> tuple[str, ...]:
    country = _field(address, "country").upper()
    if country and country not in US_COUNTRY_CODES:
        return ()  # a foreign postal code could collide with a ZIP; we have no table for it
    state = _field(address, "state")
    postal_code = _field(address, "postal_code")
    zones, zip_state = _postal_lookup(postal_code) if postal_code else ((), "")
    if zones:
        return zones
    return STATE_ZONES.get(state.upper(), ()) or STATE_ZONES.get(zip_state, ())


def debtor_zones(
    addresses: Iterable[Mapping[str, Any] | AddressLike],
    phones: Iterable[str],
    stated_zone: str | None = None,
) -> list[str]:
    """Every IANA zone a debtor may be in, addresses' zones first, then phones', without repeats.

    ``addresses`` are objects or dicts with ``postal_code``, ``state`` and ``country`` (empty
    country = US); ``phones`` are E.164 strings. A zone the debtor stated (``location_stated``)
    is actual knowledge and replaces the inference. [] only when nothing locates the debtor
    (no usable address, only non-geographic numbers); the caller decides what that means.

    >>> debtor_zones([{"postal_code": "60601", "state": "IL", "country": "US"}], ["+12125550101"])
    ['America/Chicago', 'America/New_York']
    """
    if stated_zone and stated_zone.strip():
        return [canonical_zone(stated_zone)]
    found: dict[str, None] = {}  # insertion-ordered set
    for address in addresses:
        found.update(dict.fromkeys(_address_zones(address)))
    for phone in phones:
        if phone and phone.strip():
            found.update(dict.fromkeys(_phone_lookup(phone.strip())))
    return list(found)
