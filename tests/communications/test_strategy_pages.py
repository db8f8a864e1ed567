"""The strategy editor in real Chromium: a supervisor builds a champion/challenger cadence."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

from communications.models import Strategy, StrategyStep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@pytest.fixture
def page(live_server, supervisor, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM checks below run beside sync Playwright
    django_client = Client()
    django_client.force_login(supervisor)
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME].value
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        yield context.new_page()
        browser.close()


def test_a_supervisor_builds_a_strategy_and_its_steps(page):
    page.goto("/strategies/")
    page.get_by_role("link", name="New strategy").click()
    page.fill("#id_name", "Early stage")
    page.fill("#id_segments", "early")
    page.fill("#id_variants-0-name", "champion")
    page.fill("#id_variants-0-weight", "90")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/strategies/*/")
    assert "v1" in page.inner_text("h1")
    strategy = Strategy.objects.get(name="Early stage")
    page.get_by_role("link", name="0 steps — edit").click()
    page.fill("#id_steps-0-order", "1")
    page.fill("#id_steps-0-day_offset", "2")
    page.select_option("#id_steps-0-channel", "email")
    page.fill("#id_steps-0-template_code", "payment_reminder")
    page.get_by_role("button", name="Save steps").click()
    page.wait_for_load_state()
    step = StrategyStep.objects.get(variant__strategy=strategy)
    assert (step.day_offset, step.channel, step.template_code) == (2, "email", "payment_reminder")
    page.goto("/strategies/")
    row = page.get_by_role("row", name="Early stage")
    assert "champion (90; 1 steps)" in row.inner_text() and "v2" in row.inner_text()
