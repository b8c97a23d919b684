"""Bench-only URLconf: the application's URLs plus two views to compare against: a bare
one (no template, nobody signed in, as the issue defines it) and the empty layout every
page of a signed-in person pays for (session, person and roles, the navigation, the inbox
bell)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@login_required
def layout(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [
    path("bare/", bare, name="bench_bare"),
    path("layout/", layout, name="bench_layout"),
    path("", include("hoshin.urls")),
]
