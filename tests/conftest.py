"""Shared fixtures: factories and a few named personas (healthchecks' hc/test.py style)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.constants import Role
from tests.factories import ClientFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_lockouts(settings):
    settings.AXES_ENABLED = False


@pytest.fixture
def acme(db):
    return ClientFactory(name="Acme Bank")


@pytest.fixture
def globex(db):
    return ClientFactory(name="Globex Retail")


@pytest.fixture
def collector(acme):
    user = UserFactory(username="alice", role=Role.COLLECTOR)
    acme.members.add(user)
    return user


@pytest.fixture
def other_collector(globex):
    """Works Globex accounts only and must never see Acme's."""
    user = UserFactory(username="bob", role=Role.COLLECTOR)
    globex.members.add(user)
    return user


@pytest.fixture
def supervisor(acme):
    user = UserFactory(username="sam", role=Role.SUPERVISOR)
    acme.members.add(user)
    return user


@pytest.fixture
def compliance_officer(acme):
    user = UserFactory(username="carla", role=Role.COMPLIANCE)
    acme.members.add(user)
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", role=Role.ADMIN, is_superuser=True, is_staff=True)


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def api(collector):
    return api_for(collector)


@pytest.fixture
def other_api(other_collector):
    return api_for(other_collector)


@pytest.fixture
def admin_api(admin_user):
    return api_for(admin_user)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories hash real passwords; the default PBKDF2 costs ~0.3 s per user (more under load).
    Tests of the hashing itself are Django's, not ours."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
