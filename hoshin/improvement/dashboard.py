"""Home-page panel: nonconformities by month and source, root-cause Pareto, cost of poor quality."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoshin.core.charts import bar_chart, pareto_chart
from hoshin.core.dashboard import Panel, Shortcut, register_panel, register_shortcut
from hoshin.core.money import Converter, MissingRateError
from hoshin.improvement.models import CauseCategory, CostItem, Nonconformity, Source
from hoshin.improvement.workflow import WORKFLOW


def months_back(n: int, today: datetime.date | None = None) -> list[datetime.date]:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    months = []
    for _i in range(n):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def panel_context(request: HttpRequest) -> dict[str, Any]:
    months = months_back(12)
    start = months[0]
    labels = [m.strftime("%b %y") for m in months]
    visible = Nonconformity.objects.visible_to(request.user).filter(voided_at__isnull=True)
    recent = visible.filter(detected_on__gte=start)

    by_source: dict[str, list[int]] = {s: [0] * len(months) for s in Source.values}
    # Grouped by day, bucketed by month here: TruncMonth is a Python function per row on SQLite.
    rows = recent.values("detected_on", "source").annotate(n=Count("id")).order_by()
    index = {m: i for i, m in enumerate(months)}
    for row in rows:
        i = index.get(row["detected_on"].replace(day=1))
        if i is not None and row["source"] in by_source:
            by_source[row["source"]][i] += row["n"]
    series = [
        (str(label), by_source[value]) for value, label in Source.choices if any(by_source[value])
    ]

    causes = dict(
        recent.exclude(cause_category="")
        .values_list("cause_category")
        .annotate(n=Count("id"))
        .order_by()
    )
    pareto_items = [
        (str(label), causes.get(value, 0))
        for value, label in CauseCategory.choices
        if causes.get(value)
    ]

    converter = Converter()
    cost_by_month = [Decimal(0)] * len(months)
    missing: set[str] = set()
    cost_rows = (
        CostItem.objects.filter(
            voided_at__isnull=True, incurred_on__gte=start, nonconformity__in=visible
        )
        .values("incurred_on", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    totals: dict[tuple[datetime.date, str], Decimal] = defaultdict(Decimal)
    for row in cost_rows:
        totals[(row["incurred_on"].replace(day=1), row["currency"])] += row["total"]
    for (month, currency), total in totals.items():
        i = index.get(month)
        if i is None:
            continue
        try:
            cost_by_month[i] += converter.to_base(total, currency, month)
        except MissingRateError:
            missing.add(currency)

    return {
        "nc_month_chart": bar_chart(
            labels,
            series or [("", [0] * len(months))],
            title=_("Nonconformities per month by source"),
        ),
        "nc_month_table": (labels, series),
        "pareto_chart": pareto_chart(pareto_items, title=_("Root-cause categories (Pareto)")),
        "pareto_items": sorted(pareto_items, key=lambda kv: -kv[1]),
        "copq_chart": bar_chart(
            labels,
            [(converter.base, cost_by_month)],
            title=_("Cost of poor quality per month (%(cur)s)") % {"cur": converter.base},
            unit=f" {converter.base}",
        ),
        "copq_total": sum(cost_by_month),
        "base_currency": converter.base,
        "missing_rates": sorted(missing),
        "open_by_state": list(
            visible.filter(status__in=[s.name for s in WORKFLOW.states if not s.final])
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by()
        ),
    }


def register_home() -> None:
    """What this app puts on the home page; called from its AppConfig.ready()."""
    register_panel(Panel("improvement/_dashboard.html", panel_context, order=10))
    register_shortcut(
        Shortcut(gettext_lazy("Report a nonconformity"), "nonconformities_create", order=10)
    )
