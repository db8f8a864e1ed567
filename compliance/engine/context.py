"""Per-request context: the snapshot resolved once (account, zones, coverage, target, index)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import clock
from .constants import (
    UNKNOWN_LOCATION_ZONES,
    AccountKind,
    AddressKind,
    Channel,
    DebtorKind,
    EventType,
    OperatorType,
    Purpose,
)
from .facts import (
    AccountFacts,
    Address,
    ClientPolicy,
    ContactRequest,
    DebtorFacts,
    Email,
    Event,
    Message,
    Phone,
    Snapshot,
)
from .mediums import normalize_target
from .timeline import Timeline

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """What every rule reads. Built once per request and reused for the next-allowed search."""

    request: ContactRequest
    operator_type: OperatorType
    policy: ClientPolicy
    debtor: DebtorFacts
    account: AccountFacts
    timeline: Timeline
    zones: tuple[ZoneInfo, ...]
    regf_applies: bool
    consumer_debt: bool
    states: frozenset[str]
    memo: dict[Callable[..., Any], Any] = field(default_factory=dict, compare=False)

    @property
    def channel(self) -> Channel:
        return self.request.channel

    @property
    def purpose(self) -> Purpose:
        return self.request.purpose

    @property
    def message(self) -> Message | None:
        return self.request.message

    @property
    def primary_zone(self) -> ZoneInfo:
        """Zone in which days are counted (catalogue 0.2 and 13.2: the first candidate)."""
        return self.zones[0]

    def day_of(self, instant: datetime) -> date:
        return clock.local_date(instant, self.primary_zone)

    def day_start(self, day: date) -> datetime:
        return clock.start_of_day(day, self.primary_zone)

    @property
    def target_phone(self) -> Phone | None:
        wanted = normalize_target(self.request.target)
        return next(
            (p for p in self.debtor.phones if normalize_target(p.number) == wanted),
            None,
        )

    @property
    def target_email(self) -> Email | None:
        wanted = normalize_target(self.request.target)
        return next(
            (e for e in self.debtor.emails if normalize_target(e.address) == wanted),
            None,
        )

    @property
    def target_address(self) -> Address | None:
        prefix, _, raw_id = self.request.target.partition(":")
        if prefix.strip().lower() != "address" or not raw_id.strip().isdigit():
            return None
        wanted = int(raw_id)
        return next((a for a in self.debtor.addresses if a.id == wanted), None)


def memoized(compute: Callable[[Context], T]) -> Callable[[Context], T]:
    """Compute a time-independent fact once per context (the search re-runs every rule)."""

    def cached(ctx: Context) -> T:
        if compute not in ctx.memo:
            ctx.memo[compute] = compute(ctx)
        result: T = ctx.memo[compute]
        return result

    return cached


def _zone(name: object) -> ZoneInfo | None:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def candidate_zones(debtor: DebtorFacts, timeline: Timeline) -> tuple[ZoneInfo, ...]:
    """Actual knowledge (the latest ``location_stated``) replaces inference (catalogue 0.2);
    no evidence at all means every US zone (POLICY, ``UNKNOWN_LOCATION_ZONES``)."""
    stated: Event | None = timeline.latest(EventType.LOCATION_STATED)
    if stated is not None:
        zone = _zone(stated.data.get("timezone"))
        if zone is not None:
            return (zone,)
    names = debtor.timezones or UNKNOWN_LOCATION_ZONES
    return tuple(ZoneInfo(name) for name in names)


def _states(debtor: DebtorFacts, account: AccountFacts) -> frozenset[str]:
    """States whose overlays reach this debt: the governing state and where the consumer lives."""
    states = {
        a.state.upper()
        for a in debtor.addresses
        if a.kind in (AddressKind.HOME, AddressKind.MAILING)
    }
    if account.governing_state:
        states.add(account.governing_state.upper())
    return frozenset(states)


def build_context(snapshot: Snapshot) -> Context:
    request = snapshot.request
    account = next(a for a in snapshot.accounts if a.id == request.account_id)
    timeline = Timeline(snapshot.events, request.at, account.id)
    consumer_debt = (
        account.kind == AccountKind.CONSUMER
        and snapshot.debtor.kind == DebtorKind.PERSON
    )
    return Context(
        request=request,
        operator_type=snapshot.client.operator_type,
        policy=snapshot.client.policy,
        debtor=snapshot.debtor,
        account=account,
        timeline=timeline,
        zones=candidate_zones(snapshot.debtor, timeline),
        regf_applies=consumer_debt
        and snapshot.client.operator_type == OperatorType.THIRD_PARTY_COLLECTOR,
        consumer_debt=consumer_debt,
        states=_states(snapshot.debtor, account),
    )
