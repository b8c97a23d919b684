"""Document pages cost a fixed number of queries, however many documents, versions,
signatures and readers there are (no N+1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from hoshin.core import roles
from hoshin.core.models import User
from hoshin.support import versions
from hoshin.support.models import Document
from tests.conftest import approve, make_user
from tests.test_query_counts import LARGE, SMALL, assert_flat, count_queries, signed_in


def add_documents(make_doc: Callable[..., Document], people: dict[str, User], n: int) -> None:
    """``n`` documents in force (version 2, so version 1 is superseded), each read by the
    employee and with a version 3 in review waiting for the reviewer."""
    for i in range(n):
        doc = make_doc(title=f"Procedure {i}", body=f"# Purpose\n\nGauge step {i}.")
        doc.distribute_people.add(people["employee"])
        approve(doc, people["quality"], people["reviewer"], people["ceo"])
        versions.start(
            doc,
            people["quality"],
            change_reason="Second",
            body=f"# Purpose\n\nGauge step {i}, second issue.",
        )
        approve(doc, people["quality"], people["reviewer"], people["ceo"])
        versions.start(
            doc,
            people["quality"],
            change_reason="Third",
            body=f"# Purpose\n\nGauge step {i}, third issue.",
        )
        versions.submit(
            doc.working(),  # type: ignore[arg-type]
            people["quality"],
            reviewers=[people["reviewer"]],
            approvers=[people["ceo"]],
            in_order=False,
            effective_on=None,
        )


@pytest.fixture
def library(make_doc, quality, ceo, reviewer, employee) -> dict[str, Any]:
    people = {"quality": quality, "ceo": ceo, "reviewer": reviewer, "employee": employee}
    add_documents(make_doc, people, SMALL)
    return {"grow": lambda: add_documents(make_doc, people, LARGE - SMALL)}


PAGES = [
    ("documents_list", {}),
    ("documents_list", {"q": "gauge", "sort": "-effective_on"}),
    ("documents_search", {"q": "gauge step"}),
    ("documents_to_read", {}),
    ("documents_export_csv", {}),
    ("home", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), PAGES, ids=[f"{n}{p}" for n, p in PAGES])
@pytest.mark.parametrize("who", ["quality", "employee", "reviewer"])
def test_document_pages_cost_the_same_queries_for_5_and_25_documents(
    name: str, params: dict[str, str], who: str, request: pytest.FixtureRequest, library
) -> None:
    client = signed_in(request.getfixturevalue(who))
    url = reverse(name)
    assert_flat(lambda: count_queries(client, url, **params), library["grow"])


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["quality", "employee"])
def test_the_documents_api_list_costs_the_same_queries(who, request, library) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert_flat(lambda: count_queries(client, "/api/documents/"), library["grow"])


@pytest.mark.django_db
def test_a_document_page_costs_the_same_with_more_versions_and_readers(
    make_doc, quality, ceo, reviewer
) -> None:
    doc = make_doc()
    approve(doc, quality, reviewer, ceo)

    def grow() -> None:
        for i in range(4):
            reader = make_user(f"reader-{doc.versions.count()}-{i}", roles.EMPLOYEE)
            doc.distribute_people.add(reader)
            versions.start(doc, quality, change_reason=f"Change {i}", body=f"Change {reader}")
            approve(doc, quality, reviewer, ceo)

    client = signed_in(quality)
    for url in (
        reverse("documents_detail", args=[doc.pk]),
        reverse("document_version", args=[doc.pk, 1]),
    ):
        assert_flat(lambda u=url: count_queries(client, u), grow)  # type: ignore[misc]
