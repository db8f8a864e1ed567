"""The desk's read side: the work queue in priority order, and everything the account page shows.

Every query starts from ``collections_app.selectors.*_visible_to(user)``. Page query counts do not
grow with the number of rows: per-row facts (last contact, call eligibility, notes) are fetched
for the whole page at once.
"""

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.constants import Role
from accounts.models import User
from collections_app.constants import (
    CONTACT_EVENT_TYPES,
    AccountStatus,
    PlanStatus,
    PromiseStatus,
    SettlementStatus,
)
from collections_app.geo.timezones import zones_for_phone
from collections_app.models import Account, CaseEvent, Debtor, Installment, Plan, Promise, Settlement, Task
from collections_app.models.timeline import TaskKind, TaskStatus
from collections_app.selectors import accounts_visible_to, clients_visible_to
from communications.constants import Purpose
from communications.models import Message, MessageTemplate
from compliance.models import Decision
from desk.eligibility import ChannelStatus, call_status_batch
from desk.formatting import ago, day_and_clock, debtor_zone, money

WORKABLE_STATUSES = (AccountStatus.OPEN, AccountStatus.IN_PLAN)
NEW_PLACEMENT_DAYS = 7
PAGE_SIZE = 25
ELIGIBILITY_SCAN_LIMIT = 1000  # rows of the queue examined when filtering by "callable now"
ELIGIBILITY_CHUNK = 200
DEBTOR_SECRETS = ("debtor__date_of_birth", "debtor__ssn")  # the desk never shows them: don't decrypt
TIER_LABELS = {0: "Promise due today", 1: "Callback due", 2: "New placement"}
STATUS_LABELS = dict(AccountStatus.choices)  # get_status_display builds this dict on every call
# What a queue row shows (a row is built from four models: loading only these halves its cost).
QUEUE_COLUMNS = ("id", "reference", "governing_state", "segment", "balance", "score", "status", "placed_at",
                 "debtor__name", "debtor__timezones", "client__name", "assigned_to__username")


@dataclass(frozen=True)
class QueueFilters:
    client: int | None = None
    status: str = ""
    state: str = ""
    segment: str = ""
    eligibility: str = ""  # "" | "allowed" | "blocked"
    collector: int | None = None  # team queue only
    unassigned: bool = False  # team queue only


@dataclass
class QueueRow:
    """One row of a queue, with what its cells show worked out here rather than in template filters."""

    account: Account
    tier: int
    last_contact_at: dt.datetime | None = None
    call: ChannelStatus | None = None
    now: dt.datetime = field(default_factory=timezone.now)

    @property
    def reason(self) -> str:
        return TIER_LABELS.get(self.tier, "")

    @property
    def balance_text(self) -> str:
        return money(self.account.balance)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.account.status, self.account.status)

    @property
    def score_pct(self) -> int | None:
        score = self.account.score
        return None if score is None else round(score * 100)

    @property
    def last_contact_text(self) -> str:
        return ago(self.last_contact_at, self.now)

    @property
    def last_contact_title(self) -> str:
        if self.last_contact_at is None:
            return ""
        return day_and_clock(self.last_contact_at, debtor_zone(self.account.debtor.timezones))

    @property
    def call_badge(self) -> tuple[str, str]:
        return self.call.call_badge if self.call else ("unknown", "No phone")


@dataclass
class QueuePage:
    rows: list[QueueRow]
    page: int
    has_next: bool
    urgent_counts: dict[str, int] = field(default_factory=dict)
    scanned_for_eligibility: int | None = None

    @property
    def offset(self) -> int:
        """Rows before this page (a row's position in the whole queue is this plus its own)."""
        return (self.page - 1) * PAGE_SIZE


def _score_order() -> list:
    return [F("score").desc(nulls_last=True), F("balance").desc(), F("id").asc()]


def queue_base(user: User, filters: QueueFilters, *, team: bool) -> QuerySet[Account]:
    """The accounts in a queue before ordering: mine (or my clients' for a supervisor) with filters."""
    qs = accounts_visible_to(user)
    if not team:
        qs = qs.filter(assigned_to=user)
    elif filters.unassigned:
        qs = qs.filter(assigned_to__isnull=True)
    elif filters.collector:
        qs = qs.filter(assigned_to_id=filters.collector)
    qs = qs.filter(status=filters.status) if filters.status else qs.filter(status__in=WORKABLE_STATUSES)
    if filters.client:
        qs = qs.filter(client_id=filters.client)
    if filters.state:
        qs = qs.filter(governing_state=filters.state)
    if filters.segment:
        qs = qs.filter(segment=filters.segment)
    return qs


class Queue:
    """A queue in priority order: promises due today, callbacks due, new placements, then by
    score, balance and id. The first three tiers are small and fetched whole; the rest is read
    straight off the ``account_desk_queue`` index so page one costs the same at any portfolio size.
    """

    def __init__(self, user: User, filters: QueueFilters, *, team: bool = False, now: dt.datetime | None = None):
        self.user = user
        self.filters = filters
        self.now = now or timezone.now()
        self.base = queue_base(user, filters, team=team)
        self.callback_ids = list(
            Task.objects.filter(
                kind=TaskKind.CALLBACK, status=TaskStatus.OPEN, due_at__lte=self.now, account__in=self.base
            ).values_list("account_id", flat=True)
        )
        # A promise falls due at the end of the debtor's local day: today's date somewhere between
        # UTC-12 and UTC+14 is the UTC date or the day before.
        utc_today = self.now.astimezone(dt.UTC).date()
        self.promise_ids = list(
            Promise.objects.filter(
                status=PromiseStatus.PENDING, due_date__range=(utc_today - dt.timedelta(days=1), utc_today),
                account__in=self.base,
            ).values_list("account_id", flat=True)
        )
        self.cutoff = self.now - dt.timedelta(days=NEW_PLACEMENT_DAYS)
        urgent_q = Q(id__in=self.promise_ids) | Q(id__in=self.callback_ids) | Q(placed_at__gte=self.cutoff)
        tier = Case(When(id__in=self.promise_ids, then=Value(0)), When(id__in=self.callback_ids, then=Value(1)),
                    default=Value(2), output_field=IntegerField())
        self.urgent = self.base.filter(urgent_q).annotate(tier=tier).order_by("tier", *_score_order())
        self.rest = self.base.exclude(urgent_q).annotate(tier=Value(3)).order_by(*_score_order())

    def _ids(self, ordered: QuerySet[Account], start: int, stop: int) -> dict[int, int]:
        """{id: tier} of rows ``start``..``stop`` of ``ordered``, off the account table alone: a
        new-placement tier of hundreds sorts its keys, not rows joined to their debtors."""
        if stop <= start:
            return {}
        return dict(ordered.values_list("id", "tier")[start:stop])  # type: ignore[misc]  # "tier": an annotation

    @staticmethod
    def _rows(tiers: dict[int, int]) -> list[Account]:
        """The accounts of ``tiers``, in its order, with what a queue row shows, in one statement."""
        if not tiers:
            return []
        page = Account.objects.filter(id__in=tiers).select_related("debtor", "client", "assigned_to")
        by_id = {a.id: a for a in page.only(*QUEUE_COLUMNS)}
        rows = [by_id[account_id] for account_id in tiers if account_id in by_id]  # none vanish: PROTECT
        for account in rows:
            account.tier = tiers[account.id]  # type: ignore[attr-defined]
        return rows

    def urgent_count(self) -> int:
        return self.urgent.count()

    def slice(self, offset: int, limit: int, urgent_count: int) -> list[QueueRow]:
        """Rows ``offset``..``offset+limit`` of the whole ordered queue: the ids of each tier the page
        reaches, then the rows in one statement."""
        tiers = self._ids(self.urgent, offset, offset + limit) if offset < urgent_count else {}
        if len(tiers) < limit:
            start = max(0, offset - urgent_count)
            tiers |= self._ids(self.rest, start, start + limit - len(tiers))
        return [_tiered(a) for a in self._rows(tiers)]

    def chunks(self, urgent_count: int, size: int, limit: int) -> Iterator[list[QueueRow]]:
        offset = 0
        while offset < limit:
            chunk = self.slice(offset, min(size, limit - offset), urgent_count)
            if not chunk:
                return
            yield chunk
            offset += len(chunk)

    def after(self, account: Account) -> Iterator[QueueRow]:
        """Rows after ``account`` in queue order (keyset, so it is cheap anywhere in the queue)."""
        urgent = self._rows(self._ids(self.urgent, 0, ELIGIBILITY_SCAN_LIMIT))
        position = next((i for i, a in enumerate(urgent) if a.id == account.id), None)
        if position is not None:
            yield from (_tiered(a) for a in urgent[position + 1 :])
            rest = self.rest
        else:
            rest = self.rest.filter(_keyset_after(account))
        for chunk_start in range(0, ELIGIBILITY_SCAN_LIMIT, ELIGIBILITY_CHUNK):
            chunk = self._rows(self._ids(rest, chunk_start, chunk_start + ELIGIBILITY_CHUNK))
            yield from (_tiered(a) for a in chunk)
            if len(chunk) < ELIGIBILITY_CHUNK:
                return


def _tiered(account: Account) -> QueueRow:
    return QueueRow(account, account.tier)  # type: ignore[attr-defined]  # set by Queue._rows


def _keyset_after(account: Account) -> Q:
    """Accounts that sort after ``account`` by (score desc nulls last, balance desc, id)."""
    same_score_later = Q(balance__lt=account.balance) | Q(balance=account.balance, id__gt=account.id)
    if account.score is None:
        return Q(score__isnull=True) & same_score_later
    return Q(score__lt=account.score) | Q(score=account.score) & same_score_later | Q(score__isnull=True)


def _annotate_rows(rows: Sequence[QueueRow], now: dt.datetime) -> None:
    """Last contact and call eligibility for a page of rows: one query and one gate batch."""
    if not rows:
        return
    debtor_ids = {row.account.debtor_id for row in rows}
    last = dict(
        CaseEvent.objects.filter(debtor_id__in=debtor_ids, type__in=CONTACT_EVENT_TYPES)
        .values("debtor_id")
        .annotate(last=Max("occurred_at"))
        .values_list("debtor_id", "last")
    )
    calls = call_status_batch([row.account.id for row in rows], at=now)
    for row in rows:
        row.last_contact_at = last.get(row.account.debtor_id)
        row.call = calls.get(row.account.id)
        row.now = now


def queue_page(user: User, filters: QueueFilters, page: int = 1, *, team: bool = False,
               now: dt.datetime | None = None) -> QueuePage:
    queue = Queue(user, filters, team=team, now=now)
    urgent_count = queue.urgent_count()
    if filters.eligibility in ("allowed", "blocked"):
        return _eligible_page(queue, urgent_count, filters.eligibility == "allowed")
    offset = (max(page, 1) - 1) * PAGE_SIZE
    rows = queue.slice(offset, PAGE_SIZE + 1, urgent_count)
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    _annotate_rows(rows, queue.now)
    return QueuePage(rows=rows, page=max(page, 1), has_next=has_next,
                     urgent_counts=_urgent_counts(queue, urgent_count))


def _eligible_page(queue: Queue, urgent_count: int, want_allowed: bool) -> QueuePage:
    """The first page of rows the gate allows (or blocks) now, among the top of the queue."""
    rows: list[QueueRow] = []
    scanned = 0
    for chunk in queue.chunks(urgent_count, ELIGIBILITY_CHUNK, ELIGIBILITY_SCAN_LIMIT):
        scanned += len(chunk)
        _annotate_rows(chunk, queue.now)
        rows += [r for r in chunk if r.call and r.call.allowed == want_allowed]
        if len(rows) >= PAGE_SIZE:
            break
    return QueuePage(rows=rows[:PAGE_SIZE], page=1, has_next=False,
                     urgent_counts=_urgent_counts(queue, urgent_count), scanned_for_eligibility=scanned)


def _urgent_counts(queue: Queue, urgent_count: int) -> dict[str, int]:
    promises = set(queue.promise_ids)
    callbacks = len(set(queue.callback_ids) - promises)
    placements = max(0, urgent_count - callbacks - len(promises))
    return {f"promise{'s' if len(promises) != 1 else ''} due": len(promises),
            f"callback{'s' if callbacks != 1 else ''} due": callbacks,
            f"new placement{'s' if placements != 1 else ''}": placements}


def next_account(user: User, filters: QueueFilters, *, after: Account | None = None,
                 now: dt.datetime | None = None) -> Account | None:
    """The next account to work: the first one in queue order (after ``after``) that may be called
    now; when the gate allows none of the next few hundred, simply the next one."""
    queue = Queue(user, filters, now=now)
    first: Account | None = None
    batch: list[QueueRow] = []
    batch_size = PAGE_SIZE  # in calling hours one of the next few usually may be called: ask about few first
    rows = queue.after(after) if after else (r for c in queue.chunks(queue.urgent_count(), ELIGIBILITY_CHUNK,
                                                                         ELIGIBILITY_SCAN_LIMIT) for r in c)
    for row in rows:
        first = first or row.account
        batch.append(row)
        if len(batch) == batch_size:
            found = _first_callable(batch, queue.now)
            if found:
                return found
            batch, batch_size = [], ELIGIBILITY_CHUNK
    return _first_callable(batch, queue.now) or first


def _first_callable(batch: list[QueueRow], now: dt.datetime) -> Account | None:
    if not batch:
        return None
    calls = call_status_batch([r.account.id for r in batch], at=now)
    return next((r.account for r in batch if calls[r.account.id].allowed), None)


def queue_filter_options(user: User) -> dict:
    """Choices for the filter bar. Segments are cached: a DISTINCT over a portfolio is not free."""
    clients = list(clients_visible_to(user).values_list("id", "name"))
    # Keyed by database too: client ids repeat across databases that share one Redis (tests, bench copies).
    key = f"desk:segments:{connection.settings_dict['NAME']}:" + ",".join(str(c[0]) for c in clients)
    segments = cache.get(key)
    if segments is None:
        # order_by replaces Account's default ordering, whose columns would defeat the DISTINCT.
        segments = list(Account.objects.filter(client_id__in=[c[0] for c in clients]).exclude(segment="")
                        .order_by("segment").values_list("segment", flat=True).distinct())
        cache.set(key, segments, 600)
    return {"clients": clients, "segments": segments, "statuses": AccountStatus.choices}


def team_collectors(user: User) -> list[User]:
    """Collectors who work at least one of the supervisor's clients."""
    return list(
        User.objects.filter(clients__in=clients_visible_to(user), is_active=True,
                            role__in=(Role.COLLECTOR, Role.SUPERVISOR))
        .distinct().order_by("username")
    )


# --- the account page -------------------------------------------------------------------------


@dataclass
class ContactPoint:
    kind: str
    label: str
    value: str
    status: str
    zones: list[str]
    local_times: list[dt.datetime]
    flags: list[str]
    channel: str


def _local_times(zones: Sequence[str], now: dt.datetime) -> list[dt.datetime]:
    return [now.astimezone(ZoneInfo(z)) for z in zones]


def debtor_contact_points(debtor: Debtor, now: dt.datetime) -> list[ContactPoint]:
    """Every phone, e-mail and address with its zone(s) and the local time there now."""
    points = []
    for phone in debtor.phones.all():
        zones = zones_for_phone(phone.number) or list(debtor.timezones)
        flags = ["SMS consent"] if phone.sms_consent else []
        points.append(ContactPoint("phone", phone.get_kind_display(), phone.number, phone.status, zones,
                                   _local_times(zones, now), flags, "call"))
    for email in debtor.emails.all():
        flags = [f for f, on in (("consent", email.consent), ("employer-provided", email.employer_provided)) if on]
        points.append(ContactPoint("email", "E-mail", email.address, email.status, list(debtor.timezones),
                                   _local_times(debtor.timezones, now), flags, "email"))
    for address in debtor.addresses.all():
        points.append(ContactPoint("address", address.get_kind_display(), str(address), address.status,
                                   list(debtor.timezones), _local_times(debtor.timezones, now), [], "letter"))
    return points


def account_for_desk(user: User, account_id: int) -> Account:
    """One account the user may see (404 otherwise), with its debtor's contact points loaded."""
    return get_object_or_404(
        accounts_visible_to(user)
        .select_related("debtor", "client", "assigned_to")
        .defer(*DEBTOR_SECRETS)
        .prefetch_related("debtor__phones", "debtor__emails", "debtor__addresses"),
        pk=account_id,
    )


def debtor_accounts(user: User, debtor: Debtor) -> list[Account]:
    return list(accounts_visible_to(user).filter(debtor=debtor).order_by("-balance", "id"))


def open_tasks_for(debtor: Debtor) -> list[Task]:
    return list(Task.objects.filter(debtor=debtor, status=TaskStatus.OPEN).select_related("assigned_to")
                .order_by("due_at")[:20])


@dataclass
class Arrangements:
    promises: list[Promise]
    plans: list[Plan]
    settlements: list[Settlement]

    def __bool__(self) -> bool:
        return bool(self.promises or self.plans or self.settlements)


OPEN_PLAN_STATUSES = (PlanStatus.PROPOSED, PlanStatus.ACTIVE, PlanStatus.BROKEN)


def debtor_arrangements(debtor: Debtor) -> Arrangements:
    """The debtor's open promises, plans (with installments) and undecided settlements: four queries."""
    promises = list(Promise.objects.filter(debtor=debtor, status=PromiseStatus.PENDING)
                    .select_related("account").order_by("due_date")[:10])
    plans = list(Plan.objects.filter(debtor=debtor, status__in=OPEN_PLAN_STATUSES)
                 .prefetch_related(Prefetch("installments", queryset=Installment.objects.order_by("seq")))
                 .order_by("-created_at")[:5])
    settlements = list(Settlement.objects.filter(debtor=debtor, status=SettlementStatus.PENDING_APPROVAL)
                       .order_by("-created_at")[:5])
    return Arrangements(promises, plans, settlements)


OUTBOX_LIMIT = 8
# Templates a collector may send from the desk: collection letters whose facts come from the account
# alone (settlement and plan templates need the terms, which their own actions send).
DESK_TEMPLATE_EXCLUDED = ("settlement_offer", "plan_installment_due", "plan_installment_missed", "help_reply")


def debtor_outbox(debtor: Debtor) -> list[Message]:
    """The latest messages to the debtor through the outbound path, whatever their state: one query."""
    return list(Message.objects.filter(account__debtor=debtor)
                .only("id", "channel", "target", "subject", "status", "decision", "scheduled_for", "created_at",
                      "sent_at", "template__code", "account_id")
                .select_related("template").order_by("-created_at", "-id")[:OUTBOX_LIMIT])


def message_templates() -> list[tuple[str, str]]:
    """(code, label) of the templates the desk offers, any channel: one query."""
    codes = (MessageTemplate.objects.filter(is_active=True, purpose=Purpose.COLLECTION)
             .exclude(code__in=DESK_TEMPLATE_EXCLUDED).values_list("code", flat=True).distinct().order_by("code"))
    return [(code, code.replace("_", " ").capitalize()) for code in codes]


def settlements_waiting(user: User) -> list[Settlement]:
    """Settlements above their offerer's limit on the supervisor's clients, oldest first."""
    return list(
        Settlement.objects.filter(status=SettlementStatus.PENDING_APPROVAL, client__in=clients_visible_to(user))
        .select_related("debtor", "client", "offered_by").defer("debtor__date_of_birth", "debtor__ssn")
        .prefetch_related(Prefetch("accounts", queryset=Account.objects.only("id", "reference", "debtor_id")))
        .order_by("created_at")[:200]
    )


def escalations_waiting(user: User) -> list[Task]:
    """Placement requests on the supervisor's clients' accounts, oldest first."""
    return list(
        Task.objects.filter(kind=TaskKind.ESCALATION, status=TaskStatus.OPEN,
                            account__in=accounts_visible_to(user))
        .select_related("account", "account__debtor", "account__client", "created_by")
        .order_by("created_at")[:200]
    )


# --- supervisors: why contacts were blocked -----------------------------------------------------

BLOCKED_WINDOW_DAYS = 7
BLOCKED_SCAN = 2000


@dataclass
class BlockedSummary:
    by_rule: list[tuple[str, str, int]]  # rule, an example message, count
    latest: list[Decision]
    scanned: int
    days: int


def blocked_contacts(user: User, *, days: int = BLOCKED_WINDOW_DAYS) -> BlockedSummary:
    """The gate's refusals on the supervisor's clients lately: which rules block most, and the latest."""
    since = timezone.now() - dt.timedelta(days=days)
    decisions = list(
        Decision.objects.filter(client__in=clients_visible_to(user), allowed=False, created_at__gte=since)
        .select_related("account", "account__debtor", "actor")
        .defer("snapshot", "account__debtor__date_of_birth", "account__debtor__ssn")
        .order_by("-created_at")[:BLOCKED_SCAN]
    )
    counts: dict[str, int] = {}
    examples: dict[str, str] = {}
    for decision in decisions:
        for reason in decision.reasons:
            counts[reason["rule"]] = counts.get(reason["rule"], 0) + 1
            examples.setdefault(reason["rule"], reason["message"])
    by_rule = sorted(((rule, examples[rule], n) for rule, n in counts.items()), key=lambda r: -r[2])
    return BlockedSummary(by_rule=by_rule, latest=decisions[:50], scanned=len(decisions), days=days)
