"""Home-page panel: KPI status, objectives on track, open risks by level."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from hoshin.core.dashboard import Panel, register_panel
from hoshin.planning.models import Kpi, Risk, RiskLevel
from hoshin.planning.models.kpi import KpiStatus


def panel_context(request: HttpRequest) -> dict[str, Any]:
    from hoshin.planning.views import OPEN_RISK_STATES, status_counts

    user: Any = request.user
    kpis = Kpi.objects.visible_to(user).filter(status="active", voided_at__isnull=True)
    counts = status_counts(kpis)
    levels = dict(
        Risk.objects.visible_to(user)
        .filter(status__in=OPEN_RISK_STATES, voided_at__isnull=True)
        .exclude(inherent_level="")
        .values_list("inherent_level")
        .annotate(n=Count("pk"))
    )
    overdue = kpis.filter(due_date__lt=timezone.localdate()).count()
    return {
        "kpi_counts": [(value, label, counts[value]) for value, label in KpiStatus.choices],
        "kpi_total": sum(counts.values()),
        "risk_levels": [(value, label, levels.get(value, 0)) for value, label in RiskLevel.choices],
        "kpi_overdue": overdue,
    }


def register_home() -> None:
    """What this app puts on the home page; called from its AppConfig.ready()."""
    register_panel(Panel("planning/_panel.html", panel_context, order=15))
