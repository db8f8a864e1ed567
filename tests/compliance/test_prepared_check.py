"""The check's hot statements are prepared once per database session and still go through
Django's cursor (counted, logged), across a reconnect too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import Decision
from compliance.prepared import PreparedStatement
from tests.factories import AccountFactory, AddressFactory, DebtorFactory, PhoneFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def account(acme):
    debtor = DebtorFactory(client=acme, timezones=["America/Chicago"])
    AddressFactory(debtor=debtor)
    PhoneFactory(debtor=debtor, number="+12125550101", kind="mobile")
    return AccountFactory(debtor=debtor)


def _check(api, account):
    body = {"account": account.id, "channel": "call", "at": "2026-04-08T10:00:00-05:00"}
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/v1/compliance/check/", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json(), [q["sql"] for q in queries.captured_queries]


def _prepared_names():
    with connection.cursor() as cur:
        cur.execute("select name from pg_prepared_statements where name like 'compliance_%%'")
        return {row[0] for row in cur.fetchall()}


def test_prepared_once_per_session_and_again_after_a_reconnect(api, account):
    connection.close()
    first, sqls = _check(api, account)
    assert sum(s.lstrip().startswith("prepare") or " prepare " in s for s in sqls) == 2
    assert _prepared_names() == {"compliance_account_bundle", "compliance_decision_record"}
    second, sqls = _check(api, account)
    assert not any("prepare " in s for s in sqls)
    assert sum("execute compliance_" in s for s in sqls) == 2
    connection.close()
    third, _ = _check(api, account)
    assert _prepared_names() == {"compliance_account_bundle", "compliance_decision_record"}
    assert first["allowed"] is second["allowed"] is third["allowed"] is True
    records = list(Decision.objects.order_by("id"))
    assert [r.id for r in records] == [first["decision"], second["decision"], third["decision"]]
    assert records[0].snapshot == records[2].snapshot


def test_named_placeholders_become_numbered_parameters():
    statement = PreparedStatement("t_example", "select %(a)s::int + %(b)s::int, %(a)s::int, '50%%'")
    assert statement.prepare_sql == "prepare t_example as select $1::int + $2::int, $1::int, '50%'"
    assert statement.params == ("a", "b")
    assert statement.execute_sql == "execute t_example (%s, %s)"
