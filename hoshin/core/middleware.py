from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.core.actor import acting_as


class AccessExpiryMiddleware:
    """Signs out people whose time-boxed access (external auditors) has ended,
    and attributes every trail event written during the request to the signed-in person."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and getattr(user, "access_expired", False):
            logout(request)
            user = request.user
        with acting_as(user if user.is_authenticated else None, label="anonymous"):
            return self.get_response(request)


class PasswordChangeMiddleware:
    """Someone whose password an administrator set sees only the page to change it (and
    may sign out) until they have: only they should know their password."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and getattr(user, "must_change_password", False)):
            return self.get_response(request)
        change = reverse("my_password")
        if request.path in (change, reverse("logout")) or request.path.startswith(
            settings.STATIC_URL
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("Change your password (on the web) before you use the API.")
            return JsonResponse({"detail": message}, status=403)
        return redirect_to_login(request.get_full_path(), change)


class TimeZoneMiddleware:
    """Shows times in the signed-in person's zone (the organisation's for everyone else).

    Only the request is affected: the zone is put back once the response is made.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
