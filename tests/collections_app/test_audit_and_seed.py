import datetime as dt

import pghistory.models
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collections_app.models import Account, CaseEvent, Debtor
from compliance.models import Decision
from tests.factories import AccountFactory, DebtorFactory, PhoneFactory

pytestmark = pytest.mark.django_db


def test_every_api_change_is_audited_with_who_made_it(api, collector, acme):
    response = api.post("/api/v1/debtors/", {"client": acme.id, "name": "Jane Doe", "date_of_birth": "1980-04-02"},
                        format="json")
    debtor = Debtor.objects.get(id=response.json()["id"])
    history = list(debtor.history.select_related("pgh_context"))
    assert [h.pgh_label for h in history][:1] == ["insert"]
    assert history[-1].pgh_context.metadata["user"] == collector.id


def test_the_compliance_check_changes_nothing_tracked_and_runs_outside_the_history_context(api, acme):
    """``settings.HISTORY_UNTRACKED_URLS``: what a check writes (its decision and the timeline
    event) is not tracked, so it runs without pghistory's ``set_config`` prefix on its statements."""
    debtor = DebtorFactory(client=acme, timezones=["America/Chicago"])
    PhoneFactory(debtor=debtor, number="+13125550101", kind="mobile")
    account = AccountFactory(debtor=debtor)
    events = [model for model in apps.get_models() if issubclass(model, pghistory.models.Event)]
    assert events  # the tracked models' event tables
    before = {model: model.objects.count() for model in events}
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/v1/compliance/check/", {"account": account.id, "channel": "call",
                                                          "at": "2026-04-08T10:00:00-05:00"}, format="json")
    assert response.status_code == 200
    assert Decision.objects.filter(id=response.json()["decision"], account=account).exists()
    assert CaseEvent.objects.filter(debtor=debtor, type="compliance_decision").count() == 1
    assert {model: model.objects.count() for model in events} == before
    assert queries.captured_queries and not any("pghistory" in q["sql"] for q in queries.captured_queries)


def test_sensitive_fields_are_encrypted_at_rest(acme):
    from django.db import connection

    debtor = Debtor.objects.create(client=acme, name="Jane", date_of_birth=dt.date(1980, 4, 2), ssn="123-45-6789")
    with connection.cursor() as cursor:
        cursor.execute("select date_of_birth, ssn from collections_app_debtor where id = %s", [debtor.id])
        raw_dob, raw_ssn = cursor.fetchone()
    assert "1980" not in raw_dob and "6789" not in raw_ssn
    fresh = Debtor.objects.get(id=debtor.id)
    assert (fresh.date_of_birth, fresh.ssn) == (dt.date(1980, 4, 2), "123-45-6789")


def test_seed_demo_is_deterministic_for_a_seed(db):
    def snapshot():
        return (
            list(Account.objects.order_by("id").values_list("reference", "principal", "status", "governing_state")),
            list(Debtor.objects.order_by("id").values_list("name", "timezones")),
            CaseEvent.objects.count(),
        )

    call_command("seed_demo", accounts=150, seed=7, as_of=dt.date(2026, 6, 1), verbosity=0)
    first = snapshot()
    from django.db import connection

    with connection.cursor() as cursor:  # the timeline and the ledger are append-only; a test may truncate them
        cursor.execute("truncate collections_app_caseevent, collections_app_address, collections_app_phone, "
                       "collections_app_email, collections_app_account, collections_app_debtor cascade")
    call_command("seed_demo", accounts=150, seed=7, as_of=dt.date(2026, 6, 1), verbosity=0)
    second = snapshot()
    assert [r[1:] for r in first[0]] == [r[1:] for r in second[0]]
    assert first[1] == second[1] and first[2] == second[2]
    assert len(first[0]) == 150 and first[2] > 150 * 3
    assert {s for _, _, s, _ in first[0]} >= {"open", "paid", "in_plan"}
    assert len({tuple(z) for _, z in first[1]}) > 3  # debtors across several zones


def test_seed_demo_creates_the_demo_logins(db):
    from accounts.models import User

    call_command("seed_demo", accounts=10, seed=1, verbosity=0)
    for username in ("admin", "supervisor", "collector", "compliance", "globex"):
        assert User.objects.get(username=username).check_password("collect-demo")
