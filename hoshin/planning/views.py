"""Planning pages beyond the generic registers: the risk heat map, KPI charts and
figures, "are we on track?", and the risks raised from nonconformities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoshin.core import permissions, roles, trail
from hoshin.core.actions import can_update
from hoshin.core.forms import VoidForm
from hoshin.core.views import require_person
from hoshin.planning import periods, spc
from hoshin.planning.charts import control_chart, run_chart
from hoshin.planning.forms import MeasurementForm
from hoshin.planning.models import Kpi, Measurement, Objective, Risk, RiskKind, RiskScale
from hoshin.planning.models.kpi import KpiKind, KpiStatus, Reading
from hoshin.planning.periods import Frequency
from hoshin.planning.workflow import RISK_WORKFLOW

OPEN_RISK_STATES = [s.name for s in RISK_WORKFLOW.states if not s.final]


# --- risks -----------------------------------------------------------------------------
def risk_context(request: HttpRequest, risk: Risk) -> dict[str, Any]:
    user: Any = request.user
    actions = list(risk.actions().select_related("owner"))
    assessments = list(risk.assessments.order_by("at", "id"))
    trend = ""
    if len(assessments) > 1:
        trend = run_chart(
            [a.at.strftime("%Y-%m-%d") for a in assessments],
            [float(a.residual_rating or a.inherent_rating or 0) for a in assessments],
            title=_("Rating of %(ref)s over time") % {"ref": risk.reference},
            higher_is_better=False,
        )
    return {
        "actions": [(a, can_update(user, risk, a)) for a in actions],
        "can_add_action": permissions.can_edit(user, risk),
        "assessments": assessments,
        "trend_chart": trend,
        "linked_ncs": list(risk.nonconformities.order_by("-detected_on")[:20]),
        "scale": RiskScale.current(),
    }


@dataclass
class Cell:
    likelihood: int
    impact: int
    rating: int
    level: str
    count: int
    url: str


def heat_counts(queryset: Any) -> dict[str, Any]:
    """Both grids' counts, the total and the unrated, from one pass over the risks (one
    query grouped by the four ratings, at most size⁴ groups) rather than four."""
    inherent: dict[tuple[int, int], int] = defaultdict(int)
    residual: dict[tuple[int, int], int] = defaultdict(int)
    total = unrated = 0
    rows = (
        queryset.order_by()
        .values_list(
            "inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"
        )
        .annotate(n=Count("pk"))
    )
    for il, ii, rl, ri, n in rows:
        total += n
        if il is None:
            unrated += n
        else:
            inherent[(il, ii)] += n
        if rl is not None:
            residual[(rl, ri)] += n
    return {"inherent": inherent, "residual": residual, "total": total, "unrated": unrated}


def heat_grid(counts: dict[tuple[int, int], int], which: str, scale: RiskScale) -> list[list[Cell]]:
    """Rows from the highest likelihood down, columns by impact: counts of open risks."""
    base = reverse("risks_list")
    grid = []
    for likelihood in range(scale.size, 0, -1):
        row = []
        for impact in range(1, scale.size + 1):
            rating = likelihood * impact
            query = urlencode(
                [
                    (f"{which}_likelihood", likelihood),
                    (f"{which}_impact", impact),
                    *[("status", s) for s in OPEN_RISK_STATES],
                ]
            )
            row.append(
                Cell(
                    likelihood,
                    impact,
                    rating,
                    scale.level(rating),
                    counts.get((likelihood, impact), 0),
                    f"{base}?{query}",
                )
            )
        grid.append(row)
    return grid


@login_required
def heat_map(request: HttpRequest) -> HttpResponse:
    require_person(request)
    kind = request.GET.get("kind", "")
    risks: Any = Risk.objects.visible_to(request.user).filter(
        status__in=OPEN_RISK_STATES, voided_at__isnull=True
    )
    if kind in RiskKind.values:
        risks = risks.filter(kind=kind)
    scale = RiskScale.current()
    counts = heat_counts(risks)
    context = {
        "scale": scale,
        "likelihoods": dict(scale.axis("likelihood")),
        "impacts": scale.axis("impact"),
        "inherent": heat_grid(counts["inherent"], "inherent", scale),
        "residual": heat_grid(counts["residual"], "residual", scale),
        "kind": kind,
        "kinds": RiskKind.choices,
        "total": counts["total"],
        "unrated": counts["unrated"],
    }
    return render(request, "planning/heat_map.html", context)


def nonconformity_risks(request: HttpRequest, nc: Any) -> dict[str, Any]:
    """The section on a nonconformity's page: the risks it raised or updated."""
    user: Any = request.user
    linked = list(nc.risks.select_related("owner"))
    can_link = permissions.can_create(user, Risk)
    others = []
    if can_link:
        # Only the risks this person may change (risk_from_nonconformity refuses others).
        risks = Risk.objects.visible_to(user).filter(status__in=OPEN_RISK_STATES)
        if not user.roles & roles.EDIT_ALL:
            risks = risks.filter(owner=user)
        others = list(
            risks.exclude(pk__in=[r.pk for r in linked])
            .order_by("reference")
            .values_list("pk", "reference", "title")[:200]
        )
    return {
        "nc": nc,
        "linked": linked,
        "can_link": can_link,
        "can_raise": permissions.can_create_in_process(user, Risk, nc.process),
        "others": others,
    }


def _risk_from(nc: Any) -> Risk:
    """The risk a nonconformity raises (unsaved): what the confirmation page shows."""
    return Risk(
        kind=RiskKind.RISK,
        title=nc.title[:200],
        description=_("Raised from nonconformity %(ref)s: %(text)s")
        % {"ref": nc.reference, "text": nc.description},
        cause=nc.root_cause or "",
        source="nonconformity",
        process=nc.process,
        owner=nc.owner,
    )


@login_required
def risk_from_nonconformity(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise a new risk from a nonconformity, or link it to a risk it updates (10.2.1 e).

    A new risk is raised only once confirmed (GET, or a POST without ``confirm``, shows
    what would be created), and only by those who may create risks in the process."""
    from hoshin.improvement.models import Nonconformity

    user = require_person(request)
    if not permissions.can_create(user, Risk):
        raise PermissionDenied
    nc = permissions.visible_or_404(
        Nonconformity.objects.select_related("process", "owner"), user, pk=pk
    )
    existing = request.POST.get("risk") if request.method == "POST" else None
    if not existing and not permissions.can_create_in_process(user, Risk, nc.process):
        raise PermissionDenied(_("Only the process owner or a quality manager raises risks here."))
    if request.method != "POST" or not (existing or request.POST.get("confirm")):
        return render(request, "planning/nc_raise_risk.html", {"nc": nc, "risk": _risk_from(nc)})
    with transaction.atomic():
        if existing:
            risk = permissions.visible_or_404(Risk.objects, user, pk=existing)
            if not permissions.can_edit(user, risk):  # someone else's, or closed
                raise PermissionDenied(_("You may not change this risk."))
            before = trail.m2m_values(risk, ["nonconformities"])
            risk.nonconformities.add(nc)
            trail.append_m2m_changes(
                risk,
                before,
                trail.m2m_values(risk, ["nonconformities"]),
                _("Updated after %(ref)s") % {"ref": nc.reference},
            )
            messages.success(
                request,
                _("%(nc)s linked to %(risk)s.") % {"nc": nc.reference, "risk": risk.reference},
            )
        else:
            risk = _risk_from(nc)
            risk.save(reason=_("Raised from %(ref)s") % {"ref": nc.reference})
            risk.nonconformities.add(nc)
            trail.append_m2m_changes(risk, {}, trail.m2m_values(risk, ["nonconformities"]))
            messages.success(
                request,
                _("%(risk)s raised from %(nc)s.") % {"risk": risk.reference, "nc": nc.reference},
            )
    return redirect("risks_detail", pk=risk.pk)


# --- KPIs --------------------------------------------------------------------------------
def can_measure(user: Any, kpi: Kpi) -> bool:
    """The KPI's owner and quality managers enter figures, while it is measured by hand."""
    if not permissions.has_any_role(user) or user.is_read_only:
        return False
    if kpi.automatic or kpi.status != "active":
        return False
    return kpi.owner_id == user.pk or bool(user.roles & roles.EDIT_ALL)


def _labels(kpi: Kpi, readings: list[Reading]) -> list[str]:
    return [periods.label(r.period, kpi.frequency) for r in readings]


def control(kpi: Kpi, readings: list[Reading]) -> spc.ControlChart:
    labels = _labels(kpi, readings)
    if kpi.kind == KpiKind.PROPORTION and all(r.denominator for r in readings):
        return spc.p_chart(
            [int(r.numerator or 0) for r in readings],
            [int(r.denominator or 0) for r in readings],
            labels,
        )
    return spc.individuals([float(r.value) for r in readings], labels)


def kpi_charts(kpi: Kpi, readings: list[Reading]) -> tuple[str, str, spc.ControlChart]:
    labels = _labels(kpi, readings)
    values = [float(r.value) for r in readings]
    proportion = kpi.kind == KpiKind.PROPORTION
    run = run_chart(
        labels,
        values,
        title=_("%(name)s, by period") % {"name": kpi.title},
        unit=kpi.unit,
        target=float(kpi.target),
        amber=float(kpi.amber) if kpi.amber is not None else None,
        red=float(kpi.red) if kpi.red is not None else None,
        higher_is_better=kpi.direction == "higher",
        decimals=kpi.decimals,
    )
    chart = control(kpi, readings)
    ids = {periods.label(r.period, kpi.frequency): r.measurement_id for r in readings}
    base = reverse("kpis_detail", args=[kpi.pk])

    def point_url(point: spc.Point) -> str:
        measurement = ids.get(point.label)
        return f"{base}#m-{measurement}" if measurement else ""

    title = (_("p-chart of %(name)s") if proportion else _("Individuals chart of %(name)s")) % {
        "name": kpi.title
    }
    svg = control_chart(
        chart, title=title, unit="" if proportion else kpi.unit, point_url=point_url
    )
    return run, svg, chart


def kpi_context(request: HttpRequest, kpi: Kpi) -> dict[str, Any]:
    readings = kpi.readings(last=36)
    latest = readings[-1] if readings else None
    run, svg, chart = kpi_charts(kpi, readings) if readings else ("", "", None)
    measurements = (
        list(kpi.measurements.select_related("entered_by").order_by("-period")[:60])
        if not kpi.automatic
        else []
    )
    signals = [p for p in chart.points if p.signals] if chart else []
    status = kpi.status_of(latest.value if latest else None)
    measures = can_measure(request.user, kpi)
    return {
        "readings": readings,
        "latest": latest,
        "status": status,
        "status_label": dict(KpiStatus.choices)[status],
        "status_why": next((z.values for z in kpi.zone_texts() if z.status == status), ""),
        "run_chart": run,
        "control_chart": svg,
        "control": chart,
        "signals": signals,
        "rules": spc.RULES,
        "measurements": measurements,
        "can_measure": measures,
        "measurement_form": MeasurementForm(kpi=kpi) if measures else None,
        "void_form": VoidForm(),
        "overdue": kpi.due_date is not None and kpi.is_overdue,
        "objectives": list(kpi.objectives.all()),
    }


def _kpi(request: HttpRequest, pk: int) -> Kpi:
    kpi: Kpi = permissions.visible_or_404(Kpi.objects, request.user, pk=pk)
    return kpi


@login_required
@require_POST
def measurement_add(request: HttpRequest, pk: int) -> HttpResponse:
    kpi = _kpi(request, pk)
    user = require_person(request)
    if not can_measure(user, kpi):
        raise PermissionDenied
    form = MeasurementForm(request.POST, kpi=kpi)
    if form.is_valid():
        measurement = form.save(commit=False)
        measurement.kpi = kpi
        measurement.entered_by = user
        measurement.source = "manual"
        measurement.save()
        messages.success(
            request,
            _("%(period)s recorded: %(value)s %(unit)s.")
            % {
                "period": measurement.period_label,
                "value": kpi.format(measurement.value),
                "unit": kpi.unit,
            },
        )
        return redirect("kpis_detail", pk=kpi.pk)
    from hoshin.core.views import detail_context
    from hoshin.planning.registers import KPIS

    context = detail_context(request, KPIS, kpi)
    context["measurement_form"] = form
    messages.error(request, _("The figure was not recorded: see the message below."))
    return render(request, "core/record_detail.html", context, status=400)


@login_required
@require_POST
def measurement_void(request: HttpRequest, pk: int, measurement_id: int) -> HttpResponse:
    kpi = _kpi(request, pk)
    if not can_measure(request.user, kpi):
        raise PermissionDenied
    measurement = get_object_or_404(
        kpi.measurements.filter(voided_at__isnull=True), pk=measurement_id
    )
    form = VoidForm(request.POST)
    if form.is_valid():
        measurement.void(form.cleaned_data["reason"])
        from hoshin.planning.models.kpi import refresh_due_date

        refresh_due_date(kpi)
        messages.success(request, _("Figure voided; you can enter the period again."))
    else:
        messages.error(request, _("Give a reason for voiding the figure."))
    return redirect("kpis_detail", pk=kpi.pk)


@dataclass
class KpiRow:
    kpi: Kpi
    latest: Reading | None
    status: str
    spark: SafeString
    readings: list[Reading]

    @property
    def why(self) -> str:
        """The values that give the status, in the words of the KPI's page."""
        return next((z.values for z in self.kpi.zone_texts() if z.status == self.status), "")


def kpi_rows(kpis: list[Kpi], last: int = 12) -> list[KpiRow]:
    """The latest figures of many KPIs with one query for all the typed-in ones."""
    by_kpi: dict[int, list[Reading]] = defaultdict(list)
    manual = [k.pk for k in kpis if not k.automatic]
    if manual:
        today = timezone.localdate()
        recent = Q()
        for frequency in Frequency.values:  # only the periods the sparkline shows
            since = periods.following(periods.start_of(today, frequency), frequency, -last)
            recent |= Q(kpi__frequency=frequency, period__gte=since)
        rows = (
            Measurement.objects.filter(recent, kpi_id__in=manual, voided_at__isnull=True)
            .order_by("kpi_id", "period")
            .values_list("kpi_id", "period", "value", "numerator", "denominator", "pk")
        )
        for kpi_id, *reading in rows:
            by_kpi[kpi_id].append(Reading(*reading))
    result = []
    for kpi in kpis:
        readings = kpi.readings(last) if kpi.automatic else by_kpi[kpi.pk][-last:]
        latest = readings[-1] if readings else None
        result.append(
            KpiRow(
                kpi,
                latest,
                kpi.status_of(latest.value if latest else None),
                sparkline([float(r.value) for r in readings]),
                readings,
            )
        )
    return result


def sparkline(values: list[float], width: int = 96, height: int = 24) -> SafeString:
    """A tiny trend line (decorative: the figures are in the table beside it)."""
    if len(values) < 2:
        return mark_safe("")
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    step = width / (len(values) - 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - (v - lo) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
    )
    return mark_safe(  # noqa: S308  (numbers only)
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-hidden="true" focusable="false">'
        f'<polyline points="{points}"/></svg>'
    )


@login_required
def kpi_overview(request: HttpRequest) -> HttpResponse:
    """Every KPI measured, its latest figure and its status, worst first."""
    from django.core.paginator import Paginator

    require_person(request)
    kpis = (
        Kpi.objects.visible_to(request.user)
        .filter(status="active", voided_at__isnull=True)
        .order_by("title")
    )
    # Every KPI's status from its latest figure (one query), worst first; the charts and
    # figures only for the page shown.
    statuses = latest_statuses(kpis)
    order = {
        KpiStatus.OFF_TARGET: 0,
        KpiStatus.AT_RISK: 1,
        KpiStatus.NO_DATA: 2,
        KpiStatus.ON_TARGET: 3,
    }
    ranked = sorted(statuses, key=lambda kv: (order[KpiStatus(kv[2])], kv[1]))
    counts = {s: sum(1 for _pk, _t, st in statuses if st == s) for s in KpiStatus.values}
    page = Paginator(ranked, 50).get_page(request.GET.get("page"))
    ids = [pk for pk, _t, _s in page.object_list]
    by_id = {k.pk: k for k in kpis.filter(pk__in=ids).select_related("owner", "process")}
    rows = kpi_rows([by_id[pk] for pk in ids])
    return render(
        request,
        "planning/kpi_overview.html",
        {
            "rows": overview_cells(rows),
            "counts": counts,
            "statuses": KpiStatus.choices,
            "page": page,
        },
    )


def latest_statuses(kpis: Any) -> list[tuple[int, str, str]]:
    """(pk, title, status) of these KPIs from their latest figure, in one query for the
    typed-in ones (as ``status_counts``)."""
    latest = Measurement.objects.filter(kpi=OuterRef("pk"), voided_at__isnull=True).order_by(
        "-period"
    )
    out = []
    for kpi in kpis.annotate(latest_value=Subquery(latest.values("value")[:1])):
        if kpi.automatic:
            readings = kpi.readings(1)
            value = readings[-1].value if readings else None
        else:
            value = kpi.latest_value
        out.append((kpi.pk, kpi.title, kpi.status_of(value)))
    return out


def overview_cells(rows: list[KpiRow]) -> list[dict[str, Any]]:
    """The overview's cells made in Python: the page lists every KPI (500 rows), where a
    template ``include``, two ``floatformat`` and a ``url`` per row cost ~0.1 ms."""
    from django.template.defaultfilters import date as date_filter
    from django.template.defaultfilters import floatformat
    from django.template.loader import render_to_string

    badges = {
        s: render_to_string("planning/_kpi_status.html", {"status": s}) for s in KpiStatus.values
    }
    cells = []
    for row in rows:
        kpi = row.kpi
        unit = f" {kpi.unit}" if kpi.unit else " "
        cells.append(
            {
                "url": reverse("kpis_detail", args=[kpi.pk]),
                "kpi": kpi,
                "badge": badges[row.status],
                "latest": f"{floatformat(row.latest.value, kpi.decimals)}{unit}"
                if row.latest
                else "—",
                "period": date_filter(row.latest.period, "Y-m-d") if row.latest else "—",
                "target": f"{kpi.get_target_display()}{unit}",
                "spark": row.spark,
            }
        )
    return cells


# --- objectives -------------------------------------------------------------------------------
def objective_status(statuses: list[str]) -> str:
    """An objective is as on track as its worst-measured KPI."""
    for status in (KpiStatus.OFF_TARGET, KpiStatus.AT_RISK, KpiStatus.ON_TARGET):
        if status in statuses:
            return status
    return KpiStatus.NO_DATA


def objective_context(request: HttpRequest, objective: Objective) -> dict[str, Any]:
    kpis = list(objective.kpis.all())
    rows = kpi_rows(kpis, last=24)
    charts = []
    for row in rows:
        if row.readings:
            run, _svg, _chart = kpi_charts(row.kpi, row.readings)
            charts.append((row, run))
    status = objective_status([r.status for r in rows])
    return {
        "kpi_rows": rows,
        "kpi_charts": charts,
        "on_track": status,
        "on_track_label": dict(KpiStatus.choices)[status],
    }


@login_required
def on_track(request: HttpRequest) -> HttpResponse:
    """Are we on track? Every approved objective with its KPIs' status."""
    require_person(request)
    objectives = list(
        Objective.objects.visible_to(request.user)
        .filter(status="approved", voided_at__isnull=True)
        .select_related("owner")
        .prefetch_related(Prefetch("kpis", queryset=Kpi.objects.order_by("title")))
        .order_by("due_date", "title")
    )
    all_kpis = {k.pk: k for o in objectives for k in o.kpis.all()}
    rows = {r.kpi.pk: r for r in kpi_rows(list(all_kpis.values()))}
    items = []
    for objective in objectives:
        kpi_rows_ = [rows[k.pk] for k in objective.kpis.all()]
        items.append((objective, objective_status([r.status for r in kpi_rows_]), kpi_rows_))
    counts = {s: sum(1 for _o, st, _r in items if st == s) for s in KpiStatus.values}
    return render(
        request,
        "planning/on_track.html",
        {"items": items, "counts": counts, "labels": dict(KpiStatus.choices)},
    )


def status_counts(kpis: Any) -> dict[str, int]:
    """How many of these KPIs are on target, at risk, off target or without data."""
    counts = dict.fromkeys(KpiStatus.values, 0)
    for _pk, _title, status in latest_statuses(kpis):
        counts[status] += 1
    return counts


def kpi_pdf(request: HttpRequest, kpi: Kpi) -> bytes:
    """The KPI's report: its definition, its charts (the same SVG as on the page) and trail."""
    from hoshin.core.report import record_pdf
    from hoshin.planning.registers import KPIS

    readings = kpi.readings(last=36)
    extra: list[tuple[str, Any]] = []
    if readings:
        run, svg, _chart = kpi_charts(kpi, readings)
        extra = [(_("Run chart"), run), (_("Control chart"), svg)]
    return record_pdf(request, KPIS, kpi, extra)
