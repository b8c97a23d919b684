"""Document control through its pages and the API: what people click and post."""

from __future__ import annotations

import datetime
import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from hoshin.core import reading, signoff
from hoshin.core.models import ReadRequest, TrailEvent, User
from hoshin.support import versions
from hoshin.support.models import Document, DocumentType, DocumentVersion, VersionStatus
from tests.conftest import PASSWORD, approve, working


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_document_is_created_with_its_first_version_from_the_form(quality: User) -> None:
    client = signed_in(quality)
    assert client.get(reverse("documents_create")).status_code == 200
    response = client.post(
        reverse("documents_create"),
        {
            "doc_type": DocumentType.objects.get(prefix="WI").pk,
            "title": "Deburring of housings",
            "owner": quality.pk,
            "confidentiality": "internal",
            "disposition": "keep",
            "body": "# Steps\n\n1. Clamp\n2. Deburr",
            "change_reason": "First issue",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    doc = Document.objects.get()
    assert doc.reference == "WI-001"
    assert doc.review_months == 24  # from the type
    assert working(doc).body.startswith("# Steps")
    assert "Deburr" in doc.text  # found by search while a draft


def test_creating_without_text_or_file_names_the_missing_field(quality: User) -> None:
    response = signed_in(quality).post(
        reverse("documents_create"),
        {
            "doc_type": DocumentType.objects.get(prefix="WI").pk,
            "title": "Empty",
            "owner": quality.pk,
            "confidentiality": "internal",
            "disposition": "keep",
            "change_reason": "First issue",
        },
    )
    assert response.status_code == 400
    assert "Write the text or upload the file." in response.content.decode()
    assert not Document.objects.exists()


def test_an_upload_of_the_wrong_type_is_refused_and_nothing_is_stored(quality: User) -> None:
    response = signed_in(quality).post(
        reverse("documents_create"),
        {
            "doc_type": DocumentType.objects.get(prefix="WI").pk,
            "title": "Fake",
            "owner": quality.pk,
            "confidentiality": "internal",
            "disposition": "keep",
            "change_reason": "First issue",
            "file": SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()
    assert not Document.objects.exists()


def test_an_unreadable_upload_is_stored_and_says_why_it_is_not_searchable(
    make_doc, quality: User
) -> None:
    doc = make_doc(body="")
    v = working(doc)
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V"
        b"\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    response = signed_in(quality).post(
        reverse("document_version_edit", args=[doc.pk, 1]),
        {
            "change_reason": "First issue",
            "body": "",
            "version": v.version,
            "file": SimpleUploadedFile("drawing.png", png, "image/png"),
        },
    )
    assert response.status_code == 302
    v.refresh_from_db()
    assert v.file_name == "drawing.png" and v.file_sha256
    assert "not searchable" in v.text_note


def test_a_stale_draft_edit_is_refused_with_409_and_keeps_the_other_edit(
    make_doc, quality: User
) -> None:
    doc = make_doc()
    v = working(doc)
    url = reverse("document_version_edit", args=[doc.pk, 1])
    read_at = v.version
    client = signed_in(quality)
    first = {"change_reason": "First issue", "body": "first", "version": read_at}
    assert client.post(url, first).status_code == 302
    second = {"change_reason": "First issue", "body": "second", "version": read_at}
    response = client.post(url, second)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert working(doc).body == "first"


def test_the_preview_renders_markdown_safely(quality: User) -> None:
    response = signed_in(quality).post(
        reverse("document_preview"), {"body": "# Title\n\n<script>alert(1)</script>"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;script&gt;" in html  # shown as the text typed, not dropped unseen
    assert "<h3" in html and "<h1" not in html  # under the page's own headings
    assert "<script>" not in html


def test_review_and_approval_through_the_pages(
    make_doc, quality: User, reviewer: User, ceo: User
) -> None:
    doc = make_doc()
    response = signed_in(quality).post(
        reverse("document_version_submit", args=[doc.pk, 1]),
        {"reviewers": [reviewer.pk], "approvers": [ceo.pk], "comment": "Please check"},
    )
    assert response.status_code == 302
    # The approver's turn has not come: their page shows no signing form yet.
    page = signed_in(ceo).get(reverse("document_version", args=[doc.pk, 1])).content.decode()
    assert "Your signature is awaited" not in page
    page = signed_in(reviewer).get(reverse("documents_detail", args=[doc.pk])).content.decode()
    assert "Your signature is awaited" in page
    sign = reverse("document_version_sign", args=[doc.pk, 1])
    wrong = signed_in(reviewer).post(sign, {"decision": "sign", "password": "nope"}, follow=True)
    assert "the password given is not correct" in wrong.content.decode()
    assert working(doc).status == VersionStatus.IN_REVIEW
    assert (
        signed_in(reviewer).post(sign, {"decision": "sign", "password": PASSWORD}).status_code
        == 302
    )
    assert signed_in(ceo).post(sign, {"decision": "sign", "password": PASSWORD}).status_code == 302
    doc.refresh_from_db()
    assert doc.status == "effective" and doc.current_version == 1


def test_submitting_with_the_author_as_approver_is_refused_on_the_form(
    make_doc, quality: User, reviewer: User
) -> None:
    doc = make_doc()
    response = signed_in(quality).post(
        reverse("document_version_submit", args=[doc.pk, 1]),
        {"reviewers": [reviewer.pk], "approvers": [quality.pk]},
    )
    assert response.status_code == 400
    # The author is not among the approvers offered.
    assert f"{quality.pk} is not one of the available choices" in response.content.decode()
    assert working(doc).status == VersionStatus.DRAFT


def test_compare_highlights_what_changed(make_doc, quality, reviewer, ceo) -> None:
    doc = make_doc(body="Clamp the part.\nDeburr the bore.\n")
    approve(doc, quality, reviewer, ceo)
    v2 = versions.start(doc, quality, change_reason="Torque")
    v2.body = "Clamp the part at 12 Nm.\nDeburr the bore.\n"
    versions.save_draft(v2, quality)
    page = signed_in(quality).get(reverse("document_compare", args=[doc.pk]), {"a": 1, "b": 2})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<ins>" in html and "12" in html


def test_controlled_copy_of_the_version_in_force_and_watermarked_draft(
    make_doc, quality, reviewer, ceo
) -> None:
    doc = make_doc(title="Calibration of gauges")
    approve(doc, quality, reviewer, ceo)
    versions.start(doc, quality, change_reason="Update")
    client = signed_in(quality)
    effective = client.get(reverse("document_copy", args=[doc.pk, 1]))
    assert effective["Content-Type"] == "application/pdf"
    text = pdf_text(effective.content)
    assert doc.reference in text and "Calibration of gauges" in text
    assert "Controlled copy" in text and "DRAFT" not in text
    assert "Approved" in text and str(ceo) in text
    draft = pdf_text(client.get(reverse("document_copy", args=[doc.pk, 2])).content)
    assert "DRAFT" in draft
    assert TrailEvent.objects.filter(reference=doc.reference, action="export").count() == 2


def test_the_master_list_pdf_lists_what_the_person_may_see(make_doc, quality, employee) -> None:
    make_doc(title="Visible draft")
    response = signed_in(quality).get(reverse("documents_master_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert "Visible draft" in pdf_text(response.content)
    response = signed_in(employee).get(reverse("documents_master_pdf"))
    assert "Visible draft" not in pdf_text(response.content)  # drafts are not for employees


def test_master_list_exports_carry_the_auditors_columns(make_doc, quality) -> None:
    make_doc(title="Control of records")
    response = signed_in(quality).get(reverse("documents_export_csv"))
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    header = text.splitlines()[0]
    for column in (
        "Number",
        "Title",
        "Type",
        "Version",
        "Status",
        "Owner",
        "Effective",
        "Next review",
    ):
        assert column in header
    assert "QP-001" in text


def test_reading_from_my_list_with_one_click(make_doc, quality, reviewer, ceo, employee) -> None:
    doc = make_doc()
    doc.distribute_people.add(employee)
    approve(doc, quality, reviewer, ceo)
    client = signed_in(employee)
    page = client.get(reverse("documents_to_read")).content.decode()
    assert doc.reference in page
    home = client.get(reverse("home")).content.decode()
    assert doc.reference in home
    response = client.post(reverse("document_acknowledge", args=[doc.pk, 1]), {"next": "to_read"})
    assert response.status_code == 302
    assert "up to date" in client.get(reverse("documents_to_read")).content.decode()
    readers = signed_in(quality).get(reverse("document_readers", args=[doc.pk, 1]))
    assert "1 of 1 confirmed" in readers.content.decode()


def test_reminders_chase_unread_documents_and_waiting_signatures(
    make_doc, quality, reviewer, ceo, employee
) -> None:
    doc = make_doc()
    doc.distribute_people.add(employee)
    approve(doc, quality, reviewer, ceo)
    other = make_doc(title="Waiting for Rita")
    versions.submit(
        working(other),
        quality,
        reviewers=[reviewer],
        approvers=[ceo],
        in_order=False,
        effective_on=None,
    )
    long_ago = timezone.now() - datetime.timedelta(days=30)
    ReadRequest.objects.update(requested_at=long_ago)
    from hoshin.core.models import SignOff

    SignOff.objects.update(created_at=long_ago)
    call_command("remind", stdout=io.StringIO())
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert f"Read and confirm {doc.reference} v1" in by_person[employee.email]
    assert f"Sign {other.reference} v1 (Reviewed)" in by_person[reviewer.email]
    assert ceo.email not in by_person or other.reference not in by_person[ceo.email]


def test_remind_brings_due_versions_into_force(make_doc, quality, reviewer, ceo) -> None:
    doc = make_doc()
    approve(doc, quality, reviewer, ceo, effective_on=timezone.localdate() + datetime.timedelta(2))
    DocumentVersion.objects.update(effective_on=timezone.localdate())
    call_command("remind", "--dry-run", stdout=io.StringIO())
    doc.refresh_from_db()
    assert doc.status == "effective"


def test_search_ranks_and_highlights_the_matching_passage(make_doc, quality) -> None:
    make_doc(title="Gauge control", body="Every gauge is calibrated yearly. " * 3)
    make_doc(title="Packing", body="Parts are packed. A gauge is mentioned once.")
    page = signed_in(quality).get(reverse("documents_search"), {"q": "gauge"}).content.decode()
    assert page.index("Gauge control") < page.index("Packing")
    assert "<mark>" in page
    assert "2 documents found" in page


def test_search_escapes_document_text(make_doc, quality) -> None:
    make_doc(title="Markup", body="The <b>gauge</b> & co")
    page = signed_in(quality).get(reverse("documents_search"), {"q": "gauge"}).content.decode()
    assert "<b>gauge" not in page


# --- API -------------------------------------------------------------------------
def test_the_api_creates_lists_and_signs(quality: User, reviewer: User, ceo: User) -> None:
    client = signed_in(quality)
    created = client.post(
        "/api/documents/",
        {
            "doc_type": DocumentType.objects.get(prefix="QP").pk,
            "title": "Internal audit",
            "body": "# Purpose",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    doc = Document.objects.get(pk=created.json()["id"])
    assert created.json()["number"] == "QP-001"
    versions.submit(
        working(doc), quality, reviewers=[], approvers=[ceo], in_order=False, effective_on=None
    )
    listed = signed_in(ceo).get(f"/api/documents/{doc.pk}/versions/").json()
    assert listed[0]["status"] == "in_review"
    refused = signed_in(ceo).post(
        f"/api/documents/{doc.pk}/sign/", {"password": "wrong"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "password" in refused.json()
    signed = signed_in(ceo).post(
        f"/api/documents/{doc.pk}/sign/", {"password": PASSWORD}, content_type="application/json"
    )
    assert signed.status_code == 200
    assert signed.json()["status"] == "effective"
    assert not signoff.awaiting(ceo).exists()


def test_the_api_refuses_changing_the_type_and_stale_versions(make_doc, quality) -> None:
    doc = make_doc()
    client = signed_in(quality)
    response = client.patch(
        f"/api/documents/{doc.pk}/",
        {"doc_type": DocumentType.objects.get(prefix="WI").pk, "version": doc.version},
        content_type="application/json",
    )
    assert response.status_code == 400 and "doc_type" in response.json()
    response = client.patch(
        f"/api/documents/{doc.pk}/",
        {"title": "New", "version": doc.version - 1 if doc.version > 1 else 99},
        content_type="application/json",
    )
    assert response.status_code == 409


def test_the_api_acknowledges(make_doc, quality, reviewer, ceo, employee) -> None:
    doc = make_doc()
    doc.distribute_people.add(employee)
    approve(doc, quality, reviewer, ceo)
    client = signed_in(employee)
    response = client.post(f"/api/documents/{doc.pk}/acknowledge/")
    assert response.status_code == 200
    assert reading.progress(doc.in_force()).done == 1  # type: ignore[arg-type]
    assert signed_in(reviewer).post(f"/api/documents/{doc.pk}/acknowledge/").status_code == 403
