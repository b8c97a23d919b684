"""Text extraction for full-text search: every format read, every failure a note, never a crash."""

from __future__ import annotations

import datetime
import io
import random
import zipfile

import pytest
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from hoshin.support import extract
from hoshin.support.extract import DOCX, MAX_CHARS, PDF, TEXT, XLSX, Extracted, extract_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def pdf_of(html: str) -> bytes:
    return bytes(HTML(string=html).write_pdf() or b"")


def docx_of(body: str, *, prolog: str = "") -> bytes:
    """A minimal Word file: content types, the package relationship and word/document.xml."""
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def p(*runs: str) -> str:
    return "<w:p>" + "".join(f"<w:r>{run}</w:r>" for run in runs) + "</w:p>"


def t(text: str) -> str:
    return f'<w:t xml:space="preserve">{text}</w:t>'


def cell(*paragraphs: str) -> str:
    return "<w:tc>" + "".join(paragraphs) + "</w:tc>"


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_text_of_every_page() -> None:
    data = pdf_of(
        "<p>Calibration   of   torque wrenches</p>"
        '<p style="break-before: page">Second page: gauge R&amp;R study</p>'
    )
    result = extract_text(data, PDF, "procedure.pdf")
    assert result.note == ""
    assert "Calibration of torque wrenches" in result.text
    assert "Second page: gauge R&R study" in result.text


def test_pdf_without_a_text_layer_is_noted_as_scanned() -> None:
    data = pdf_of('<div style="width: 50mm; height: 50mm; background: #333"></div>')
    result = extract_text(data, PDF, "scan.pdf")
    assert result.text == ""
    assert "No text layer found (a scanned PDF?)" in result.note


def test_pdf_with_a_password_is_not_read() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of("<p>Secret supplier prices</p>"))))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    result = extract_text(buffer.getvalue(), PDF, "locked.pdf")
    assert result.text == ""
    assert "password-protected" in result.note


def test_pdf_protected_by_an_owner_password_only_is_read() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of("<p>Open for reading</p>"))))
    writer.encrypt("", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    result = extract_text(buffer.getvalue(), PDF, "no-edit.pdf")
    assert result == Extracted("Open for reading", "")


def test_garbage_pdf_gives_a_note_not_an_exception() -> None:
    result = extract_text(b"%PDF-1.4 this is not really a PDF", PDF, "broken.pdf")
    assert result.text == ""
    assert result.note.startswith("The file could not be read for search: ")


# --- DOCX ----------------------------------------------------------------------------------------


def test_docx_paragraphs_tabs_breaks_and_tables() -> None:
    body = (
        p(t("Purpose"))
        + p(t("Scope:"), "<w:tab/>", t("all   machining cells"))
        + p(t("Line one"), "<w:br/>", t("Line two"))
        + p(t("Split "), t("across runs"))
        + p()  # an empty paragraph adds no line
        + "<w:tbl><w:tr>"
        + cell(p(t("Role")))
        + cell(p(t("Duty")))
        + "</w:tr><w:tr>"
        + cell(p(t("Inspector")))
        + cell(p(t("Checks first-off parts")), p(t("and signs the record")))
        + "</w:tr></w:tbl>"
        + p(t("After the table"))
    )
    result = extract_text(docx_of(body), DOCX, "QP-007.docx")
    assert result.note == ""
    assert result.text.splitlines() == [
        "Purpose",
        "Scope:\tall machining cells",
        "Line one",
        "Line two",
        "Split across runs",
        "Role\tDuty",
        "Inspector\tChecks first-off parts and signs the record",
        "After the table",
    ]


def test_docx_with_a_doctype_is_refused() -> None:
    bomb = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    result = extract_text(docx_of(p(t("&b;")), prolog=bomb), DOCX, "bomb.docx")
    assert result.text == ""
    assert "refuses" in result.note


def test_docx_declaring_another_encoding_cannot_hide_a_doctype() -> None:
    # The declaration is ignored: the part is decoded as UTF-8, and UTF-16 is then not valid.
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml.encode("utf-16"))
    result = extract_text(buffer.getvalue(), DOCX, "sneaky.docx")
    assert result.text == ""
    assert result.note.startswith("The file could not be read for search: ")


def test_docx_that_unpacks_too_big_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "MAX_PART_BYTES", 10_000)
    result = extract_text(docx_of(p(t("x" * 20_000))), DOCX, "big.docx")
    assert result.text == ""
    assert "when unpacked" in result.note


def test_a_zip_bomb_is_refused_by_its_declared_size() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (60 * 1024 * 1024) + b"/>")
    data = buffer.getvalue()
    assert len(data) < 200_000
    result = extract_text(data, DOCX, "bomb.docx")
    assert result.text == ""
    assert "more than 50 MB" in result.note


def test_docx_that_is_not_a_zip_or_has_no_body() -> None:
    assert extract_text(b"PK\x03\x04 nonsense", DOCX, "a.docx").note.startswith(
        "The file could not be read for search: "
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "not a valid Word document" in extract_text(buffer.getvalue(), DOCX, "b.docx").note


# --- XLSX ----------------------------------------------------------------------------------------


def xlsx_of(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_rows_become_tab_separated_lines() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Gauges"
    sheet.append(["Gauge", "Due", "Interval (months)", None, "Notes"])
    sheet.append(["MIC-014", datetime.date(2025, 9, 30), 12, None, "  outside   lab  "])
    sheet.append([None, None, None])
    sheet.append(["CAL-2", None, 6.0])
    other = book.create_sheet("Suppliers")
    other.append(["Acme Castings", "approved"])
    other["A2"] = "=1+1"  # no cached value: data_only gives nothing for it
    result = extract_text(xlsx_of(book), XLSX, "gauges.xlsx")
    assert result.note == ""
    lines = result.text.splitlines()
    assert lines[:4] == [
        "Gauges",
        "Gauge\tDue\tInterval (months)\tNotes",
        "MIC-014\t2025-09-30 00:00:00\t12\toutside lab",
        "CAL-2\t6",
    ]
    assert "Suppliers" in lines and "Acme Castings\tapproved" in lines


def test_xlsx_rows_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "MAX_ROWS", 10)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for i in range(50):
        sheet.append([f"row {i}"])
    text = extract_text(xlsx_of(book), XLSX, "long.xlsx").text
    assert "row 9" in text and "row 10" not in text


def test_garbage_xlsx_gives_a_note() -> None:
    result = extract_text(b"not a workbook", XLSX, "x.xlsx")
    assert result.text == ""
    assert result.note.startswith("The file could not be read for search: ")


# --- Plain text, images, other types -------------------------------------------------------------


def test_plain_text_is_normalised_per_line() -> None:
    data = "Torque   values\r\n\r\n\r\n\tM8:\t25 Nm  \x00\nÄnderung\n".encode()
    assert extract_text(data, TEXT, "notes.txt") == Extracted(
        "Torque values\n\nM8:\t25 Nm\nÄnderung", ""
    )


def test_plain_text_falls_back_to_latin_1() -> None:
    result = extract_text("Prüfmittel über Maß".encode("latin-1"), TEXT, "old.txt")
    assert result == Extracted("Prüfmittel über Maß", "")


def test_text_is_truncated_at_max_chars() -> None:
    line = "0123456789 " * 9 + "\n"  # 100 characters a line
    data = (line * (MAX_CHARS // 100 + 500)).encode()
    result = extract_text(data, TEXT, "huge.txt")
    assert result.note == ""
    assert len(result.text) == MAX_CHARS
    assert result.text.startswith("0123456789 0123456789")


def test_images_are_not_read() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    result = extract_text(buffer.getvalue(), "image/png", "photo.png")
    assert result.text == ""
    assert "no OCR" in result.note


def test_other_types_are_not_read() -> None:
    result = extract_text(b"PK\x03\x04", "application/zip", "archive.zip")
    assert result.text == ""
    assert "application/zip" in result.note and "not read for text" in result.note


@pytest.mark.parametrize("mime", [PDF, DOCX, XLSX, TEXT, "image/png", "application/zip", ""])
def test_random_bytes_never_raise(mime: str) -> None:
    rng = random.Random(7)
    for size in (0, 1, 10, 1000):
        data = bytes(rng.randrange(256) for _ in range(size))
        result = extract_text(data, mime, "random.bin")
        assert isinstance(result, Extracted)
        assert len(result.text) <= MAX_CHARS
