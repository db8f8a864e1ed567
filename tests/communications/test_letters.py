"""Letters: WeasyPrint PDFs in a print batch, and the Regulation F model validation notice."""

import datetime as dt

import pytest
import time_machine

from collections_app.validation_period import validation_period_end
from communications.constants import MessageStatus
from communications.models import PrintBatch
from communications.services import message_request
from tests.communications.conftest import deliver_queued, reachable_account

pytestmark = pytest.mark.django_db


def test_the_validation_notice_itemizes_the_debt_and_states_the_period_end(acme, media):
    sent_on = dt.datetime(2026, 1, 5, 16, 0, tzinfo=dt.UTC)  # Monday 5 Jan 2026 → period ends Wed 11 Feb 2026
    with time_machine.travel(sent_on, tick=False):
        account = reachable_account(acme, itemization_date=dt.date(2023, 7, 1))
        message = message_request(account=account, channel="letter", template_code="validation_notice")
        deliver_queued()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.validation_period_end == dt.date(2026, 2, 11) == validation_period_end(dt.date(2026, 1, 5))
    text = message.text
    for line in ("As of July 1, 2023, you owed: $900.00", "in interest: + $80.00", "in fees: + $20.00",
                 "toward the debt: - $0.00", "Total amount of the debt now: $1000.00",
                 "by February 11, 2026 to dispute", "www.cfpb.gov/debt-collection",
                 "This is an attempt to collect a debt and any information obtained will be used for that purpose"):
        assert line in text
    assert "How do you want to respond?" in message.html and "This is not my debt." in message.html
    assert message.pdf.read(5) == b"%PDF-"
    assert message.print_batch == PrintBatch.objects.get(client=acme, closed_at=None)
    notice = account.debtor.events.get(type="validation_notice_sent")
    assert notice.data["validation_period_end"] == "2026-02-11"
    account.refresh_from_db()
    assert account.validation_period_end == dt.date(2026, 2, 11)
    assert account.debtor.events.filter(type="letter_sent", written=True).count() == 1


def test_spanish_debtors_get_the_spanish_template_with_the_english_disclosure_too(acme, media, daytime):
    account = reachable_account(acme)
    account.debtor.preferred_language = "es"
    account.debtor.save()
    message = message_request(account=account, channel="letter", template_code="payment_reminder")
    assert message.language == "es"
    assert "cobrador de deudas" in message.text and "from a debt collector" in message.text


def test_letters_of_one_day_share_a_print_batch(acme, media, daytime):
    one = reachable_account(acme, email="one@example.com", phone="+13125550131")
    two = reachable_account(acme, email="two@example.com", phone="+13125550132")
    first = message_request(account=one, channel="letter", template_code="payment_reminder")
    second = message_request(account=two, channel="letter", template_code="payment_reminder")
    deliver_queued()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.print_batch_id == second.print_batch_id is not None
