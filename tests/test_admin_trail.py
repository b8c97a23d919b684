"""Changes made in the administration are trail events of the object changed, with the
administrator as actor: people, their roles, their access end date, passwords they are
given, processes, the risk matrix, exchange rates and the organisation's settings."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from hoshin.context.models import Process
from hoshin.core import roles, trail
from hoshin.core.models import ExchangeRate, Organisation, TrailAction, TrailEvent, User
from hoshin.planning.models import RiskScale

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Quiet-lantern-47-orbit"


def events_of(obj: Any) -> list[TrailEvent]:
    return list(TrailEvent.objects.filter(stream=trail.stream_for(obj)).order_by("seq"))


def group_id(name: str) -> int:
    return Group.objects.get(name=name).pk


def person_form(user: User, **changes: Any) -> dict[str, Any]:
    """The admin's change form for ``user`` as posted unchanged, then ``changes``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "time_zone": user.time_zone,
        "department": "",
        "site": "",
        "groups": [g.pk for g in user.groups.all()],
        "is_active": "on" if user.is_active else "",
        "access_expires_on": user.access_expires_on or "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def test_a_person_added_in_the_administration_is_trailed_without_the_password(
    client: Client, quality: User
) -> None:
    client.force_login(quality)
    response = client.post(
        "/admin/core/user/add/",
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "groups": [group_id(roles.EMPLOYEE)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = User.objects.get(username="newcomer")
    [event] = events_of(person)
    assert event.action == TrailAction.CREATE
    assert event.actor == quality
    assert event.reference == "newcomer"
    assert event.changes["username"]["after"] == "newcomer"
    assert event.changes["groups"] == {"label": "groups", "before": None, "after": "employee"}
    assert event.changes["password"]["after"] == "set by administrator"
    assert event.changes["must_change_password"]["after"] is True
    recorded = json.dumps(event.changes) + event.message
    assert NEW_PASSWORD not in recorded
    assert person.password not in recorded
    assert person.must_change_password


def test_roles_and_access_end_changed_in_the_administration_show_before_and_after(
    client: Client, quality: User, employee: User
) -> None:
    client.force_login(quality)
    end = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        f"/admin/core/user/{employee.pk}/change/",
        person_form(
            employee,
            groups=[group_id(roles.EMPLOYEE), group_id(roles.INTERNAL_AUDITOR)],
            access_expires_on=end.isoformat(),
            job_title="Inspector",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    [event] = events_of(employee)
    assert event.action == TrailAction.CHANGE
    assert event.actor == quality
    assert event.changes["groups"]["before"] == "employee"
    assert event.changes["groups"]["after"] == "employee, internal_auditor"
    assert event.changes["access_expires_on"] == {
        "label": "access expires on",
        "before": None,
        "after": end.isoformat(),
    }
    assert event.changes["job_title"]["after"] == "Inspector"
    assert "password" not in event.changes
    assert "last_login" not in event.changes


def test_a_role_taken_away_is_trailed(client: Client, quality: User, auditor: User) -> None:
    client.force_login(quality)
    response = client.post(
        f"/admin/core/user/{auditor.pk}/change/", person_form(auditor, groups=[])
    )
    assert response.status_code == 302
    [event] = events_of(auditor)
    assert event.changes == {
        "groups": {"label": "groups", "before": "internal_auditor", "after": ""}
    }


def test_saving_without_a_change_writes_no_event(
    client: Client, quality: User, employee: User
) -> None:
    client.force_login(quality)
    response = client.post(f"/admin/core/user/{employee.pk}/change/", person_form(employee))
    assert response.status_code == 302
    assert events_of(employee) == []


def test_a_password_set_by_an_administrator_is_trailed_and_must_be_changed(
    client: Client, quality: User, employee: User
) -> None:
    client.force_login(quality)
    response = client.post(
        f"/admin/core/user/{employee.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    employee.refresh_from_db()
    assert employee.check_password(NEW_PASSWORD)
    assert employee.must_change_password
    [event] = events_of(employee)
    assert event.actor == quality
    assert event.message == "Password set by administrator"
    assert event.changes["password"]["after"] == "set by administrator"
    assert event.changes["must_change_password"] == {
        "label": "must change password",
        "before": False,
        "after": True,
    }
    recorded = json.dumps(event.changes)
    assert NEW_PASSWORD not in recorded and employee.password not in recorded


def test_an_external_auditor_needs_an_end_date_in_the_administration(
    client: Client, quality: User, employee: User
) -> None:
    client.force_login(quality)
    refused = client.post(
        f"/admin/core/user/{employee.pk}/change/",
        person_form(employee, groups=[group_id(roles.EXTERNAL_AUDITOR)]),
    )
    assert refused.status_code == 200
    assert "access needs an end date" in refused.content.decode()
    assert not employee.groups.filter(name=roles.EXTERNAL_AUDITOR).exists()
    added = client.post(
        "/admin/core/user/add/",
        {
            "username": "visitor",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "groups": [group_id(roles.EXTERNAL_AUDITOR)],
        },
    )
    assert added.status_code == 200
    assert not User.objects.filter(username="visitor").exists()
    assert events_of(employee) == []


def test_an_external_auditor_end_date_cannot_be_removed(extaudit: User) -> None:
    from django.core.exceptions import ValidationError

    extaudit.access_expires_on = None
    with pytest.raises(ValidationError) as refused:
        extaudit.full_clean()
    assert "access_expires_on" in refused.value.message_dict


def test_the_external_auditor_role_can_be_taken_away_with_its_end_date(
    client: Client, quality: User, extaudit: User
) -> None:
    client.force_login(quality)
    response = client.post(
        f"/admin/core/user/{extaudit.pk}/change/",
        person_form(extaudit, groups=[], access_expires_on=""),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    [event] = events_of(extaudit)
    assert event.changes["groups"]["before"] == "external_auditor"
    assert event.changes["access_expires_on"]["after"] is None


def test_a_process_changed_in_the_administration_is_trailed(
    client: Client, quality: User, process: Process, ceo: User
) -> None:
    client.force_login(quality)
    response = client.post(
        f"/admin/context/process/{process.pk}/change/",
        {"code": process.code, "name": "Machining and turning", "owner": ceo.pk, "active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    [event] = events_of(process)
    assert event.actor == quality
    assert event.changes["name"]["before"] == "Machining"
    assert event.changes["name"]["after"] == "Machining and turning"
    assert event.changes["owner"]["before"] == "Owner"
    assert event.changes["owner"]["after"] == "Ceo"
    assert [e.pk for e in trail.record_history(process)] == [event.pk]


def test_the_risk_matrix_exchange_rates_and_organisation_are_trailed(
    client: Client, quality: User
) -> None:
    client.force_login(quality)
    scale = RiskScale.current()
    response = client.post(
        f"/admin/planning/riskscale/{scale.pk}/change/",
        {
            "size": scale.size,
            "medium_from": 6,
            "high_from": scale.high_from,
            "critical_from": scale.critical_from,
            "likelihood_labels": json.dumps(scale.likelihood_labels),
            "impact_labels": json.dumps(scale.impact_labels),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert events_of(scale)[-1].changes["medium_from"] == {
        "label": "medium from rating",
        "before": 5,
        "after": 6,
    }

    response = client.post(
        "/admin/core/exchangerate/add/",
        {"currency": "USD", "rate": "0.92", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 302
    rate = ExchangeRate.objects.get(currency="USD")
    [created] = events_of(rate)
    assert created.action == TrailAction.CREATE
    assert created.changes["rate"]["after"] == "0.92"
    assert created.actor == quality

    org = Organisation.current()
    response = client.post(
        f"/admin/core/organisation/{org.pk}/change/", {"name": "Acme", "base_currency": "USD"}
    )
    assert response.status_code == 302
    [changed] = events_of(org)
    assert changed.changes["base_currency"] == {
        "label": "base currency",
        "before": "EUR",
        "after": "USD",
    }
    assert trail.verify()[1] is None


def test_someone_without_the_administration_changes_nothing_and_writes_nothing(
    client: Client, employee: User, owner: User
) -> None:
    client.force_login(employee)
    response = client.post(
        f"/admin/core/user/{owner.pk}/change/", person_form(owner, groups=[], is_active="")
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    owner.refresh_from_db()
    assert owner.is_active
    assert events_of(owner) == []
    response = client.post(
        f"/admin/core/user/{owner.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert not owner.check_password(NEW_PASSWORD)


def test_django_admin_log_is_not_offered_in_the_administration(
    client: Client, quality: User
) -> None:
    from django.contrib.admin.models import LogEntry

    from hoshin.core.admin import site

    assert LogEntry not in site._registry
    client.force_login(quality)
    assert client.get("/admin/admin/logentry/").status_code == 404
