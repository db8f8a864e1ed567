"""State overlays (catalogue section 11), on consumer debts of natural persons only.

A state's rules reach a debt when it is the account's governing state or the state of one of
the consumer's home or mailing addresses (``Context.states``). They only ever add blocks
(1006.104: a more protective state law is not inconsistent). Washington and New York City are
UNVERIFIED in the catalogue and are not hard-coded.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta

from ..clock import add_years
from ..constants import (
    CA_ATTORNEY,
    CA_FIRST_WRITTEN_NOTICE,
    CA_NO_SUIT_AFTER_SOL,
    CA_TIME_BARRED_NOTICE,
    MA_COLLECTOR_CALL_LIMIT,
    MA_CREDITOR_CALL_LIMIT,
    MA_LONG_WINDOW_DAYS,
    MA_MAX_COMMUNICATIONS,
    MA_ORAL_WORKPLACE_REQUEST_VALIDITY,
    MA_SHORT_WINDOW_DAYS,
    MA_WORKPLACE_REQUEST,
    NY_CONSUMER_CREDIT_SOL,
    NY_SOL_YEARS,
    TX_TIME_BARRED,
    CallOutcome,
    Channel,
    EventType,
    OperatorType,
    PhoneKind,
    Purpose,
)
from ..context import Context, memoized
from ..facts import AccountFacts, Event, Exemption
from ..history import is_outbound, is_time_barred, to_attorney, written_communications
from ..mediums import MEDIUM_OF_CHANNEL, normalize_target
from ..representation import Standing, standing
from ..text import has_rosenthal_notice, has_time_barred_notice, threatens_suit
from ..verdicts import Block, Outcome, consumer_debt_only, regf_only
from .content import message_text
from .time_place import designated_places

TEXTING_OR_CALLING = frozenset({Channel.CALL, Channel.VOICEMAIL, Channel.SMS})
WRITTEN = frozenset({Channel.LETTER, Channel.EMAIL, Channel.SMS})
COLLECTING = frozenset(
    {Purpose.COLLECTION, Purpose.VALIDATION_NOTICE, Purpose.REMEDY_NOTICE}
)
REACHED = frozenset(
    {
        CallOutcome.RIGHT_PARTY_CONTACT,
        CallOutcome.VOICEMAIL_LEFT,
        CallOutcome.VOICEMAIL_NO_MESSAGE,
        CallOutcome.THIRD_PARTY,
    }
)
"""POLICY (catalogue 11): a call counts when it reaches a person or a voicemail."""

WORK_LINE = "other line"
PERSONAL_LINE = "residence or cellular line"


def _line(ctx: Context, number: str | None) -> str | None:
    """Work numbers have the 30-day limit; home, mobile and other personal numbers the 7-day one."""
    if number is None:
        return None
    wanted = normalize_target(number)
    phone = next(
        (p for p in ctx.debtor.phones if normalize_target(p.number) == wanted), None
    )
    if phone is None:
        return None
    return WORK_LINE if phone.kind == PhoneKind.WORK else PERSONAL_LINE


def _ma_counted(ctx: Context, event: Event) -> bool:
    """A call or text we initiated that reached the consumer's telephone: not one to a number
    that is not the consumer's (a neighbour's, for location information) -- 209 CMR 18.16(1)(d)
    counts communications "to a consumer's residence or cellular telephone"."""
    if not is_outbound(event):
        return False
    if event.target and _line(ctx, event.target) is None:
        return False
    return event.type != EventType.CALL_ATTEMPT or event.outcome in REACHED


_MA_TYPES = (EventType.CALL_ATTEMPT, EventType.VOICEMAIL_LEFT, EventType.SMS_SENT)


@memoized
def _ma_per_debt(ctx: Context) -> tuple[tuple[date, str | None], ...]:
    return tuple(
        (ctx.day_of(e.occurred_at), _line(ctx, e.target))
        for e in ctx.timeline.for_account(*_MA_TYPES)
        if _ma_counted(ctx, e)
    )


@memoized
def _ma_per_debtor(ctx: Context) -> tuple[tuple[date, str | None], ...]:
    return tuple(
        (ctx.day_of(e.occurred_at), _line(ctx, e.target))
        for e in ctx.timeline.of(*_MA_TYPES)
        if _ma_counted(ctx, e)
    )


def _ma_limit(
    ctx: Context,
    at: datetime,
    counted: Callable[[Context], tuple[tuple[date, str | None], ...]],
    rule: str,
) -> Outcome:
    """No more than two calls or texts we initiate per rolling 7 days to residence/cellular
    lines and per rolling 30 days to other lines; a contact logged without a number counts toward
    both, one to a number that is not the consumer's toward neither, and a request to an unknown
    line gets the 30-day limit -- unless it is a location inquiry, addressed to someone else."""
    if ctx.channel not in TEXTING_OR_CALLING or "MA" not in ctx.states:
        return None
    if ctx.purpose == Purpose.LOCATION_INQUIRY and _line(ctx, ctx.request.target) is None:
        return None  # a location call to someone else is no communication with the consumer
    line = _line(ctx, ctx.request.target) or WORK_LINE
    days = MA_SHORT_WINDOW_DAYS if line == PERSONAL_LINE else MA_LONG_WINDOW_DAYS
    same_line = [day for day, other in counted(ctx) if other in (line, None)]
    today = ctx.day_of(at)

    def in_window(last_day: date) -> int:
        return sum(
            1
            for day in same_line
            if last_day - timedelta(days=days - 1) <= day <= last_day
        )

    count = in_window(today)
    if count < MA_MAX_COMMUNICATIONS:
        return None
    clear_day = next(
        today + timedelta(days=n)
        for n in range(1, days + 1)
        if in_window(today + timedelta(days=n)) < MA_MAX_COMMUNICATIONS
    )
    return Block(
        rule,
        f"Massachusetts: {count} calls or texts to the consumer's {line} in the {days} days ending "
        f"{today.isoformat()}; the next may be on {clear_day.isoformat()}",
        retry_at=ctx.day_start(clear_day),
    )


@consumer_debt_only
def massachusetts_collector_limit(ctx: Context, at: datetime) -> Outcome:
    """STATE-MA-209CMR18.16-call-text-limit: debt collectors, counted per debt."""
    if ctx.operator_type != OperatorType.THIRD_PARTY_COLLECTOR:
        return None
    return _ma_limit(ctx, at, _ma_per_debt, MA_COLLECTOR_CALL_LIMIT)


@consumer_debt_only
def massachusetts_creditor_limit(ctx: Context, at: datetime) -> Outcome:
    """STATE-MA-940CMR7.04-creditor-call-limit: creditors, counted over all the debtor's debts."""
    if ctx.operator_type != OperatorType.FIRST_PARTY_CREDITOR:
        return None
    return _ma_limit(ctx, at, _ma_per_debtor, MA_CREDITOR_CALL_LIMIT)


@consumer_debt_only
def massachusetts_workplace_request(ctx: Context, at: datetime) -> Outcome:
    """STATE-MA-209CMR18.16c-workplace-request: after the consumer asks not to be called at work,
    no calls to work numbers; an oral request (``written`` not true) lapses after ten days."""
    if (
        ctx.operator_type != OperatorType.THIRD_PARTY_COLLECTOR
        or "MA" not in ctx.states
    ):
        return None
    if (
        ctx.channel not in (Channel.CALL, Channel.VOICEMAIL)
        or _line(ctx, ctx.request.target) != WORK_LINE
    ):
        return None
    request = designated_places(ctx).get("work")
    if request is None:
        return None
    if request.written:
        return Block(
            MA_WORKPLACE_REQUEST,
            "Massachusetts: the consumer asked in writing not to be called at work",
        )
    lapses = request.occurred_at + MA_ORAL_WORKPLACE_REQUEST_VALIDITY
    if at >= lapses:
        return None
    return Block(
        MA_WORKPLACE_REQUEST,
        f"Massachusetts: the consumer asked not to be called at work (oral request, valid until {lapses.isoformat()})",
        retry_at=lapses,
    )


@consumer_debt_only
def california_attorney(ctx: Context, at: datetime) -> Outcome:
    """STATE-CA-1788.14c-attorney: no initiating communications after the debtor's attorney gave
    written notice, unless the attorney consents; answering the debtor's own inquiry is allowed."""
    medium = MEDIUM_OF_CHANNEL.get(ctx.channel)
    if medium is None or "CA" not in ctx.states or to_attorney(ctx):
        return None
    notice = next(
        (
            e
            for e in reversed(
                ctx.timeline.for_account(EventType.ATTORNEY_REPRESENTATION_NOTICE)
            )
            if e.written is not False
        ),
        None,
    )
    if notice is None:
        return None
    status = standing(ctx, notice, medium)
    if status == Standing.RELEASED:
        return None
    if status == Standing.ANSWERING:
        return Exemption(
            CA_ATTORNEY,
            "responding to the debtor's own inquiry (Cal. Civ. Code 1788.14(c))",
        )
    return Block(
        CA_ATTORNEY,
        "California: the debtor's attorney gave written notice; communicate with the attorney",
        unblocked_by=EventType.ATTORNEY_CONSENT_TO_DIRECT_CONTACT,
    )


@regf_only
def california_first_written_notice(ctx: Context, at: datetime) -> Outcome:
    """STATE-CA-1812.700-notice: a third-party collector's first written notice to a California
    debtor (letter or email) must carry the Rosenthal notice."""
    text = message_text(ctx)
    if (
        text is None
        or ctx.channel not in (Channel.LETTER, Channel.EMAIL)
        or "CA" not in ctx.states
    ):
        return None
    if written_communications(ctx) or has_rosenthal_notice(text):
        return None
    return Block(
        CA_FIRST_WRITTEN_NOTICE,
        "California: the first written notice must include the Rosenthal Act notice (Civ. Code 1812.700)",
    )


def _time_barred_here(ctx: Context, at: datetime, state: str) -> bool:
    return state in ctx.states and is_time_barred(ctx.account, ctx.day_of(at))


def _lacks_time_barred_notice(ctx: Context, text: str) -> bool:
    return (
        ctx.channel in WRITTEN
        and ctx.purpose in COLLECTING
        and not has_time_barred_notice(text)
    )


@consumer_debt_only
def california_time_barred_notice(ctx: Context, at: datetime) -> Outcome:
    """STATE-CA-1788.14d-time-barred-notice: a written communication collecting a time-barred
    debt must say "The law limits how long you can be sued on a debt. Because of the age of
    your debt, we will not sue you for it ..."."""
    text = message_text(ctx)
    if (
        text is None
        or not _time_barred_here(ctx, at, "CA")
        or not _lacks_time_barred_notice(ctx, text)
    ):
        return None
    return Block(
        CA_TIME_BARRED_NOTICE,
        "California: a written communication on a time-barred debt must carry the 1788.14(d) notice",
    )


@consumer_debt_only
def california_no_suit(ctx: Context, at: datetime) -> Outcome:
    """STATE-CA-CCP337d-no-suit-after-SOL: no suit after the period, so no threat of one."""
    text = message_text(ctx)
    if text is None or not _time_barred_here(ctx, at, "CA") or not threatens_suit(text):
        return None
    return Block(
        CA_NO_SUIT_AFTER_SOL,
        "California: no suit may be brought on this time-barred debt (CCP 337(d))",
    )


@consumer_debt_only
def texas_time_barred(ctx: Context, at: datetime) -> Outcome:
    """STATE-TX-392.307-time-barred: a debt buyer (a third-party operator) may not sue on a
    time-barred debt and must give written notice when collecting one (the notice shares the
    California wording "The law limits how long you can be sued on a debt. Because of the age
    of your debt ...")."""
    text = message_text(ctx)
    if (
        ctx.operator_type != OperatorType.THIRD_PARTY_COLLECTOR
        or text is None
        or not _time_barred_here(ctx, at, "TX")
    ):
        return None
    if threatens_suit(text):
        return Block(
            TX_TIME_BARRED,
            "Texas: no suit may be brought on this time-barred debt (Fin. Code 392.307)",
        )
    if _lacks_time_barred_notice(ctx, text):
        return Block(
            TX_TIME_BARRED,
            "Texas: a written communication on a time-barred debt must carry the time-barred notice",
        )
    return None


NY_EFFECTIVE = date(2022, 4, 7)


def new_york_limitations_end(account: AccountFacts) -> date | None:
    """Last day to sue under CPLR 214-i: three years from default (delinquency, else charge-off,
    else last payment); a payment before that restarts the three years, one after it does not."""
    start = (
        account.delinquency_date or account.charge_off_date or account.last_payment_date
    )
    if start is None:
        return None
    end = add_years(start, NY_SOL_YEARS)
    paid = account.last_payment_date
    if paid is not None and start < paid <= end:
        end = add_years(paid, NY_SOL_YEARS)
    return end


@consumer_debt_only
def new_york_limitations(ctx: Context, at: datetime) -> Outcome:
    """STATE-NY-CPLR214i-3yr-SOL: no threat of suit on consumer credit more than three years
    past default (from 7 April 2022), whatever the stored SOL says."""
    text = message_text(ctx)
    if text is None or "NY" not in ctx.states or ctx.day_of(at) < NY_EFFECTIVE:
        return None
    end = new_york_limitations_end(ctx.account)
    if end is None or ctx.day_of(at) <= end or not threatens_suit(text):
        return None
    return Block(
        NY_CONSUMER_CREDIT_SOL,
        f"New York: the three-year limit for consumer credit ran out on {end.isoformat()}",
    )
