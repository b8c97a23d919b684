"""Checking uploaded files: size, real content type, safe names, SHA-256."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Types accepted as evidence, by the type the content really is (not its name).
ALLOWED_TYPES = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "application/zip": {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".zip"},
    "text/plain": {".txt", ".csv", ".log", ".md"},
}
_OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


MAX_NAME = 150
# Longer than this after the last dot, it is part of the name, not an extension.
MAX_EXTENSION = 16


def safe_name(name: str) -> str:
    """A file name with no path, no control characters and nothing a shell or browser trips
    on; a long one is shortened before its extension, which says what the file is."""
    name = os.path.basename(name.replace("\\", "/"))
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[^\w.\- ]", "_", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, ext = os.path.splitext(name)
        if ext and len(ext) <= MAX_EXTENSION:
            name = stem[: MAX_NAME - len(ext)].rstrip(" .") + ext
        else:
            name = name[:MAX_NAME].rstrip(" .")
    return name or "file"


def _sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        mime = str(kind.mime)
        # OOXML/ODF containers are zip files underneath.
        if mime.startswith("application/vnd.openxmlformats") or mime.startswith(
            "application/vnd.oasis"
        ):
            return "application/zip"
        return mime
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # UTF-16 text with its byte order mark (Excel's "Unicode text"); the head may end
        # inside a character, which the incremental decoder keeps for later.
        try:
            text = codecs.getincrementaldecoder("utf-16")().decode(head)
        except UnicodeDecodeError:
            return None
        return "text/plain" if "\x00" not in text else None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if b"\x00" not in head else None


def pdf_pages(upload: Any) -> int | None:
    """The number of pages a PDF says it has (its page tree's count: read without walking
    the pages), or None when that cannot be read (a damaged or encrypted file, noted later
    when its text is read)."""
    from pypdf import PdfReader

    upload.seek(0)
    try:
        count: Any = PdfReader(upload).trailer["/Root"]["/Pages"]["/Count"]  # type: ignore[index]
    except Exception:  # pypdf raises many kinds of errors on damaged files
        return None
    finally:
        upload.seek(0)
    return int(count) if isinstance(count, int) else None


def check_upload(upload: UploadedFile) -> tuple[str, str, str]:
    """Validate an upload; returns (safe name, mime type, sha256) or raises ValidationError."""
    limit = settings.HOSHIN_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    name = safe_name(upload.name or "file")
    ext = os.path.splitext(name)[1].lower()
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    mime = _sniff(head)
    if mime is None and ext in ALLOWED_TYPES["text/plain"]:
        raise ValidationError(
            _(
                "“%(name)s” is not text in UTF-8: save it as UTF-8 (in Excel: “CSV UTF-8”) "
                "and upload it again."
            )
            % {"name": name},
            code="encoding",
        )
    if mime is None or mime not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "This kind of file is not accepted. Upload a PDF, an image, an office document or text."
            ),
            code="type",
        )
    if ext not in ALLOWED_TYPES[mime]:
        raise ValidationError(
            _("The file's content does not match its name “%(name)s”.") % {"name": name},
            code="mismatch",
        )
    if mime == "application/pdf":
        # Every page is read for search and stamped on a controlled copy: a PDF of thousands
        # of tiny pages would hold a worker for minutes.
        pages, most = pdf_pages(upload), settings.HOSHIN_MAX_PDF_PAGES
        if pages is not None and pages > most:
            raise ValidationError(
                _(
                    "The PDF has %(pages)s pages; at most %(most)s are accepted. Split it into "
                    "parts, or ask the administrator to raise the limit."
                )
                % {"pages": pages, "most": most},
                code="pages",
            )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return name, _OFFICE.get(ext, mime), digest.hexdigest()
