"""API token authentication: DRF's answers (valid, unknown, inactive), in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import api_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/clients/"


def test_a_valid_token_signs_in_its_user_with_one_query(collector, acme):
    client = api_for(collector)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200, response.content
    assert [c["name"] for c in response.json()["results"]] == ["Acme Bank"]
    token_queries = [q for q in queries.captured_queries if "authtoken_token" in q["sql"]]
    assert len(token_queries) == 1
    assert "accounts_user" in token_queries[0]["sql"]


def test_an_unknown_token_is_refused():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get(URL)
    assert response.status_code == 401
    assert "Invalid token" in response.content.decode()


def test_an_inactive_users_token_is_refused(collector):
    client = api_for(collector)
    collector.is_active = False
    collector.save(update_fields=["is_active"])
    response = client.get(URL)
    assert response.status_code == 401
    assert "inactive" in response.content.decode()


def test_the_request_carries_the_user_and_the_token(collector):
    from accounts.authentication import TokenAuthentication

    key = Token.objects.get_or_create(user=collector)[0].key
    user, token = TokenAuthentication().authenticate_credentials(key)
    assert (user.pk, user.username, user.role, token.key, token.user_id) == (
        collector.pk, "alice", collector.role, key, collector.pk)
    assert token.user is user and user.is_authenticated
