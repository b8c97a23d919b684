"""The home page's figures are tallies kept current by the transaction that changes a
record: they agree with a recount after every kind of change, cost the same number of
queries however many records there are, and `hoshin tally` finds and repairs a drift."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hoshin.core import tally
from hoshin.core.actor import acting_as
from hoshin.core.models import Tally, User
from hoshin.improvement import dashboard
from hoshin.improvement.models import (
    TALLY_CAUSE,
    TALLY_COST,
    TALLY_SOURCE,
    CostItem,
    Nonconformity,
)
from hoshin.improvement.workflow import WORKFLOW
from hoshin.planning.models import Kpi
from tests.conftest import advance
from tests.factories import KpiFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

MakeNc = Callable[..., Nonconformity]


def count(name: str, label: str, day: datetime.date | None = None) -> int:
    rows = Tally.objects.filter(name=name, label=label)
    if day is not None:
        rows = rows.filter(day=day)
    return sum(t.count for t in rows)


def cost(nc: Nonconformity, amount: str, category: str = "scrap") -> CostItem:
    """A cost line in euros on the day the nonconformity was found (unsaved)."""
    return CostItem(
        nonconformity=nc,
        category=category,
        amount=Decimal(amount),
        currency="EUR",
        incurred_on=nc.detected_on,
    )


def open_of(model: type[Model], today: datetime.date | None = None) -> tuple[int, int]:
    return tally.open_counts([model], today or timezone.localdate())[model]


def test_a_new_nonconformity_is_counted_open_by_source_and_month(make_nc: MakeNc) -> None:
    today = timezone.localdate()
    nc = make_nc(source="customer_complaint", due_date=today - datetime.timedelta(days=1))

    assert open_of(Nonconformity) == (1, 1)  # one open, and it is already late
    assert count(TALLY_SOURCE, "customer_complaint", today.replace(day=1)) == 1
    assert count(tally.open_name(Nonconformity), nc.status) == 1
    assert tally.mismatches() == []


def test_an_edit_moves_the_record_between_keys(make_nc: MakeNc) -> None:
    nc = make_nc(source="customer_complaint")
    month = nc.detected_on.replace(day=1)
    nc.source = "supplier"
    with acting_as(nc.owner):
        nc.save()

    assert count(TALLY_SOURCE, "customer_complaint", month) == 0
    assert count(TALLY_SOURCE, "supplier", month) == 1
    assert tally.mismatches() == []


def test_closing_takes_it_out_of_the_open_figures_and_keeps_its_cause(
    make_nc: MakeNc, quality: User, ceo: User
) -> None:
    nc = advance(make_nc(), "closed", by=quality, verifier=ceo)

    assert nc.status == "closed"
    assert open_of(Nonconformity) == (0, 0)
    assert count(TALLY_CAUSE, "method") == 1  # the cause stays in the Pareto
    assert tally.mismatches() == []


def test_a_void_record_leaves_every_figure_with_its_costs(
    make_nc: MakeNc, owner: User, quality: User
) -> None:
    nc = make_nc()
    with acting_as(owner):
        cost(nc, "120.50").save()
        nc.refresh_from_db()
    with acting_as(quality):
        WORKFLOW.perform(nc, "void", quality, comment="Raised twice")

    assert open_of(Nonconformity) == (0, 0)
    assert count(TALLY_SOURCE, nc.source) == 0
    assert count(TALLY_COST, "EUR") == 0
    assert tally.mismatches() == []


def test_costs_add_up_per_month_and_currency_and_a_voided_line_drops_out(
    make_nc: MakeNc, owner: User
) -> None:
    nc = make_nc()
    month = nc.detected_on.replace(day=1)
    with acting_as(owner):
        lines = [cost(nc, "100.25"), cost(nc, "19.75")]
        for line in lines:
            line.save()
    row = Tally.objects.get(name=TALLY_COST, label="EUR", day=month)
    assert (row.count, row.amount) == (2, Decimal("120.00"))

    with acting_as(owner):
        lines[0].void("Booked twice")
    row.refresh_from_db()
    assert (row.count, row.amount) == (1, Decimal("19.75"))
    assert tally.mismatches() == []


def test_a_kpi_due_date_set_by_its_figures_moves_its_open_tally(quality: User) -> None:
    kpi = KpiFactory(owner=quality)
    before = kpi.due_date
    MeasurementFactory(kpi=kpi, value=Decimal(96))

    kpi.refresh_from_db()
    assert kpi.due_date != before
    assert count(tally.open_name(Kpi), kpi.status, kpi.due_date) == 1
    assert tally.mismatches() == []


def test_home_figures_for_an_oversight_role_read_the_tallies_in_one_query(
    client: Any, make_nc: MakeNc, quality: User
) -> None:
    today = timezone.localdate()
    make_nc(due_date=today - datetime.timedelta(days=3))
    make_nc(due_date=today + datetime.timedelta(days=3))
    client.force_login(quality)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    tally_queries = [q for q in queries.captured_queries if '"core_tally"' in q["sql"]]
    # One for every register's open and overdue counts, one for the panel's figures.
    assert len(tally_queries) == 2
    row = next(r for r in response.context["overdue"] if r[0].model is Nonconformity)
    assert (row[1], row[2]) == (1, 2)


def test_someone_without_oversight_counts_only_what_they_may_see_and_not_void(
    client: Any, make_nc: MakeNc, owner: User, employee: User
) -> None:
    mine = make_nc(owner=owner, actor=employee)  # recorded by the employee: theirs to see
    make_nc(owner=owner)  # someone else's
    with acting_as(owner):
        make_nc(owner=owner, actor=employee).void("Raised twice")
    client.force_login(employee)

    response = client.get("/")
    row = next(r for r in response.context["overdue"] if r[0].model is Nonconformity)
    assert row[2] == 1
    assert mine.created_by == employee


def test_the_panel_shows_the_same_figures_from_tallies_and_from_a_recount(
    rf: Any, make_nc: MakeNc, owner: User, quality: User
) -> None:
    today = timezone.localdate()
    for source in ("customer_complaint", "supplier", "supplier"):
        nc = make_nc(source=source, detected_on=today - datetime.timedelta(days=40))
        with acting_as(owner):
            cost(nc, "10", category="rework").save()
    request = rf.get("/")
    request.user = quality
    start = dashboard.months_back(12)[0]

    assert dashboard.tallied_figures(start) == dashboard.counted_figures(request, start)


def test_check_finds_a_drift_and_rebuild_repairs_it(make_nc: MakeNc, capsys: Any) -> None:
    make_nc()
    call_command("tally")
    assert "agree" in capsys.readouterr().out

    # A row inserted past Record.save (as a bulk load would): the tallies do not know it.
    Nonconformity.objects.bulk_create(
        [
            Nonconformity(
                reference="NC-BULK-1",
                title="Loaded in bulk",
                description="-",
                source="supplier",
                severity="minor",
                owner=User.objects.get(username="owner"),
                status="reported",
                detected_on=timezone.localdate(),
            )
        ]
    )
    with pytest.raises(CommandError, match="differ"):
        call_command("tally")

    call_command("tally", "--rebuild")
    call_command("tally")
    assert open_of(Nonconformity)[1] == 2


def test_a_database_without_tallies_gets_them_built_after_migrate(make_nc: MakeNc) -> None:
    make_nc()
    Tally.objects.all().delete()

    tally.build_if_missing()

    assert open_of(Nonconformity)[1] == 1
    assert tally.mismatches() == []


def test_the_same_instance_counts_children_added_after_it_was_created(
    make_nc: MakeNc, owner: User
) -> None:
    """A record made and then changed through one Python object (as the demo does) still
    reads its children when it is saved again: its costs leave with it when voided."""
    nc = make_nc()
    with acting_as(owner):
        cost(nc, "40").save()
        nc.void("Raised twice")

    assert count(TALLY_COST, "EUR") == 0
    assert tally.mismatches() == []


def test_an_unfiltered_list_is_counted_from_its_tally_and_a_filtered_one_row_by_row(
    client: Any, make_nc: MakeNc, quality: User, employee: User
) -> None:
    make_nc(source="supplier")
    make_nc(owner=User.objects.get(username="owner"), actor=employee)
    with acting_as(quality):
        make_nc().void("Raised twice")  # voided rows are listed too
    client.force_login(quality)

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/nonconformities/").json()
    assert body["count"] == Nonconformity.objects.count() == 3
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [q for q in counts if "improvement_nonconformity" in q]
    page = client.get("/nonconformities/").context["page"]
    assert page.paginator.count == 3

    # A filter, or someone who sees only their own records: counted row by row.
    assert client.get("/api/nonconformities/", {"source": "supplier"}).json()["count"] == 1
    client.force_login(employee)
    assert client.get("/api/nonconformities/").json()["count"] == 1


def test_tallies_built_by_an_earlier_version_are_rebuilt_after_migrate(make_nc: MakeNc) -> None:
    make_nc()
    # As a database whose tallies were built before the row counts existed.
    Tally.objects.filter(name=tally.all_name(Nonconformity)).delete()
    Tally.objects.filter(name=tally.BUILT).update(label="")

    tally.build_if_missing()

    assert count(tally.all_name(Nonconformity), "") == 1
    assert tally.mismatches() == []
