"""Attachments in and out, exports of a filtered list, and two people editing at once."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hoshin.core.files import safe_name
from hoshin.core.models import Attachment, TrailAction, TrailEvent, User
from hoshin.improvement.models import Nonconformity
from tests.conftest import advance

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, nc: Nonconformity, name: str, content: bytes, **extra: Any) -> Any:
    return client.post(
        reverse("nonconformities_attach", args=[nc.pk]),
        {"file": SimpleUploadedFile(name, content), "description": "Evidence", **extra},
    )


def stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture(autouse=True)
def _own_media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


# --- uploading ---------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [("report.pdf", PDF, "application/pdf"), ("photo.png", PNG, "image/png")],
)
def test_a_pdf_or_png_is_attached_with_its_sha256_stored_and_shown(
    name: str, content: bytes, mime: str, nc: Nonconformity, owner: User
) -> None:
    client = signed_in(owner)
    response = upload(client, nc, name, content)
    assert response.status_code == 302
    attachment = Attachment.objects.for_record(nc).get()
    digest = hashlib.sha256(content).hexdigest()
    assert attachment.sha256 == digest
    assert (attachment.original_name, attachment.mime_type, attachment.size) == (
        name,
        mime,
        len(content),
    )
    assert attachment.uploaded_by == owner
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
    page = client.get(reverse("nonconformities_detail", args=[nc.pk])).content.decode()
    assert name in page
    assert digest in page
    event = TrailEvent.objects.get(reference=nc.reference, action=TrailAction.ATTACHMENT)
    assert event.changes == {"file": name, "sha256": digest, "size": len(content), "type": mime}


REFUSED = [
    pytest.param("setup.exe", EXE, "not accepted", id="a Windows program"),
    pytest.param("invoice.pdf", EXE, "not accepted", id="a program renamed to .pdf"),
    pytest.param("photo.pdf", PNG, "does not match its name", id="a PNG renamed to .pdf"),
    pytest.param("report.png", PDF, "does not match its name", id="a PDF renamed to .png"),
    pytest.param("notes.txt", b"", "empty", id="an empty file"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_a_file_whose_content_is_not_accepted_is_refused_with_a_message_and_not_stored(
    name: str, content: bytes, message: str, nc: Nonconformity, owner: User
) -> None:
    response = upload(signed_in(owner), nc, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.for_record(nc).exists()
    assert stored_files() == []
    assert not TrailEvent.objects.filter(action=TrailAction.ATTACHMENT).exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(
    settings: Any, nc: Nonconformity, owner: User
) -> None:
    settings.HOSHIN_MAX_UPLOAD_BYTES = 100
    big = PDF + b"%" + b"x" * 200
    response = upload(signed_in(owner), nc, "big.pdf", big)
    assert response.status_code == 400
    assert "the limit is 100" in response.content.decode()
    assert not Attachment.objects.for_record(nc).exists()
    assert stored_files() == []


@pytest.mark.django_db
def test_a_file_just_at_the_size_limit_is_accepted(
    settings: Any, nc: Nonconformity, owner: User
) -> None:
    settings.HOSHIN_MAX_UPLOAD_BYTES = len(PNG)
    assert upload(signed_in(owner), nc, "photo.png", PNG).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["../../etc/passwd.png", "..\\..\\windows\\evil.png", "/abs/path/evil.png"]
)
def test_a_file_name_with_a_path_is_stored_under_its_plain_name_inside_the_media_root(
    name: str, nc: Nonconformity, owner: User
) -> None:
    response = upload(signed_in(owner), nc, name, PNG)
    assert response.status_code == 302
    attachment = Attachment.objects.for_record(nc).get()
    assert "/" not in attachment.original_name
    assert "\\" not in attachment.original_name
    assert ".." not in attachment.original_name
    assert attachment.original_name.endswith(".png")
    root = Path(django_settings.MEDIA_ROOT).resolve()
    path = Path(attachment.file.path).resolve()
    assert root in path.parents
    assert stored_files() == [path]


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("report<script>.pdf", "report_script_.pdf"),
        ("a\x00b.pdf", "a_b.pdf"),
        ("..", "file"),
        ("", "file"),
        ("  spaced name.pdf  ", "spaced name.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),  # shortened, its extension kept
    ],
)
def test_safe_name_keeps_only_a_plain_file_name(given: str, safe: str) -> None:
    assert safe_name(given) == safe


@pytest.mark.django_db
def test_an_external_auditor_cannot_attach(nc: Nonconformity, extaudit: User) -> None:
    assert upload(signed_in(extaudit), nc, "photo.png", PNG).status_code == 403
    assert stored_files() == []


@pytest.mark.django_db
def test_nothing_can_be_attached_to_a_closed_nonconformity(
    nc: Nonconformity, owner: User, quality: User
) -> None:
    closed = advance(nc, "closed", by=owner, verifier=quality)
    assert upload(signed_in(quality), closed, "photo.png", PNG).status_code == 403


# --- downloading -------------------------------------------------------------------------
@pytest.fixture
def attached(nc: Nonconformity, owner: User) -> Attachment:
    assert upload(signed_in(owner), nc, "photo.png", PNG).status_code == 302
    return Attachment.objects.for_record(nc).get()


def download_url(nc: Nonconformity, attachment: Attachment) -> str:
    return reverse("nonconformities_attachment", args=[nc.pk, attachment.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["owner", "quality", "ceo", "auditor", "extaudit"])
def test_a_person_who_may_see_the_record_downloads_the_file_as_an_attachment(
    who: str, request: pytest.FixtureRequest, nc: Nonconformity, attached: Attachment
) -> None:
    user = request.getfixturevalue(who)
    response = signed_in(user).get(download_url(nc, attached))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert "photo.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_an_employee_not_involved_gets_404_on_the_download(
    nc: Nonconformity, attached: Attachment, employee: User
) -> None:
    assert signed_in(employee).get(download_url(nc, attached)).status_code == 404


@pytest.mark.django_db
def test_an_attachment_cannot_be_fetched_through_another_records_url(
    make_nc: Callable[..., Nonconformity], nc: Nonconformity, attached: Attachment, employee: User
) -> None:
    """GIVEN a file on an NC the employee may not see, and an NC the employee reported
    WHEN the employee asks for the file under the URL of their own NC
    THEN it is 404."""
    theirs = make_nc(actor=employee)
    assert signed_in(employee).get(download_url(theirs, attached)).status_code == 404


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_login_instead_of_the_file(
    client: Client, nc: Nonconformity, attached: Attachment
) -> None:
    response = client.get(download_url(nc, attached))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- exports -----------------------------------------------------------------------------
@pytest.fixture
def states(
    make_nc: Callable[..., Nonconformity], owner: User, quality: User
) -> dict[str, list[Nonconformity]]:
    reported = [make_nc(title=f"Reported {i}") for i in range(2)]
    contained = [advance(make_nc(title=f"Contained {i}"), "contained", by=owner) for i in range(3)]
    return {"reported": reported, "contained": contained}


def csv_rows(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response: Any) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.django_db
def test_the_csv_export_holds_exactly_the_filtered_rows(
    states: dict[str, list[Nonconformity]], quality: User
) -> None:
    response = signed_in(quality).get(
        reverse("nonconformities_export_csv"), {"status": "contained"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header[0] == "Reference"
    assert sorted(r[0] for r in rows) == sorted(nc.reference for nc in states["contained"])
    assert {r[2] for r in rows} == {"Contained"}


@pytest.mark.django_db
def test_the_xlsx_export_holds_exactly_the_filtered_rows(
    states: dict[str, list[Nonconformity]], quality: User
) -> None:
    response = signed_in(quality).get(
        reverse("nonconformities_export_xlsx"), {"status": "reported"}
    )
    assert response.status_code == 200
    header, *rows = xlsx_rows(response)
    assert header[0] == "Reference"
    assert sorted(r[0] for r in rows) == sorted(nc.reference for nc in states["reported"])


@pytest.mark.django_db
def test_the_export_without_filter_holds_every_visible_row(
    states: dict[str, list[Nonconformity]], quality: User
) -> None:
    _header, *rows = csv_rows(signed_in(quality).get(reverse("nonconformities_export_csv")))
    assert len(rows) == 5


@pytest.mark.django_db
def test_an_export_writes_an_export_event_with_the_filter_and_row_count(
    states: dict[str, list[Nonconformity]], quality: User
) -> None:
    signed_in(quality).get(reverse("nonconformities_export_xlsx"), {"status": "contained"})
    event = TrailEvent.objects.get(action=TrailAction.EXPORT)
    assert event.stream == "user:quality"
    assert event.actor == quality
    assert event.changes["rows"] == 3
    assert event.changes["format"] == "xlsx"
    assert event.changes["filter"] == {"status": "contained"}


@pytest.mark.django_db
@pytest.mark.parametrize("formula", ['=HYPERLINK("http://evil","x")', "+1+1", "@SUM(A1)", "-2"])
def test_the_exports_neutralise_a_title_that_a_spreadsheet_would_run_as_a_formula(
    formula: str, make_nc: Callable[..., Nonconformity], quality: User
) -> None:
    make_nc(title=formula)
    client = signed_in(quality)
    _header, row = csv_rows(client.get(reverse("nonconformities_export_csv")))
    assert row[1] == "'" + formula
    _header, xrow = xlsx_rows(client.get(reverse("nonconformities_export_xlsx")))
    assert xrow[1] == "'" + formula


@pytest.mark.django_db
def test_an_ordinary_title_is_exported_unchanged(
    make_nc: Callable[..., Nonconformity], quality: User
) -> None:
    make_nc(title='Crack, in "weld"; line 2')
    _header, row = csv_rows(signed_in(quality).get(reverse("nonconformities_export_csv")))
    assert row[1] == 'Crack, in "weld"; line 2'


# --- two people editing at once ----------------------------------------------------------
def form_data(response: Any) -> dict[str, Any]:
    """What a browser would send back from the edit form as it was shown."""
    form = response.context["form"]
    data: dict[str, Any] = {}
    for field in form:
        value = field.value()
        if value is None:
            value = ""
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[field.name] = value
    return data


@pytest.mark.django_db
def test_the_second_of_two_concurrent_edits_gets_409_and_the_first_change_is_kept(
    nc: Nonconformity, owner: User, quality: User
) -> None:
    """GIVEN the owner and the quality manager both open the edit form of one NC
    WHEN the owner saves, then the quality manager saves from the form they opened
    THEN the quality manager gets 409 with a message, and the owner's change stands."""
    url = reverse("nonconformities_edit", args=[nc.pk])
    first, second = signed_in(owner), signed_in(quality)
    first_form = form_data(first.get(url))
    second_form = form_data(second.get(url))
    assert first_form["version"] == second_form["version"] == nc.version

    saved = first.post(url, {**first_form, "title": "Owner's title", "reason": "Clearer"})
    assert saved.status_code == 302
    refused = second.post(url, {**second_form, "title": "Quality's title", "severity": "minor"})
    assert refused.status_code == 409
    assert "changed by someone else" in refused.content.decode()

    nc.refresh_from_db()
    assert nc.title == "Owner's title"
    assert nc.severity == "major"
    assert nc.version == first_form["version"] + 1
    changes = TrailEvent.objects.filter(reference=nc.reference, action=TrailAction.CHANGE)
    assert changes.count() == 1


@pytest.mark.django_db
def test_after_a_409_reloading_the_form_lets_the_change_through(
    nc: Nonconformity, owner: User, quality: User
) -> None:
    url = reverse("nonconformities_edit", args=[nc.pk])
    first, second = signed_in(owner), signed_in(quality)
    stale = form_data(second.get(url))
    first.post(url, {**form_data(first.get(url)), "title": "Owner's title"})
    assert second.post(url, {**stale, "severity": "minor"}).status_code == 409
    fresh = form_data(second.get(url))
    assert second.post(url, {**fresh, "severity": "minor"}).status_code == 302
    nc.refresh_from_db()
    assert (nc.title, nc.severity) == ("Owner's title", "minor")
