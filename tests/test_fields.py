"""One field list per register: the form, its widgets, the API's fields and the columns are
derived from the registration, and a rule lives once, in the model."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hoshin.context.models import Process
from hoshin.core.models import User
from hoshin.core.registry import field_names, model_fields, registry
from hoshin.improvement.models import Nonconformity
from hoshin.planning.models import ChangePlan

RECORD_FIELDS = {
    "id",
    "reference",
    "title",
    "status",
    "status_label",
    "owner",
    "site",
    "due_date",
    "created_at",
    "updated_at",
    "version",
    "available_transitions",
}

# The API's fields as they were when each register wrote its serializer by hand: the
# derivation must keep every one of them, and add none.
API_FIELDS = {
    "nonconformities": {
        "description", "source", "severity", "process", "product_ref", "lot_ref",
        "quantity_checked", "quantity_nonconforming", "disposition",
        "disposition_authorised_by", "detected_by", "detected_on", "containment_action",
        "containment_by", "containment_on", "correction", "whys", "fishbone", "cause_category",
        "root_cause", "verification_method", "verification_due", "verification_result",
        "verification_notes", "verified_by", "verified_on", "actions",
    },
    "documents": {
        "number", "doc_type", "description", "process", "issuer", "confidentiality",
        "access_people", "access_departments", "distribute_people", "distribute_roles",
        "distribute_departments", "review_months", "last_reviewed_on", "retention_years",
        "disposition", "closed_on", "retain_until", "current_version", "effective_on", "body",
        "change_reason",
    },
    "risks": {
        "kind", "description", "cause", "consequence", "source", "process",
        "inherent_likelihood", "inherent_impact", "inherent_rating", "inherent_level",
        "residual_likelihood", "residual_impact", "residual_rating", "residual_level",
        "treatment", "treatment_plan", "effectiveness", "effectiveness_notes", "nonconformities",
    },
    "objectives": {
        "description", "resources", "evaluation", "level", "department", "process",
        "commitments", "policy", "kpis", "outcome_notes",
    },
    "kpis": {
        "description", "unit", "direction", "kind", "target", "amber", "red", "frequency",
        "data_source", "automatic", "process", "decimals",
    },
    "changes": {
        "purpose", "consequences", "integrity", "resources", "responsibilities",
        "implementation", "review", "documents", "processes", "risks",
    },
}  # fmt: skip

READ_ONLY = {
    "nonconformities": {"verified_by", "verified_on"},
    "documents": {"last_reviewed_on", "closed_on", "current_version", "effective_on", "due_date"},
    "risks": {"inherent_rating", "inherent_level", "residual_rating", "residual_level"},
    "kpis": {"due_date"},
}


@pytest.mark.parametrize("slug", sorted(API_FIELDS))
def test_the_api_shows_the_same_fields_as_before(slug: str) -> None:
    fields = set(registry.get(slug).serializer_class().fields)
    assert fields == RECORD_FIELDS | API_FIELDS[slug]


@pytest.mark.parametrize("slug", sorted(API_FIELDS))
def test_computed_fields_are_read_only_in_the_api(slug: str) -> None:
    fields = registry.get(slug).serializer_class().fields
    for name in READ_ONLY.get(slug, set()):
        assert fields[name].read_only, name
    for name in ("reference", "status", "status_label", "available_transitions"):
        assert fields[name].read_only, name


@pytest.mark.parametrize("slug", sorted(API_FIELDS))
def test_the_edit_form_holds_exactly_the_fields_of_its_sections(slug: str, quality: User) -> None:
    rt = registry.get(slug)
    form = rt.form_class(user=quality)
    declared = field_names(rt.fieldsets)
    assert set(form.fields) == set(declared)  # a new record: no version or reason yet
    assert list(rt.form_class.Meta.fields) == model_fields(rt.model, declared)
    shown = [name for legend, names in form.fieldsets for name in names]
    assert set(declared) <= set(shown)


def test_widgets_follow_the_model_field() -> None:
    form = registry.get("changes").form_class()
    assert isinstance(form.fields["purpose"].widget, forms.Textarea)  # a text field
    assert form.fields["due_date"].widget.input_type == "date"
    assert isinstance(form.fields["risks"].widget, forms.SelectMultiple)
    assert isinstance(form.fields["title"].widget, forms.TextInput)
    for field in form.fields.values():  # styled by the core
        assert "form-" in field.widget.attrs["class"]


def test_a_register_overrides_a_widget_where_it_needs_to() -> None:
    form = registry.get("documents").form_class()
    assert form.fields["access_departments"].widget.attrs["size"] == 4
    assert form.fields["access_people"].widget.attrs["size"] == 5


def test_a_new_records_owner_is_offered_as_the_person_creating_it(quality: User) -> None:
    form = registry.get("changes").form_class(user=quality)
    assert form.fields["owner"].initial == quality.pk


def test_forms_offer_active_processes_but_keep_a_retired_one_already_chosen(
    quality: User, make_nc: Any
) -> None:
    retired = Process.objects.create(code="OLD", name="Retired", owner=quality, active=False)
    rt = registry.get("nonconformities")
    assert rt.create_form_class is not None
    assert retired not in rt.create_form_class(user=quality).fields["process"].queryset
    nc = make_nc(process=retired)
    assert retired in rt.form_class(instance=nc, user=quality).fields["process"].queryset


def test_the_standard_columns_come_from_the_core() -> None:
    columns = {c.name: c for c in registry.get("changes").columns}
    assert list(columns) == ["reference", "title", "status", "owner", "due_date"]
    assert columns["reference"].link and columns["title"].link
    assert columns["owner"].sort == "owner__last_name"
    assert str(columns["due_date"].label) == "Planned for"  # the register's own word
    severity = {c.name: c for c in registry.get("nonconformities").columns}["severity"]
    assert (str(severity.label), severity.sort) == ("Severity", "severity")  # from the model


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_makes_the_creator_owner_when_none_is_named(quality: User) -> None:
    response = api(quality).post(
        "/api/changes/", {"title": "New line", "purpose": "Capacity"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert ChangePlan.objects.get(pk=response.json()["id"]).owner == quality


def test_a_nonconformity_goes_to_its_process_owner_through_the_api_and_the_form(
    employee: User, owner: User, process: Process, client: Any
) -> None:
    data = {
        "title": "Burr on edge",
        "description": "Found at final inspection",
        "source": "employee_report",
        "severity": "major",
        "process": process.pk,
        "detected_on": timezone.localdate().isoformat(),
    }
    response = api(employee).post("/api/nonconformities/", data, format="json")
    assert response.status_code == 201, response.json()
    by_api = Nonconformity.objects.get(pk=response.json()["id"])
    client.force_login(employee)
    response = client.post(reverse("nonconformities_create"), data)
    assert response.status_code == 302
    by_form = Nonconformity.objects.exclude(pk=by_api.pk).get()
    for nc in (by_api, by_form):
        assert nc.owner == owner
        assert nc.detected_by == employee
        assert nc.due_date == timezone.localdate() + datetime.timedelta(days=30)  # major


def test_a_future_detection_date_is_refused_with_one_message_by_form_and_api(
    employee: User, client: Any
) -> None:
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = {
        "title": "Later",
        "description": "x",
        "source": "employee_report",
        "severity": "minor",
        "detected_on": tomorrow,
    }
    response = api(employee).post("/api/nonconformities/", data, format="json")
    assert response.status_code == 400
    message = "The detection date cannot be in the future."
    assert response.json()["detected_on"] == [message]
    client.force_login(employee)
    response = client.post(reverse("nonconformities_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["detected_on"] == [message]
    assert not Nonconformity.objects.exists()


def test_more_nonconforming_than_checked_is_refused_by_form_and_api(
    quality: User, nc: Nonconformity, client: Any
) -> None:
    message = "Cannot be more than the quantity checked (5)."
    response = api(quality).patch(
        f"/api/nonconformities/{nc.pk}/",
        {"version": nc.version, "quantity_checked": 5, "quantity_nonconforming": 6},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["quantity_nonconforming"] == [message]
    form = registry.get("nonconformities").form_class(
        data={"quantity_checked": 5, "quantity_nonconforming": 6}, instance=nc, user=quality
    )
    assert not form.is_valid()
    assert form.errors["quantity_nonconforming"] == [message]
    nc.refresh_from_db()
    assert nc.quantity_nonconforming is None


def test_an_app_adds_a_section_to_another_registers_page_through_the_registry() -> None:
    sections = registry.get("nonconformities").sections
    assert [s.template for s in sections] == ["planning/_nc_risks.html"]
