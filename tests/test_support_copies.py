"""Controlled copies: the rendered document text and uploaded PDFs stamped page by page."""

from __future__ import annotations

import dataclasses
import datetime
import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from hoshin.support.copies import Approval, CopyError, CopyInfo, render_copy, stamp_pdf

UTC = datetime.UTC
A4 = (595.28, 841.89)
LETTER_LANDSCAPE = (792.0, 612.0)


def make_info(**changes: object) -> CopyInfo:
    info = CopyInfo(
        organisation="Kestrel Precision Components Ltd",
        number="QP-007",
        title="Control of nonconforming output",
        version=3,
        status_label="Draft",
        effective_on=None,
        watermark="DRAFT",
        approvals=(
            Approval("Reviewed", "Tom Baker", datetime.datetime(2025, 5, 20, 9, 15, tzinfo=UTC)),
            # Given in another zone: the copy shows UTC.
            Approval(
                "Approved",
                "Sarah Jane Smith",
                datetime.datetime(
                    2025, 5, 21, 18, 40, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
                ),
            ),
        ),
        printed_by="Jane O'Neil",
        printed_at=datetime.datetime(2025, 6, 1, 14, 3, tzinfo=UTC),
    )
    return dataclasses.replace(info, **changes)  # type: ignore[arg-type]


EFFECTIVE = {
    "status_label": "Effective",
    "effective_on": datetime.date(2025, 6, 1),
    "watermark": "",
}


def long_body(sections: int = 14) -> str:
    parts = [
        "<h1>Purpose</h1><p>How <strong>nonconforming output</strong> is identified.</p>",
        "<table><thead><tr><th>Role</th><th>Responsibility</th></tr></thead><tbody>"
        + "".join(f"<tr><td>Role {i}</td><td>Duty number {i}</td></tr>" for i in range(8))
        + "</tbody></table>",
    ]
    for i in range(sections):
        parts.append(
            f"<h2>Step {i}</h2><p>{'Segregate, label and record the affected parts. ' * 25}</p>"
            "<ul><li>first</li><li>second</li></ul><pre><code>QC-HOLD &lt;lot&gt;</code></pre>"
        )
    return "".join(parts)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


# --- render_copy ---------------------------------------------------------------------------------


def test_render_copy_puts_the_header_and_footer_on_every_page() -> None:
    pdf = render_copy(make_info(), long_body())
    assert pdf.startswith(b"%PDF")
    texts = pages_text(pdf)
    n = len(texts)
    assert n >= 3
    for number, text in enumerate(texts, start=1):
        assert "KESTREL PRECISION COMPONENTS LTD" in text.upper()  # set in small capitals
        assert "QP-007" in text
        assert "Control of nonconforming output" in text
        assert "Version 3" in text
        assert "Draft" in text
        assert "No effective date" in text
        assert f"Page {number} of {n}" in text
        assert "Uncontrolled when printed" in text
        assert "Controlled copy" not in text
        assert "Printed 2025-06-01 14:03 UTC by Jane O'Neil" in text
        assert "DRAFT" in text  # the watermark repeats on every page


def test_render_copy_lists_the_approvals_in_utc_on_the_first_page() -> None:
    first = pages_text(render_copy(make_info(), long_body()))[0]
    assert "Reviewed" in first and "Tom Baker" in first and "2025-05-20 09:15" in first
    assert "Approved" in first and "Sarah Jane Smith" in first and "2025-05-21 16:40" in first


def test_render_copy_says_when_nothing_is_approved() -> None:
    text = pages_text(render_copy(make_info(approvals=()), "<p>Short.</p>"))[0]
    assert "No approval is recorded for this version." in text


def test_the_effective_copy_is_controlled_and_has_no_watermark() -> None:
    texts = pages_text(render_copy(make_info(**EFFECTIVE), long_body(4)))
    assert len(texts) >= 2
    for text in texts:
        assert "Controlled copy — uncontrolled when printed" in text
        assert "Effective 2025-06-01" in text
        assert "DRAFT" not in text


def test_render_copy_keeps_the_document_text_and_tables() -> None:
    text = "\n".join(pages_text(render_copy(make_info(), long_body(2))))
    assert "Duty number 7" in text
    assert "QC-HOLD <lot>" in text
    assert "End of QP-007, version 3" in text


def test_render_copy_escapes_the_record_fields() -> None:
    info = make_info(title="Gauges <b>&</b> fixtures", printed_by="<i>Eve</i>")
    text = pages_text(render_copy(info, "<p>Body</p>"))[0]
    assert "Gauges <b>&</b> fixtures" in text
    assert "<i>Eve</i>" in text


def test_render_copy_loads_nothing_from_outside(tmp_path: Path) -> None:
    image = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(image)
    body = f'<p>Before</p><img src="{image.as_uri()}"><img src="http://example.invalid/x.png">'
    page = PdfReader(io.BytesIO(render_copy(make_info(), body))).pages[0]
    assert "Before" in page.extract_text()
    assert not page.images


# --- stamp_pdf -----------------------------------------------------------------------------------


def uploaded_pdf() -> bytes:
    """Two pages of different sizes: A4 portrait, then US Letter landscape."""
    return bytes(
        HTML(
            string="""<style>@page { size: A4; margin: 25mm }
            @page wide { size: letter landscape; margin: 25mm } .wide { page: wide }</style>
            <p>Original first page text.</p><div class="wide"><p>Original second page text.</p></div>"""
        ).write_pdf()
        or b""
    )


def test_stamp_pdf_keeps_pages_sizes_and_text_and_adds_the_copy_marks() -> None:
    original = uploaded_pdf()
    assert sizes(original) == [(595.3, 841.9), (792.0, 612.0)]
    stamped = stamp_pdf(make_info(watermark="SUPERSEDED", status_label="Superseded"), original)
    assert sizes(stamped) == sizes(original)
    texts = pages_text(stamped)
    assert "Original first page text." in texts[0]
    assert "Original second page text." in texts[1]
    for number, text in enumerate(texts, start=1):
        assert "Kestrel Precision Components Ltd" in text
        assert "QP-007" in text
        assert "Version 3" in text
        assert "Superseded" in text
        assert f"Page {number} of 2" in text
        assert "Uncontrolled when printed" in text
        assert "Printed 2025-06-01 14:03 UTC by Jane O'Neil" in text
        assert "SUPERSEDED" in text


def test_stamp_pdf_of_the_effective_version_has_no_watermark() -> None:
    texts = pages_text(stamp_pdf(make_info(**EFFECTIVE), uploaded_pdf()))
    assert len(texts) == 2
    for text in texts:
        assert "Controlled copy — uncontrolled when printed" in text
        assert "Effective 2025-06-01" in text
        assert "DRAFT" not in text


def test_stamp_pdf_handles_rotated_pages_and_shared_contents() -> None:
    """A page shown twice (same content stream), once turned: each gets only its own stamp."""
    reader = PdfReader(io.BytesIO(uploaded_pdf()))
    writer = PdfWriter()
    writer.add_page(reader.pages[0])
    writer.add_page(reader.pages[0])
    writer.pages[1].rotate(90)
    buffer = io.BytesIO()
    writer.write(buffer)
    source = buffer.getvalue()
    pages = PdfReader(io.BytesIO(source)).pages
    assert pages[0].raw_get("/Contents") == pages[1].raw_get("/Contents")

    stamped = PdfReader(io.BytesIO(stamp_pdf(make_info(), source)))
    assert [p.rotation for p in stamped.pages] == [0, 90]
    first, second = (p.extract_text() for p in stamped.pages)
    assert "Page 1 of 2" in first and "Page 2 of 2" not in first
    assert "Page 2 of 2" in second and "Page 1 of 2" not in second
    assert "Original first page text." in first and "Original first page text." in second


def test_stamp_pdf_refuses_an_encrypted_pdf() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(uploaded_pdf())))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(CopyError, match="encrypted or password-protected"):
        stamp_pdf(make_info(), buffer.getvalue())


def test_stamp_pdf_refuses_a_pdf_protected_by_an_owner_password_only() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(uploaded_pdf())))
    writer.encrypt("", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(CopyError, match="encrypted"):
        stamp_pdf(make_info(), buffer.getvalue())


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"this is not a PDF at all",
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<<>>\n%%EOF",
        uploaded_pdf()[:400],
    ],
    ids=["empty", "garbage", "no-pages", "truncated"],
)
def test_stamp_pdf_turns_unreadable_files_into_copy_errors(data: bytes) -> None:
    with pytest.raises(CopyError) as caught:
        stamp_pdf(make_info(), data)
    assert str(caught.value) == (
        "The PDF could not be read, so no controlled copy can be made of it."
    )
