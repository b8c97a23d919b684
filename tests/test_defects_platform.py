"""Defects found by the review of issue 8 (1 to 5): each test failed before its fix."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from hoshin.context.models import Process
from hoshin.core import trail
from hoshin.core.actor import acting_as
from hoshin.core.models import TrailEvent, User
from hoshin.planning.models import ChangePlan


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 1. an edit is one transaction: the record, its many-to-many fields and their trail -------
class M2mTrailFailed(Exception):
    """Raised in place of writing the trail event of a many-to-many change."""


@pytest.fixture
def m2m_trail_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing the trail event of a change to ``processes`` fails; every other event is written."""
    append = trail.append

    def failing(*args: Any, **kwargs: Any) -> Any:
        if "processes" in (kwargs.get("changes") or {}):
            raise M2mTrailFailed
        return append(*args, **kwargs)

    monkeypatch.setattr(trail, "append", failing)


@pytest.fixture
def plan(quality: User, process: Process) -> ChangePlan:
    with acting_as(quality):
        plan = ChangePlan(title="New ERP", purpose="Retire the old one.", owner=quality)
        plan.save()
    return plan


def assert_untouched(plan: ChangePlan) -> None:
    saved = ChangePlan.objects.get(pk=plan.pk)
    assert saved.title == "New ERP"
    assert saved.version == plan.version
    assert not saved.processes.exists()
    assert not TrailEvent.objects.filter(reference=plan.reference, action="change").exists()


@pytest.mark.django_db
def test_an_edit_in_the_form_is_undone_whole_when_its_many_to_many_trail_fails(
    plan: ChangePlan, process: Process, quality: User, m2m_trail_fails: None
) -> None:
    body = {
        "title": "New ERP system",
        "purpose": plan.purpose,
        "owner": quality.pk,
        "processes": [process.pk],
        "version": plan.version,
        "reason": "Scope known",
    }
    with pytest.raises(M2mTrailFailed):
        signed_in(quality).post(reverse("changes_edit", args=[plan.pk]), body)
    assert_untouched(plan)


@pytest.mark.django_db
def test_an_edit_through_the_api_is_undone_whole_when_its_many_to_many_trail_fails(
    plan: ChangePlan, process: Process, quality: User, m2m_trail_fails: None
) -> None:
    client = APIClient()
    client.force_authenticate(quality)
    body = {"title": "New ERP system", "processes": [process.pk], "version": plan.version}
    with pytest.raises(M2mTrailFailed):
        client.patch(f"/api/changes/{plan.pk}/", body, format="json")
    assert_untouched(plan)


@pytest.mark.django_db
def test_an_edit_with_many_to_many_fields_still_saves_all_of_it(
    plan: ChangePlan, process: Process, quality: User
) -> None:
    client = APIClient()
    client.force_authenticate(quality)
    body = {"title": "New ERP system", "processes": [process.pk], "version": plan.version}
    response = client.patch(f"/api/changes/{plan.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    saved = ChangePlan.objects.get(pk=plan.pk)
    assert saved.title == "New ERP system" and list(saved.processes.all()) == [process]
    events = TrailEvent.objects.filter(reference=plan.reference, action="change")
    assert {name for e in events for name in e.changes} >= {"title", "processes"}
