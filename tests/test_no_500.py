"""No input gives a 500, and no request holds a worker for long (issue 9).

First the causes found by hand, one test each (numbered as in the issue); then generated
input against every API operation of the schema and every HTML form of every register.
"""

from __future__ import annotations

import copy
import functools
import io
import json
import zipfile
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hoshin.core.models import User
from hoshin.core.registry import registry
from hoshin.planning.models import Objective
from hoshin.support.models import DocumentType
from tests.factories import (
    ChangePlanFactory,
    DocumentFactory,
    KpiFactory,
    NonconformityFactory,
    ObjectiveFactory,
    RiskFactory,
)

HUGE = "99999999999999999999"  # above 2**64
SURROGATE = "\ud800"
TODAY = timezone.localdate


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.raise_request_exception = False
    return client


def web_as(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def post_json(client: APIClient, url: str, text: str, method: str = "post") -> Any:
    """Send ``text`` as it is: json.dumps escapes a lone surrogate, which the test client's
    own encoder could not send."""
    return getattr(client, method)(url, text, content_type="application/json")


def valid_bodies() -> dict[str, dict[str, Any]]:
    """A body each register's create endpoint accepts."""
    return {
        "nonconformities": {
            "title": "Porosity in casting C-14",
            "description": "X-ray showed porosity.",
            "source": "supplier",
            "severity": "major",
            "detected_on": TODAY().isoformat(),
        },
        "documents": {
            "doc_type": DocumentType.objects.get(prefix="QP").pk,
            "title": "Control of records",
            "body": "# Purpose",
        },
        "risks": {
            "kind": "risk",
            "title": "Single source",
            "description": "One foundry.",
            "source": "process",
        },
        "kpis": {"title": "On time", "description": "Shipped on time.", "unit": "%", "target": 95},
        "objectives": {"title": "Deliver on time", "description": "95 %"},
        "changes": {"title": "New ERP", "purpose": "Retire the old one."},
    }


def assert_json_refusal(response: Any, *statuses: int) -> Any:
    assert response.status_code in (statuses or (400,)), (
        response.status_code,
        response.content[:300],
    )
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


@pytest.fixture
def records(quality: User) -> dict[str, Any]:
    """One record of each register, owned by the quality manager."""
    made = {
        "nonconformities": NonconformityFactory(owner=quality),
        "documents": DocumentFactory(owner=quality),
        "risks": RiskFactory(owner=quality),
        "kpis": KpiFactory(owner=quality, figures=[96, 94]),
        "objectives": ObjectiveFactory(owner=quality),
        "changes": ChangePlanFactory(owner=quality),
    }
    assert set(made) == {rt.slug for rt in registry}, "a register without a record here"
    return made


# --- 1. JSON nested 100k deep ------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("slug", [rt.slug for rt in registry])
def test_json_nested_100k_deep_is_refused_with_400(slug: str, quality: User) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    body = assert_json_refusal(post_json(api_as(quality), f"/api/{slug}/", deep))
    assert "deep" in body["detail"]


@pytest.mark.django_db
def test_json_nested_inside_a_field_is_refused_too(quality: User) -> None:
    body = valid_bodies()["nonconformities"]
    text = json.dumps(body)[:-1] + ', "fishbone": ' + '{"a": ' * 200 + "1" + "}" * 200 + "}"
    assert_json_refusal(post_json(api_as(quality), "/api/nonconformities/", text))


@pytest.mark.django_db
def test_json_of_an_ordinary_depth_is_taken(quality: User) -> None:
    body = valid_bodies()["nonconformities"] | {"fishbone": {"method": "No work instruction"}}
    response = api_as(quality).post("/api/nonconformities/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["fishbone"] == {"method": "No work instruction"}


# --- 2. A lone surrogate in any field -----------------------------------------------------
def writable_fields(slug: str) -> list[str]:
    serializer = registry.get(slug).serializer_class()
    return [name for name, f in serializer.fields.items() if not f.read_only]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [rt.slug for rt in registry])
def test_a_lone_surrogate_in_any_field_is_refused_with_400(slug: str, quality: User) -> None:
    client = api_as(quality)
    fields = writable_fields(slug)
    assert fields
    for name in fields:
        for value in (SURROGATE, [SURROGATE], {"method": SURROGATE}):
            text = json.dumps(valid_bodies()[slug] | {name: value})
            body = assert_json_refusal(post_json(client, f"/api/{slug}/", text))
            assert "surrogate" in json.dumps(body), (name, body)


@pytest.mark.django_db
def test_a_lone_surrogate_on_update_and_transition_is_refused(
    records: dict[str, Any], quality: User
) -> None:
    client = api_as(quality)
    for slug, record in records.items():
        text = json.dumps({"title": SURROGATE, "version": record.version})
        assert_json_refusal(post_json(client, f"/api/{slug}/{record.pk}/", text, "patch"))
        text = json.dumps({"transition": SURROGATE})
        assert_json_refusal(post_json(client, f"/api/{slug}/{record.pk}/transition/", text))


@pytest.mark.django_db
def test_a_surrogate_pair_is_ordinary_text(quality: User) -> None:
    text = json.dumps(valid_bodies()["changes"] | {"title": "Launch \U0001f680"})
    response = post_json(api_as(quality), "/api/changes/", text)
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Launch \U0001f680"


# --- 3. An objective's commitments of the wrong type ---------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("value", [5, True, 1.5, [1, 2], [[1]], {"a": 1}, "customer_focus"])
def test_commitments_of_the_wrong_type_are_refused_with_400(value: Any, quality: User) -> None:
    body = valid_bodies()["objectives"] | {"commitments": value}
    response = api_as(quality).post("/api/objectives/", body, format="json")
    assert "commitments" in assert_json_refusal(response)
    assert not Objective.objects.exists()


@pytest.mark.django_db
def test_commitments_as_a_list_of_known_ones_are_taken(quality: User) -> None:
    body = valid_bodies()["objectives"] | {"commitments": ["customer", "customer"]}
    response = api_as(quality).post("/api/objectives/", body, format="json")
    assert response.status_code == 201, response.json()
    assert Objective.objects.get().commitments == ["customer"]


# --- 4. null in a JSON field, form-encoded ---------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "field"), [("nonconformities", "fishbone"), ("objectives", "commitments")]
)
def test_null_form_encoded_in_a_json_field_is_refused_with_400(
    slug: str, field: str, quality: User
) -> None:
    model = registry.get(slug).model
    body = urlencode(valid_bodies()[slug] | {field: "null"})
    response = api_as(quality).post(
        f"/api/{slug}/", body, content_type="application/x-www-form-urlencoded"
    )
    assert field in assert_json_refusal(response)
    assert not model.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "field"), [("nonconformities", "fishbone"), ("objectives", "commitments")]
)
def test_null_in_json_for_a_json_field_is_refused_with_400(
    slug: str, field: str, quality: User
) -> None:
    body = valid_bodies()[slug] | {field: None}
    response = api_as(quality).post(f"/api/{slug}/", body, format="json")
    assert field in assert_json_refusal(response)


# --- 5. Integers above 2**63 in filters and selects -------------------------------------------
@pytest.mark.django_db
def test_a_huge_id_in_an_api_filter_is_refused_with_400(
    records: dict[str, Any], quality: User
) -> None:
    client = api_as(quality)
    document = records["documents"]
    for url in (
        "/api/documents/",
        f"/api/documents/{document.pk}/",
        f"/api/documents/{document.pk}/history/",
        f"/api/documents/{document.pk}/versions/",
    ):
        response = client.get(url, {"doc_type": HUGE})
        assert "doc_type" in assert_json_refusal(response), url


@pytest.mark.django_db
def test_a_huge_value_in_any_list_filter_gives_no_500(
    records: dict[str, Any], quality: User
) -> None:
    api, web = api_as(quality), web_as(quality)
    for rt in registry:
        names = list(rt.filterset_class.base_filters)
        assert names
        for name in names:
            for value in (HUGE, "1e400"):
                query = {name: value}
                for client, url in ((api, f"/api/{rt.slug}/"), (web, f"/{rt.slug}/")):
                    response = client.get(url, query)
                    assert response.status_code in (200, 400), (url, query, response.status_code)


@pytest.mark.django_db
def test_the_document_list_and_export_show_nothing_for_a_huge_type(
    records: dict[str, Any], quality: User
) -> None:
    web = web_as(quality)
    page = web.get("/documents/", {"doc_type": HUGE})
    assert page.status_code == 200
    assert records["documents"].reference not in page.content.decode()
    export = web.get("/documents/export.csv", {"doc_type": HUGE})
    assert export.status_code == 200
    assert records["documents"].reference not in b"".join(export.streaming_content).decode()


def relation_fields(form_class: type) -> list[str]:
    from django import forms

    form = form_class()
    return [
        name
        for name, f in form.fields.items()
        if isinstance(f, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
    ]


@pytest.mark.django_db
def test_a_huge_id_in_any_form_select_is_refused_with_400_and_changes_nothing(
    records: dict[str, Any], quality: User
) -> None:
    web = web_as(quality)
    for rt in registry:
        record = records[rt.slug]
        record.refresh_from_db()
        before = record.version
        create_form = rt.create_form_class or rt.form_class
        for name in relation_fields(create_form):
            response = web.post(f"/{rt.slug}/new/", {name: HUGE})
            assert response.status_code == 400, (rt.slug, name, response.status_code)
        for name in relation_fields(rt.form_class):
            response = web.post(
                f"/{rt.slug}/{record.pk}/edit/",
                {"version": record.version, "title": "Changed", name: [HUGE, "-" + HUGE]},
            )
            assert response.status_code == 400, (rt.slug, name, response.status_code)
        record.refresh_from_db()
        assert record.version == before and record.title != "Changed"


@pytest.mark.django_db
def test_a_huge_id_in_an_api_relation_is_refused_with_400(quality: User) -> None:
    client = api_as(quality)
    for slug, body in valid_bodies().items():
        serializer = registry.get(slug).serializer_class()
        from rest_framework import serializers

        for name, f in serializer.fields.items():
            if f.read_only:
                continue
            if isinstance(f, serializers.RelatedField | serializers.ManyRelatedField):
                value = [int(HUGE)] if isinstance(f, serializers.ManyRelatedField) else int(HUGE)
                response = client.post(f"/api/{slug}/", body | {name: value}, format="json")
                assert name in assert_json_refusal(response), (slug, name)


# --- 6. KPI import of damaged files -------------------------------------------------------
def upload(client: Client, name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/kpis/import/", {"file": SimpleUploadedFile(name, data), "dry_run": "on"})


def workbook(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_csv_field_over_the_csv_limit_is_refused_with_a_message(quality: User) -> None:
    data = b'kpi,period,value,note\nKPI-1,2026-01,5,"' + b"x" * 140_000 + b'"\n'
    response = upload(web_as(quality), "figures.csv", data)
    assert response.status_code == 400
    assert "too long" in response.content.decode()


@pytest.mark.django_db
def test_a_truncated_xlsx_is_refused_with_a_message(quality: User) -> None:
    data = workbook([["kpi", "period", "value"], *[["KPI-1", "2026-01", i] for i in range(2000)]])
    response = upload(web_as(quality), "figures.xlsx", data[: len(data) * 2 // 3])
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


@pytest.mark.django_db
def test_a_truncated_sheet_inside_an_intact_xlsx_is_refused_with_a_message(quality: User) -> None:
    source = zipfile.ZipFile(
        io.BytesIO(workbook([["kpi", "period", "value"], ["KPI-1", "2026-01", 5]] * 50))
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(item, content)
    response = upload(web_as(quality), "figures.xlsx", out.getvalue())
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


@pytest.mark.django_db
def test_an_xlsx_without_a_worksheet_is_refused_with_a_message(quality: User) -> None:
    source = zipfile.ZipFile(io.BytesIO(workbook([["kpi", "period", "value"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if not item.filename.startswith("xl/worksheets/"):
                content = source.read(item)
                if item.filename == "xl/workbook.xml":
                    start = content.index(b"<sheets>")
                    end = content.index(b"</sheets>") + len(b"</sheets>")
                    content = content[:start] + b"<sheets/>" + content[end:]
                target.writestr(item, content)
    response = upload(web_as(quality), "figures.xlsx", out.getvalue())
    assert response.status_code == 400
    assert "no worksheet" in response.content.decode()


# --- 7. Bodies over the limit, UTF-16 CSVs, long file names ---------------------------------
@pytest.mark.django_db
def test_a_json_body_over_the_limit_gets_a_json_413(quality: User, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    text = json.dumps(valid_bodies()["changes"] | {"purpose": "x" * 2000})
    response = post_json(api_as(quality), "/api/changes/", text)
    assert "detail" in assert_json_refusal(response, 413)


@pytest.mark.django_db
def test_a_form_body_over_the_limit_gets_a_json_413(quality: User, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    for content_type, body in (
        ("application/x-www-form-urlencoded", urlencode({"title": "x" * 2000})),
        (
            "multipart/form-data; boundary=BoUnDaRy",
            '--BoUnDaRy\r\nContent-Disposition: form-data; name="title"\r\n\r\n'
            + "x" * 2000
            + "\r\n--BoUnDaRy--\r\n",
        ),
    ):
        response = api_as(quality).post("/api/changes/", body, content_type=content_type)
        assert "detail" in assert_json_refusal(response, 413), content_type


@pytest.mark.django_db
def test_too_many_form_fields_get_a_json_400(quality: User, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = urlencode([(f"f{i}", "x") for i in range(50)])
    response = api_as(quality).post(
        "/api/changes/", body, content_type="application/x-www-form-urlencoded"
    )
    assert "detail" in assert_json_refusal(response, 400)


@pytest.mark.django_db
def test_a_utf16_csv_with_its_byte_order_mark_is_read(quality: User) -> None:
    kpi = KpiFactory(owner=quality)
    from tests.factories import months_ago

    text = f"kpi\tperiod\tvalue\n{kpi.reference}\t{months_ago(1):%Y-%m}\t97,5\n"
    response = upload(web_as(quality), "figures.csv", text.encode("utf-16"))
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "The row is fine" in response.content.decode()


@pytest.mark.django_db
def test_a_utf16_csv_without_byte_order_mark_is_refused_with_a_message(quality: User) -> None:
    text = "kpi,period,value\nKPI-1,2026-01,5\n"
    response = upload(web_as(quality), "figures.csv", text.encode("utf-16-le"))
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_a_long_file_name_is_shortened_keeping_its_extension() -> None:
    from hoshin.core.files import safe_name

    name = safe_name("r" * 300 + ".pdf")
    assert len(name) <= 150 and name.endswith(".pdf") and name.startswith("rrr")
    assert safe_name("a" * 200) == "a" * 150
    assert safe_name("x.pdf") == "x.pdf"
    odd = safe_name("b" * 10 + "." + "e" * 200)  # not an extension: just cut
    assert len(odd) == 150


@pytest.mark.django_db
def test_an_upload_with_a_long_name_is_taken_with_its_extension(
    records: dict[str, Any], quality: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    nc = records["nonconformities"]
    name = "evidence-" + "x" * 200 + ".txt"
    response = web_as(quality).post(
        f"/nonconformities/{nc.pk}/attach/",
        {"file": SimpleUploadedFile(name, b"measured 12.02 mm"), "description": "gauge"},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    from hoshin.core.models import Attachment

    stored = Attachment.objects.get()
    assert stored.original_name.endswith(".txt") and len(stored.original_name) <= 150


# --- 8. A PDF of thousands of pages ---------------------------------------------------------
def pdf_of(pages: int, content: bytes = b"") -> bytes:
    """A small PDF of ``pages`` pages, each saying its number (or drawing ``content``)."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, StreamObject

    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    resources = writer._add_object(DictionaryObject({NameObject("/Font"): fonts}))
    for number in range(pages):
        page = writer.add_blank_page(612, 792)
        stream = StreamObject()
        stream.set_data(content or f"BT /F1 12 Tf 72 720 Td (Page {number}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = resources
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_pdf_of_5000_pages_is_refused_at_upload_with_the_limit(
    records: dict[str, Any], quality: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = records["documents"]
    version = document.versions.get()
    data = pdf_of(5000)
    assert len(data) < 2 * 1024 * 1024
    response = web_as(quality).post(
        f"/documents/{document.pk}/versions/{version.number}/edit/",
        {
            "change_reason": "First issue",
            "body": "",
            "version": version.version,
            "file": SimpleUploadedFile("manual.pdf", data),
        },
    )
    assert response.status_code == 400
    assert "5000 pages; at most 1000" in response.content.decode()
    version.refresh_from_db()
    assert not version.file


def test_a_pdf_within_the_page_limit_is_accepted(settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hoshin.core.files import check_upload

    settings.HOSHIN_MAX_PDF_PAGES = 20
    name, mime, _sha = check_upload(SimpleUploadedFile("manual.pdf", pdf_of(20)))
    assert (name, mime) == ("manual.pdf", "application/pdf")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="21 pages; at most 20"):
        check_upload(SimpleUploadedFile("manual.pdf", pdf_of(21)))


def test_reading_a_pdf_stops_at_its_page_limit_and_says_so(monkeypatch: Any) -> None:
    from hoshin.support import extract

    monkeypatch.setattr(extract, "PDF_MAX_PAGES", 10)
    result = extract.extract_text(pdf_of(30), extract.PDF, "manual.pdf")
    assert "Page 9" in result.text and "Page 10" not in result.text
    assert "first 10 pages" in result.note


def test_reading_a_pdf_stops_at_its_time_limit_and_says_so(monkeypatch: Any) -> None:
    from hoshin.support import extract

    monkeypatch.setattr(extract, "PDF_READ_SECONDS", 0.0)
    result = extract.extract_text(pdf_of(30), extract.PDF, "manual.pdf")
    assert "Page 29" not in result.text
    assert "reading stopped" in result.note


def test_a_page_too_heavy_to_read_is_skipped_at_once() -> None:
    """Its text would take pypdf seconds (about 4 s a megabyte of drawing)."""
    import time

    from hoshin.support import extract

    heavy = b"BT /F1 12 Tf 72 720 Td " + b"(word) Tj 0 -1 Td " * 100_000 + b"ET"
    started = time.monotonic()
    result = extract.extract_text(pdf_of(1, heavy), extract.PDF, "drawing.pdf")
    assert time.monotonic() - started < 2
    assert result.text == "" and "too much drawing" in result.note


def test_an_ordinary_pdf_is_read_whole_without_a_note() -> None:
    from hoshin.support import extract

    result = extract.extract_text(pdf_of(30), extract.PDF, "manual.pdf")
    assert "Page 0" in result.text and "Page 29" in result.text
    assert result.note == ""


# --- The whole API, generated from its schema -----------------------------------------------
@functools.cache
def openapi() -> dict[str, Any]:
    """The schema as the API serves it (drf-spectacular with Hoshin's hooks), as JSON."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded: dict[str, Any] = json.loads(OpenApiJsonRenderer().render(document))
    return loaded


OPERATIONS = [(path, method) for path, ops in openapi()["paths"].items() for method in ops]
# What every answer must do: no 5xx, a documented status and media type, a body as documented.
CONFORMS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_the_fuzzed_operations_are_every_operation_of_the_api() -> None:
    from hoshin.urls import router

    assert len(OPERATIONS) > 40
    for rt in registry:
        for suffix, method in (("", "get"), ("", "post"), ("{id}/", "patch"), ("{id}/", "put")):
            assert (f"/api/{rt.slug}/{suffix}", method) in OPERATIONS
        assert (f"/api/{rt.slug}/{{id}}/transition/", "post") in OPERATIONS
        assert (f"/api/{rt.slug}/{{id}}/history/", "get") in OPERATIONS
    actions = {
        f"/api/{prefix}/{{id}}/{a.url_path}/"
        for prefix, viewset, _ in router.registry
        for a in viewset.get_extra_actions()
    }
    assert actions <= {path for path, _ in OPERATIONS}


@pytest.fixture
def _keep_the_test_connection() -> Any:
    """The real WSGI handler closes the database connection at each request's start and
    end, which on PostgreSQL ends the test's transaction; Django's test client does not,
    and neither does this one."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_the_test_connection")
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_generated_request_gets_a_500_or_an_undocumented_answer(
    path: str, method: str, records: dict[str, Any], quality: User
) -> None:
    """GIVEN a record of every register and the quality manager's token
    WHEN schemathesis sends requests generated from the schema, valid and invalid
    THEN none answers 5xx, and every answer has a documented status, type and body."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from rest_framework.authtoken.models import Token
    from schemathesis import GenerationMode

    from hoshin.wsgi import application

    schema = schemathesis.openapi.from_dict(copy.deepcopy(openapi()))
    schema.app = application
    operation = schema[path][method]
    fixed = {"id": records[path.split("/")[2]].pk} if "{id}" in path else None
    auth = {"Authorization": f"Token {Token.objects.get_or_create(user=quality)[0].key}"}
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed),
        operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=fixed),
    )

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def answer(case: Any) -> None:
        response = case.call(headers=auth)
        case.validate_response(response, checks=CONFORMS, headers=auth)

    answer()


# --- The schema says what the API does ------------------------------------------------------
def test_versions_and_measurements_are_plain_lists_in_the_schema_as_in_the_api() -> None:
    paths = openapi()["paths"]
    for path in ("/api/documents/{id}/versions/", "/api/kpis/{id}/measurements/"):
        body = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array", path


@pytest.mark.django_db
def test_the_measurements_answer_matches_its_schema(records: dict[str, Any], quality: User) -> None:
    kpi = records["kpis"]
    rows = api_as(quality).get(f"/api/kpis/{kpi.pk}/measurements/").json()
    reading = openapi()["components"]["schemas"]["Reading"]
    assert len(rows) == 2
    assert set(rows[0]) == set(reading["properties"])


def test_an_unrated_risk_level_is_in_the_schema() -> None:
    level = openapi()["components"]["schemas"]["Risk"]["properties"]["inherent_level"]
    refs = {item["$ref"].rsplit("/", 1)[-1] for item in level["oneOf"]}
    assert refs == {"RiskLevelEnum", "BlankEnum"}
    assert openapi()["components"]["schemas"]["BlankEnum"]["enum"] == [""]


def test_each_register_documents_its_own_transitions() -> None:
    schemas = openapi()["components"]["schemas"]
    for rt in registry:
        body = openapi()["paths"][f"/api/{rt.slug}/{{id}}/transition/"]["post"]["requestBody"]
        ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        names = schemas[ref]["properties"]["transition"]["enum"]
        assert names == sorted({t.name for t in rt.workflow.transitions}), rt.slug


def test_an_update_requires_the_version_it_read_in_the_schema() -> None:
    for rt in registry:
        for method in ("put", "patch"):
            operation = openapi()["paths"][f"/api/{rt.slug}/{{id}}/"][method]
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            assert {"required": ["version"]} in body["allOf"], (rt.slug, method)


def test_bodies_are_documented_as_json_only() -> None:
    for path, operations in openapi()["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                assert list(operation["requestBody"]["content"]) == ["application/json"], (
                    method,
                    path,
                )


def test_a_decimal_in_the_schema_is_never_empty() -> None:
    import re

    target = openapi()["components"]["schemas"]["KpiRequest"]["properties"]["target"]
    pattern = re.compile(target["pattern"])
    assert pattern.match("95") and pattern.match("-0.5") and pattern.match(".5")
    assert not pattern.match("") and not pattern.match("-") and not pattern.match("1.2.3")


# --- Every HTML form of every register, posted with generated data ---------------------------
def form_values(field: Any, ids: list[int]) -> Any:
    """Values for one form field: junk of every kind, plus what the field would accept."""
    from django import forms
    from hypothesis import strategies as st

    text = st.text(st.characters(exclude_categories=["Cs"]), max_size=80)
    junk = st.sampled_from(
        [HUGE, "-" + HUGE, "0", "-1", "1e400", "null", "NaN", "2026-02-30", "9999-12-31", "\x00"]
    )
    plausible: list[Any] = [text, junk, st.integers(-(2**70), 2**70).map(str), st.just("")]
    if isinstance(field, forms.ModelChoiceField):
        plausible.append(st.sampled_from([str(i) for i in ids] or ["1"]))
    elif isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if value not in ("", None)]
        if values:
            plausible.append(st.sampled_from(values))
    if isinstance(field, forms.DateField):
        plausible.append(st.dates().map(str))
    one = st.one_of(*plausible)
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(one, max_size=3)
    return one


def form_data(form_class: type, ids: list[int], extra: dict[str, Any]) -> Any:
    from hypothesis import strategies as st

    fields = (
        form_class().fields
        if "instance" not in extra
        else form_class(instance=extra["instance"]).fields
    )
    strategies = {name: form_values(field, ids) for name, field in fields.items()}
    return st.fixed_dictionaries({}, optional=strategies)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [rt.slug for rt in registry])
def test_no_generated_form_gets_a_500_and_a_refusal_changes_nothing(
    slug: str, records: dict[str, Any], quality: User
) -> None:
    """GIVEN a record of the register
    WHEN its create, edit and transition forms are posted with generated data
    THEN no answer is a 5xx, a refused create adds nothing, a refused edit or step changes
    nothing, and the trail stays intact."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from hoshin.core import trail

    rt = registry.get(slug)
    record = records[slug]
    web = web_as(quality)
    ids = sorted({r.pk for r in records.values()} | {quality.pk})
    create_form = rt.create_form_class or rt.form_class
    transitions = sorted({t.name for t in rt.workflow.transitions})
    limits = settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )

    @limits
    @given(data=form_data(create_form, ids, {}))
    def create(data: dict[str, Any]) -> None:
        before = rt.model._default_manager.count()
        response = web.post(f"/{slug}/new/", data)
        assert response.status_code in (302, 400), (data, response.status_code)
        if response.status_code == 400:
            assert rt.model._default_manager.count() == before, data

    @limits
    @given(data=form_data(rt.form_class, ids, {"instance": record}), current=st.booleans())
    def edit(data: dict[str, Any], current: bool) -> None:
        record.refresh_from_db()
        before = record.version
        if current:
            data["version"] = str(before)
        response = web.post(f"/{slug}/{record.pk}/edit/", data)
        assert response.status_code in (302, 400, 409), (data, response.status_code)
        record.refresh_from_db()
        if response.status_code != 302:
            assert record.version == before, data

    @limits
    @given(
        name=st.one_of(st.sampled_from(transitions), st.text(max_size=20)),
        comment=st.text(st.characters(exclude_categories=["Cs"]), max_size=80),
        password=st.sampled_from(["", "wrong", HUGE]),
        version=st.one_of(st.none(), st.sampled_from([HUGE, "-1", "x"])),
    )
    def transition(name: str, comment: str, password: str, version: str | None) -> None:
        record.refresh_from_db()
        before = (record.status, record.version)
        data = {"transition": name, "comment": comment, "password": password}
        data["version"] = str(record.version) if version is None else version
        response = web.post(f"/{slug}/{record.pk}/transition/", data)
        assert response.status_code in (302, 400, 403, 409), (data, response.status_code)
        record.refresh_from_db()
        if response.status_code != 302:
            assert (record.status, record.version) == before, data

    create()
    edit()
    transition()
    checked, broken = trail.verify()
    assert checked and broken is None
