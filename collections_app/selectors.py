"""What a user may see. Every staff and API queryset starts here."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from collections_app.models import Account, CaseEvent, Client, Debtor

Viewer = User | AnonymousUser


def clients_visible_to(user: Viewer) -> QuerySet[Client]:
    if user.is_superuser:
        return Client.objects.all()
    if not user.is_authenticated:
        return Client.objects.none()
    return Client.objects.filter(members=user)


def client_ids_visible_to(user: Viewer) -> list[int] | None:
    """None means every client (a superuser)."""
    if user.is_superuser:
        return None
    return list(clients_visible_to(user).values_list("id", flat=True))


def _scoped(qs: QuerySet, user: Viewer, field: str = "client_id") -> QuerySet:
    ids = client_ids_visible_to(user)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def debtors_visible_to(user: Viewer) -> QuerySet[Debtor]:
    return _scoped(Debtor.objects.all(), user)


def accounts_visible_to(user: Viewer) -> QuerySet[Account]:
    return _scoped(Account.objects.all(), user)


def events_visible_to(user: Viewer) -> QuerySet[CaseEvent]:
    return _scoped(CaseEvent.objects.all(), user)


def home_state(debtor: Debtor) -> str:
    """The state of the debtor's home address (else any address), '' when none is known."""
    addresses = sorted(debtor.addresses.all(), key=lambda a: (a.kind != "home", a.id))
    return addresses[0].state if addresses else ""
