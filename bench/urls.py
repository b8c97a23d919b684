"""Bench-only URLconf: the application's URLs plus a bare view to compare against."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("bare/", bare, name="bench_bare"),
    path("", include("hoshin.urls")),
]
