"""The supervisors' strategy editor (/strategies/) and the admin's queue-health page."""

import pytest
import redis
from django.conf import settings

from communications.models import Strategy, StrategyStep, StrategyVariant

pytestmark = pytest.mark.django_db


def variants(rows, existing=0):
    data = {"variants-TOTAL_FORMS": str(len(rows)), "variants-INITIAL_FORMS": str(existing),
            "variants-MIN_NUM_FORMS": "0", "variants-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        data.update({f"variants-{i}-{k}": v for k, v in row.items()})
    return data


NEW = {"name": "Early stage", "description": "", "is_active": "on", "priority": "10", "segments": "early,fresh",
       "min_balance": "", "max_balance": "5000"}


def test_only_supervisors_may_edit_strategies(client, collector):
    client.force_login(collector)
    assert client.get("/strategies/").status_code == 302


def test_a_supervisor_creates_a_strategy_with_champion_challenger_and_hold_out(client, supervisor, acme):
    client.force_login(supervisor)
    body = {**NEW, "clients": [acme.pk], **variants([
        {"name": "champion", "weight": "80"}, {"name": "challenger", "weight": "10"},
        {"name": "hold-out", "weight": "10", "is_holdout": "on"}])}
    response = client.post("/strategies/new/", body)
    strategy = Strategy.objects.get(name="Early stage")
    assert response.status_code == 302 and response["Location"] == f"/strategies/{strategy.pk}/"
    assert strategy.segments == ["early", "fresh"] and strategy.version == 1
    assert list(strategy.clients.all()) == [acme]
    assert [(v.name, v.weight, v.is_holdout) for v in strategy.variants.all()] == [
        ("champion", 80, False), ("challenger", 10, False), ("hold-out", 10, True)]
    page = client.get("/strategies/")
    assert b"Early stage" in page.content and b"hold-out" in page.content


def test_bad_input_is_shown_and_changes_nothing(client, supervisor):
    client.force_login(supervisor)
    body = {**NEW, "min_balance": "900", "max_balance": "100", **variants([{"name": "champion", "weight": "0"}])}
    response = client.post("/strategies/new/", body)
    assert response.status_code == 200
    assert b"must be at least the minimum balance" in response.content
    assert not Strategy.objects.exists()


def test_editing_steps_bumps_the_version_and_checks_the_template(client, supervisor):
    strategy = Strategy.objects.create(name="Late stage")
    champion = StrategyVariant.objects.create(strategy=strategy, name="champion")
    client.force_login(supervisor)
    url = f"/strategies/{strategy.pk}/variants/{champion.pk}/steps/"
    management = {"steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0",
                  "steps-MAX_NUM_FORMS": "1000"}
    step = {"steps-0-order": "1", "steps-0-day_offset": "3", "steps-0-anchor": "placement", "steps-0-channel": "sms",
            "steps-0-segments": "", "steps-0-min_balance": "", "steps-0-max_balance": ""}
    bad = client.post(url, {**management, **step, "steps-0-template_code": "validation_notice"})
    assert bad.status_code == 200 and b"no active sms template" in bad.content
    assert not StrategyStep.objects.exists()
    good = client.post(url, {**management, **step, "steps-0-template_code": "payment_reminder"})
    assert good.status_code == 302
    assert StrategyStep.objects.get(variant=champion).template_code == "payment_reminder"
    strategy.refresh_from_db()
    assert strategy.version == 2
    assert strategy.history.count() >= 2  # every earlier state kept (pghistory)


def test_the_admin_shows_queue_depth_per_celery_queue_from_redis(client, admin_user):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("analytics")
    broker.rpush("analytics", b"{}", b"{}", b"{}")
    try:
        client.force_login(admin_user)
        page = client.get("/admin/communications/message/queues/")
    finally:
        broker.delete("analytics")
    assert page.status_code == 200
    assert b"<td>analytics</td><td>3</td>" in page.content
    assert b"<td>sends</td>" in page.content
