from __future__ import annotations

import importlib.util
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import timezone as phone_timezone
from phonenumbers.tzdata import TIMEZONE_DATA

from collections_app.geo.timezones import (
    STATE_ZONES,
    ZONE_ALIASES,
    canonical_zone,
    debtor_zones,
    normalize_postal_code,
    zones_for_phone,
    zones_for_postal_code,
    zones_for_state,
)

EASTERN = "America/New_York"
CENTRAL = "America/Chicago"
MOUNTAIN = "America/Denver"
PACIFIC = "America/Los_Angeles"

_STATES_AND_DC = """
AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM
NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY
"""
FIFTY_STATES_AND_DC = frozenset(_STATES_AND_DC.split())


def address(postal_code: str = "", state: str = "", country: str = "US") -> dict[str, str]:
    return {"postal_code": postal_code, "state": state, "country": country}


# --- the contract's example ---------------------------------------------------------------------


def test_a_chicago_address_and_a_212_mobile_report_central_and_eastern() -> None:
    zones = debtor_zones([address("60601", "IL")], ["+12125550101"])

    assert zones == [CENTRAL, EASTERN]


# --- postal codes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("60601", "60601"),
        ("60601-1234", "60601"),
        ("60601 1234", "60601"),
        ("606011234", "60601"),
        ("  02134 ", "02134"),
        ("6060", None),
        ("606012", None),
        ("60601-12", None),
        ("K1A 0B1", None),
        ("", None),
        (None, None),
    ],
)
def test_it_normalizes_5_digit_and_zip_plus_4_codes_and_rejects_the_rest(
    raw: str | None, expected: str | None
) -> None:
    assert normalize_postal_code(raw) == expected


@pytest.mark.parametrize(
    ("postal_code", "expected"),
    [
        ("60601", [CENTRAL]),
        ("60601-1234", [CENTRAL]),
        ("10001", [EASTERN]),
        ("96813", ["Pacific/Honolulu"]),
        ("85004", ["America/Phoenix"]),
        ("86515", [MOUNTAIN]),  # Window Rock, Navajo Nation: Arizona with DST
        ("79901", [MOUNTAIN]),  # El Paso TX
        ("32501", [CENTRAL]),  # Pensacola FL
        ("46204", ["America/Indiana/Indianapolis"]),
        ("99546", ["America/Adak"]),
        ("00901", ["America/Puerto_Rico"]),
        ("00802", ["America/Puerto_Rico"]),  # St Thomas VI: America/St_Thomas is an alias
        ("96950", ["Pacific/Guam"]),  # Saipan MP: Pacific/Saipan is an alias
        ("00000", []),
        ("09001", []),  # an APO/FPO military ZIP has no zone
        ("99634", []),  # the zipcodes table names a town, not a zone, for this ZIP
        ("not a zip", []),
        ("", []),
    ],
)
def test_a_postal_code_gives_its_zone_or_nothing(postal_code: str, expected: list[str]) -> None:
    assert zones_for_postal_code(postal_code) == expected


def test_a_returned_zone_list_can_be_changed_without_touching_the_cache() -> None:
    zones_for_postal_code("60601").append("Europe/London")

    assert zones_for_postal_code("60601") == [CENTRAL]


# --- states -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("TX", [CENTRAL, MOUNTAIN]),
        ("FL", [EASTERN, CENTRAL]),
        ("TN", [CENTRAL, EASTERN]),
        ("KS", [CENTRAL, MOUNTAIN]),
        ("NE", [CENTRAL, MOUNTAIN]),
        ("SD", [CENTRAL, MOUNTAIN]),
        ("ID", ["America/Boise", PACIFIC]),
        ("OR", [PACIFIC, "America/Boise"]),
        ("MI", ["America/Detroit", "America/Menominee"]),
        ("AZ", ["America/Phoenix", MOUNTAIN]),
        ("HI", ["Pacific/Honolulu"]),
        ("IL", [CENTRAL]),
        ("DC", [EASTERN]),
        ("PR", ["America/Puerto_Rico"]),
        ("VI", ["America/Puerto_Rico"]),
        ("GU", ["Pacific/Guam"]),
        ("MP", ["Pacific/Guam"]),
        ("AS", ["Pacific/Pago_Pago"]),
        ("tx", [CENTRAL, MOUNTAIN]),
        (" hi ", ["Pacific/Honolulu"]),
        ("ZZ", []),
        ("AE", []),  # Armed Forces Europe: no zone
        ("", []),
    ],
)
def test_a_state_gives_every_one_of_its_zones(state: str, expected: list[str]) -> None:
    assert zones_for_state(state) == expected


@pytest.mark.parametrize(
    ("state", "must_include"),
    [
        ("IN", {"America/Indiana/Indianapolis", CENTRAL, "America/Indiana/Knox"}),
        ("KY", {EASTERN, CENTRAL, "America/Kentucky/Louisville"}),
        ("ND", {CENTRAL, MOUNTAIN, "America/North_Dakota/Center"}),
        ("AK", {"America/Anchorage", "America/Juneau", "America/Nome", "America/Adak"}),
    ],
)
def test_a_multi_zone_state_lists_both_its_eastern_or_central_and_its_western_zones(
    state: str, must_include: set[str]
) -> None:
    assert must_include <= set(zones_for_state(state))


def test_every_state_and_dc_has_zones_that_python_can_load_each_listed_once() -> None:
    assert set(STATE_ZONES) >= FIFTY_STATES_AND_DC
    for state, zones in STATE_ZONES.items():
        assert zones, state
        assert len(set(zones)) == len(zones), state
        for zone in zones:
            ZoneInfo(zone)
            assert zone not in ZONE_ALIASES, (state, zone)


def test_every_zone_the_zip_table_gives_lies_within_its_states_zones() -> None:
    zipcodes: Any = pytest.importorskip("zipcodes")
    outside: dict[str, set[str]] = defaultdict(set)
    for record in zipcodes.list_all():
        state = record["state"]
        if state not in STATE_ZONES:
            continue  # armed forces codes
        for zone in zones_for_postal_code(record["zip_code"]):
            if zone not in STATE_ZONES[state]:
                outside[state].add(zone)

    assert dict(outside) == {}


def _tz_database_lines() -> list[str]:
    spec = importlib.util.find_spec("tzdata")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("the tzdata wheel is not installed")
    source = Path(next(iter(spec.submodule_search_locations))) / "zoneinfo" / "tzdata.zi"
    if not source.exists():
        pytest.skip("the tzdata wheel has no tzdata.zi")
    return source.read_text().splitlines()


def test_aliases_and_state_zones_follow_the_main_tz_database() -> None:
    lines = _tz_database_lines()
    zones = {line.split()[1] for line in lines if line.startswith("Z ")}
    links = {line.split()[2]: line.split()[1] for line in lines if line.startswith("L ")}

    assert {alias: links.get(alias) for alias in ZONE_ALIASES} == dict(ZONE_ALIASES)
    assert {zone for zones_ in STATE_ZONES.values() for zone in zones_} <= zones


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("US/Central", CENTRAL),
        ("US/Hawaii", "Pacific/Honolulu"),
        ("America/Indianapolis", "America/Indiana/Indianapolis"),
        ("America/St_Thomas", "America/Puerto_Rico"),
        (" Pacific/Honolulu ", "Pacific/Honolulu"),
        ("America/Chicago", CENTRAL),
    ],
)
def test_an_alias_is_replaced_by_its_canonical_zone(name: str, expected: str) -> None:
    assert canonical_zone(name) == expected


@pytest.mark.parametrize("name", ["Hawaii", "Napakiak", "", "America/Nowhere"])
def test_a_name_that_is_not_a_zone_is_rejected(name: str) -> None:
    with pytest.raises(ValueError, match="not an IANA time zone"):
        canonical_zone(name)


# --- phones -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+12125550101", [EASTERN]),
        ("+13125550101", [CENTRAL]),
        ("+18085550100", ["Pacific/Honolulu"]),
        ("+16025550100", ["America/Phoenix"]),
        # Alaska's area code, a 555 exchange the data lists nowhere: every zone of its exchanges
        ("+19075550100", ["America/Adak", "America/Anchorage", "America/Juneau", "Pacific/Honolulu"]),
        ("+12085550100", ["America/Boise", PACIFIC]),
        ("+17875550100", ["America/Puerto_Rico"]),
        ("+13405550100", ["America/Puerto_Rico"]),  # phonenumbers says America/St_Thomas
        ("+16705550100", ["Pacific/Guam"]),  # phonenumbers says Pacific/Saipan
        ("3125550101", [CENTRAL]),  # no +: read as a US number
        ("+442079460000", ["Europe/London"]),
    ],
)
def test_a_geographic_number_gives_the_zones_of_its_area_code(
    number: str, expected: list[str]
) -> None:
    assert zones_for_phone(number) == expected


@pytest.mark.parametrize(
    "number",
    [
        "+18005550100",
        "+18885550100",
        "+18775550100",
        "+18665550100",
        "+18555550100",
        "+18445550100",
        "+18335550100",
        "+19005550100",  # premium rate
        "+15005550100",  # personal communication service
    ],
)
def test_a_toll_free_or_other_non_geographic_number_gives_no_zone(number: str) -> None:
    assert zones_for_phone(number) == []


@pytest.mark.parametrize("number", ["+1212555", "+15555550100", "hello", "", "+"])
def test_an_invalid_number_gives_no_zone(number: str) -> None:
    assert zones_for_phone(number) == []


def reference_zones_for_phone(number: str) -> list[str]:
    """The brief, literally: time_zones_for_number, minus Etc/Unknown; [] if not geographic."""
    parsed = phonenumbers.parse(number, "US")
    kind = phonenumbers.number_type(parsed)
    if not phonenumbers.is_number_type_geographical(kind, parsed.country_code or 0):
        return []
    zones = phone_timezone.time_zones_for_number(parsed)
    return [canonical_zone(zone) for zone in zones if zone != phone_timezone.UNKNOWN_TIMEZONE]


@settings(derandomize=True, max_examples=400)
@given(st.from_regex(r"\A\+1[2-9]\d{2}[2-9]\d{6}\Z"))
def test_the_fast_path_for_nanp_numbers_agrees_with_phonenumbers(number: str) -> None:
    zones, reference = zones_for_phone(number), reference_zones_for_phone(number)
    if f"1{number[2:8]}" in TIMEZONE_DATA or len(set(zones)) == len(set(reference)):
        assert zones == reference
    else:  # an unlisted exchange of a split area code: phonenumbers' zone, and the area's others
        assert zones[: len(reference)] == reference and len(zones) > len(reference)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+18505550100", [EASTERN, CENTRAL]),  # Florida panhandle: 555 is listed nowhere
        ("+18502001234", [CENTRAL]),  # a listed exchange keeps its one zone
        ("+12705550100", [EASTERN, CENTRAL]),  # Kentucky
        ("+18125550100", [EASTERN, CENTRAL]),  # Indiana
        ("+12125550100", [EASTERN]),  # an area code in one zone stays so
    ],
)
def test_an_unlisted_exchange_of_a_split_area_code_gets_every_zone_of_it(number: str, expected: list[str]) -> None:
    assert zones_for_phone(number) == expected


# --- a debtor -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("addresses", "phones", "expected"),
    [
        pytest.param(
            [address("00000", "TX")], [], [CENTRAL, MOUNTAIN], id="unknown-zip-falls-back-to-TX"
        ),
        pytest.param([address("", "FL")], [], [EASTERN, CENTRAL], id="no-zip-falls-back-to-FL"),
        pytest.param([address("96813", "HI")], [], ["Pacific/Honolulu"], id="hawaii"),
        pytest.param([address("85004", "AZ")], [], ["America/Phoenix"], id="arizona-zip"),
        pytest.param(
            [address("60601-4321", "IL")], ["+13125550101"], [CENTRAL], id="zip-plus-4-deduped"
        ),
        pytest.param(
            [address("60601", "IL"), address("10001", "NY"), address("60602", "IL")],
            ["+12125550101", "+13125550101"],
            [CENTRAL, EASTERN],
            id="repeats-listed-once-addresses-first",
        ),
        pytest.param(
            [address("10001", "NY")],
            ["+13125550101", "+16025550100"],
            [EASTERN, CENTRAL, "America/Phoenix"],
            id="phones-after-addresses-in-order",
        ),
        pytest.param(
            [address("99634", "")], [], list(STATE_ZONES["AK"]), id="bad-zip-zone-uses-zip-state"
        ),
        pytest.param([address("60601", "NY")], [], [CENTRAL], id="postal-code-wins-over-state"),
        pytest.param(
            [address("10115", "", "DE")], [], [], id="a-berlin-postcode-is-not-a-new-york-zip"
        ),
        pytest.param(
            [address("10115", "", "DE")], ["+12125550101"], [EASTERN], id="foreign-address-us-phone"
        ),
        pytest.param([address("00901", "PR", "PR")], [], ["America/Puerto_Rico"], id="pr"),
        pytest.param([], ["+18005550100"], [], id="only-a-toll-free-number-is-unknown"),
        pytest.param([address("", "")], ["", "  "], [], id="blank-everything-is-unknown"),
        pytest.param([], [], [], id="nothing-is-unknown"),
    ],
)
def test_a_debtors_zones_come_from_every_address_and_phone(
    addresses: list[dict[str, str]], phones: list[str], expected: list[str]
) -> None:
    assert debtor_zones(addresses, phones) == expected


def test_an_address_object_works_like_a_dict() -> None:
    chicago = SimpleNamespace(postal_code="60601", state="IL", country="US")
    no_country = SimpleNamespace(postal_code=None, state="TX")

    assert debtor_zones([chicago, no_country], []) == [CENTRAL, MOUNTAIN]


def test_an_address_without_a_country_is_read_as_a_us_one() -> None:
    assert debtor_zones([{"postal_code": "60601"}], []) == [CENTRAL]


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ("Pacific/Honolulu", ["Pacific/Honolulu"]),
        ("US/Hawaii", ["Pacific/Honolulu"]),
        ("Europe/Berlin", ["Europe/Berlin"]),
    ],
)
def test_a_stated_zone_replaces_everything_inferred(stated: str, expected: list[str]) -> None:
    zones = debtor_zones([address("60601", "IL")], ["+12125550101"], stated_zone=stated)

    assert zones == expected


@pytest.mark.parametrize("stated", [None, "", "  "])
def test_no_stated_zone_keeps_the_inference(stated: str | None) -> None:
    zones = debtor_zones([address("60601", "IL")], ["+12125550101"], stated_zone=stated)

    assert zones == [CENTRAL, EASTERN]


def test_a_stated_zone_that_is_not_a_zone_is_an_error_not_a_silent_guess() -> None:
    with pytest.raises(ValueError, match="not an IANA time zone"):
        debtor_zones([address("60601", "IL")], [], stated_zone="Hawaii time")


# --- the zones keep daylight saving time right --------------------------------------------------


@pytest.mark.parametrize(
    ("postal_code", "winter_utc_offset_hours", "summer_utc_offset_hours"),
    [
        ("85004", -7, -7),  # Phoenix: no DST
        ("86515", -7, -6),  # Navajo Nation, Arizona: DST
        ("96813", -10, -10),  # Honolulu: no DST
        ("60601", -6, -5),
        ("10001", -5, -4),
        ("00901", -4, -4),  # Puerto Rico: no DST
    ],
)
def test_a_zips_zone_has_the_right_offset_in_winter_and_summer(
    postal_code: str, winter_utc_offset_hours: int, summer_utc_offset_hours: int
) -> None:
    (zone,) = zones_for_postal_code(postal_code)

    assert offset_hours(zone, datetime(2026, 1, 15, 18, tzinfo=UTC)) == winter_utc_offset_hours
    assert offset_hours(zone, datetime(2026, 7, 15, 18, tzinfo=UTC)) == summer_utc_offset_hours


def offset_hours(zone: str, instant: datetime) -> float:
    offset = instant.astimezone(ZoneInfo(zone)).utcoffset()
    assert offset is not None
    return offset.total_seconds() / 3600
