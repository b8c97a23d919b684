"""Planning pages cost a fixed number of queries, however many risks, KPIs, figures and
objectives there are (no N+1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    ChangePlanFactory,
    KpiFactory,
    MeasurementFactory,
    ObjectiveFactory,
    RiskFactory,
    months_ago,
)
from tests.test_query_counts import LARGE, SMALL, assert_flat, count_queries, signed_in


def add_world(owner: Any, n: int) -> None:
    """``n`` risks with an action each, ``n`` KPIs with six figures, in ``n`` objectives,
    and ``n`` change plans touching a risk each."""
    for i in range(n):
        risk = RiskFactory(
            owner=owner,
            title=f"Risk {i}",
            inherent_likelihood=1 + i % 5,
            inherent_impact=1 + (i * 3) % 5,
        )
        ActionFactory(
            record=risk, description=f"Do {i}", due_date=risk.created_at.date(), kind="treatment"
        )
        kpi = KpiFactory(owner=owner, title=f"KPI {i}", red=Decimal(90))
        for month in range(1, 7):
            MeasurementFactory(kpi=kpi, period=months_ago(month), value=90 + (i + month) % 8)
        ObjectiveFactory(owner=owner, title=f"Objective {i}", status="approved", kpis=[kpi])
        plan = ChangePlanFactory(owner=owner, title=f"Change {i}")
        plan.risks.add(risk)


@pytest.fixture
def world(owner) -> dict[str, Any]:
    add_world(owner, SMALL)
    return {"grow": lambda: add_world(owner, LARGE - SMALL)}


PAGES = [
    ("risks_list", {}),
    ("risks_list", {"inherent_level": "high", "sort": "-inherent_rating"}),
    ("risks_heat_map", {}),
    ("kpis_list", {}),
    ("kpis_overview", {}),
    ("objectives_list", {}),
    ("objectives_on_track", {}),
    ("home", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), PAGES, ids=[f"{n}{p}" for n, p in PAGES])
@pytest.mark.parametrize("who", ["quality", "owner"])
def test_planning_pages_cost_the_same_queries_for_5_and_25_of_everything(
    name: str, params: dict[str, str], who: str, request: pytest.FixtureRequest, world
) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert_flat(lambda: count_queries(client, reverse(name), **params), world["grow"])


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["risks", "kpis", "objectives", "changes"])
def test_planning_api_lists_cost_the_same_queries(slug: str, quality, world) -> None:
    client = signed_in(quality)
    assert_flat(lambda: count_queries(client, f"/api/{slug}/"), world["grow"])


@pytest.mark.django_db
def test_a_kpi_page_costs_the_same_with_more_figures(owner, quality) -> None:
    kpi = KpiFactory(owner=owner, figures=[95] * 5)

    def grow() -> None:
        for month in range(6, 20):
            MeasurementFactory(kpi=kpi, period=months_ago(month), value=96)

    client = signed_in(quality)
    assert_flat(lambda: count_queries(client, reverse("kpis_detail", args=[kpi.pk])), grow)
