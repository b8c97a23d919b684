"""Any employee raises a nonconformity in under a minute; the right people hear of it."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hoshin.improvement.models import Nonconformity

pytestmark = pytest.mark.django_db


def form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Label on box 44 shows the wrong part number",
        "description": "Box 44 of lot L-981 labelled H-220 but holds H-221.",
        "source": "employee_report",
        "severity": "minor",
        "detected_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def test_an_employee_raises_one_and_the_process_owner_owns_it(client, employee, process, quality):
    client.force_login(employee)
    response = client.post(reverse("nonconformities_create"), form(process=process.pk))
    nc = Nonconformity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("nonconformities_detail", args=[nc.pk])
    assert nc.owner == process.owner
    assert nc.detected_by == employee
    assert nc.created_by == employee
    assert nc.status == "reported"
    assert nc.due_date == nc.detected_on + datetime.timedelta(days=60)


def test_the_owner_and_the_quality_managers_are_emailed(
    client, employee, process, quality, django_capture_on_commit_callbacks
):
    client.force_login(employee)
    # The mail is queued when the record's transaction commits: the test's never does.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("nonconformities_create"), form(process=process.pk, severity="critical")
        )
    nc = Nonconformity.objects.get()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["owner@example.com", "quality@example.com"]
    assert nc.reference in mail.outbox[0].subject
    assert f"/nonconformities/{nc.pk}/" in mail.outbox[0].body


def test_without_a_process_a_quality_manager_owns_it(client, employee, quality):
    client.force_login(employee)
    client.post(reverse("nonconformities_create"), form())
    assert Nonconformity.objects.get().owner == quality


def test_missing_fields_are_named_and_nothing_is_saved(client, employee):
    client.force_login(employee)
    response = client.post(reverse("nonconformities_create"), form(title="", source="nonsense"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors
    assert "source" in errors
    assert not Nonconformity.objects.exists()
    assert response.context["form"]["description"].value().startswith("Box 44")


def test_a_detection_date_in_the_future_is_refused(client, employee):
    client.force_login(employee)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("nonconformities_create"), form(detected_on=tomorrow))
    assert response.status_code == 400
    assert "future" in str(response.context["form"].errors["detected_on"])


def test_an_external_auditor_cannot_raise_one(client, extaudit):
    client.force_login(extaudit)
    assert client.get(reverse("nonconformities_create")).status_code == 403
    assert client.post(reverse("nonconformities_create"), form()).status_code == 403
    assert not Nonconformity.objects.exists()


def test_edit_form_refuses_more_nonconforming_than_checked(client, nc, owner):
    client.force_login(owner)
    data = {
        "title": nc.title,
        "description": nc.description,
        "source": nc.source,
        "severity": nc.severity,
        "owner": owner.pk,
        "detected_on": nc.detected_on.isoformat(),
        "quantity_checked": 10,
        "quantity_nonconforming": 11,
        "version": nc.version,
    }
    response = client.post(reverse("nonconformities_edit", args=[nc.pk]), data)
    assert response.status_code == 400
    assert "quantity_nonconforming" in response.context["form"].errors
    nc.refresh_from_db()
    assert nc.quantity_checked is None


def test_a_title_with_a_line_break_is_still_notified(
    employee, process, quality, django_capture_on_commit_callbacks
):
    """Found by the API fuzz test: a line break in the title went into the mail subject,
    which Django refuses, so nobody heard of the nonconformity (a 500 before the queue)."""
    client = APIClient()
    client.force_authenticate(employee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/nonconformities/",
            form(title="Label on box 44\r\nshows the wrong part number", process=process.pk),
            format="json",
        )
    assert response.status_code == 201, response.content
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["owner@example.com", "quality@example.com"]
    assert "\n" not in mail.outbox[0].subject and "\r" not in mail.outbox[0].subject
