"""The snapshot the engine decides on, and the decision it returns.

Everything is a frozen dataclass of plain values; nothing here knows about Django. The
snapshot is built elsewhere (from the models) and must carry every event of the debtor up to
the request instant; the engine ignores events after ``ContactRequest.at`` ("assuming no new
events").
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .constants import (
    RULESET_VERSION,
    WINDOW_END,
    WINDOW_START,
    AccountKind,
    AddressKind,
    AddressStatus,
    Channel,
    DebtorKind,
    Direction,
    EmailStatus,
    OperatorType,
    PhoneKind,
    PhoneStatus,
    Purpose,
)


def _in_utc(instance: object, name: str) -> None:
    """Require an aware instant and store it in UTC (one tzinfo makes comparisons cheap)."""
    value: datetime = getattr(instance, name)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{type(instance).__name__}.{name} must be an aware datetime, got {value!r}"
        )
    object.__setattr__(instance, name, value.astimezone(UTC))


def _coerce(instance: object, **fields: type[StrEnum]) -> None:
    """Accept plain strings for vocabulary fields (as stored) and reject unknown values."""
    for name, vocabulary in fields.items():
        object.__setattr__(instance, name, vocabulary(getattr(instance, name)))


@dataclass(frozen=True, slots=True)
class Message:
    """Optional content of the requested contact; content rules run only on what is given."""

    purpose: Purpose = Purpose.COLLECTION
    subject: str | None = None
    text: str | None = None
    amount_demanded: Decimal | None = None
    validation_period_end: date | None = None

    def __post_init__(self) -> None:
        _coerce(self, purpose=Purpose)


@dataclass(frozen=True, slots=True)
class ContactRequest:
    """May we contact this person about ``account_id`` on ``channel`` at ``at``?

    ``target`` is an E.164 number (call, voicemail, sms), an email address (email),
    ``"address:<id>"`` (letter) or the bureau's name (credit_report).
    """

    account_id: int
    channel: Channel
    target: str
    at: datetime
    direction: Direction = Direction.OUTBOUND
    message: Message | None = None

    def __post_init__(self) -> None:
        _in_utc(self, "at")
        _coerce(self, channel=Channel, direction=Direction)

    @property
    def purpose(self) -> Purpose:
        return self.message.purpose if self.message else Purpose.COLLECTION


@dataclass(frozen=True, slots=True)
class ClientPolicy:
    """A client's own limits. They may only narrow the law; looser values are ignored."""

    call_window_start: time = WINDOW_START
    call_window_end: time = WINDOW_END
    max_calls_per_7_days: int = 7
    sms_enabled: bool = True
    email_enabled: bool = True


@dataclass(frozen=True, slots=True)
class ClientFacts:
    operator_type: OperatorType = OperatorType.THIRD_PARTY_COLLECTOR
    policy: ClientPolicy = field(default_factory=ClientPolicy)

    def __post_init__(self) -> None:
        _coerce(self, operator_type=OperatorType)


@dataclass(frozen=True, slots=True)
class Phone:
    """``sms_consent``: the consumer gave us this number for texts and the consent is current."""

    id: int
    number: str
    kind: PhoneKind
    sms_consent: bool = False
    status: PhoneStatus = PhoneStatus.ACTIVE

    def __post_init__(self) -> None:
        _coerce(self, kind=PhoneKind, status=PhoneStatus)


@dataclass(frozen=True, slots=True)
class Email:
    """``consent``: the consumer gave us this address directly for these communications."""

    id: int
    address: str
    employer_provided: bool = False
    consent: bool = False
    status: EmailStatus = EmailStatus.ACTIVE

    def __post_init__(self) -> None:
        _coerce(self, status=EmailStatus)


@dataclass(frozen=True, slots=True)
class Address:
    id: int
    kind: AddressKind
    state: str
    status: AddressStatus = AddressStatus.ACTIVE

    def __post_init__(self) -> None:
        _coerce(self, kind=AddressKind, status=AddressStatus)


@dataclass(frozen=True, slots=True)
class DebtorFacts:
    """``timezones``: every candidate IANA zone, the primary (day-counting) zone first."""

    kind: DebtorKind
    timezones: tuple[str, ...]
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    addresses: tuple[Address, ...] = ()

    def __post_init__(self) -> None:
        _coerce(self, kind=DebtorKind)


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """One debt.

    ``time_barred`` is the stored verdict; ``sol_expires_on`` is the last day suit could be
    brought (the debt is time-barred from the next local day), so a later ``at`` can cross it.
    ``validation_period_end`` is the date our validation notice stated, None until one is sent.
    """

    id: int
    kind: AccountKind
    governing_state: str | None = None
    principal_balance: Decimal = Decimal(0)
    interest_balance: Decimal = Decimal(0)
    fees_balance: Decimal = Decimal(0)
    open_date: date | None = None
    delinquency_date: date | None = None
    charge_off_date: date | None = None
    last_payment_date: date | None = None
    itemization_date: date | None = None
    validation_period_end: date | None = None
    time_barred: bool = False
    sol_expires_on: date | None = None

    def __post_init__(self) -> None:
        _coerce(self, kind=AccountKind)

    @property
    def balance(self) -> Decimal:
        return self.principal_balance + self.interest_balance + self.fees_balance


@dataclass(frozen=True, slots=True)
class Event:
    """A timeline event exactly as the contract's "Case events".

    ``account_ids`` empty means every account of the debtor. ``type`` is kept as a plain
    string so event types the engine does not know are simply ignored.
    """

    id: int
    type: str
    occurred_at: datetime
    account_ids: tuple[int, ...] = ()
    direction: str | None = None
    channel: str | None = None
    target: str | None = None
    outcome: str | None = None
    written: bool | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _in_utc(self, "occurred_at")

    def concerns(self, account_id: int) -> bool:
        return not self.account_ids or account_id in self.account_ids


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything one decision needs. ``accounts`` are all the debtor's accounts."""

    request: ContactRequest
    client: ClientFacts
    debtor: DebtorFacts
    accounts: tuple[AccountFacts, ...]
    events: tuple[Event, ...] = ()

    def __post_init__(self) -> None:
        if not any(a.id == self.request.account_id for a in self.accounts):
            raise ValueError(
                f"account {self.request.account_id} is not one of the debtor's"
            )


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a contact is blocked; ``unblocked_by`` names the event type that would lift it."""

    rule: str
    message: str
    unblocked_by: str | None = None


@dataclass(frozen=True, slots=True)
class Exemption:
    """An exception the decision relied on (prior consent, respond-once, out of coverage)."""

    rule: str
    message: str


@dataclass(frozen=True, slots=True)
class Decision:
    """The gate's answer. ``reasons`` block; ``warnings`` are findings that do not (an overdue
    validation notice); ``exemptions`` are the exceptions the answer relied on."""

    allowed: bool
    reasons: tuple[Reason, ...]
    next_allowed_at: datetime | None
    timezones: tuple[str, ...]
    regf_applies: bool
    exemptions: tuple[Exemption, ...] = ()
    warnings: tuple[Reason, ...] = ()
    ruleset_version: str = RULESET_VERSION
