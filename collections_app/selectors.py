"""What a user may see. Every staff and API queryset starts here."""

from django.db.models import QuerySet

from accounts.models import User
from collections_app.models import Account, CaseEvent, Client, Debtor


def clients_visible_to(user: User) -> QuerySet[Client]:
    if user.is_superuser:
        return Client.objects.all()
    return Client.objects.filter(members=user)


def client_ids_visible_to(user: User) -> list[int] | None:
    """None means every client (a superuser)."""
    if user.is_superuser:
        return None
    return list(Client.objects.filter(members=user).values_list("id", flat=True))


def _scoped(qs: QuerySet, user: User, field: str = "client_id") -> QuerySet:
    ids = client_ids_visible_to(user)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def debtors_visible_to(user: User) -> QuerySet[Debtor]:
    return _scoped(Debtor.objects.all(), user)


def accounts_visible_to(user: User) -> QuerySet[Account]:
    return _scoped(Account.objects.all(), user)


def events_visible_to(user: User) -> QuerySet[CaseEvent]:
    return _scoped(CaseEvent.objects.all(), user)


def home_state(debtor: Debtor) -> str:
    """The state of the debtor's home address (else any address), '' when none is known."""
    addresses = sorted(debtor.addresses.all(), key=lambda a: (a.kind != "home", a.id))
    return addresses[0].state if addresses else ""
