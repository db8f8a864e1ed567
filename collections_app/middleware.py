"""pghistory's request context, left out where a request changes no tracked model."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from pghistory.middleware import HistoryMiddleware as TrackingMiddleware


class HistoryMiddleware(TrackingMiddleware):
    """``pghistory.middleware.HistoryMiddleware`` (who and which URL, attached to every tracked
    change) except for the URL names in ``settings.HISTORY_UNTRACKED_URLS``.

    Inside the context, pghistory prefixes every statement that is not a plain ``select`` with two
    ``set_config`` calls; an endpoint whose writes are all untracked (the compliance check: a
    decision and its timeline event) pays for that on its hot path and gains nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)
        self._untracked: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._untracked is None:  # URLs resolve once the URLconf is loaded, i.e. at the first request
            self._untracked = frozenset(reverse(name) for name in settings.HISTORY_UNTRACKED_URLS)
        if request.path in self._untracked:
            return self.get_response(request)
        response: HttpResponse = super().__call__(request)
        return response
