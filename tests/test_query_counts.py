"""Pages cost a fixed number of queries, however many records there are (no N+1)."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hoshin.core.actor import acting_as
from hoshin.core.models import Action, Comment, User
from hoshin.improvement.models import CostItem, Nonconformity
from tests.conftest import advance

SMALL, LARGE = 5, 25


def add_ncs(
    make_nc: Callable[..., Nonconformity], owner: User, reporter: User, n: int
) -> list[Nonconformity]:
    """``n`` nonconformities, each with a corrective action, a cost line and a comment;
    ``reporter`` detected them all, so an employee reporter sees them too; one in five is
    waiting for verification."""
    today = timezone.localdate()
    made = []
    for i in range(n):
        nc = make_nc(
            title=f"Burr {i}",
            due_date=today + datetime.timedelta(days=i - 3),
            detected_by=reporter,
        )
        with acting_as(owner):
            action = Action(description=f"Deburr {i}", owner=owner, due_date=today)
            action.link_to(nc)
            action.save()
            CostItem(
                nonconformity=nc,
                category="scrap",
                amount=Decimal("12.50"),
                currency="EUR",
                incurred_on=today,
            ).save()
            comment = Comment(author=owner, text=f"Seen {i}")
            comment.link_to(nc)
            comment.save()
        if i % 5 == 0:  # some wait for a verifier's signature (the home page's approvals)
            nc = advance(nc, "verification", by=owner)
        made.append(nc)
    return made


def count_queries(client: Client, url: str, **params: Any) -> tuple[int, list[str]]:
    client.get(url, params)  # warm-up: per-process caches (content types, settings rows)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def _shape(sql: str) -> str:
    """A statement with its literal values taken out, so repeated shapes can be counted."""
    sql = re.sub(r"'[^']*'", "?", sql)
    return re.sub(r"\b\d+\b", "?", sql)


def explain(small: list[str], large: list[str]) -> str:
    """The statements that run more often with more records: the N+1 suspects."""
    grew = Counter(map(_shape, large)) - Counter(map(_shape, small))
    lines = [f"{n}x {sql[:300]}" for sql, n in grew.most_common(5)]
    return f"{len(small)} queries with {SMALL} records, {len(large)} with {LARGE}:\n" + "\n".join(
        lines
    )


def assert_flat(measure: Callable[[], tuple[int, list[str]]], grow: Callable[[], None]) -> None:
    n_small, small = measure()
    grow()
    n_large, large = measure()
    assert n_small == n_large, explain(small, large)


@pytest.fixture
def world(
    make_nc: Callable[..., Nonconformity], owner: User, employee: User, quality: User
) -> dict[str, Any]:
    # Everyone exists before the first records: the quality manager is then told of the
    # first verification as of the later ones (5 and 25 records, not 0 and 20 assignments).
    first = add_ncs(make_nc, owner, employee, SMALL)
    return {"first": first, "grow": lambda: add_ncs(make_nc, owner, employee, LARGE - SMALL)}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["quality", "owner", "employee"])
def test_the_list_page_costs_the_same_queries_for_5_and_25_records(
    who: str, request: pytest.FixtureRequest, world: dict[str, Any]
) -> None:
    client = signed_in(request.getfixturevalue(who))
    url = reverse("nonconformities_list")
    assert_flat(lambda: count_queries(client, url), world["grow"])


@pytest.mark.django_db
def test_the_sorted_and_filtered_list_page_costs_the_same_queries_for_5_and_25_records(
    quality: User, world: dict[str, Any]
) -> None:
    client = signed_in(quality)
    url = reverse("nonconformities_list")
    assert_flat(
        lambda: count_queries(client, url, sort="-process.name", status="reported", q="Burr"),
        world["grow"],
    )


@pytest.mark.django_db
def test_the_csv_export_costs_the_same_queries_for_5_and_25_records(
    quality: User, world: dict[str, Any]
) -> None:
    client = signed_in(quality)
    url = reverse("nonconformities_export_csv")
    assert_flat(lambda: count_queries(client, url), world["grow"])


@pytest.mark.django_db
def test_the_detail_page_costs_the_same_queries_for_5_and_25_records(
    quality: User, world: dict[str, Any]
) -> None:
    client = signed_in(quality)
    url = reverse("nonconformities_detail", args=[world["first"][0].pk])
    assert_flat(lambda: count_queries(client, url), world["grow"])


@pytest.mark.django_db
def test_the_detail_page_costs_the_same_queries_for_1_and_5_children(
    quality: User, owner: User, nc: Nonconformity
) -> None:
    """GIVEN a nonconformity with one action, cost line, comment and trail entry each
    WHEN it gets four more of each
    THEN its page still costs the same number of queries."""
    today = timezone.localdate()

    def add_children(n: int) -> None:
        with acting_as(owner):
            for i in range(n):
                action = Action(description=f"Step {i}", owner=owner, due_date=today)
                action.link_to(nc)
                action.save()
                CostItem(
                    nonconformity=nc,
                    category="rework",
                    amount=Decimal(5),
                    currency="EUR",
                    incurred_on=today,
                ).save()
                comment = Comment(author=owner, text=f"Note {i}")
                comment.link_to(nc)
                comment.save()

    add_children(1)
    client = signed_in(quality)
    url = reverse("nonconformities_detail", args=[nc.pk])
    assert_flat(lambda: count_queries(client, url), lambda: add_children(4))


@pytest.mark.django_db
def test_the_detail_page_reads_each_kind_of_row_once(
    quality: User, owner: User, make_nc: Callable[..., Nonconformity], site: Any
) -> None:
    """GIVEN a nonconformity with a site, a process, an action and a cost line
    WHEN its page is shown
    THEN its actions and cost lines are each read once (the steps' checks reuse them),
    and its people and site come with the record, not a query each."""
    today = timezone.localdate()
    nc = make_nc(site=site, detected_by=owner)
    with acting_as(owner):
        action = Action(description="Deburr", owner=owner, due_date=today)
        action.link_to(nc)
        action.save()
        CostItem(
            nonconformity=nc,
            category="rework",
            amount=Decimal(5),
            currency="EUR",
            incurred_on=today,
        ).save()
    _n, queries = count_queries(signed_in(quality), reverse("nonconformities_detail", args=[nc.pk]))

    def reading(table: str) -> list[str]:
        return [q for q in queries if q.startswith("SELECT") and f'FROM "{table}"' in q]

    assert len(reading("core_action")) == 1
    assert len(reading("improvement_costitem")) == 1
    assert len(reading("core_site")) == 0
    assert len(reading("core_organisation")) == 1
    # The signed-in person is read by the session; nobody else on their own.
    assert len([q for q in reading("core_user") if '"core_user"."id" = ' in q]) == 1
    # Nothing unread about it: looking writes nothing (on SQLite a write waits for the lock).
    assert not [q for q in queries if q.startswith(("UPDATE", "INSERT", "DELETE"))]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["quality", "employee"])
def test_the_api_list_costs_the_same_queries_for_5_and_25_records(
    who: str, request: pytest.FixtureRequest, world: dict[str, Any]
) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert_flat(lambda: count_queries(client, "/api/nonconformities/"), world["grow"])


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["quality", "owner", "employee", "extaudit"])
def test_the_home_page_costs_the_same_queries_for_5_and_25_records(
    who: str, request: pytest.FixtureRequest, world: dict[str, Any]
) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert_flat(lambda: count_queries(client, reverse("home")), world["grow"])
