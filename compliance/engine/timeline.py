"""The debtor's events up to the request instant, indexed once by type."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from operator import attrgetter

from .constants import EventType
from .facts import Event

_order = attrgetter("occurred_at", "id")


class Timeline:
    """Events at or before ``cutoff``, grouped by type and sorted oldest first.

    ``of`` answers for the whole debtor (person-level rules: opt-outs, designations, death);
    ``for_account`` keeps only events about one account (``account_ids`` empty = every account).
    """

    def __init__(
        self, events: Iterable[Event], cutoff: datetime, account_id: int
    ) -> None:
        grouped: defaultdict[str, list[Event]] = defaultdict(list)
        for event in events:
            if event.occurred_at <= cutoff:
                grouped[event.type].append(event)
        for bucket in grouped.values():
            bucket.sort(key=_order)
        self._by_type = dict(grouped)
        self._account_id = account_id
        self._merged: dict[tuple[EventType, ...], tuple[Event, ...]] = {}
        self._scoped: dict[tuple[EventType, ...], tuple[Event, ...]] = {}
        self._by_id = {e.id: e for bucket in grouped.values() for e in bucket}

    def of(self, *types: EventType) -> tuple[Event, ...]:
        cached = self._merged.get(types)
        if cached is None:
            found = [e for t in types for e in self._by_type.get(t, ())]
            if len(types) > 1:
                found.sort(key=_order)
            cached = self._merged[types] = tuple(found)
        return cached

    def for_account(self, *types: EventType) -> tuple[Event, ...]:
        cached = self._scoped.get(types)
        if cached is None:
            account_id = self._account_id
            cached = tuple(e for e in self.of(*types) if e.concerns(account_id))
            self._scoped[types] = cached
        return cached

    def latest(self, *types: EventType) -> Event | None:
        found = self.of(*types)
        return found[-1] if found else None

    def latest_for_account(self, *types: EventType) -> Event | None:
        found = self.for_account(*types)
        return found[-1] if found else None

    def by_id(self, event_id: object) -> Event | None:
        return self._by_id.get(event_id) if isinstance(event_id, int) else None
