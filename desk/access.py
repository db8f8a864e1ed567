"""Who may use the desk: signed-in staff (not portal debtors), past their second factor when required."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from accounts.constants import STAFF_ROLES, WRITE_ROLES
from accounts.models import User
from accounts.services import mfa_required_for
from collections_app.selectors import pin_client_ids

View = Callable[..., HttpResponse]


class DeskRequest(HttpRequest):
    """What a desk view receives: a signed-in staff user (checked by ``desk_view``) and htmx details."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


def desk_view(*, write: bool = False, supervisor: bool = False) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not isinstance(user, User):
                return redirect_to_login(request.get_full_path())
            if mfa_required_for(user) and not user.is_verified():  # type: ignore[attr-defined]  # django-otp adds it
                logout(request)  # MFA became required after they signed in: sign in again, with a code
                return redirect_to_login(request.get_full_path())
            if not (user.is_superuser or user.role in STAFF_ROLES):
                raise PermissionDenied("The desk is for staff.")
            if write and not user.has_role(*WRITE_ROLES):
                raise PermissionDenied("Your role may read accounts but not change them.")
            if supervisor and not user.is_supervisor:
                raise PermissionDenied("Supervisors only.")
            pin_client_ids(user)  # request.user is loaded for this request alone
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
