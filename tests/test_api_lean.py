"""The lean reads of the API (issue 11) load only what they answer: ``?fields=`` naming
model fields reads those columns without the list page's joins, and a read that neither
filters nor orders skips the filter backends; the answers are the full representation's,
field for field, and a filter still filters (or refuses)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoshin.core.models import User
from tests.conftest import api_as

LEAN = ("reference", "title", "status", "process", "owner", "updated_at", "due_date", "version")


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["nonconformities", "risks", "documents"])
def test_lean_fields_answer_as_the_full_representation(
    slug: str, three_of_each: dict[str, Any], quality: User
) -> None:
    client = api_as(quality)
    full = client.get(f"/api/{slug}/").json()["results"]
    names = [n for n in LEAN if n in full[0]]
    lean = client.get(f"/api/{slug}/", {"fields": ",".join(names)}).json()["results"]
    assert lean == [{n: row[n] for n in names} for row in full]
    pk = full[0]["id"]
    one = client.get(f"/api/{slug}/{pk}/", {"fields": ",".join(names)}).json()
    assert one == {n: full[0][n] for n in names}


@pytest.mark.django_db
def test_a_lean_list_reads_its_columns_without_joins(three_of_each: Any, quality: User) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = api_as(quality).get(
            "/api/nonconformities/", {"fields": "reference,title,owner,process"}
        )
    assert response.status_code == 200
    rows = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "improvement_nonconformity"' in q["sql"] and "COUNT(" not in q["sql"]
    ]
    assert len(rows) == 1
    assert "JOIN" not in rows[0]
    assert '"description"' not in rows[0]


@pytest.mark.django_db
def test_a_lean_read_still_filters_and_refuses_a_bad_filter(
    three_of_each: Any, quality: User
) -> None:
    client = api_as(quality)
    nc = three_of_each["nonconformities"][0]
    answer = client.get("/api/nonconformities/", {"fields": "id,status", "status": nc.status})
    assert {r["status"] for r in answer.json()["results"]} == {nc.status}
    none = client.get("/api/nonconformities/", {"fields": "id", "status": "void"}).json()
    assert none["count"] == 0
    bad = client.get("/api/nonconformities/", {"fields": "id", "status": "no-such-state"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_only_the_filters_asked_for_are_built_and_they_all_apply(
    three_of_each: Any, quality: User
) -> None:
    from hoshin.improvement.models import Nonconformity

    nc = three_of_each["nonconformities"][0]
    client = api_as(quality)
    params = {"fields": "id", "status": nc.status, "severity": nc.severity, "owner": quality.pk}
    ids = {r["id"] for r in client.get("/api/nonconformities/", params).json()["results"]}
    expected = Nonconformity.objects.filter(
        status=nc.status, severity=nc.severity, owner=quality
    ).values_list("pk", flat=True)
    assert ids == set(expected)
    # The browsable API still offers every filter, whichever were asked for.
    page = client.get("/api/nonconformities/", {"status": nc.status}, HTTP_ACCEPT="text/html")
    assert 'name="site"' in page.content.decode()


@pytest.mark.django_db
def test_a_register_names_its_overdue_filter_and_a_narrowed_set_still_answers(
    client: Any, quality: User
) -> None:
    client.force_login(quality)
    assert "Review overdue" in client.get("/documents/").content.decode()
    assert "Figure overdue" in client.get("/kpis/").content.decode()
    api = api_as(quality)
    for params in ({"overdue": "true"}, {"owner": quality.pk}):
        assert api.get("/api/documents/", params).status_code == 200
        assert api.get("/api/kpis/", params).status_code == 200


@pytest.mark.django_db
def test_the_schema_says_a_step_may_answer_429_when_signing_is_locked(quality: User) -> None:
    schema = api_as(quality).get("/api/schema/", {"format": "json"}).json()
    step = schema["paths"]["/api/nonconformities/{id}/transition/"]["post"]
    assert "429" in step["responses"]
