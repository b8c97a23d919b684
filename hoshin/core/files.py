"""Checking uploaded files: size, real content type, safe names, SHA-256."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

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


def safe_name(name: str) -> str:
    """A file name with no path, no control characters and nothing a shell or browser trips on."""
    name = os.path.basename(name.replace("\\", "/"))
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[^\w.\- ]", "_", name).strip(" .")
    return name[:150] or "file"


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
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if b"\x00" not in head else None


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
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return name, _OFFICE.get(ext, mime), digest.hexdigest()
