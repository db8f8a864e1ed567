"""Rendering templates with an account's facts.

Templates are Django template source stored in the database; compiled once per version.
Subject and text render with autoescaping off (they are plain text); HTML is built from the
escaped text so the disclosures the gate checked are exactly what the recipient reads.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.template import Context, Engine, Template
from django.template.loader import render_to_string
from django.utils.html import linebreaks

from collections_app.models import Account, Address
from collections_app.validation_period import validation_period_end
from communications.models import MessageTemplate

_ENGINE = Engine(autoescape=False, libraries={}, builtins=["django.template.defaultfilters"])
UNSUBSCRIBE_SALT = "communications.unsubscribe"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    validation_period_end: dt.date | None
    amount_demanded: Decimal | None


@lru_cache(maxsize=512)
def _compiled(template_id: int, version: int, part: str, source: str) -> Template:
    return _ENGINE.from_string(source)


def local_today(account: Account, at: dt.datetime) -> dt.date:
    zones = account.debtor.timezones
    return at.astimezone(ZoneInfo(zones[0]) if zones else dt.UTC).date()


def unsubscribe_token(message_key: str) -> str:
    return signing.dumps(message_key, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url_for(message_key: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/communications/unsubscribe/{unsubscribe_token(message_key)}/"


def unsubscribe_key(token: str) -> str:
    """The message key in a token, or BadSignature."""
    return signing.loads(token, salt=UNSUBSCRIBE_SALT)


MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
}


def long_date(day: dt.date, language: str) -> str:
    """"February 11, 2026" / "11 de febrero de 2026"."""
    month = MONTHS.get(language, MONTHS["en"])[day.month - 1]
    return f"{day.day} de {month} de {day.year}" if language == "es" else f"{month} {day.day}, {day.year}"


def _last4(reference: str) -> str:
    return reference[-4:]


def _address_lines(address: Address | None) -> str:
    if address is None:
        return ""
    line2 = f" {address.line2}" if address.line2 else ""
    return f"{address.line1}{line2}, {address.city}, {address.state} {address.postal_code}"


def message_context(account: Account, *, at: dt.datetime, key: str, language: str = "en",
                    target_address: Address | None = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything a template may say about the account, its debtor and us (dates already spelled out)."""
    debtor = account.debtor
    placed_total = account.principal + account.interest + account.fees
    balance = account.balance_now()
    today = local_today(account, at)
    period_end = validation_period_end(today)
    itemization_date = account.itemization_date or account.charge_off_date or account.placed_at.date()
    context: dict[str, Any] = {
        "agency_name": settings.AGENCY_NAME,
        "agency_address": settings.AGENCY_ADDRESS,
        "agency_phone": settings.AGENCY_PHONE,
        "agency_email": settings.AGENCY_EMAIL,
        "portal_url": settings.PORTAL_URL,
        "unsubscribe_url": unsubscribe_url_for(key),
        "debtor_name": debtor.name,
        "debtor_address": _address_lines(target_address),
        "creditor": account.current_creditor or account.client.name,
        "original_creditor": account.original_creditor or account.current_creditor or account.client.name,
        "product": account.product or "account",
        "account_reference": account.reference,
        "account_last4": _last4(account.reference),
        "account_number_masked": f"…{_last4(account.reference)}",
        "balance": balance,
        "itemization_date": long_date(itemization_date, language),
        # Model Form B-1 itemization: principal on the itemization date, then interest, fees and
        # payments or credits since; the parts add up to the current balance.
        "itemization_amount": account.principal,
        "interest_since": account.interest,
        "fees_since": account.fees,
        "payments_since": max(placed_total - balance, Decimal("0.00")),
        "today": long_date(today, language),
        "validation_period_end": long_date(period_end, language),
        "validation_period_end_date": period_end,
        "settlement_amount": "",
        "settlement_deadline": "",
        "installment_amount": "",
        "installment_due": "",
    }
    context.update(extra or {})
    return context


def render(template: MessageTemplate, context: dict[str, Any]) -> Rendered:
    ctx = Context(context, autoescape=False)
    subject = _compiled(template.pk, template.version, "subject", template.subject).render(ctx).strip()
    text = _compiled(template.pk, template.version, "body", template.body).render(ctx).strip()
    extra_html = _compiled(template.pk, template.version, "html", template.html).render(Context(context)) \
        if template.html else ""
    html = ""
    if template.channel == "email":
        html = render_to_string("communications/email.html", {"subject": subject, "body": linebreaks(text),
                                                               "unsubscribe_url": context["unsubscribe_url"]})
    elif template.channel == "letter":
        html = render_to_string("communications/letter.html", {**context, "subject": subject,
                                                                "body": linebreaks(text), "extra": extra_html})
    is_notice = template.purpose == "validation_notice"
    return Rendered(
        subject=subject,
        text=text,
        html=html,
        validation_period_end=context["validation_period_end_date"] if is_notice else None,
        amount_demanded=context["balance"] if template.purpose == "collection" else None,
    )


def render_one_off(*, channel: str, subject: str, text: str, unsubscribe_url: str) -> Rendered:
    """A caller's own subject and text (still checked by the gate, sent as written)."""
    html = ""
    if channel == "email":
        html = render_to_string("communications/email.html", {"subject": subject, "body": linebreaks(text),
                                                               "unsubscribe_url": unsubscribe_url})
    return Rendered(subject=subject, text=text, html=html, validation_period_end=None, amount_demanded=None)
