"""The client's address behind a reverse proxy: for login throttling, token throttling and
the trail. By default no header is believed; configured, only the trusted proxies' entry."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from hoshin.core.addresses import client_address
from hoshin.core.models import TrailAction, TrailEvent, User
from tests.conftest import PASSWORD

PROXY = "127.0.0.1"


def request_from(remote: str = PROXY, **headers: str) -> Any:
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def sign_in(client: Client, password: str, forwarded: str) -> Any:
    return client.post(
        reverse("login"),
        {"username": "owner", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def failed_addresses() -> list[str]:
    events = TrailEvent.objects.filter(action=TrailAction.LOGIN_FAILED).order_by("seq")
    return [event.changes["address"] for event in events]


def test_by_default_only_the_connection_counts(settings: Any) -> None:
    assert settings.HOSHIN_TRUSTED_PROXY_HEADER == ""
    request = request_from("203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_address(request) == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "count", "client"),
    [
        ("198.51.100.7", 1, "198.51.100.7"),
        ("6.6.6.6, 198.51.100.7", 1, "198.51.100.7"),  # the client's own claim is left of it
        ("6.6.6.6, 198.51.100.7, 10.0.0.2", 2, "198.51.100.7"),
        ("2001:db8::5", 1, "2001:db8::5"),
        ("198.51.100.7", 2, PROXY),  # it did not pass both proxies
        ("not-an-address", 1, PROXY),
        ("", 1, PROXY),
    ],
)
def test_a_configured_header_gives_the_entry_the_trusted_proxies_wrote(
    settings: Any, forwarded: str, count: int, client: str
) -> None:
    settings.HOSHIN_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.HOSHIN_TRUSTED_PROXY_COUNT = count
    assert client_address(request_from(HTTP_X_FORWARDED_FOR=forwarded)) == client


def test_another_header_can_be_named(settings: Any) -> None:
    settings.HOSHIN_TRUSTED_PROXY_HEADER = "X-Real-IP"
    request = request_from(HTTP_X_REAL_IP="198.51.100.8", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(request) == "198.51.100.8"


@pytest.mark.django_db
def test_by_default_a_forged_header_neither_reaches_the_trail_nor_escapes_the_lockout(
    settings: Any, owner: User
) -> None:
    """GIVEN no trusted proxy configured
    WHEN someone fails to sign in five times, each time claiming another address
    THEN the trail names the connection's address and the right password is refused."""
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", f"198.51.100.{attempt}")
    assert failed_addresses() == [PROXY] * settings.AXES_FAILURE_LIMIT
    assert sign_in(client, PASSWORD, "198.51.100.99").status_code == 429


@pytest.mark.django_db
def test_behind_a_configured_proxy_each_client_is_throttled_and_trailed_apart(
    settings: Any, owner: User
) -> None:
    """GIVEN nginx in front, setting X-Forwarded-For
    WHEN one client fails five times
    THEN the trail names that client, it is locked out, and another client is not."""
    settings.HOSHIN_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    attacker, colleague = Client(), Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "wrong", "6.6.6.6, 198.51.100.66")
    assert failed_addresses() == ["198.51.100.66"] * settings.AXES_FAILURE_LIMIT
    assert sign_in(attacker, PASSWORD, "198.51.100.66").status_code == 429
    assert sign_in(colleague, PASSWORD, "198.51.100.20").status_code == 302
    login = TrailEvent.objects.filter(action=TrailAction.LOGIN).get()
    assert login.changes["address"] == "198.51.100.20"


@pytest.mark.django_db
def test_the_token_endpoint_throttles_by_the_same_address(settings: Any, owner: User) -> None:
    """DRF alone would take any X-Forwarded-For as the client: a forger could try forever."""
    cache.clear()
    client = APIClient()
    answers = [
        client.post(
            "/api/auth/token/",
            {"username": "owner", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        ).status_code
        for attempt in range(12)
    ]
    assert answers[:10] == [400] * 10 and answers[10:] == [429, 429]
    cache.clear()
