"""What a user may see. Every staff and API queryset starts here."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from collections_app.constants import EventType, PlanStatus, PromiseStatus
from collections_app.models import Account, CaseEvent, Client, Debtor, Payment, Plan, Promise, Settlement

Viewer = User | AnonymousUser


def clients_visible_to(user: Viewer) -> QuerySet[Client]:
    if user.is_superuser:
        return Client.objects.all()
    if not user.is_authenticated:
        return Client.objects.none()
    return Client.objects.filter(members=user)


PINNED_CLIENT_IDS = "_pinned_client_ids"


def client_ids_visible_to(user: Viewer) -> list[int] | None:
    """None means every client (a superuser). Pinned for the rest of a request by ``pin_client_ids``."""
    if user.is_superuser:
        return None
    pinned = getattr(user, PINNED_CLIENT_IDS, None)
    if pinned is not None:
        return list(pinned)
    return list(clients_visible_to(user).values_list("id", flat=True))


def pin_client_ids(user: User) -> None:
    """Look the user's clients up once for the request being served (a desk page scopes several
    querysets by them). Only for a user object loaded for one request: memberships changed later are
    not seen through it."""
    if not user.is_superuser:
        setattr(user, PINNED_CLIENT_IDS, tuple(clients_visible_to(user).values_list("id", flat=True)))


def _scoped(qs: QuerySet, user: Viewer, field: str = "client_id") -> QuerySet:
    ids = client_ids_visible_to(user)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def debtors_visible_to(user: Viewer) -> QuerySet[Debtor]:
    return _scoped(Debtor.objects.all(), user)


def accounts_visible_to(user: Viewer) -> QuerySet[Account]:
    return _scoped(Account.objects.all(), user)


def events_visible_to(user: Viewer) -> QuerySet[CaseEvent]:
    return _scoped(CaseEvent.objects.all(), user)


def account_placements(accounts: QuerySet[Account]) -> list[CaseEvent]:
    """The placements of ``accounts`` as timeline entries, from the accounts' own rows.

    An account holds its placement on its row -- ``placed_at``, ``opening_balance`` and, when an
    import placed it, ``placed_by_import`` -- rather than as a stored ``placement`` event (an import
    would otherwise write a heap row and four index entries more per account: bench/README.md,
    "Audit"). Accounts placed before that (``opening_balance`` null) have their stored event, which
    the timeline shows as it is. The entries are not stored and have no id.
    """
    placed = accounts.filter(opening_balance__isnull=False).select_related("placed_by_import__created_by")
    entries = []
    for account in placed.order_by("id"):
        job = account.placed_by_import
        data: dict[str, object] = {"balance": str(account.opening_balance), "reference": account.reference}
        if job is not None:
            data |= {"source": "import", "import_job": job.id}
        entry = CaseEvent(
            client_id=account.client_id, debtor_id=account.debtor_id, account_ids=[account.id],
            type=EventType.PLACEMENT, occurred_at=account.placed_at, created_at=account.created_at,
            created_by=job.created_by if job is not None else None, data=data,
        )
        entry._state.adding = False  # what it shows is on file; saving it would be a mistake
        entries.append(entry)
    return entries


def payments_visible_to(user: Viewer) -> QuerySet[Payment]:
    return _scoped(Payment.objects.all(), user)


def plans_visible_to(user: Viewer) -> QuerySet[Plan]:
    return _scoped(Plan.objects.all(), user)


def promises_visible_to(user: Viewer) -> QuerySet[Promise]:
    return _scoped(Promise.objects.all(), user)


def settlements_visible_to(user: Viewer) -> QuerySet[Settlement]:
    return _scoped(Settlement.objects.all(), user)


def account_cadence_paused(account_ids: Iterable[int]) -> set[int]:
    """Accounts whose collection cadence should wait: on an active plan, or with a promise that is
    pending, or kept and not yet past its due date. A broken plan or promise no longer pauses."""
    ids = list(set(account_ids))
    if not ids:
        return set()
    # One day of slack: the debtor's local date may still be yesterday's in UTC terms.
    cutoff = timezone.now().date() - dt.timedelta(days=1)
    planned = Plan.accounts.through.objects.filter(account_id__in=ids, plan__status=PlanStatus.ACTIVE)
    promised = Promise.objects.filter(account_id__in=ids).filter(
        Q(status=PromiseStatus.PENDING) | Q(status=PromiseStatus.KEPT, due_date__gte=cutoff)
    )
    return set(planned.values_list("account_id", flat=True)) | set(promised.values_list("account_id", flat=True))


def home_state(debtor: Debtor) -> str:
    """The state of the debtor's home address (else any address), '' when none is known."""
    addresses = sorted(debtor.addresses.all(), key=lambda a: (a.kind != "home", a.id))
    return addresses[0].state if addresses else ""
