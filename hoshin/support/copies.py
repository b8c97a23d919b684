"""Controlled copies of documents as PDF (ISO 9001 7.5.2 and 7.5.3).

Two pure functions, both rendered with WeasyPrint from ``support/copy.html``:

* :func:`render_copy` turns the document text (sanitised HTML from Markdown) into an A4 PDF with a
  header and footer on every page, the approvals on the first page and, for anything but the
  effective version, a diagonal watermark;
* :func:`stamp_pdf` stamps the same header, footer and watermark onto every page of an uploaded
  PDF, keeping its pages, sizes and content.

Every page says which version it is, its status, who printed it and when, and that a printed copy
is uncontrolled: the current version is the one in Hoshin. WeasyPrint goes through
:func:`hoshin.core.pdf.html_to_pdf`, so a copy never loads a file or URL (only ``data:``).
Both can take seconds for a long document: the pages ask the task queue for them
(copy_store.py), which keeps the result.
"""

from __future__ import annotations

import datetime
import io
import math
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from hoshin.core.pdf import html_to_pdf

TEMPLATE = "support/copy.html"

PT_PER_MM = 72 / 25.4
# The A4 page of render_copy and its margins (mm); copy.html uses the same figures.
A4_MM = (210.0, 297.0)
MARGINS_MM = {"top": 30.0, "right": 18.0, "bottom": 24.0, "left": 18.0}
# Titles are cut to this length in the running header (the first page shows the full title).
HEADER_TITLE_CHARS = 90


@dataclass(frozen=True)
class Approval:
    meaning: str  # e.g. "Reviewed", "Approved" (already translated label)
    signer: str  # full name
    signed_at: datetime.datetime  # aware, UTC


@dataclass(frozen=True)
class CopyInfo:
    organisation: str
    number: str
    title: str
    version: int
    status_label: str
    effective_on: datetime.date | None
    watermark: str  # "" for a controlled (effective) copy; else e.g. "DRAFT", "SUPERSEDED"
    approvals: tuple[Approval, ...]
    printed_by: str
    printed_at: datetime.datetime  # aware


def info_to_json(info: CopyInfo) -> dict[str, Any]:
    """``info`` as plain JSON, to hand to the task queue (copy_store.py)."""
    return {
        "organisation": info.organisation,
        "number": info.number,
        "title": info.title,
        "version": info.version,
        "status_label": info.status_label,
        "effective_on": info.effective_on.isoformat() if info.effective_on else None,
        "watermark": info.watermark,
        "approvals": [[a.meaning, a.signer, a.signed_at.isoformat()] for a in info.approvals],
        "printed_by": info.printed_by,
        "printed_at": info.printed_at.isoformat(),
    }


def info_from_json(data: dict[str, Any]) -> CopyInfo:
    effective_on = data["effective_on"]
    return CopyInfo(
        organisation=data["organisation"],
        number=data["number"],
        title=data["title"],
        version=int(data["version"]),
        status_label=data["status_label"],
        effective_on=datetime.date.fromisoformat(effective_on) if effective_on else None,
        watermark=data["watermark"],
        approvals=tuple(
            Approval(meaning, signer, datetime.datetime.fromisoformat(signed_at))
            for meaning, signer, signed_at in data["approvals"]
        ),
        printed_by=data["printed_by"],
        printed_at=datetime.datetime.fromisoformat(data["printed_at"]),
    )


class CopyError(Exception):
    """An uploaded PDF that cannot be stamped; the message is for the user."""


# --- Shared helpers ------------------------------------------------------------------------------


def _utc(moment: datetime.datetime) -> str:
    """``2025-06-01 14:03`` in UTC (a naive moment is taken to be UTC already)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _watermark_box(text: str, width_pt: float, height_pt: float) -> str:
    """Inline CSS placing ``text`` across the diagonal of a ``width_pt`` x ``height_pt`` box.

    The box is as wide as the diagonal and centred on the area, so centring the text and rotating
    the box about its middle lays the text along the diagonal, from bottom left to top right.
    """
    diagonal = math.hypot(width_pt, height_pt)
    angle = math.degrees(math.atan2(height_pt, width_pt))
    # DejaVu Sans Bold capitals plus the letter spacing average about 0.8 em: fill about 70 % of
    # the diagonal, but keep short words from towering over the page.
    chars = max(len(text), 1)
    size = 0.7 * diagonal / (0.8 * chars)
    size = max(14.0, min(size, 0.3 * min(width_pt, height_pt)))
    line = size * 1.2
    return (
        f"left: {(width_pt - diagonal) / 2:.2f}pt; top: {(height_pt - line) / 2:.2f}pt; "
        f"width: {diagonal:.2f}pt; height: {line:.2f}pt; line-height: {line:.2f}pt; "
        f"font-size: {size:.2f}pt; transform: rotate(-{angle:.2f}deg);"
    )


def _context(info: CopyInfo) -> dict[str, Any]:
    return {
        "info": info,
        "controlled": not info.watermark,
        # Stray white space upsets WeasyPrint's line breaking (a lone word on a line).
        "title": " ".join(info.title.split()),
        "header_title": _shorten(info.title, HEADER_TITLE_CHARS),
        "effective_on": info.effective_on.isoformat() if info.effective_on else "",
        "printed_at": _utc(info.printed_at),
        "approvals": [
            {"meaning": a.meaning, "signer": a.signer, "signed_at": _utc(a.signed_at)}
            for a in info.approvals
        ],
    }


# --- The document text as a copy -----------------------------------------------------------------


def render_copy(info: CopyInfo, body_html: str) -> bytes:
    """A PDF of the document text (``body_html`` is already sanitised HTML from Markdown)."""
    area_w = (A4_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) * PT_PER_MM
    area_h = (A4_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"]) * PT_PER_MM
    context = _context(info)
    context.update(
        mode="document",
        body_html=body_html,
        watermark_style=_watermark_box(info.watermark, area_w, area_h) if info.watermark else "",
    )
    return html_to_pdf(render_to_string(TEMPLATE, context))


# --- An uploaded PDF, stamped --------------------------------------------------------------------


@dataclass(frozen=True)
class _Sheet:
    """One page of an uploaded PDF as it is displayed: its visible size and how to get there."""

    width: float  # pt, as displayed (after /Rotate)
    height: float
    ctm: tuple[float, float, float, float, float, float]  # overlay space -> page user space


def _sheet(page: Any) -> _Sheet:
    """The visible box of ``page`` (crop box within the media box) and its display rotation."""
    media = page.mediabox
    crop = page.cropbox
    mx0, mx1 = sorted((float(media.left), float(media.right)))
    my0, my1 = sorted((float(media.bottom), float(media.top)))
    cx0, cx1 = sorted((float(crop.left), float(crop.right)))
    cy0, cy1 = sorted((float(crop.bottom), float(crop.top)))
    x0, y0, x1, y1 = max(mx0, cx0), max(my0, cy0), min(mx1, cx1), min(my1, cy1)
    if x1 - x0 < 1 or y1 - y0 < 1:  # a crop box outside the media box: viewers use the media box
        x0, y0, x1, y1 = mx0, my0, mx1, my1
    if x1 - x0 < 1 or y1 - y0 < 1:
        raise CopyError(_("A page of the PDF has no size."))
    w, h = x1 - x0, y1 - y0
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    # A viewer turns the page clockwise by /Rotate; the overlay is drawn upright for the reader,
    # so map its (u, v) coordinates back into the page's own user space.
    if rotation == 90:
        return _Sheet(h, w, (0, 1, -1, 0, x1, y0))
    if rotation == 180:
        return _Sheet(w, h, (-1, 0, 0, -1, x1, y1))
    if rotation == 270:
        return _Sheet(h, w, (0, -1, 1, 0, x0, y1))
    return _Sheet(w, h, (1, 0, 0, 1, x0, y0))


def _unshare_contents(pages: Any) -> None:
    """Give every page its own content stream before stamping.

    pypdf writes a merged page back into the page's content object: pages sharing one (a repeated
    blank or cover page, say) would otherwise get each other's stamps.
    """
    from pypdf.generic import ArrayObject, IndirectObject, NameObject

    seen: set[int] = set()
    for page in pages:
        raw = page.raw_get("/Contents") if "/Contents" in page else None
        if raw is None:
            continue
        refs = [raw] if isinstance(raw, IndirectObject) else []
        resolved = raw.get_object()
        if isinstance(resolved, ArrayObject):
            refs += [item for item in resolved if isinstance(item, IndirectObject)]
        ids = {ref.idnum for ref in refs}
        if ids & seen:
            contents = page.get_contents()
            del page[NameObject("/Contents")]
            if contents is not None:
                page.replace_contents(contents)
        else:
            seen |= ids


def _overlay_html(info: CopyInfo, sheets: list[_Sheet]) -> str:
    sizes: dict[tuple[float, float], str] = {}
    pages = []
    for number, sheet in enumerate(sheets, start=1):
        key = (round(sheet.width, 2), round(sheet.height, 2))
        name = sizes.setdefault(key, f"size{len(sizes)}")
        pages.append(
            {
                "number": number,
                "size": name,
                "watermark_style": (
                    _watermark_box(info.watermark, key[0], key[1]) if info.watermark else ""
                ),
            }
        )
    context = _context(info)
    context.update(
        mode="overlay",
        # A sheet is a hair shorter than its page, so that it never spills onto a next page.
        sizes=[
            {
                "name": name,
                "width": f"{w:.2f}",
                "height": f"{h:.2f}",
                "sheet": f"{h - 0.5:.2f}",
                # Narrower than A5: the right-hand parts of the bands may wrap too.
                "narrow": w < 420,
            }
            for (w, h), name in sizes.items()
        ],
        pages=pages,
        page_count=len(sheets),
    )
    return render_to_string(TEMPLATE, context)


def stamp_pdf(info: CopyInfo, pdf: bytes) -> bytes:
    """The uploaded PDF with the copy's header, footer (and watermark) stamped on every page."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import FileNotDecryptedError

    unreadable = _("The PDF could not be read, so no controlled copy can be made of it.")
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            raise CopyError(
                _(
                    "The PDF is encrypted or password-protected, so it cannot be stamped as a "
                    "controlled copy. Upload a copy without protection."
                )
            )
        sheets = [_sheet(page) for page in reader.pages]
    except CopyError:
        raise
    except FileNotDecryptedError as exc:
        raise CopyError(
            _(
                "The PDF is encrypted or password-protected, so it cannot be stamped as a "
                "controlled copy. Upload a copy without protection."
            )
        ) from exc
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise CopyError(unreadable) from exc
    if not sheets:
        raise CopyError(_("The PDF has no pages."))

    stamps = PdfReader(io.BytesIO(html_to_pdf(_overlay_html(info, sheets)))).pages
    if len(stamps) != len(sheets):  # pragma: no cover - a layout bug, not the user's file
        raise RuntimeError(f"The overlay has {len(stamps)} pages for {len(sheets)}.")
    try:
        writer = PdfWriter(clone_from=reader)
        _unshare_contents(writer.pages)
        for page, stamp, sheet in zip(writer.pages, stamps, sheets, strict=True):
            page.merge_transformed_page(stamp, sheet.ctm, over=True, expand=False)
            page.compress_content_streams()
        out = io.BytesIO()
        writer.write(out)
    except Exception as exc:  # ... and on merging or writing them
        raise CopyError(unreadable) from exc
    return out.getvalue()
