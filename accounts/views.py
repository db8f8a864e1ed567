"""Staff sign-in: password (with django-axes lockout), then a TOTP code when the user or role needs one.

A user who needs a second factor is not logged in after the password step: their id waits in the
session until the code checks out, so no page, admin or API session sees a half-signed-in user.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from accounts.forms import StaffLoginForm, TotpForm
from accounts.models import User
from accounts.services import (
    mfa_required_for,
    totp_device_confirmed,
    totp_enrolment_start,
    totp_qr_svg,
    totp_secret,
    totp_verify,
)

PENDING = "mfa_pending"
MAX_TOKEN_FAILURES = 5


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = StaffLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if mfa_required_for(user) or totp_device_confirmed(user):
            request.session[PENDING] = {
                "user": user.pk, "backend": user.backend, "next": next_url, "failures": 0,  # type: ignore[attr-defined]
            }
            return redirect("accounts:mfa")
        auth_login(request, user)
        return redirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def mfa_view(request: HttpRequest) -> HttpResponse:
    """Second step: verify a TOTP code, or enrol an authenticator app first when none is set up."""
    pending: dict[str, Any] | None = request.session.get(PENDING)
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if pending else None
    if pending is None or user is None:
        return redirect("accounts:login")
    device = totp_device_confirmed(user)
    enrolling = device is None
    if device is None:
        device = totp_enrolment_start(user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_verify(device, form.cleaned_data["token"]):
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
        pending["failures"] += 1
        if pending["failures"] >= MAX_TOKEN_FAILURES:
            del request.session[PENDING]
            messages.error(request, "Too many wrong codes. Sign in again.")
            return redirect("accounts:login")
        request.session[PENDING] = pending
        form.add_error("token", "That code is not right. Check your app's clock and try the current code.")
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context.update(qr_svg=totp_qr_svg(device), secret=totp_secret(device))
    return render(request, "accounts/mfa.html", context)
