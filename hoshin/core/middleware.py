from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

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
