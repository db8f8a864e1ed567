"""The desk in real Chromium: a collector's first account of the day, end to end.

Drives Debian's Chromium through Playwright against pytest-django's live server, and saves the
screenshots the README shows (docs/screenshots/).
"""

import datetime as dt
import os
import random
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.constants import Role
from collections_app.constants import SettlementKind
from collections_app.models import Account, CaseEvent, Payment, Plan, Promise, Settlement, Task
from collections_app.models.timeline import TaskKind
from collections_app.schedules import debtor_local_date
from collections_app.services.debtors import debtor_timezones_refresh
from collections_app.services.settlements import settlement_offer
from communications.models import Message
from communications.services import templates_seed_defaults
from tests.factories import (
    AccountFactory,
    AddressFactory,
    CaseEventFactory,
    DebtorFactory,
    EmailFactory,
    PhoneFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs its own loop
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct-horse-battery"
PEOPLE = ["Maria Garcia", "James Smith", "Aisha Khan", "Robert Chen", "Linda Okafor", "Daniel Novak",
          "Sofia Rossi", "Kevin O'Brien", "Priya Patel", "Marcus Johnson", "Elena Petrova", "Tom Becker"]
CITIES = [("Chicago", "IL", "60601", "+1312555"), ("Houston", "TX", "77002", "+1713555"),
          ("Denver", "CO", "80202", "+1303555"), ("Los Angeles", "CA", "90012", "+1213555")]


@pytest.fixture
def page():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 960}, timezone_id="America/New_York")
        yield context.new_page()
        browser.close()


@pytest.fixture
def worklist(acme, collector):
    """A morning's queue: a callback due, a new placement, and a spread of scores and balances."""
    rng = random.Random(7)
    accounts = []
    for i, name in enumerate(PEOPLE):
        city, state, zip_code, prefix = CITIES[i % len(CITIES)]
        debtor = DebtorFactory(client=acme, name=name)
        PhoneFactory(debtor=debtor, number=f"{prefix}{1000 + i:04d}", sms_consent=i % 2 == 0)
        if i % 3:
            EmailFactory(debtor=debtor, address=f"{name.split()[0].lower()}.{i}@example.com")
        AddressFactory(debtor=debtor, city=city, state=state, postal_code=zip_code, line1=f"{100 + i} Oak St")
        debtor_timezones_refresh(debtor)
        principal = Decimal(rng.randint(300, 9000))
        accounts.append(AccountFactory(
            debtor=debtor, assigned_to=collector, governing_state=state, score=round(rng.random(), 2),
            principal=principal, interest=(principal * Decimal("0.08")).quantize(Decimal("0.01")),
            fees=Decimal(rng.choice([0, 25, 35])), segment=rng.choice(["high-fresh", "mid-aged", "low-aged"]),
            placed_at=timezone.now() - dt.timedelta(days=2 if i == 3 else rng.randint(30, 400)),
            charge_off_date=timezone.localdate() - dt.timedelta(days=rng.randint(420, 900)),
            sol_expires_on=timezone.localdate() + dt.timedelta(days=rng.randint(400, 1400)),
        ))
        placed, phone = accounts[-1].placed_at, debtor.phones.first().number
        history = (
            (1, {"type": "validation_notice_sent", "channel": "letter"}),
            (9, {"type": "call_attempt", "outcome": "no_answer", "target": phone}),
            (16, {"type": "call_attempt", "outcome": "voicemail_left", "target": phone}),
            (23, {"type": "letter_sent", "channel": "letter"}),
        )
        for days, fields in history:
            occurred_at = placed + dt.timedelta(days=days, hours=15)
            if occurred_at > timezone.now():
                continue
            fields = {"outcome": "", "channel": "call", "direction": "outbound", **fields}
            CaseEventFactory(debtor=debtor, occurred_at=occurred_at, account_ids=[accounts[-1].id], **fields)
    talked = accounts[8]  # spoke yesterday: no calls for a week
    CaseEventFactory(debtor=talked.debtor, type="conversation", occurred_at=timezone.now() - dt.timedelta(days=1),
                     target=talked.debtor.phones.first().number, account_ids=[talked.id], outcome="")
    callback = accounts[5]
    Task.objects.create(debtor=callback.debtor, account=callback, kind=TaskKind.CALLBACK, title="Asked for 9am",
                        due_at=timezone.now() - dt.timedelta(minutes=20), assigned_to=collector)
    return accounts


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_collector_works_the_first_account_of_the_queue(live_server, page, worklist, other_collector):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server.url, "alice")
    page.wait_for_url(f"{live_server.url}/desk/")
    rows = page.locator(".queue-row")
    assert rows.count() == len(worklist)
    assert rows.first.get_attribute("data-account") == str(worklist[5].id)  # the callback due leads
    assert "Callback due" in rows.first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "queue.png"))

    # Keyboard: j selects the first row, Enter opens it.
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/desk/accounts/{worklist[5].id}/")
    account = worklist[5]
    assert page.locator("h1").inner_text() == account.debtor.name
    call_status = page.locator('#compliance-panel [data-channel="call"]')
    assert "Allowed now" in call_status.inner_text()

    # Log a right-party contact with a promise to pay (c opens the call form).
    page.keyboard.press("c")
    page.get_by_label("Right-party contact").check()
    promised_by = debtor_local_date(account.debtor.timezones, timezone.now()) + dt.timedelta(days=3)
    page.get_by_label("Promised amount (optional)").fill("200")
    page.get_by_label("Promised by (optional)").fill(promised_by.isoformat())
    page.get_by_label("Note (optional)").fill("Right party confirmed; will pay $200 on Friday.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Call logged: Right-party contact. Promise to pay $200.00").wait_for()
    timeline = page.locator("#timeline")
    assert "Right-party contact" in timeline.inner_text()
    assert "Conversation" in timeline.inner_text()
    assert "Promise to pay made" in timeline.inner_text()
    assert "will pay $200 on Friday" in timeline.inner_text()
    assert "$200.00" in page.locator("#arrangements").inner_text()
    assert CaseEvent.objects.filter(debtor=account.debtor, outcome="right_party_contact").count() == 1
    promise = Promise.objects.get(account=account)
    assert (promise.amount, promise.due_date) == (Decimal("200.00"), promised_by)
    # The compliance panel was refreshed: after a conversation, no more calls for 7 days.
    call_status = page.locator('#compliance-panel [data-channel="call"]')
    assert "Not now" in call_status.inner_text() and "Next allowed" in call_status.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "account.png"))

    # Another client's collector gets a 404 for this account, not its data.
    other = page.context.browser.new_context().new_page()
    sign_in(other, live_server.url, other_collector.username)
    other.wait_for_url(f"{live_server.url}/desk/")
    response = other.goto(f"{live_server.url}/desk/accounts/{account.id}/")
    assert response.status == 404
    assert account.debtor.name not in other.content()


def test_payment_plan_preview_and_message_from_the_account_page(live_server, page, worklist, collector):
    from playwright.sync_api import expect

    templates_seed_defaults()
    collector.settlement_limit_pct = Decimal("25.00")
    collector.save()
    account = worklist[1]  # has an e-mail address
    balance = account.balance
    sign_in(page, live_server.url, "alice")
    page.wait_for_url(f"{live_server.url}/desk/")
    page.goto(f"{live_server.url}/desk/accounts/{account.id}/")

    # t: take a payment. The accounts card and the timeline refresh.
    page.keyboard.press("t")
    page.get_by_label("Amount ($)").fill("50.00")
    page.get_by_label("Paid by").select_option("card")
    page.get_by_role("button", name="Post payment").click()
    new_balance = balance - Decimal("50.00")
    page.get_by_text(f"Payment of $50.00 posted. Balance now ${new_balance:,.2f}.").wait_for()
    expect(page.locator("#debtor-accounts")).to_contain_text(f"${new_balance:,.2f}")
    expect(page.locator("#timeline")).to_contain_text("Payment received")
    assert Payment.objects.get(account=account).amount == Decimal("50.00")

    # s: a plan; the schedule previews as the collector types.
    page.keyboard.press("s")
    preview = page.locator("#plan-preview")
    expect(preview).to_contain_text("6 payments")
    page.get_by_label("Number of payments").fill("4")
    expect(preview).to_contain_text("4 payments")
    expect(preview.locator("tbody tr")).to_have_count(4)
    # A settlement at 40% off is above the collector's 25%: the preview says a supervisor decides.
    page.get_by_label("Settlement (for less)").check()
    page.get_by_label("Number of payments").fill("1")
    page.get_by_label("Or: discount (%)").fill("40")
    expect(preview).to_contain_text("40.00% off, in 1 payment.")
    expect(preview).to_contain_text("a supervisor must approve it")
    page.screenshot(path=str(SCREENSHOTS / "plan.png"))
    page.get_by_label("Payment plan (full balance)").check()
    page.get_by_label("Number of payments").fill("4")
    expect(preview).to_contain_text("4 payments")
    page.get_by_role("button", name="Propose").click()
    expect(page.locator("#action-confirmation")).to_contain_text("Plan proposed")
    expect(page.locator("#arrangements")).to_contain_text("Plan · Proposed")
    plan = Plan.objects.get(debtor=account.debtor)
    assert plan.installments.count() == 4
    # On a later call the debtor agrees: activate it from the card.
    page.get_by_label("Agreed by (name as said)").fill(account.debtor.name)
    page.get_by_role("button", name="Debtor agreed: activate").click()
    expect(page.locator("#arrangements")).to_contain_text("Plan · Active")
    expect(page.locator("#debtor-accounts")).to_contain_text("In payment plan")
    plan.refresh_from_db()
    assert plan.status == "active" and plan.signed_by_name == account.debtor.name
    assert not Settlement.objects.exists()

    # m: a payment reminder by e-mail, through the outbound path.
    page.keyboard.press("m")
    page.get_by_label("E-mail").check()
    page.get_by_label("Template").select_option("payment_reminder")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text("queued for delivery").wait_for()
    expect(page.locator("#outbox")).to_contain_text("Queued")
    message = Message.objects.get(account=account)
    assert message.source == "collector" and message.created_by == collector


def test_signing_in_with_a_wrong_password_says_so_and_focus_is_visible(live_server, page, collector):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("wrong")
    page.keyboard.press("Enter")
    page.get_by_role("alert").wait_for()
    assert "correct username and password" in page.get_by_role("alert").inner_text()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_a_supervisor_reassigns_accounts_in_bulk_and_approves_a_settlement(live_server, page, worklist, collector,
                                                                         supervisor, acme):
    from playwright.sync_api import expect

    carol = UserFactory(username="carol", role=Role.COLLECTOR)
    acme.members.add(carol)
    collector.settlement_limit_pct = Decimal("25.00")
    collector.save()
    offered = worklist[2]
    settlement = settlement_offer(offered_by=collector, accounts=[offered],
                                  due_date=timezone.localdate() + dt.timedelta(days=10), discount_pct=Decimal("40"),
                                  kind=SettlementKind.LUMP_SUM, installment_count=1)
    assert settlement.status == "pending_approval"

    sign_in(page, live_server.url, supervisor.username)
    page.wait_for_url(f"{live_server.url}/desk/")
    page.get_by_role("link", name="Open the team queue").click()  # nothing is assigned to a supervisor
    page.wait_for_url(f"{live_server.url}/desk/team/")
    rows = page.locator(".queue-row")
    expect(rows).to_have_count(len(worklist))
    moved = [int(rows.nth(i).get_attribute("data-account")) for i in (0, 1)]
    for i in (0, 1):
        rows.nth(i).get_by_role("checkbox").check()
    expect(page.locator("#selected-count")).to_have_text("2 selected")
    page.get_by_label("Reassign selected to").select_option(label="carol")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "team.png"))
    page.get_by_role("button", name="Reassign").click()
    expect(page.get_by_text("Reassigned 2 accounts to carol.")).to_be_visible()
    assert set(Account.objects.filter(assigned_to=carol).values_list("id", flat=True)) == set(moved)

    page.get_by_role("link", name="Approvals").click()
    row = page.locator(f'.settlement-row[data-settlement="{settlement.id}"]')
    expect(row).to_contain_text("40.00% off")
    row.get_by_label(f"Note for settlement {settlement.id}").fill("Hardship confirmed")
    row.get_by_role("button", name=f"Approve settlement for {offered.debtor.name}").click()
    expect(page.get_by_text(f"Settlement {settlement.id} approved")).to_be_visible()
    expect(page.locator("#settlement-approvals")).to_contain_text("No settlements waiting for approval.")
    settlement.refresh_from_db()
    assert settlement.status == "approved" and settlement.decided_by == supervisor
