"""Electronic channels (catalogue section 6): email and text procedures, employer-provided
email, and the opt-out statement every electronic message must carry.

The procedures of 1006.6(d)(3)-(5) are safe harbors; following the catalogue (0.2, 13.6) we
gate on them (POLICY). The creditor and prior-collector routes need facts the snapshot does not
hold, so an address qualifies only through the consumer: they gave it to us (the address's
``consent`` flag, or a ``prior_consent_recorded`` event for email naming it) or emailed us from
it. A number qualifies for texts by its ``sms_consent`` flag (kept current by its owner), or by
the consumer's own text or a ``prior_consent_recorded`` event for sms within the past 60 days.
"""

from datetime import datetime, timedelta

from ..consent import latest_address_consent
from ..constants import (
    ELECTRONIC_OPT_OUT_NOTICE,
    EMAIL_PROCEDURES,
    EMPLOYER_EMAIL,
    SMS_FRESHNESS_DAYS,
    SMS_PROCEDURES,
    Channel,
    EventType,
    Purpose,
)
from ..context import Context
from ..facts import Email
from ..mediums import Medium, same_target
from ..text import has_opt_out_instructions, opt_out_burden
from ..verdicts import Block, Outcome, regf_only


def _consumer_used_or_gave(ctx: Context, email: Email, at: datetime) -> bool:
    """1006.6(d)(4)(i): the consumer emailed us from the address "about the debt" (an email
    naming only another debt does not qualify it for this one), or gave us consent to use it."""
    return (
        email.consent
        or any(
            same_target(e.target, email.address)
            for e in ctx.timeline.for_account(EventType.INBOUND_EMAIL)
        )
        or latest_address_consent(ctx, Medium.EMAIL, email.address, at) is not None
    )


@regf_only
def email_procedures(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.6d4-email-procedures: only to an address the consumer used with us or gave us.
    An opt-out confirmation answers the consumer's own message and is not gated."""
    email = ctx.target_email
    if (
        ctx.channel != Channel.EMAIL
        or email is None
        or ctx.purpose == Purpose.OPT_OUT_CONFIRMATION
    ):
        return None
    if _consumer_used_or_gave(ctx, email, at):
        return None
    return Block(
        EMAIL_PROCEDURES,
        "no 1006.6(d)(4) procedure is met for this address: the consumer has neither emailed us from it nor given it to us",
        unblocked_by=EventType.INBOUND_EMAIL,
    )


@regf_only
def employer_email(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.22f3-employer-email: never to an address known to be employer-provided, unless
    the consumer used it with us or gave it to us (1006.6(d)(4)(i))."""
    email = ctx.target_email
    if ctx.channel != Channel.EMAIL or email is None or not email.employer_provided:
        return None
    if _consumer_used_or_gave(ctx, email, at):
        return None
    return Block(
        EMPLOYER_EMAIL,
        "this email address was provided by the consumer's employer",
        unblocked_by=EventType.INBOUND_EMAIL,
    )


@regf_only
def sms_procedures(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.6d5-sms-procedures: the consumer texted us from the number, or gave us consent to
    text it (a ``prior_consent_recorded`` event), within the past 60 days -- (d)(5)(i) and (ii)
    -- or the number's ``sms_consent`` says the consent is current (kept so by its owner)."""
    phone = ctx.target_phone
    if (
        ctx.channel != Channel.SMS
        or phone is None
        or ctx.purpose == Purpose.OPT_OUT_CONFIRMATION
    ):
        return None
    if phone.sms_consent:
        return None
    texts = [  # "by text message about the debt" (1006.6(d)(5)(i)): not a text about another debt
        e
        for e in ctx.timeline.for_account(EventType.INBOUND_SMS)
        if same_target(e.target, phone.number)
    ]
    consent = latest_address_consent(ctx, Medium.SMS, phone.number, at)
    renewals = [e.occurred_at for e in (*texts[-1:], consent) if e is not None]
    if renewals and ctx.day_of(max(renewals)) >= ctx.day_of(at) - timedelta(
        days=SMS_FRESHNESS_DAYS
    ):
        return None
    why = (
        "the consumer's last text from it, or consent to text it, is more than 60 days old"
        if renewals
        else "no consent to text it and the consumer has not texted us from it"
    )
    return Block(
        SMS_PROCEDURES,
        f"no 1006.6(d)(5) procedure is met for this number: {why}",
        unblocked_by=EventType.INBOUND_SMS,
    )


@regf_only
def opt_out_notice(ctx: Context, at: datetime) -> Outcome:
    """REGF-1006.6e-electronic-opt-out-notice: every email or text must describe a simple way to
    opt out ("Reply STOP", "click here to opt out", "unsubscribe") that asks for no fee and no
    information beyond the preference and the address or number. Checked when text is given."""
    message = ctx.message
    if (
        ctx.channel not in (Channel.SMS, Channel.EMAIL)
        or message is None
        or ctx.purpose == Purpose.OPT_OUT_CONFIRMATION
    ):
        return None
    body = " ".join(part for part in (message.subject, message.text) if part)
    if not body:
        return None
    if has_opt_out_instructions(body):
        burden = opt_out_burden(body)
        if burden is None:
            return None
        return Block(
            ELECTRONIC_OPT_OUT_NOTICE,
            f"the opt-out method asks for more than the opt-out preference ({burden!r}): "
            "no fee and no other information may be required (1006.6(e))",
        )
    return Block(
        ELECTRONIC_OPT_OUT_NOTICE,
        "the message does not say how to opt out of further electronic messages",
    )
