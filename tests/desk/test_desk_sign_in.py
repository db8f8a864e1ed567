"""Staff sign-in: password, lockout after repeated failures, TOTP when a user or role needs it."""

import pytest
from django.test import Client as HttpClient
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.constants import Role
from accounts.models import RoleSecurityPolicy

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_collector_signs_in_and_lands_on_the_desk(collector):
    client = HttpClient()
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == "/desk/"


def test_home_sends_supervisors_to_the_desk_and_strangers_to_sign_in(supervisor):
    assert HttpClient().get("/desk/")["Location"].startswith("/login/?next=/desk/")
    client = HttpClient()
    client.force_login(supervisor)
    assert client.get("/")["Location"] == "/desk/"


def test_a_wrong_password_is_refused_with_a_message(collector):
    response = HttpClient().post("/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_account_locks_after_five_failures_even_with_the_right_password(collector, settings):
    settings.AXES_ENABLED = True
    client = HttpClient()
    for _ in range(5):
        client.post("/login/", {"username": "alice", "password": "nope"})
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert "_auth_user_id" not in client.session


def test_the_next_parameter_is_followed_only_on_this_site(collector):
    client = HttpClient()
    response = client.post("/login/", {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"
    client = HttpClient()
    response = client.post("/login/", {"username": "alice", "password": PASSWORD, "next": "/desk/team/"})
    assert response["Location"] == "/desk/team/"


def test_a_role_that_requires_mfa_enrols_an_app_then_signs_in_with_a_code(supervisor):
    RoleSecurityPolicy.objects.create(role=Role.SUPERVISOR, mfa_required=True)
    client = HttpClient()
    response = client.post("/login/", {"username": "sam", "password": PASSWORD})
    assert response["Location"] == "/login/verify/"
    assert "_auth_user_id" not in client.session  # not signed in until the code checks out
    assert client.get("/desk/")["Location"].startswith("/login/")
    page = client.get("/login/verify/")
    assert b"Set up your authenticator app" in page.content and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    response = client.post("/login/verify/", {"token": code_for(device)})
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/desk/").status_code == 200


def test_a_wrong_code_is_refused_and_five_send_you_back_to_sign_in(collector):
    collector.mfa_required = True
    collector.save()
    TOTPDevice.objects.create(user=collector, name="app", confirmed=True)
    client = HttpClient()
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    response = client.post("/login/verify/", {"token": "000000"})
    assert response.status_code == 200 and b"That code is not right" in response.content
    for _ in range(4):
        response = client.post("/login/verify/", {"token": "000000"})
    assert response["Location"] == "/login/"
    assert client.get("/login/verify/")["Location"] == "/login/"


def test_mfa_is_optional_for_others_but_asked_once_they_enrolled(collector):
    device = TOTPDevice.objects.create(user=collector, name="app", confirmed=True)
    client = HttpClient()
    assert client.post("/login/", {"username": "alice", "password": PASSWORD})["Location"] == "/login/verify/"
    assert client.post("/login/verify/", {"token": code_for(device)})["Location"] == "/"
    assert client.get("/desk/").status_code == 200


def test_a_session_without_a_second_factor_is_ended_when_mfa_becomes_required(collector):
    client = HttpClient()
    client.force_login(collector)
    RoleSecurityPolicy.objects.create(role=Role.COLLECTOR, mfa_required=True)
    assert client.get("/desk/")["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_session(collector):
    client = HttpClient()
    client.force_login(collector)
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/desk/").status_code == 302
