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

from hoshin.core import roles, tally
from hoshin.core.charts import bar_chart, pareto_chart
from hoshin.core.dashboard import Panel, Shortcut, register_panel, register_shortcut
from hoshin.core.money import Converter, MissingRateError
from hoshin.improvement.models import (
    TALLY_CAUSE,
    TALLY_COST,
    TALLY_SOURCE,
    CauseCategory,
    CostItem,
    Nonconformity,
    Source,
)


def months_back(n: int, today: datetime.date | None = None) -> list[datetime.date]:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    months = []
    for _i in range(n):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


Figures = tuple[
    dict[tuple[datetime.date, str], int],  # (month, source) -> records
    dict[str, int],  # cause category -> records
    dict[tuple[datetime.date, str], Decimal],  # (month, currency) -> cost
]


def tallied_figures(start: datetime.date) -> Figures:
    """Everyone's figures from the tallies kept current on every save (hoshin.core.tally)."""
    found = tally.rows([TALLY_SOURCE, TALLY_CAUSE, TALLY_COST], since=start)
    by_source: dict[tuple[datetime.date, str], int] = {}
    causes: dict[str, int] = defaultdict(int)
    costs: dict[tuple[datetime.date, str], Decimal] = {}
    for label, day, count, _amount in found[TALLY_SOURCE]:
        by_source[(day, label)] = count
    for label, _day, count, _amount in found[TALLY_CAUSE]:
        causes[label] += count
    for label, day, _count, amount in found[TALLY_COST]:
        costs[(day, label)] = Decimal(amount)
    return by_source, dict(causes), costs


def counted_figures(request: HttpRequest, start: datetime.date) -> Figures:
    """The figures of the records this person may see, counted now."""
    visible = Nonconformity.objects.visible_to(request.user).filter(voided_at__isnull=True)
    recent = visible.filter(detected_on__gte=start)
    by_source: dict[tuple[datetime.date, str], int] = defaultdict(int)
    # Grouped by day, bucketed by month here: TruncMonth is a Python function per row on SQLite.
    for row in recent.values("detected_on", "source").annotate(n=Count("id")).order_by():
        by_source[(row["detected_on"].replace(day=1), row["source"])] += row["n"]
    causes = dict(
        recent.exclude(cause_category="")
        .values_list("cause_category")
        .annotate(n=Count("id"))
        .order_by()
    )
    cost_rows = (
        CostItem.objects.filter(
            voided_at__isnull=True, incurred_on__gte=start, nonconformity__in=visible
        )
        .values("incurred_on", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    costs: dict[tuple[datetime.date, str], Decimal] = defaultdict(Decimal)
    for row in cost_rows:
        costs[(row["incurred_on"].replace(day=1), row["currency"])] += row["total"]
    return dict(by_source), causes, dict(costs)


def panel_context(request: HttpRequest) -> dict[str, Any]:
    months = months_back(12)
    start = months[0]
    labels = [m.strftime("%b %y") for m in months]
    user: Any = request.user
    if user.roles & roles.SEE_ALL:
        by_month_source, causes, costs = tallied_figures(start)
    else:
        by_month_source, causes, costs = counted_figures(request, start)

    index = {m: i for i, m in enumerate(months)}
    by_source: dict[str, list[int]] = {s: [0] * len(months) for s in Source.values}
    for (month, source), n in by_month_source.items():
        i = index.get(month)
        if i is not None and source in by_source:
            by_source[source][i] += n
    series = [
        (str(label), by_source[value]) for value, label in Source.choices if any(by_source[value])
    ]
    pareto_items = [
        (str(label), causes.get(value, 0))
        for value, label in CauseCategory.choices
        if causes.get(value)
    ]

    converter = Converter()
    cost_by_month = [Decimal(0)] * len(months)
    missing: set[str] = set()
    for (month, currency), total in costs.items():
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
    }


def register_home() -> None:
    """What this app puts on the home page; called from its AppConfig.ready()."""
    register_panel(Panel("improvement/_dashboard.html", panel_context, order=10))
    register_shortcut(
        Shortcut(gettext_lazy("Report a nonconformity"), "nonconformities_create", order=10)
    )
