"""Sign-in and credentials: failed sign-ins by unknown names are counted, not written one by
one; people change their own passwords, and must change one an administrator set; API
tokens expire, can be revoked and stop when the person's access ends."""

from __future__ import annotations

import datetime
import json
import random
import string
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hoshin.core import trail
from hoshin.core.models import TrailAction, TrailEvent, User
from hoshin.core.models.people import UnknownSignIns
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

API = "/api/nonconformities/"
NEW_PASSWORD = "Quiet-lantern-47-orbit"


def fail_sign_in(username: str, address: str = "203.0.113.9") -> None:
    request = RequestFactory().post("/login/", REMOTE_ADDR=address)
    assert authenticate(request, username=username, password="wrong-password") is None


def events_of(user: User) -> list[TrailEvent]:
    return list(TrailEvent.objects.filter(stream=trail.stream_for(user)).order_by("seq"))


# --- failed sign-ins -------------------------------------------------------------------------
def test_a_thousand_unknown_names_from_one_address_make_a_bounded_number_of_rows() -> None:
    rng = random.Random(9)
    names = ["".join(rng.choices(string.ascii_lowercase, k=12)) for _ in range(1000)]
    events_before = TrailEvent.objects.count()
    for name in names:
        fail_sign_in(name)
    [tally] = UnknownSignIns.objects.all()
    assert tally.source == "203.0.113.9"
    assert tally.attempts == 1000
    assert tally.names == names[: UnknownSignIns.SAMPLE_SIZE]
    assert tally.first_at <= tally.last_at
    # The trail holds the tally at the 1st, 10th, 100th and 1000th attempt: four events.
    written = TrailEvent.objects.order_by("id")[events_before:]
    assert [e.changes["attempts"] for e in written] == [1, 10, 100, 1000]
    assert {e.stream for e in written} == {"auth-unknown:203.0.113.9"}
    assert all(e.action == TrailAction.LOGIN_FAILED for e in written)
    assert written[3].changes["names"] == names[: UnknownSignIns.SAMPLE_SIZE]
    assert not TrailEvent.objects.filter(stream__startswith="auth:").exists()
    assert trail.verify()[1] is None


def test_unknown_names_are_counted_per_address_and_ipv6_network() -> None:
    fail_sign_in("nobody", "198.51.100.1")
    fail_sign_in("nobody", "198.51.100.2")
    fail_sign_in("ghost", "2001:db8:1:2::5")
    fail_sign_in("ghost", "2001:db8:1:2:ffff::9")  # same /64: one machine can hold it all
    tallies = {t.source: t.attempts for t in UnknownSignIns.objects.all()}
    assert tallies == {"198.51.100.1": 1, "198.51.100.2": 1, "2001:db8:1:2::/64": 2}


def test_failures_of_a_known_person_stay_individual_events(owner: User) -> None:
    for _ in range(3):
        fail_sign_in("owner")
    failed = TrailEvent.objects.filter(stream="auth:owner", action=TrailAction.LOGIN_FAILED)
    assert failed.count() == 3
    assert failed.first().changes == {"address": "203.0.113.9"}
    assert not UnknownSignIns.objects.exists()


def test_the_sign_in_page_counts_an_unknown_name(client: Client) -> None:
    response = client.post("/login/", {"username": "mallory", "password": "x"})
    assert response.status_code == 200
    tally = UnknownSignIns.objects.get()
    assert (tally.attempts, tally.names) == (1, ["mallory"])


# --- changing one's own password ----------------------------------------------------------------
def test_the_settings_page_links_to_the_password_page(client: Client, employee: User) -> None:
    client.force_login(employee)
    assert 'href="/me/password/"' in client.get("/me/").content.decode()


def test_a_person_changes_their_password_and_stays_signed_in(
    client: Client, employee: User
) -> None:
    client.force_login(employee)
    response = client.post(
        "/me/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password(NEW_PASSWORD)
    assert client.get("/me/").status_code == 200  # the session survived the change
    [event] = events_of(employee)
    assert event.actor == employee
    assert event.changes == {"password": {"label": "password", "before": None, "after": "changed"}}
    assert NEW_PASSWORD not in json.dumps(event.changes)
    assert employee.password not in json.dumps(event.changes)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("not-my-password", NEW_PASSWORD, "old_password"),
        (PASSWORD, "12345678", "new_password2"),  # numeric, common: Django's validators
        (PASSWORD, "short", "new_password2"),
    ],
)
def test_a_wrong_old_password_or_a_weak_new_one_is_refused(
    client: Client, employee: User, old: str, new: str, field: str
) -> None:
    client.force_login(employee)
    response = client.post(
        "/me/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    employee.refresh_from_db()
    assert employee.check_password(PASSWORD)
    assert events_of(employee) == []


def test_the_password_page_needs_a_sign_in(client: Client) -> None:
    response = client.get("/me/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --- a password set by an administrator ------------------------------------------------------------
@pytest.fixture
def told(employee: User) -> User:
    """Someone whose password an administrator has just set."""
    employee.must_change_password = True
    employee.save()
    return employee


def test_a_password_set_by_an_administrator_must_be_changed_before_anything_else(
    client: Client, told: User
) -> None:
    response = client.post("/login/", {"username": "employee", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/", follow=False)
    assert page.status_code == 302
    assert page["Location"].startswith("/me/password/?next=/")
    assert client.get("/nonconformities/")["Location"].startswith("/me/password/")
    api = client.get(API)
    assert api.status_code == 403
    assert "Change your password" in api.json()["detail"]
    assert "An administrator set your password" in client.get("/me/password/").content.decode()

    response = client.post(
        "/me/password/?next=/nonconformities/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/nonconformities/"
    told.refresh_from_db()
    assert not told.must_change_password
    assert client.get("/nonconformities/").status_code == 200
    [event] = events_of(told)
    assert event.changes["must_change_password"] == {
        "label": "must change password",
        "before": True,
        "after": False,
    }


def test_the_password_page_does_not_send_anyone_elsewhere(client: Client, employee: User) -> None:
    client.force_login(employee)
    response = client.post(
        "/me/password/?next=https://evil.example/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response["Location"] == "/me/"


def test_no_api_token_while_a_password_set_by_an_administrator_is_unchanged(told: User) -> None:
    response = APIClient().post(
        "/api/auth/token/", {"username": "employee", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 403
    assert "password was set by an administrator" in response.json()["detail"]
    assert not Token.objects.filter(user=told).exists()


def test_an_existing_token_stops_while_the_password_must_be_changed(employee: User) -> None:
    token = Token.objects.create(user=employee)
    employee.must_change_password = True
    employee.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(API)
    assert response.status_code == 401
    assert "password was set by an administrator" in response.json()["detail"]


# --- API tokens ------------------------------------------------------------------------------------
def get_token(username: str) -> Any:
    return APIClient().post(
        "/api/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def age(token_key: str, days: int) -> None:
    created = timezone.now() - datetime.timedelta(days=days)
    Token.objects.filter(key=token_key).update(created=created)


def test_a_token_expires_after_the_configured_days(settings: Any, owner: User) -> None:
    settings.HOSHIN_TOKEN_TTL_DAYS = 30
    key = get_token("owner").json()["token"]
    age(key, 29)
    assert with_token(key).get(API).status_code == 200
    age(key, 30)
    refused = with_token(key).get(API)
    assert refused.status_code == 401
    assert "expired" in refused.json()["detail"]
    # Asking again gives a new token; the expired one stays refused.
    fresh = get_token("owner").json()["token"]
    assert fresh != key
    assert with_token(fresh).get(API).status_code == 200
    assert with_token(key).get(API).status_code == 401
    issued, expired, reissued = (e.message for e in events_of(owner))
    assert issued.startswith("API token issued")
    assert expired == "API token expired"
    assert reissued.startswith("API token issued")


def test_the_default_lifetime_is_ninety_days(owner: User) -> None:
    key = get_token("owner").json()["token"]
    age(key, 89)
    assert with_token(key).get(API).status_code == 200
    age(key, 90)
    assert with_token(key).get(API).status_code == 401


def test_a_person_sees_and_revokes_their_token(client: Client, owner: User) -> None:
    key = get_token("owner").json()["token"]
    client.force_login(owner)
    page = client.get("/me/").content.decode()
    expires = (timezone.now() + datetime.timedelta(days=90)).date().isoformat()
    assert f"expires {expires}" in page
    assert key not in page  # the secret itself is never shown again
    assert client.get("/me/token/revoke/").status_code == 405
    assert client.post("/me/token/revoke/").status_code == 302
    assert with_token(key).get(API).status_code == 401
    assert "You have no API token" in client.get("/me/").content.decode()
    revoked = events_of(owner)[-1]
    assert (revoked.message, revoked.actor) == ("API token revoked", owner)


def test_an_administrator_revokes_anyones_token(client: Client, quality: User, owner: User) -> None:
    key = get_token("owner").json()["token"]
    client.force_login(quality)
    response = client.post(
        "/admin/core/user/", {"action": "revoke_tokens", "_selected_action": [owner.pk]}
    )
    assert response.status_code == 302
    assert with_token(key).get(API).status_code == 401
    revoked = events_of(owner)[-1]
    assert (revoked.message, revoked.actor) == ("API token revoked", quality)


def test_someone_else_cannot_revoke_a_token_in_the_administration(
    client: Client, employee: User, owner: User
) -> None:
    key = get_token("owner").json()["token"]
    client.force_login(employee)
    response = client.post(
        "/admin/core/user/", {"action": "revoke_tokens", "_selected_action": [owner.pk]}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert with_token(key).get(API).status_code == 200


def test_a_token_is_refused_once_access_ends(owner: User, extaudit: User) -> None:
    owner_key = get_token("owner").json()["token"]
    auditor_key = get_token("extaudit").json()["token"]
    assert with_token(auditor_key).get(API).status_code == 200
    extaudit.access_expires_on = timezone.localdate() - datetime.timedelta(days=1)
    extaudit.save()
    refused = with_token(auditor_key).get(API)
    assert refused.status_code == 401
    assert "access to Hoshin has ended" in refused.json()["detail"]
    assert get_token("extaudit").status_code == 400  # no new one either
    owner.is_active = False
    owner.save()
    assert with_token(owner_key).get(API).status_code == 401
