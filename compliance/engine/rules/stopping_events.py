"""Communication-stopping events (catalogue sections 3 and 4): cease, disputes, original-creditor
requests, attorney representation and medium opt-outs. None of them ends with time.

``written`` left empty on a cease notice, dispute or request is treated as written (the safer
reading); ``written: false`` makes a dispute or request oral (no suspension) and turns a cease
notice into a medium opt-out.
"""

from datetime import datetime
from decimal import Decimal

from ..consent import contact_consent, next_contact_consent_start
from ..constants import (
    ATTORNEY,
    CEASE,
    DISPUTE,
    MEDIUM_OPT_OUT,
    ORIGINAL_CREDITOR_REQUEST,
    PRIOR_CONSENT,
    Channel,
    Direction,
    EventType,
    Purpose,
)
from ..context import Context, memoized
from ..facts import Event, Exemption
from ..history import to_attorney, validation_period_end
from ..mediums import (
    MEDIUM_OF_CHANNEL,
    OUTBOUND,
    Medium,
    medium_named,
    same_target,
    unanswered_inbound,
)
from ..representation import Standing, standing
from ..text import mentions_debt
from ..verdicts import Block, Outcome, regf_only

CEASE_PERMITS = frozenset({Purpose.TERMINATION_NOTICE, Purpose.REMEDY_NOTICE})
"""1006.6(c)(2)(i)-(iii): ending our efforts; remedies we may invoke or intend to invoke."""

SUSPENSION_PERMITS = frozenset(
    {Purpose.VERIFICATION, Purpose.TERMINATION_NOTICE, Purpose.OPT_OUT_CONFIRMATION}
)
"""What is not collection while a dispute or original-creditor request is pending."""


def _written(event: Event) -> bool:
    return event.written is not False


def _day(ctx: Context, event: Event) -> str:
    return ctx.day_of(event.occurred_at).isoformat()


@regf_only
def cease(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.6c-cease: a written refusal to pay or request to stop, effective on receipt.

    Per debt; a notice naming no account covers every debt (POLICY, catalogue scope note).
    Credit reporting is not a communication with the consumer and is not barred here.
    """
    if ctx.channel == Channel.CREDIT_REPORT:
        return None
    notice = next(
        (
            e
            for e in ctx.timeline.for_account(EventType.CEASE_NOTICE_RECEIVED)
            if _written(e)
        ),
        None,
    )
    if notice is None:
        return None
    if ctx.purpose in CEASE_PERMITS:
        return Exemption(
            CEASE,
            f"a {ctx.purpose.value.replace('_', ' ')} is permitted after a cease notice (1006.6(c)(2))",
        )
    return Block(
        CEASE,
        f"written cease notice received {_day(ctx, notice)}: no further communication about this debt",
    )


def _pending(ctx: Context, kind: EventType) -> list[Event]:
    """Written, timely requests of ``kind`` made after the last verification we sent.

    Timely = on or before the validation-period end; before any validation notice the period
    has not ended, so a request then counts (POLICY).
    """
    period_end = validation_period_end(ctx)
    answered = ctx.timeline.latest_for_account(EventType.VERIFICATION_SENT)
    return [
        e
        for e in ctx.timeline.for_account(kind)
        if _written(e)
        and (period_end is None or ctx.day_of(e.occurred_at) <= period_end)
        and (answered is None or e.occurred_at > answered.occurred_at)
    ]


def _disputed_amount(disputes: list[Event]) -> Decimal | None:
    """Sum of the disputed portions, or None when the entire debt (or an unstated part) is disputed."""
    total = Decimal(0)
    for dispute in disputes:
        amount = dispute.data.get("amount")
        if dispute.data.get("portion") != "partial" or amount is None:
            return None
        total += Decimal(str(amount))
    return total


@regf_only
def dispute(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.38d-dispute-cease: a written dispute within the validation period suspends
    collection of the debt -- or of the disputed portion -- until verification is sent.

    For a partial dispute, a message demanding no more than the undisputed balance passes; a
    contact that names no amount passes too (1006.38(d)(2)(i) suspends only the disputed part).
    """
    if ctx.purpose in SUSPENSION_PERMITS:
        return None
    pending = _pending(ctx, EventType.DISPUTE_RECEIVED)
    if not pending:
        return None
    disputed = _disputed_amount(pending)
    if disputed is not None:
        undisputed = ctx.account.balance - disputed
        demanded = ctx.message.amount_demanded if ctx.message else None
        if demanded is None or demanded <= undisputed:
            return None
        return Block(
            DISPUTE,
            f"{disputed} of this debt is disputed ({_day(ctx, pending[0])}); "
            f"demanding {demanded} exceeds the undisputed {undisputed}",
            unblocked_by=EventType.VERIFICATION_SENT,
        )
    return Block(
        DISPUTE,
        f"written dispute received {_day(ctx, pending[0])} within the validation period: "
        "collection is suspended until verification is sent",
        unblocked_by=EventType.VERIFICATION_SENT,
    )


@regf_only
def original_creditor_request(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.38c-original-creditor-request: suspended until the name and address are sent
    (recorded as ``verification_sent``: the contract has no separate event)."""
    if ctx.purpose in SUSPENSION_PERMITS:
        return None
    pending = _pending(ctx, EventType.ORIGINAL_CREDITOR_REQUEST_RECEIVED)
    if not pending:
        return None
    return Block(
        ORIGINAL_CREDITOR_REQUEST,
        f"original-creditor request received {_day(ctx, pending[0])} within the validation period: "
        "collection is suspended until the original creditor's name and address are sent",
        unblocked_by=EventType.VERIFICATION_SENT,
    )


@regf_only
def attorney(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.6b2-attorney: represented about this debt, until the attorney consents.

    Exceptions: the consumer's own contact is consent to that one exchange (comment 6(b)(2)-1),
    and prior consent given directly to us after we learned of the attorney (1006.6(b)(4)). A
    contact addressed to the attorney (the notice's ``data.contact``) is not a communication
    with the consumer: it is the one the rule points to (1006.6(d)(1)(ii)).
    """
    medium = MEDIUM_OF_CHANNEL.get(ctx.channel)
    notice = ctx.timeline.latest_for_account(EventType.ATTORNEY_REPRESENTATION_NOTICE)
    if medium is None or notice is None or to_attorney(ctx):
        return None
    status = standing(ctx, notice, medium)
    if status == Standing.RELEASED:
        return None
    if status == Standing.ANSWERING:
        return Exemption(
            ATTORNEY,
            "responding once to the represented consumer's own contact (comment 6(b)(2)-1)",
        )
    if contact_consent(ctx, at, since=notice.occurred_at):
        return Exemption(
            PRIOR_CONSENT,
            "the represented consumer gave us prior consent for this contact",
        )
    name = notice.data.get("attorney")
    return Block(
        ATTORNEY,
        f"represented by {name or 'an attorney'} about this debt since {_day(ctx, notice)}: contact the attorney",
        unblocked_by=EventType.ATTORNEY_CONSENT_TO_DIRECT_CONTACT,
        retry_at=next_contact_consent_start(ctx, at, since=notice.occurred_at),
    )


@memoized
def _opt_outs(ctx: Context) -> tuple[tuple[Event, Medium | None, str | None], ...]:
    """(event, medium or None for every medium, target or None for the whole medium).

    ``medium_opt_out`` names its medium in ``data.channel`` (else the event's channel). An oral
    "stop contacting me" (a cease notice with ``written: false``) is an opt-out of the media it
    names, and of every medium when it names none (catalogue: ambiguous, escalate -- POLICY).
    """
    found: list[tuple[Event, Medium | None, str | None]] = []
    for event in ctx.timeline.of(
        EventType.MEDIUM_OPT_OUT, EventType.CEASE_NOTICE_RECEIVED
    ):
        if event.type == EventType.CEASE_NOTICE_RECEIVED:
            if _written(event):
                continue
            named = event.data.get("channel")
            found.append((event, medium_named(named) if named else None, None))
            continue
        named = event.data.get("channel") or event.channel
        target = event.data.get("target")
        found.append(
            (
                event,
                medium_named(named) if named else None,
                str(target) if target else None,
            )
        )
    return tuple(found)


def _beyond_confirmation(ctx: Context) -> str | None:
    """1006.14(h)(2)(i): the confirmation "contains no information other than a statement
    confirming the person's request and that the debt collector will honor it" -- what else a
    confirmation's text says about the debt (a balance, a payment), or None."""
    message = ctx.message
    if message is None:
        return None
    return mentions_debt(" ".join(p for p in (message.subject, message.text) if p))


@regf_only
def medium_opt_out(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.14h-medium-opt-out: the person asked us not to use this medium (any debt), or
    this address/number within it. Exceptions 1006.14(h)(2)(i)-(ii): one electronic
    confirmation, and one response to the person's own contact through that medium."""
    medium = MEDIUM_OF_CHANNEL.get(ctx.channel)
    if medium is None:
        return None
    target = ctx.request.target
    matching = [
        event
        for event, opted_medium, opted_target in _opt_outs(ctx)
        if (opted_medium is None or opted_medium == medium)
        and (opted_target is None or same_target(opted_target, target))
    ]
    if not matching:
        return None
    latest = matching[-1]
    if (
        ctx.purpose == Purpose.OPT_OUT_CONFIRMATION
        and medium in (Medium.SMS, Medium.EMAIL)
        and not any(
            e.occurred_at > latest.occurred_at
            for e in ctx.timeline.of(*OUTBOUND[medium])
        )
    ):
        extra = _beyond_confirmation(ctx)
        if extra is None:
            return Exemption(
                MEDIUM_OPT_OUT,
                "one electronic confirmation of the opt-out (1006.14(h)(2)(i))",
            )
        return Block(
            MEDIUM_OPT_OUT,
            f"the confirmation of an opt-out may only confirm it; this one also speaks of {extra!r} "
            "(1006.14(h)(2)(i))",
        )
    if ctx.request.direction == Direction.INBOUND_RESPONSE and unanswered_inbound(
        ctx.timeline, medium, target, latest.occurred_at
    ):
        return Exemption(
            MEDIUM_OPT_OUT,
            "responding once through the medium the person used (1006.14(h)(2)(ii))",
        )
    scope = (
        "this address or number"
        if latest.data.get("target")
        else f"{medium.value} contact"
    )
    return Block(
        MEDIUM_OPT_OUT, f"the consumer opted out of {scope} on {_day(ctx, latest)}"
    )
