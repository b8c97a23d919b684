"""Sparse fields (``?fields=``) and the brief form (``?view=brief``) of every register's API
(issue 11): only the fields asked for, in the record's order, none of the others computed;
the full representation stays the default, and both parameters are in the schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hoshin.core.api import readable_fields
from hoshin.core.models import User
from hoshin.core.registry import registry
from tests.conftest import api_as

SPARSE = "id,reference,title,status"


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["nonconformities", "risks", "documents"])
def test_a_list_with_fields_shows_only_those_in_the_records_order(
    slug: str, three_of_each: dict[str, Any], quality: User
) -> None:
    response = api_as(quality).get(f"/api/{slug}/", {"fields": "title,id,status,reference"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 3
    for row in rows:
        assert list(row) == ["id", "reference", "title", "status"]
    assert {row["id"] for row in rows} == {r.pk for r in three_of_each[slug]}


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["nonconformities", "risks", "documents"])
def test_one_record_with_fields_shows_only_those(
    slug: str, three_of_each: dict[str, Any], quality: User
) -> None:
    record = three_of_each[slug][0]
    body = api_as(quality).get(f"/api/{slug}/{record.pk}/", {"fields": "reference,version"}).json()
    assert body == {"reference": record.reference, "version": record.version}


@pytest.mark.django_db
def test_without_fields_or_with_fields_empty_every_field_is_shown(
    three_of_each: dict[str, Any], quality: User
) -> None:
    client = api_as(quality)
    full = client.get("/api/nonconformities/").json()["results"][0]
    assert list(full) == list(readable_fields(registry.get("nonconformities").serializer_class))
    assert "actions" in full and "available_transitions" in full
    assert client.get("/api/nonconformities/", {"fields": ""}).json()["results"][0] == full
    assert client.get("/api/nonconformities/", {"view": "full"}).json()["results"][0] == full


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/nonconformities/", "/api/risks/{pk}/"])
def test_unknown_field_names_are_a_400_naming_them(
    url: str, three_of_each: dict[str, Any], quality: User
) -> None:
    url = url.format(pk=three_of_each["risks"][0].pk)
    response = api_as(quality).get(url, {"fields": "id,colour,title,weight"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    (message,) = response.json()["fields"]
    assert "colour, weight" in message


@pytest.mark.django_db
def test_a_write_only_field_cannot_be_asked_for(
    three_of_each: dict[str, Any], quality: User
) -> None:
    response = api_as(quality).get("/api/documents/", {"fields": "id,body"})
    assert response.status_code == 400
    assert "body" in response.json()["fields"][0]


@pytest.mark.django_db
def test_an_unknown_view_is_a_400(quality: User) -> None:
    response = api_as(quality).get("/api/nonconformities/", {"view": "tiny"})
    assert response.status_code == 400
    assert "brief" in response.json()["view"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["nonconformities", "risks", "documents"])
def test_the_brief_view_is_the_standard_short_set(
    slug: str, three_of_each: dict[str, Any], quality: User
) -> None:
    client = api_as(quality)
    row = client.get(f"/api/{slug}/", {"view": "brief"}).json()["results"][0]
    assert list(row) == ["id", "reference", "title", "status", "owner", "due_date", "version"]
    record = three_of_each[slug][0]
    one = client.get(f"/api/{slug}/{record.pk}/", {"view": "brief"}).json()
    assert list(one) == list(row)
    assert one["owner"] == quality.pk


@pytest.mark.django_db
def test_fields_win_over_the_view(three_of_each: dict[str, Any], quality: User) -> None:
    response = api_as(quality).get("/api/risks/", {"view": "brief", "fields": "id,description"})
    assert list(response.json()["results"][0]) == ["id", "description"]


@pytest.mark.django_db
def test_writes_take_no_notice_of_fields(three_of_each: dict[str, Any], quality: User) -> None:
    nc = three_of_each["nonconformities"][0]
    response = api_as(quality).patch(
        f"/api/nonconformities/{nc.pk}/?fields=id&view=brief",
        {"title": "Burr on the edge", "version": nc.version},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Burr on the edge"
    assert "actions" in response.json()


def queries(client: APIClient, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [rt.slug for rt in registry])
def test_sparse_fields_cost_no_more_queries_than_the_full_list(
    slug: str, three_of_each: dict[str, Any], quality: User
) -> None:
    client = api_as(quality)
    client.get(f"/api/{slug}/")  # warm the per-process caches (content types, roles)
    full = queries(client, f"/api/{slug}/", {})
    assert queries(client, f"/api/{slug}/", {"fields": "id,reference"}) <= full


@pytest.mark.django_db
def test_left_out_fields_skip_their_queries(three_of_each: dict[str, Any], quality: User) -> None:
    """A nonconformity's corrective actions and a document's access lists are loaded
    for the page only when they are shown."""
    client = api_as(quality)
    client.get("/api/nonconformities/")
    for slug in ("nonconformities", "documents"):
        full = queries(client, f"/api/{slug}/", {})
        assert queries(client, f"/api/{slug}/", {"fields": "id,reference"}) < full


def test_the_schema_documents_fields_and_view_on_every_list_and_record() -> None:
    from tests.test_no_500 import openapi

    schema = openapi()
    for rt in registry:
        known = list(readable_fields(rt.serializer_class))
        for path in (f"/api/{rt.slug}/", f"/api/{rt.slug}/{{id}}/"):
            params = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
            assert params["fields"]["schema"]["items"]["enum"] == known
            assert params["fields"]["explode"] is False
            assert params["view"]["schema"]["enum"] == ["full", "brief"]
        sparse = schema["components"]["schemas"][f"{rt.model.__name__}Sparse"]
        assert "required" not in sparse
        assert set(sparse["properties"]) == set(
            schema["components"]["schemas"][rt.model.__name__]["properties"]
        )
    either = schema["paths"]["/api/risks/{id}/"]["get"]["responses"]["200"]["content"]
    assert either["application/json"]["schema"]["anyOf"][1] == {
        "$ref": "#/components/schemas/RiskSparse"
    }
    page = schema["components"]["schemas"]["PaginatedRiskList"]["properties"]["results"]
    assert page["items"]["anyOf"][0] == {"$ref": "#/components/schemas/Risk"}
