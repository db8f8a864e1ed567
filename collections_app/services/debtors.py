"""Creating debtors and their contact points; keeping their candidate time zones current."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from collections_app.constants import EventType
from collections_app.fields import blind_index
from collections_app.geo.timezones import debtor_zones
from collections_app.models import Address, CaseEvent, Client, Debtor, Email, Phone


def stated_zone(debtor: Debtor) -> str | None:
    """The zone from the latest ``location_stated`` event: actual knowledge beats inference."""
    event = (
        CaseEvent.objects.filter(debtor=debtor, type=EventType.LOCATION_STATED)
        .order_by("-occurred_at", "-id")
        .only("data")
        .first()
    )
    zone = (event.data or {}).get("timezone") if event else None
    return zone or None


def debtor_timezones_refresh(debtor: Debtor) -> list[str]:
    zones = debtor_zones(
        [{"postal_code": a.postal_code, "state": a.state, "country": a.country}
         for a in debtor.addresses.exclude(status="undeliverable")],
        [p.number for p in debtor.phones.exclude(status__in=["disconnected", "wrong_number"])],
        stated_zone=stated_zone(debtor),
    )
    if zones != debtor.timezones:
        debtor.timezones = zones
        debtor.save(update_fields=["timezones", "updated_at"])
    return zones


@transaction.atomic
def debtor_create(
    *,
    client: Client,
    kind: str,
    name: str,
    external_ref: str | None = None,
    date_of_birth: Any = None,
    ssn: str | None = None,
    preferred_language: str = "en",
    addresses: Iterable[Mapping[str, Any]] = (),
    phones: Iterable[Mapping[str, Any]] = (),
    emails: Iterable[Mapping[str, Any]] = (),
) -> Debtor:
    debtor = Debtor.objects.create(
        client=client,
        kind=kind,
        name=name,
        external_ref=external_ref or None,
        date_of_birth=date_of_birth,
        ssn=ssn or None,
        ssn_index=blind_index(ssn) if ssn else "",
        preferred_language=preferred_language,
    )
    Address.objects.bulk_create([Address(debtor=debtor, **a) for a in addresses])
    Phone.objects.bulk_create([Phone(debtor=debtor, **p) for p in phones])
    Email.objects.bulk_create([Email(debtor=debtor, **e) for e in emails])
    debtor_timezones_refresh(debtor)
    return debtor


@transaction.atomic
def contact_point_add(debtor: Debtor, model: type[Address | Phone | Email], data: Mapping[str, Any]):
    point = model.objects.create(debtor=debtor, **data)
    debtor_timezones_refresh(debtor)
    return point
