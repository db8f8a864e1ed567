"""Builders for engine snapshots: a Chicago consumer with one consumer debt, unless told otherwise."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from itertools import count
from typing import Any

from compliance.engine import (
    AccountFacts,
    Address,
    ClientFacts,
    ClientPolicy,
    ContactRequest,
    DebtorFacts,
    Decision,
    Email,
    Event,
    Message,
    Phone,
    Snapshot,
    evaluate,
)
from compliance.engine.constants import (
    AccountKind,
    AddressKind,
    Channel,
    DebtorKind,
    Direction,
    OperatorType,
    PhoneKind,
)

ACCOUNT = 12
OTHER_ACCOUNT = 13
MOBILE = "+13125550101"
HOME_PHONE = "+13125550102"
WORK_PHONE = "+13125550103"
EMAIL = "jane@example.com"
WORK_EMAIL = "jane@employer.example"
HOME_ADDRESS = "address:1"
WORK_ADDRESS = "address:2"

_ids = count(1)


def t(text: str) -> datetime:
    """An aware instant from ISO 8601 text with its offset."""
    parsed = datetime.fromisoformat(text)
    assert parsed.utcoffset() is not None, text
    return parsed


def event(type_: str, when: str | datetime, **fields: Any) -> Event:
    occurred_at = t(when) if isinstance(when, str) else when
    accounts = fields.pop("accounts", ())
    return Event(
        id=next(_ids),
        type=type_,
        occurred_at=occurred_at,
        account_ids=tuple(accounts),
        **fields,
    )


def call(
    when: str | datetime,
    outcome: str = "no_answer",
    target: str = MOBILE,
    **fields: Any,
) -> Event:
    return event(
        "call_attempt",
        when,
        direction="outbound",
        channel="call",
        target=target,
        outcome=outcome,
        **fields,
    )


def phones() -> tuple[Phone, ...]:
    return (
        Phone(1, MOBILE, PhoneKind.MOBILE, sms_consent=True),
        Phone(2, HOME_PHONE, PhoneKind.HOME),
        Phone(3, WORK_PHONE, PhoneKind.WORK),
    )


def emails() -> tuple[Email, ...]:
    return (Email(1, EMAIL, consent=True), Email(2, WORK_EMAIL, employer_provided=True))


def addresses(state: str = "IL") -> tuple[Address, ...]:
    return (Address(1, AddressKind.HOME, state), Address(2, AddressKind.WORK, state))


def account(**fields: Any) -> AccountFacts:
    defaults: dict[str, Any] = {
        "id": ACCOUNT,
        "kind": AccountKind.CONSUMER,
        "governing_state": "IL",
        "principal_balance": Decimal("900.00"),
        "interest_balance": Decimal("80.00"),
        "fees_balance": Decimal("20.00"),
    }
    defaults.update(fields)
    return AccountFacts(**defaults)


def snapshot(
    at: str | datetime,
    *,
    channel: str = "call",
    target: str | None = None,
    events: Iterable[Event] = (),
    zones: Iterable[str] = ("America/Chicago",),
    operator: str = "third_party_collector",
    debtor_kind: str = "person",
    policy: ClientPolicy | None = None,
    message: Message | None = None,
    direction: str = "outbound",
    state: str = "IL",
    account_id: int = ACCOUNT,
    **account_fields: Any,
) -> Snapshot:
    chan = Channel(channel)
    default_target = {
        Channel.EMAIL: EMAIL,
        Channel.LETTER: HOME_ADDRESS,
        Channel.CREDIT_REPORT: "Equifax",
    }.get(chan, MOBILE)
    account_fields.setdefault("governing_state", state)
    return Snapshot(
        request=ContactRequest(
            account_id=account_id,
            channel=chan,
            target=target or default_target,
            at=t(at) if isinstance(at, str) else at,
            direction=Direction(direction),
            message=message,
        ),
        client=ClientFacts(
            operator_type=OperatorType(operator), policy=policy or ClientPolicy()
        ),
        debtor=DebtorFacts(
            kind=DebtorKind(debtor_kind),
            timezones=tuple(zones),
            phones=phones(),
            emails=emails(),
            addresses=addresses(state),
        ),
        accounts=(
            account(**account_fields),
            account(id=OTHER_ACCOUNT, governing_state=state),
        ),
        events=tuple(events),
    )


def check(at: str | datetime, **kwargs: Any) -> Decision:
    return evaluate(snapshot(at, **kwargs))


def rules(decision: Decision) -> list[str]:
    return [reason.rule for reason in decision.reasons]
