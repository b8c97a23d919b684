"""Text of uploaded files, for full-text search.

:func:`extract_text` never raises: a file whose text cannot be read is still stored, and the
returned note tells the user why it is not searchable. Office files are zip archives of XML; both
are read defensively (no entity declarations, a cap on the uncompressed size).
"""

from __future__ import annotations

import io
import re
import time
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, XMLPullParser

from django.utils.translation import gettext as _

MAX_CHARS = 1_000_000
# Largest uncompressed XML part read from an office file, and largest office file in all.
MAX_PART_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
MAX_ROWS = 100_000
# Reading a PDF's text is bounded in pages, time and work, so an upload never holds a worker
# for long (a PDF of thousands of pages is refused at upload: hoshin.core.files): pages past
# the limits are not searchable, and the version says so.
PDF_MAX_PAGES = 1000
PDF_READ_SECONDS = 3.0
PDF_MAX_PAGE_CONTENT = 256 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Extracted:
    text: str  # plain text, whitespace-normalised per line, at most MAX_CHARS characters
    note: str  # "" when all text was read; otherwise why (some of) it is not (for the user)


class _Refused(Exception):
    """The file is not read; the message is the user-facing note."""


# --- Normalising -------------------------------------------------------------------------------

# Control characters other than tab and newline (PostgreSQL text cannot even hold NUL).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _normalise_line(line: str) -> str:
    """Runs of white space become one space; tab-separated cells stay tab-separated."""
    cells = (" ".join(cell.split()) for cell in _CONTROL.sub(" ", line).split("\t"))
    return "\t".join(cell for cell in cells if cell)


class _Text:
    """Collects lines up to MAX_CHARS characters; ``full`` once the cap is reached."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.size = 0
        self.full = False

    def add(self, chunk: str) -> None:
        for raw in chunk.splitlines():
            if self.full:
                return
            line = _normalise_line(raw)
            if not line:
                if self.lines and self.lines[-1]:
                    self.lines.append("")  # paragraphs keep one blank line between them
                    self.size += 1
                continue
            self.lines.append(line)
            self.size += len(line) + 1
            if self.size >= MAX_CHARS:
                self.full = True

    def text(self) -> str:
        return "\n".join(self.lines).strip("\n")[:MAX_CHARS]


# --- Formats ---------------------------------------------------------------------------------


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Many PDFs are "protected" with an owner password only and open without one.
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # an encryption pypdf cannot undo without an optional library
            opened = False
        if not opened:
            raise _Refused(
                _(
                    "The PDF is encrypted or password-protected: the file is stored but its text "
                    "is not searchable."
                )
            )
    out = _Text()
    pages = reader.pages
    deadline = time.monotonic() + PDF_READ_SECONDS
    read = skipped = 0
    for page in pages:
        if read >= PDF_MAX_PAGES or time.monotonic() > deadline:
            break
        read += 1
        if _content_size(page) > PDF_MAX_PAGE_CONTENT:
            skipped += 1  # extract_text's time grows with it: seconds for one such page
            continue
        out.add(page.extract_text() or "")
        out.add("\n\n")
        if out.full:
            break
    text = out.text()
    cut = not out.full and read < len(pages)
    note = ""
    if cut:
        note = _(
            "Only the text of the first %(n)d pages is searchable: reading stopped there to "
            "keep the upload quick."
        ) % {"n": read}
    elif skipped:
        note = _(
            "%(n)d pages hold too much drawing to be read for search: their text is not searchable."
        ) % {"n": skipped}
    if not text:
        if not len(pages):
            raise _Refused(_("The PDF has no pages: there is no text to search."))
        if note:
            raise _Refused(note)
        raise _Refused(
            _(
                "No text layer found (a scanned PDF?): the file is stored but its text is not "
                "searchable."
            )
        )
    return Extracted(text, note)


def _content_size(page: Any) -> int:
    """The size of a page's content stream, uncompressed (0 when it cannot be read)."""
    try:
        contents = page.get_contents()
        return len(contents.get_data()) if contents is not None else 0
    except Exception:  # a damaged stream: extract_text says what it can
        return 0


def _archive(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    if sum(info.file_size for info in archive.infolist()) > MAX_ARCHIVE_BYTES:
        raise _Refused(_too_big())
    return archive


def _too_big() -> str:
    return _(
        "The file expands to more than %(size)d MB when unpacked, so it is not read for search."
    ) % {"size": MAX_PART_BYTES // (1024 * 1024)}


def _read_xml(archive: zipfile.ZipFile, name: str) -> str:
    """An XML part as text: at most MAX_PART_BYTES, UTF-8, no DTD (so no entity expansion)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise _Refused(
            _("The file is not a valid Word document: the file is stored but not searchable.")
        ) from None
    if info.file_size > MAX_PART_BYTES:
        raise _Refused(_too_big())
    with archive.open(info) as member:
        raw = member.read(MAX_PART_BYTES + 1)  # the declared size may lie
    if len(raw) > MAX_PART_BYTES:
        raise _Refused(_too_big())
    # Decoding here (not in the parser) pins the encoding: a declared exotic encoding cannot
    # smuggle a DOCTYPE past the check below.
    xml = raw.decode("utf-8-sig")
    if "<!DOCTYPE" in xml or "<!ENTITY" in xml:
        raise _Refused(
            _(
                "The document declares a DTD or entities, which Hoshin refuses to read for "
                "safety: the file is stored but not searchable."
            )
        )
    return xml


def _xml_events(xml: str) -> Iterator[tuple[str, Element]]:
    """(event, element) pairs for element starts and ends, parsed a megabyte at a time."""
    parser = XMLPullParser(events=("start", "end"))

    def ready() -> Iterator[tuple[str, Element]]:
        for item in parser.read_events():
            if len(item) == 2 and isinstance(item[1], Element):  # ("start" | "end", element)
                yield item[0], item[1]

    step = 1 << 20
    for start in range(0, len(xml), step):
        parser.feed(xml[start : start + step])
        yield from ready()
    parser.close()
    yield from ready()


class _Docx:
    """Lines of a Word body: a paragraph per line; a table row per line, cells tab-separated."""

    def __init__(self) -> None:
        self.out = _Text()
        self.line: list[str] = []
        # Open table rows (rows nest in cells): each a list of cells, each a list of strings.
        self.rows: list[list[list[str]]] = []

    def _target(self) -> list[str]:
        return self.rows[-1][-1] if self.rows and self.rows[-1] else self.line

    def _break(self) -> None:
        target = self._target()
        if target is self.line:
            if self.line:
                self.out.add("".join(self.line) + "\n")
                self.line.clear()
        elif target and target[-1] != " ":
            target.append(" ")  # paragraphs of a cell run on, with a space between them

    def feed(self, events: Iterable[tuple[str, Element]]) -> None:
        for event, el in events:
            tag = el.tag
            if event == "start":
                if tag == W + "p":
                    self._break()
                elif tag == W + "tr":
                    self._break()
                    self.rows.append([])
                elif tag == W + "tc" and self.rows:
                    self.rows[-1].append([])
                continue
            if tag == W + "t":
                self._target().append(el.text or "")
            elif tag == W + "tab":
                self._target().append("\t")
            elif tag in (W + "br", W + "cr"):
                self._break()
            elif tag == W + "noBreakHyphen":
                self._target().append("-")
            elif tag == W + "p":
                self._break()
                el.clear()
            elif tag == W + "tr" and self.rows:
                cells = self.rows.pop()
                row = "\t".join(" ".join("".join(cell).split()) for cell in cells)
                self._target().append(row)
                self._break()
            if self.out.full:
                return
        self._break()


def _docx(data: bytes) -> Extracted:
    with _archive(data) as archive:
        xml = _read_xml(archive, "word/document.xml")
    doc = _Docx()
    doc.feed(_xml_events(xml))
    return Extracted(doc.out.text(), "")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx(data: bytes) -> Extracted:
    from openpyxl import load_workbook

    with _archive(data) as archive:
        # openpyxl parses the parts itself: refuse DTDs in any of them first.
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                _read_xml(archive, info.filename)
    out = _Text()
    rows = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about every unsupported extension
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                out.add(f"{sheet.title}\n")
                for row in sheet.iter_rows(values_only=True):
                    values = [_cell(v) for v in row]
                    line = "\t".join(v for v in values if v.strip())
                    if line:
                        out.add(line + "\n")
                    rows += 1
                    if out.full or rows >= MAX_ROWS:
                        break
                out.add("\n")
                if out.full or rows >= MAX_ROWS:
                    break
        finally:
            book.close()
    return Extracted(out.text(), "")


def _plain(data: bytes) -> Extracted:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    out = _Text()
    out.add(text[: MAX_CHARS * 2])
    return Extracted(out.text(), "")


# --- Entry point -----------------------------------------------------------------------------


def _short(exc: BaseException) -> str:
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return reason if len(reason) <= 160 else reason[:159] + "…"


def extract_text(data: bytes, mime: str, name: str) -> Extracted:
    """The searchable text of an uploaded file, or a note saying why there is none."""
    mime = (mime or "").split(";")[0].strip().lower()
    try:
        if mime == PDF:
            return _pdf(data)
        if mime == DOCX:
            return _docx(data)
        if mime == XLSX:
            return _xlsx(data)
        if mime == TEXT:
            return _plain(data)
        if mime.startswith("image/"):
            return Extracted(
                "",
                _("Images are not read for text (no OCR): the file is stored but not searchable."),
            )
        return Extracted(
            "",
            _(
                "This type of file (%(type)s) is not read for text: the file is stored but not searchable."
            )
            % {"type": mime or name.rsplit(".", 1)[-1] or "?"},
        )
    except _Refused as refused:
        return Extracted("", str(refused))
    except zipfile.BadZipFile:
        return Extracted(
            "",
            _("The file could not be read for search: %(reason)s")
            % {"reason": _("it is not a valid office document (damaged zip archive)")},
        )
    except UnicodeDecodeError:
        return Extracted(
            "",
            _("The file could not be read for search: %(reason)s")
            % {"reason": _("the document is not encoded in UTF-8")},
        )
    except Exception as exc:  # a damaged file must never break an upload
        return Extracted(
            "", _("The file could not be read for search: %(reason)s") % {"reason": _short(exc)}
        )
