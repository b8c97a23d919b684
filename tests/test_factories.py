"""The test factories make records as the application does: valid, with a reference, the
workflow's first state, their creator, and a create event in an intact audit trail."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from hoshin.core import roles, trail
from hoshin.core.models import TrailAction, TrailEvent
from hoshin.core.registry import registry
from hoshin.support.models import Document, VersionStatus
from tests.factories import (
    PASSWORD,
    REGISTER_FACTORIES,
    ActionFactory,
    ChangePlanFactory,
    DepartmentFactory,
    DocumentFactory,
    DocumentTypeFactory,
    KpiFactory,
    MeasurementFactory,
    NonconformityFactory,
    ObjectiveFactory,
    ProcessFactory,
    RiskFactory,
    SiteFactory,
    UserFactory,
    months_ago,
)

pytestmark = pytest.mark.django_db


def assert_trail_intact() -> None:
    checked, broken = trail.verify()
    assert broken is None, str(broken)
    assert checked > 0
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    assert "intact" in out.getvalue()


def history(record: Any) -> list[TrailEvent]:
    return list(trail.record_history(record))


def test_every_register_has_a_factory() -> None:
    assert set(REGISTER_FACTORIES) == {rt.model for rt in registry}


@pytest.mark.parametrize("model", list(REGISTER_FACTORIES), ids=lambda m: m._meta.model_name)
def test_each_register_factory_makes_a_valid_record_with_its_create_event(model: Any) -> None:
    owner = UserFactory(role=roles.QUALITY_MANAGER)
    record = REGISTER_FACTORIES[model](owner=owner)
    record.refresh_from_db()
    record.full_clean()
    rt = registry.for_model(model)
    year = record.created_at.year
    expected = "QP-001" if model is Document else f"{model.reference_prefix}-{year}-0001"
    assert record.reference == expected
    assert record.status == rt.workflow.initial
    assert (record.owner, record.created_by, record.version) == (owner, owner, 1)
    events = history(record)
    assert events[0].action == TrailAction.CREATE
    assert events[0].actor == owner
    assert events[0].reference == record.reference
    assert events[0].changes["title"]["after"] == record.title
    assert_trail_intact()


def test_records_get_references_in_sequence_and_each_its_own_trail() -> None:
    first, second = NonconformityFactory(), NonconformityFactory()
    assert [first.reference[-4:], second.reference[-4:]] == ["0001", "0002"]
    assert history(first)[0].stream != history(second)[0].stream
    assert first.owner != second.owner
    assert_trail_intact()


def test_the_actor_is_the_owner_unless_someone_else_acts() -> None:
    reporter = UserFactory(role=roles.EMPLOYEE)
    nc = NonconformityFactory(actor=reporter, severity="critical")
    assert nc.created_by == reporter and nc.owner != reporter
    assert history(nc)[0].actor == reporter
    assert nc.severity == "critical"


def test_a_factory_refuses_what_the_model_refuses() -> None:
    with pytest.raises(ValidationError) as refused:
        NonconformityFactory(quantity_checked=10, quantity_nonconforming=11)
    assert set(refused.value.message_dict) == {"quantity_nonconforming"}
    with pytest.raises(ValidationError) as refused:
        RiskFactory(inherent_likelihood=6, inherent_impact=2)
    assert refused.value.message_dict == {"inherent_likelihood": ["Rate from 1 to 5."]}
    assert not TrailEvent.objects.exists()


def test_a_document_comes_with_its_first_version() -> None:
    doc = DocumentFactory(body="# Purpose\n\nCalibrate every gauge.")
    version = doc.working()
    assert version is not None
    assert (version.number, version.status, version.author) == (1, VersionStatus.DRAFT, doc.owner)
    assert version.change_reason == "First issue"
    assert "Calibrate every gauge" in doc.text
    assert doc.status == "draft" and doc.owner.has_role(roles.QUALITY_MANAGER)
    events = [(e.action, e.message) for e in history(doc)]
    assert events == [(TrailAction.CREATE, ""), (TrailAction.CREATE, "Version 1")]
    assert_trail_intact()


def test_a_risk_is_identified_or_rated() -> None:
    assert RiskFactory().inherent_rating is None
    rated = RiskFactory(rated=True)
    assert (rated.inherent_rating, rated.inherent_level) == (12, "high")
    assert [a.inherent_rating for a in rated.assessments.all()] == [12]
    assert_trail_intact()


def test_a_kpi_with_figures_and_a_figure_on_its_own() -> None:
    kpi = KpiFactory(figures=[93, "94.5", 96])
    periods = list(kpi.measurements.order_by("period").values_list("period", "value"))
    assert periods == [
        (months_ago(3), Decimal(93)),
        (months_ago(2), Decimal("94.5")),
        (months_ago(1), Decimal(96)),
    ]
    assert {m.entered_by for m in kpi.measurements.all()} == {kpi.owner}
    figure_events = [e for e in history(kpi) if e.message.startswith("Measurement")]
    assert len(figure_events) == 3
    assert all(e.actor == kpi.owner for e in figure_events)
    kpi.refresh_from_db()
    assert kpi.due_date is not None  # the next figure falls due
    alone = MeasurementFactory()
    assert alone.period == months_ago(1) and alone.kpi.measurements.get() == alone
    assert_trail_intact()


def test_an_objective_with_its_kpis_in_the_trail() -> None:
    kpi = KpiFactory()
    objective = ObjectiveFactory(kpis=[kpi])
    assert list(objective.kpis.all()) == [kpi]
    change = history(objective)[-1]
    assert change.action == TrailAction.CHANGE and "kpis" in change.changes
    assert kpi.reference in change.changes["kpis"]["after"]
    assert objective.version == 1  # the many-to-many change is not a save of the record
    assert_trail_intact()


def test_a_change_plan() -> None:
    plan = ChangePlanFactory(purpose="A new gauge room.")
    assert plan.reference.startswith("CHG-") and plan.purpose == "A new gauge room."
    assert_trail_intact()


def test_an_action_writes_into_its_records_trail() -> None:
    risk = RiskFactory()
    action = ActionFactory(record=risk, kind="treatment", description="Qualify foundry B")
    assert action.record == risk and action.owner == risk.owner
    assert list(risk.actions()) == [action]
    last = history(risk)[-1]
    assert last.action == TrailAction.CREATE and "Qualify foundry B" in last.message
    assert last.actor == risk.owner
    on_nc = ActionFactory()
    assert on_nc.record.reference.startswith("NC-")
    assert_trail_intact()


def test_people_have_their_role_and_sign_in_with_the_password() -> None:
    owner = UserFactory()
    assert owner.roles == frozenset({roles.PROCESS_OWNER})
    auditor = UserFactory(role=roles.INTERNAL_AUDITOR)
    assert auditor.roles == frozenset({roles.INTERNAL_AUDITOR})
    nobody = UserFactory(role=None)
    assert nobody.roles == frozenset()
    client = Client()
    signed = client.post(reverse("login"), {"username": owner.username, "password": PASSWORD})
    assert signed.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert len({owner.username, auditor.username, nobody.username}) == 3
    for person in (owner, auditor, nobody):
        person.full_clean()


def test_sites_departments_processes_and_document_types_are_valid() -> None:
    department = DepartmentFactory()
    department.full_clean()
    assert department.site is not None
    SiteFactory().full_clean()
    process = ProcessFactory()
    process.full_clean()
    assert process.owner.has_role(roles.PROCESS_OWNER)
    doc_type = DocumentTypeFactory()
    doc_type.full_clean()
    doc = DocumentFactory(doc_type=doc_type, process=process)
    assert doc.reference == f"{doc_type.prefix}-001"
    assert_trail_intact()
