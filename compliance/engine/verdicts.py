"""What a rule returns: a block (with the time or event that lifts it) or an exemption used."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .context import Context
from .facts import Exemption


@dataclass(frozen=True, slots=True)
class Block:
    """A rule forbids the contact at the instant it was asked about.

    ``retry_at`` is the earliest later instant at which this rule alone could pass, assuming no
    new events (a lower bound is enough: the gate re-checks every rule there). None means only
    an event (``unblocked_by``) or nothing at all lifts it.
    """

    rule: str
    message: str
    unblocked_by: str | None = None
    retry_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Advisory:
    """A finding that does not block the contact but belongs on the decision (and the case)."""

    rule: str
    message: str
    unblocked_by: str | None = None


Outcome = Block | Exemption | Advisory | None
Rule = Callable[[Context, datetime], Outcome]


def regf_only(rule: Rule) -> Rule:
    """Run ``rule`` only where the FDCPA and Regulation F apply (catalogue section 1)."""

    def covered(ctx: Context, at: datetime) -> Outcome:
        return rule(ctx, at) if ctx.regf_applies else None

    covered.__name__ = rule.__name__
    covered.__doc__ = rule.__doc__
    return covered


def consumer_debt_only(rule: Rule) -> Rule:
    """Run a state overlay only on consumer debts of natural persons (the states' scope)."""

    def consumer(ctx: Context, at: datetime) -> Outcome:
        return rule(ctx, at) if ctx.consumer_debt else None

    consumer.__name__ = rule.__name__
    consumer.__doc__ = rule.__doc__
    return consumer
