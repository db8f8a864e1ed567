"""Where a debtor is and how old a debt may be: pure functions, no Django.

``timezones`` — every IANA zone a debtor may be in (addresses, phones, stated location).
``limitations`` — statute-of-limitations table for the 50 states + DC and ``time_barred``.
"""

from collections_app.geo.limitations import (
    LIMITATIONS,
    Limitation,
    is_time_barred,
    limitation_period_years,
    sol_expiry,
)
from collections_app.geo.timezones import (
    canonical_zone,
    debtor_zones,
    normalize_postal_code,
    zones_for_phone,
    zones_for_postal_code,
    zones_for_state,
)

__all__ = [
    "LIMITATIONS",
    "Limitation",
    "canonical_zone",
    "debtor_zones",
    "is_time_barred",
    "limitation_period_years",
    "normalize_postal_code",
    "sol_expiry",
    "zones_for_phone",
    "zones_for_postal_code",
    "zones_for_state",
]
