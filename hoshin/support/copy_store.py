"""Controlled copies made by the task queue and kept until what they show changes.

Rendering a long text or stamping a large PDF takes seconds (about 6 s for 200 pages), so a
page asks :func:`prepare` and gets either the copy at once or word that the worker is making
it (the page then reloads until it is there). A copy is a file in the default storage,
``copies/<version id>/<reader id>-<key>.pdf``; the key is a hash of everything printed on it:
the version's content, status and approvals, the reader, the language and the day printed. The
same reader asking again the same day gets the same file (it says when it was first printed);
a signature, a new status or a new day makes a new one, and older copies of that version for
that reader are then removed.

Beside each copy, small marker files say how far it got: ``.pending`` (asked for, with when),
``.ready`` (the PDF is complete: storages have no atomic rename) or ``.error`` (why none could
be made, for the reader).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from hoshin.support.copies import CopyError, CopyInfo, info_from_json, info_to_json
from hoshin.support.markup import render_markdown
from hoshin.support.models import DocumentVersion

logger = logging.getLogger(__name__)

FOLDER = "copies"
# A copy asked for and still not made after this long is asked for again (a lost worker).
STALE_AFTER = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Prepared:
    """Where a copy stands: made (``pdf``), refused (``error``) or on its way (neither)."""

    pdf: bytes | None = None
    error: str = ""
    waited: datetime.timedelta = datetime.timedelta(0)  # since it was asked for

    @property
    def pending(self) -> bool:
        return self.pdf is None and not self.error


def printable(version: DocumentVersion) -> bool:
    """A version has a copy when it has text, or an uploaded PDF to stamp."""
    return bool(version.body.strip()) or bool(
        version.file and version.file_type == "application/pdf"
    )


def render(version: DocumentVersion, info: CopyInfo) -> bytes:
    """The copy itself, made in the worker: the text rendered, or the uploaded PDF stamped."""
    from hoshin.support.copies import render_copy, stamp_pdf

    if version.body.strip():
        return render_copy(info, render_markdown(version.body))
    with version.file.open("rb") as handle:
        return stamp_pdf(info, handle.read())


def copy_key(version: DocumentVersion, info: CopyInfo, reader_id: int, language: str) -> str:
    printed = info_to_json(info)
    printed["printed_at"] = info.printed_at.astimezone(datetime.UTC).date().isoformat()
    parts = {
        "content": version.content_hash(),
        "printed": printed,
        "reader": reader_id,
        "language": language,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def _write(name: str, data: bytes) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(data))


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return bytes(handle.read())


def _remove(name: str) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)


def _look(base: str) -> Prepared | None:
    """The copy or its refusal, if the worker is done with it."""
    if default_storage.exists(base + ".ready"):
        return Prepared(pdf=_read(base + ".pdf"))
    if default_storage.exists(base + ".error"):
        note = json.loads(_read(base + ".error"))
        if note.get("again"):  # not the file's fault: the next request tries again
            _remove(base + ".error")
        return Prepared(error=str(note["message"]))
    return None


def _asked(base: str) -> datetime.datetime | None:
    if not default_storage.exists(base + ".pending"):
        return None
    try:
        return datetime.datetime.fromisoformat(_read(base + ".pending").decode())
    except ValueError:
        return None


def prepare(version: DocumentVersion, info: CopyInfo, reader_id: int) -> Prepared:
    """The copy of ``version`` for ``info``, made by the queue if it is not made yet."""
    language = translation.get_language() or "en"
    base = f"{FOLDER}/{version.pk}/{reader_id}-{copy_key(version, info, reader_id, language)}"
    done = _look(base)
    if done is not None:
        return done
    now = timezone.now()
    asked = _asked(base)
    if asked is not None and now - asked < STALE_AFTER:
        return Prepared(waited=now - asked)
    _write(base + ".pending", now.isoformat().encode())
    make_copy.enqueue(version.pk, version.content_hash(), info_to_json(info), base, language)
    # A backend that runs tasks at once (the immediate one) has made it already.
    return _look(base) or Prepared()


def _prune(base: str) -> None:
    """Remove the reader's older copies of this version (and their markers)."""
    folder, name = base.rsplit("/", 1)
    reader = name.split("-", 1)[0] + "-"
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        if file.startswith(reader) and not file.startswith(name + "."):
            default_storage.delete(f"{folder}/{file}")


@task()
def make_copy(
    version_id: int, content_hash: str, info: dict[str, Any], base: str, language: str
) -> str:
    """Make the copy named ``base``: "made", "refused" (a file that cannot be stamped) or
    "changed" (the version changed since it was asked for: the page asks again)."""
    with translation.override(language):
        version = DocumentVersion.objects.select_related("document").filter(pk=version_id).first()
        if version is None or version.content_hash() != content_hash:
            _remove(base + ".pending")
            return "changed"
        try:
            pdf = render(version, info_from_json(info))
        except CopyError as exc:
            _write(base + ".error", json.dumps({"message": str(exc)}).encode())
            _remove(base + ".pending")
            return "refused"
        except Exception:
            message = _(
                "The controlled copy could not be made. Try again; if it fails again, the "
                "administrator finds the reason among the background tasks."
            )
            _write(base + ".error", json.dumps({"message": message, "again": True}).encode())
            _remove(base + ".pending")
            raise  # recorded as a failed task, with its traceback, for the administrator
        _write(base + ".pdf", pdf)
        _write(base + ".ready", b"")
        _remove(base + ".pending")
        _prune(base)
        return "made"
