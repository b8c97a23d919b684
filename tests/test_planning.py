"""Planning and measurement (ISO 9001 6.1, 6.2, 6.3, 9.1): ratings, workflows, KPIs,
figures, imports, objectives on track, change plans."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hoshin.core import roles
from hoshin.core.actor import acting_as
from hoshin.core.models import Action, Signature, TrailEvent, User
from hoshin.core.workflow import TransitionError
from hoshin.planning import periods
from hoshin.planning.models import ChangePlan, Kpi, Measurement, Objective, Risk, RiskScale
from hoshin.planning.models.kpi import KpiStatus
from hoshin.planning.views import objective_status
from hoshin.planning.workflow import (
    CHANGE_WORKFLOW,
    KPI_WORKFLOW,
    OBJECTIVE_WORKFLOW,
    RISK_WORKFLOW,
)
from tests.conftest import PASSWORD
from tests.factories import KpiFactory, MeasurementFactory, RiskFactory, UserFactory, months_ago

TODAY = timezone.localdate


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_risk(owner: User, **fields: Any) -> Risk:
    return RiskFactory(owner=owner, **fields)


def make_kpi(owner: User, **fields: Any) -> Kpi:
    return KpiFactory(owner=owner, **fields)


month = months_ago


def measure(kpi: Kpi, n_back: int, value: Any, **fields: Any) -> Measurement:
    return MeasurementFactory(kpi=kpi, period=month(n_back), value=value, **fields)


# --- risks ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_rating_is_likelihood_times_impact_and_the_level_follows_the_matrix(owner):
    risk = make_risk(owner, inherent_likelihood=4, inherent_impact=5)
    assert (risk.inherent_rating, risk.inherent_level) == (20, "critical")
    risk.residual_likelihood, risk.residual_impact = 2, 2
    risk.save()
    assert (risk.residual_rating, risk.residual_level) == (4, "low")
    assert [a.inherent_rating for a in risk.assessments.all()] == [20, 20]
    assert [a.residual_rating for a in risk.assessments.all()] == [None, 4]
    scale = RiskScale.current()
    assert [scale.level(r) for r in (4, 5, 9, 10, 19, 20)] == [
        "low",
        "medium",
        "medium",
        "high",
        "high",
        "critical",
    ]


@pytest.mark.django_db
def test_out_of_range_ratings_are_refused_by_field(owner, quality):
    with pytest.raises(ValidationError) as refused:
        make_risk(owner, inherent_likelihood=6, inherent_impact=0)
    assert refused.value.message_dict == {
        "inherent_likelihood": ["Rate from 1 to 5."],
        "inherent_impact": [
            "Ensure this value is greater than or equal to 1.",
            "Rate from 1 to 5.",
        ],
    }
    assert not Risk.objects.exists()
    response = signed_in(quality).post(
        "/api/risks/",
        {
            "title": "x",
            "description": "y",
            "source": "process",
            "inherent_likelihood": 7,
            "inherent_impact": 3,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "inherent_likelihood" in response.json()
    response = signed_in(quality).post(
        "/api/risks/",
        {"title": "x", "description": "y", "source": "process", "inherent_likelihood": 3},
        content_type="application/json",
    )
    assert response.status_code == 400 and "inherent_impact" in response.json()


@pytest.mark.django_db
def test_treatments_depend_on_the_kind(owner):
    with pytest.raises(ValidationError) as refused:
        make_risk(owner, kind="opportunity", treatment="avoid")
    assert list(refused.value.message_dict) == ["treatment"]
    assert "choose one of" in refused.value.message_dict["treatment"][0]
    assert make_risk(owner, kind="opportunity", treatment="exploit").treatment == "exploit"


@pytest.mark.django_db
def test_the_risk_workflow_asks_for_what_each_step_needs(owner, quality):
    risk = make_risk(owner)
    with pytest.raises(TransitionError) as refused:
        RISK_WORKFLOW.perform(risk, "assess", owner)
    assert set(refused.value.problems) == {"inherent_likelihood", "inherent_impact"}
    with acting_as(owner):
        risk.inherent_likelihood, risk.inherent_impact = 4, 4
        risk.save()
        RISK_WORKFLOW.perform(risk, "assess", owner)
        risk.treatment, risk.treatment_plan = "reduce", "Qualify a second foundry."
        risk.save()
    with pytest.raises(TransitionError, match="treatment action"):
        RISK_WORKFLOW.perform(risk, "plan_treatment", owner)
    with acting_as(owner):
        action = Action(
            description="Audit foundry B", owner=owner, due_date=TODAY(), kind="treatment"
        )
        action.link_to(risk)
        action.save()
    RISK_WORKFLOW.perform(risk, "plan_treatment", owner)
    with pytest.raises(TransitionError, match="still open"):
        RISK_WORKFLOW.perform(risk, "treat", owner)
    with acting_as(owner):
        action.status, action.evidence, action.completed_on = "done", "Audit report AR-7", TODAY()
        action.save()
    risk.refresh_from_db()
    RISK_WORKFLOW.perform(risk, "treat", owner)
    with pytest.raises(TransitionError) as refused:
        RISK_WORKFLOW.perform(risk, "review", quality, password=PASSWORD)
    assert {"effectiveness", "residual_likelihood"} <= set(refused.value.problems)
    with acting_as(quality):
        risk.effectiveness, risk.effectiveness_notes = "effective", "Foundry B delivers."
        risk.residual_likelihood, risk.residual_impact = 2, 4
        risk.save()
    with pytest.raises(TransitionError) as refused:
        RISK_WORKFLOW.perform(risk, "review", quality, password="wrong")
    assert list(refused.value.problems) == ["password"]
    RISK_WORKFLOW.perform(risk, "review", quality, password=PASSWORD)
    risk.refresh_from_db()
    assert risk.status == "reviewed" and risk.due_date and risk.due_date > TODAY()
    assert Signature.objects.for_record(risk).get().meaning == "verified"
    RISK_WORKFLOW.perform(risk, "reassess", owner, comment="New customer")
    risk.refresh_from_db()
    assert risk.status == "assessed"
    with pytest.raises(TransitionError) as refused:
        RISK_WORKFLOW.perform(risk, "close", owner)  # a reason is needed
    assert list(refused.value.problems) == ["comment"]
    RISK_WORKFLOW.perform(risk, "close", owner, comment="Merged into RSK-2")
    risk.refresh_from_db()
    assert risk.status == "closed" and risk.closed_reason == "Merged into RSK-2"


@pytest.mark.django_db
def test_accepting_a_risk_needs_no_action(owner):
    risk = make_risk(owner, inherent_likelihood=1, inherent_impact=2)
    RISK_WORKFLOW.perform(risk, "assess", owner)
    with acting_as(owner):
        risk.treatment, risk.treatment_plan = "accept", "Low and cheap to bear."
        risk.save()
    RISK_WORKFLOW.perform(risk, "plan_treatment", owner)
    risk.refresh_from_db()
    assert risk.status == "treatment_planned" and not risk.actions().exists()
    steps = TrailEvent.objects.filter(reference=risk.reference, action="transition")
    assert [e.changes["status"]["after"] for e in steps.order_by("id")] == [
        RISK_WORKFLOW.label("assessed"),
        RISK_WORKFLOW.label("treatment_planned"),
    ]


@pytest.mark.django_db
def test_the_heat_map_counts_open_risks_per_cell_and_links_to_them(owner, quality):
    make_risk(owner, title="A", inherent_likelihood=4, inherent_impact=5)
    make_risk(owner, title="B", inherent_likelihood=4, inherent_impact=5)
    closed = make_risk(owner, title="C", inherent_likelihood=4, inherent_impact=5)
    RISK_WORKFLOW.perform(closed, "close", owner, comment="Gone")
    make_risk(owner, title="D", inherent_likelihood=1, inherent_impact=1)
    client = signed_in(quality)
    page = client.get(reverse("risks_heat_map"))
    grid = page.context["inherent"]
    cell = grid[5 - 4][5 - 1]  # rows from the highest likelihood down
    assert (cell.likelihood, cell.impact, cell.count, cell.level) == (4, 5, 2, "critical")
    assert grid[4][0].count == 1
    listed = client.get(cell.url).context["page"].object_list
    assert sorted(r.title for r in listed) == ["A", "B"]


@pytest.mark.django_db
def test_a_closed_nonconformity_raises_a_risk_and_both_show_the_link(nc, owner, quality):
    client = signed_in(quality)
    response = client.post(reverse("nc_raise_risk", args=[nc.pk]), {"confirm": "yes"})
    risk = Risk.objects.get()
    assert response.status_code == 302 and risk.source == "nonconformity"
    assert list(risk.nonconformities.all()) == [nc]
    assert (
        risk.reference
        in client.get(reverse("nonconformities_detail", args=[nc.pk])).content.decode()
    )
    assert nc.reference in client.get(reverse("risks_detail", args=[risk.pk])).content.decode()
    other = make_risk(owner, title="Existing")
    linked = client.post(reverse("nc_raise_risk", args=[nc.pk]), {"risk": other.pk})
    assert linked.status_code == 302
    assert linked["Location"] == reverse("risks_detail", args=[other.pk])
    assert nc in other.nonconformities.all()
    assert TrailEvent.objects.filter(reference=other.reference, action="change").exists()


# --- KPIs and figures ------------------------------------------------------------------------
@pytest.mark.django_db
def test_kpi_status_follows_target_and_thresholds(owner):
    higher = make_kpi(owner, target=Decimal(95), amber=Decimal(92), red=Decimal(90))
    assert [higher.status_of(Decimal(v)) for v in (97, 95, 93, 91, 89)] == [
        "on_target",
        "on_target",
        "at_risk",
        "at_risk",
        "off_target",
    ]
    assert higher.status_of(None) == "no_data"
    lower = make_kpi(owner, title="Scrap", direction="lower", target=Decimal(2), amber=Decimal(3))
    assert [lower.status_of(Decimal(v)) for v in (1, 2.5, 4)] == [
        "on_target",
        "at_risk",
        "off_target",
    ]


@pytest.mark.django_db
def test_thresholds_must_run_towards_worse(owner):
    with pytest.raises(ValidationError) as refused:
        make_kpi(owner, target=Decimal(95), red=Decimal(97))
    assert list(refused.value.message_dict) == ["red"]
    assert "thresholds must run from the target" in refused.value.message_dict["red"][0]
    with pytest.raises(ValidationError) as refused:
        make_kpi(owner, direction="lower", target=Decimal(2), red=Decimal(1))
    assert list(refused.value.message_dict) == ["red"]
    with pytest.raises(ValidationError) as refused:
        make_kpi(owner, target=Decimal(95), amber=Decimal(93), red=Decimal(94))
    assert list(refused.value.message_dict) == ["red"]
    assert not Kpi.objects.exists()
    assert make_kpi(owner, target=Decimal(95), amber=Decimal(93), red=Decimal(90)).red == 90


@pytest.mark.django_db
def test_a_figure_per_period_never_two_never_in_the_future(owner):
    kpi = make_kpi(owner)
    first = measure(kpi, 1, 96)
    assert first.period == month(1)
    with pytest.raises(ValidationError) as refused:
        measure(kpi, 1, 97)
    assert list(refused.value.message_dict) == ["period"]
    assert "already has a figure" in refused.value.message_dict["period"][0]
    m = Measurement(kpi=kpi, period=TODAY() + datetime.timedelta(days=40), value=Decimal(1))
    with pytest.raises(ValidationError) as refused:
        m.full_clean()
    assert refused.value.message_dict == {"period": ["This period has not started yet."]}
    assert kpi.measurements.count() == 1
    first.void("Typo")
    assert measure(kpi, 1, 97).value == Decimal(97)


@pytest.mark.django_db
def test_the_next_figure_falls_due_after_the_period_and_its_grace(owner):
    kpi = make_kpi(owner)
    measure(kpi, 1, 96)
    kpi.refresh_from_db()
    expected = periods.end_of(month(0), "monthly") + datetime.timedelta(days=10)
    assert kpi.due_date == expected
    measure(kpi, 3, 96)  # an older one changes nothing
    kpi.refresh_from_db()
    assert kpi.due_date == expected


@pytest.mark.django_db
def test_a_proportion_is_computed_from_count_and_total(owner):
    kpi = make_kpi(owner, kind="proportion", title="First pass yield")
    m = Measurement(
        kpi=kpi, period=month(1), value=Decimal(0), numerator=Decimal(45), denominator=Decimal(50)
    )
    m.full_clean()
    assert m.value == Decimal(90)
    bad = Measurement(
        kpi=kpi, period=month(2), value=Decimal(0), numerator=Decimal(51), denominator=Decimal(50)
    )
    with pytest.raises(ValidationError) as refused:
        bad.full_clean()
    assert refused.value.message_dict == {
        "numerator": ["The count must be between 0 and the total."]
    }


@pytest.mark.django_db
def test_entering_a_figure_through_the_page(owner, quality, employee):
    kpi = make_kpi(owner)
    client = signed_in(owner)
    url = reverse("kpi_measurement_add", args=[kpi.pk])
    bad = client.post(url, {"period": "2026-13", "value": "abc"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "is not a period" in html and "Enter a number" in html
    good = client.post(url, {"period": periods.label(month(1), "monthly"), "value": "96.5"})
    assert good.status_code == 302
    assert kpi.measurements.get().value == Decimal("96.5")
    assert signed_in(employee).post(url, {"period": "2020-01", "value": "1"}).status_code == 404
    page = client.get(reverse("kpis_detail", args=[kpi.pk])).content.decode()
    assert 'class="chart' in page


@pytest.mark.django_db
def test_figures_through_the_api(owner, quality):
    kpi = make_kpi(owner)
    client = signed_in(owner)
    url = f"/api/kpis/{kpi.pk}/measurements/"
    bad = client.post(url, {"period": "soon", "value": "x"}, content_type="application/json")
    assert bad.status_code == 400
    assert {"period", "value"} <= set(bad.json())
    ok = client.post(
        url,
        {"period": periods.label(month(2), "monthly"), "value": 93},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.json()
    again = client.post(
        url,
        {"period": periods.label(month(2), "monthly"), "value": 94},
        content_type="application/json",
    )
    assert again.status_code == 400 and "period" in again.json()
    listed = client.get(url).json()
    assert [Decimal(str(r["value"])) for r in listed] == [Decimal(93)]
    assert (
        signed_in(quality)
        .post(url, {"period": "2020-01", "value": 1}, content_type="application/json")
        .status_code
        == 201
    )


# --- import ----------------------------------------------------------------------------------
def upload(text: str, name: str = "figures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), "text/csv")


@pytest.mark.django_db
def test_an_import_with_one_bad_row_imports_nothing_and_names_every_problem(owner):
    kpi = make_kpi(owner)
    measure(kpi, 5, 90)
    p1, p2, p5 = (periods.label(month(n), "monthly") for n in (1, 2, 5))
    text = (
        "kpi,period,value,unit\n"
        f"{kpi.reference},{p1},96,%\n"
        f"{kpi.reference},{p2},abc,%\n"
        f"{kpi.reference},{p1},97,%\n"
        f"{kpi.reference},{p5},91,%\n"
        f"{kpi.reference},2026-13,91,%\n"
        f"{kpi.reference},{p2},91,days\n"
        f"KPI-1999-0001,{p2},91,%\n"
    )
    response = signed_in(owner).post(reverse("kpis_import"), {"file": upload(text)})
    assert response.status_code == 400
    problems = [(p.row, p.column) for p in response.context["outcome"].problems]
    assert problems == [
        (3, "value"),
        (4, "period"),
        (5, "period"),
        (6, "period"),
        (7, "unit"),
        (8, "kpi"),
    ]
    assert kpi.measurements.count() == 1


@pytest.mark.django_db
def test_a_clean_import_checks_first_then_imports_everything(owner):
    kpi = make_kpi(owner)
    fpy = make_kpi(owner, title="FPY", kind="proportion")
    text = (
        "kpi;period;value;count;out of\n"
        + "".join(
            f"{kpi.reference};{periods.label(month(n), 'monthly')};9{n},5;;\n" for n in range(1, 4)
        )
        + f"{fpy.reference};{periods.label(month(1), 'monthly')};;45;50\n"
    )
    client = signed_in(owner)
    dry = client.post(reverse("kpis_import"), {"file": upload(text), "dry_run": "on"})
    assert dry.status_code == 200 and not Measurement.objects.exists()
    done = client.post(reverse("kpis_import"), {"file": upload(text)})
    assert done.context["outcome"].imported == 4
    assert sorted(kpi.measurements.values_list("value", flat=True)) == [
        Decimal("91.5"),
        Decimal("92.5"),
        Decimal("93.5"),
    ]
    assert fpy.measurements.get().value == Decimal(90)
    assert TrailEvent.objects.filter(action="import", stream=f"user:{owner.username}").exists()


@pytest.mark.django_db
def test_an_excel_import(owner):
    from openpyxl import Workbook

    kpi = make_kpi(owner)
    book = Workbook()
    sheet = book.active
    sheet.append(["KPI", "Period", "Value"])
    sheet.append([kpi.reference, month(1), 96.2])
    import io

    data = io.BytesIO()
    book.save(data)
    file = SimpleUploadedFile("f.xlsx", data.getvalue(), "application/octet-stream")
    response = signed_in(owner).post(reverse("kpis_import"), {"file": file})
    assert response.context["outcome"].imported == 1
    assert kpi.measurements.get().period == month(1)


@pytest.mark.django_db
def test_importing_figures_for_someone_elses_kpi_is_refused_by_row(owner, employee):
    kpi = make_kpi(owner)
    text = f"kpi,period,value\n{kpi.reference},{periods.label(month(1), 'monthly')},9\n"
    response = signed_in(employee).post(reverse("kpis_import"), {"file": upload(text)})
    assert response.status_code == 400
    problems = [(p.row, p.column, p.message) for p in response.context["outcome"].problems]
    assert problems == [(2, "kpi", f"No KPI “{kpi.reference}” that you may see.")]
    other_owner = UserFactory(role=roles.PROCESS_OWNER)  # sees every KPI, owns none
    response = signed_in(other_owner).post(reverse("kpis_import"), {"file": upload(text)})
    assert response.status_code == 400
    problems = [(p.row, p.column, p.message) for p in response.context["outcome"].problems]
    assert problems == [(2, "kpi", f"You may not enter figures for {kpi.reference}.")]
    assert not Measurement.objects.exists()


# --- automatic KPIs -----------------------------------------------------------------------
@pytest.mark.django_db
def test_nonconformities_per_month_are_counted_not_typed(owner, make_nc):
    kpi = make_kpi(
        owner,
        title="NCs",
        unit="",
        automatic="nonconformities",
        direction="lower",
        target=Decimal(5),
    )
    assert kpi.readings(last=3) == []  # nothing recorded yet: no figure, not zero
    make_nc(detected_on=month(3) + datetime.timedelta(days=1))
    for _i in range(3):
        make_nc(detected_on=month(1) + datetime.timedelta(days=2))
    readings = kpi.readings(last=6)
    assert [r.period for r in readings] == [month(3), month(2), month(1)]
    assert [r.value for r in readings] == [1, 0, 3]


# --- objectives ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_top_management_approves_an_objective_with_its_plan_and_kpis(owner, ceo, quality):
    with acting_as(owner):
        objective = Objective(title="Deliver on time", description="95 % on time.", owner=owner)
        objective.save()
    with pytest.raises(TransitionError) as refused:
        OBJECTIVE_WORKFLOW.perform(objective, "approve", ceo, password=PASSWORD)
    assert {"resources", "evaluation", "due_date"} <= set(refused.value.problems)
    with acting_as(owner):
        objective.resources, objective.evaluation = "Planner, ERP report", "Monthly review"
        objective.due_date = TODAY() + datetime.timedelta(days=200)
        objective.save()
    with pytest.raises(TransitionError, match="KPI"):
        OBJECTIVE_WORKFLOW.perform(objective, "approve", ceo, password=PASSWORD)
    objective.kpis.add(make_kpi(owner))
    with pytest.raises(TransitionError) as refused:
        OBJECTIVE_WORKFLOW.perform(objective, "approve", quality, password=PASSWORD)
    assert refused.value.status == 403 and list(refused.value.problems) == ["transition"]
    OBJECTIVE_WORKFLOW.perform(objective, "approve", ceo, password=PASSWORD)
    assert Signature.objects.for_record(objective).get().signer == ceo


@pytest.mark.django_db
def test_an_objective_is_as_on_track_as_its_worst_kpi(owner, quality):
    assert objective_status(["on_target", "at_risk"]) == KpiStatus.AT_RISK
    assert objective_status(["on_target", "no_data"]) == KpiStatus.ON_TARGET
    assert objective_status(["no_data"]) == KpiStatus.NO_DATA
    assert objective_status(["off_target", "on_target"]) == KpiStatus.OFF_TARGET
    good, bad = make_kpi(owner, title="Good"), make_kpi(owner, title="Bad", red=Decimal(90))
    measure(good, 1, 99)
    measure(bad, 1, 80)
    with acting_as(owner):
        objective = Objective(title="Deliver", description="x", owner=owner, status="approved")
        objective.save()
    objective.kpis.add(good, bad)
    page = signed_in(quality).get(reverse("objectives_on_track"))
    items = page.context["items"]
    assert items[0][1] == KpiStatus.OFF_TARGET
    assert page.context["counts"]["off_target"] == 1


# --- change plans --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_change_plan_is_approved_by_someone_other_than_its_owner(quality, ceo):
    with acting_as(quality):
        plan = ChangePlan(
            title="New ERP",
            purpose="Retire the old one.",
            consequences="Two weeks of double entry.",
            integrity="Old system read-only until cut-over.",
            resources="IT, key users",
            responsibilities="QM leads; IT migrates",
            owner=quality,
        )
        plan.save()
    with pytest.raises(TransitionError, match="someone other"):
        CHANGE_WORKFLOW.perform(plan, "approve", quality, password=PASSWORD)
    CHANGE_WORKFLOW.perform(plan, "approve", ceo, password=PASSWORD)
    CHANGE_WORKFLOW.perform(plan, "start", quality)
    with pytest.raises(TransitionError) as refused:
        CHANGE_WORKFLOW.perform(plan, "implement", quality)
    assert list(refused.value.problems) == ["implementation"]
    with acting_as(quality):
        plan.implementation = "Cut over on 1 March."
        plan.save()
    CHANGE_WORKFLOW.perform(plan, "implement", quality)
    plan.refresh_from_db()
    assert plan.status == "implemented"


@pytest.mark.django_db
def test_retiring_a_kpi_keeps_its_figures(owner):
    kpi = make_kpi(owner)
    measure(kpi, 1, 96)
    KPI_WORKFLOW.perform(kpi, "retire", owner, comment="Replaced by OTIF")
    kpi.refresh_from_db()
    assert kpi.status == "retired" and kpi.measurements.count() == 1


@pytest.mark.django_db
def test_every_register_filters_by_its_own_states(quality):
    from hoshin.core.registry import registry

    client = signed_in(quality)
    register_types = list(registry)
    assert {rt.slug for rt in register_types} >= {"risks", "kpis", "objectives", "changes"}
    for rt in register_types:
        state = rt.workflow.states[0].name
        response = client.get(reverse(f"{rt.slug}_list"), {"status": state})
        assert response.status_code == 200, rt.slug
        assert response.context["filter"].is_valid(), (rt.slug, response.context["filter"].errors)
