"""The life of a document version: draft → in review → approved → effective → superseded.

Every function here checks who may do it and from which state, and writes the trail
through the models (a version's events go into its document's trail). Views, the API,
commands and tests all come through here.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.core import reading, roles, signoff, trail
from hoshin.core.models import (
    ReadRequest,
    Signature,
    SignatureMeaning,
    SignOff,
    StaleRecordError,
    User,
)
from hoshin.core.workflow import TransitionError
from hoshin.support.models import (
    WORKING,
    Document,
    DocumentReview,
    DocumentVersion,
    ReviewOutcome,
    VersionStatus,
)

# Which states each move may start from.
MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((VersionStatus.DRAFT,), VersionStatus.IN_REVIEW),
    "recall": ((VersionStatus.IN_REVIEW,), VersionStatus.DRAFT),
    "reject": ((VersionStatus.IN_REVIEW,), VersionStatus.DRAFT),
    "approve": ((VersionStatus.IN_REVIEW,), VersionStatus.APPROVED),
    "take_effect": ((VersionStatus.APPROVED,), VersionStatus.EFFECTIVE),
    "supersede": ((VersionStatus.EFFECTIVE,), VersionStatus.SUPERSEDED),
    "withdraw": (WORKING, VersionStatus.WITHDRAWN),
}


def _refuse(message: str, status: int = 400, field: str = "__all__") -> TransitionError:
    return TransitionError({field: [message]}, status=status)


def _move(version: DocumentVersion, move: str, reason: str = "") -> None:
    sources, target = MOVES[move]
    if version.status not in sources:
        raise _refuse(
            _("Version %(n)s is %(state)s: this is not possible now.")
            % {"n": version.number, "state": version.get_status_display().lower()},
            status=409,
        )
    version.status = target
    version.save(reason=reason, trail_action=trail.TrailAction.TRANSITION)


# --- who may do what ---------------------------------------------------------------
def can_write(user: Any, document: Document) -> bool:
    """Start and edit versions: the document's owner and quality managers."""
    if not getattr(user, "is_authenticated", False) or not user.roles or user.is_read_only:
        return False
    if document.status in document.final_states():
        return False
    return bool(user.roles & roles.EDIT_ALL) or document.owner_id == user.pk


def can_edit_draft(user: Any, version: DocumentVersion) -> bool:
    if version.status != VersionStatus.DRAFT:
        return False
    return can_write(user, version.document) or (
        version.author_id == user.pk and not user.is_read_only
    )


def visible_versions(user: Any, document: Document) -> Any:
    """Every version for those who oversee or own the document; else the one in force
    and those the person wrote, signed or was asked to read."""
    qs = document.versions.select_related("author").order_by("-number")
    if user.roles & roles.SEE_ALL or document.owner_id == user.pk:
        return qs
    ct = DocumentVersion.content_type()
    signed = SignOff.objects.filter(content_type=ct, signer=user).values("object_id")
    asked = ReadRequest.objects.filter(content_type=ct, person=user).values("object_id")
    return qs.filter(
        Q(author=user) | Q(pk__in=signed) | Q(pk__in=asked) | Q(status=VersionStatus.EFFECTIVE)
    )


# --- starting and editing ----------------------------------------------------------
def start(
    document: Document,
    author: User,
    *,
    change_reason: str,
    body: str | None = None,
) -> DocumentVersion:
    """Open the next version as a draft, starting from the text in force."""
    if not can_write(author, document):
        raise _refuse(_("You may not start a new version of this document."), status=403)
    with transaction.atomic():
        Document.objects.select_for_update().get(pk=document.pk)
        if document.versions.filter(status__in=WORKING).exists():
            raise _refuse(
                _("Version %(n)s is still being worked on: finish or withdraw it first.")
                % {"n": document.working().number},  # type: ignore[union-attr]
                status=409,
            )
        last = document.versions.order_by("-number").first()
        base = document.in_force()
        version = DocumentVersion(
            document=document,
            number=(last.number + 1) if last else 1,
            author=author,
            change_reason=change_reason.strip(),
            body=body if body is not None else (base.body if base else ""),
        )
        if not version.change_reason:
            raise _refuse(_("Say why this version is needed."), field="change_reason")
        version.save()
        _refresh_text(document, version)
    return version


def attach_file(
    version: DocumentVersion, upload: UploadedFile, checked: tuple[str, str, str]
) -> None:
    """Store the version's file (already checked) and read its text for search."""
    from hoshin.support.extract import extract_text

    name, mime, sha256 = checked
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    extracted = extract_text(data, mime, name)
    version.file.save(f"{sha256[:16]}-{name}", upload, save=False)
    version.file_name = name
    version.file_type = mime
    version.file_size = upload.size
    version.file_sha256 = sha256
    version.file_text = extracted.text
    version.text_note = extracted.note[:300]


def save_draft(version: DocumentVersion, user: User, reason: str = "") -> None:
    """Save a draft edit; a stale copy (someone saved in between) is refused."""
    if not can_edit_draft(user, version):
        raise _refuse(_("Only a draft can be edited, by its author or owner."), status=403)
    version.save(reason=reason)
    _refresh_text(version.document, version)


# --- review and approval -----------------------------------------------------------
def submit(
    version: DocumentVersion,
    user: User,
    *,
    reviewers: Sequence[User],
    approvers: Sequence[User],
    in_order: bool,
    effective_on: datetime.date | None,
    comment: str = "",
    today: datetime.date | None = None,
) -> DocumentVersion:
    if not can_edit_draft(user, version):
        raise _refuse(_("You may not submit this version."), status=403)
    problems: dict[str, list[str]] = {}
    if not version.has_text and not version.has_file:
        problems["body"] = [_("Write the text or upload the file first.")]
    if not version.change_reason.strip():
        problems["change_reason"] = [_("Say why this version is needed.")]
    in_force = version.document.in_force()
    if in_force is not None and in_force.pk != version.pk and version.same_content(in_force):
        problems.setdefault("__all__", []).append(
            _(
                "No changes: the text and the file are those of version %(n)s, in force. "
                "Change what needs changing, or withdraw this version."
            )
            % {"n": in_force.number}
        )
    if effective_on is not None and effective_on < (today or timezone.localdate()):
        problems["effective_on"] = [_("The effective date cannot be in the past.")]
    steps = signoff.plan(reviewers, approvers, in_order=in_order)
    for field, messages in signoff.check_route(steps, version.author).items():
        problems.setdefault(field, []).extend(messages)
    if problems:
        raise TransitionError(problems)
    with transaction.atomic():
        version.in_order = in_order
        version.effective_on = effective_on
        version.submitted_at = timezone.now()
        _move(version, "submit", comment or _("Submitted for review and approval"))
        signoff.start(version, steps)
    return version


def recall(version: DocumentVersion, user: User, comment: str = "") -> None:
    if not (can_write(user, version.document) or version.author_id == user.pk):
        raise _refuse(_("You may not recall this version."), status=403)
    with transaction.atomic():
        signoff.cancel(version, reason=_("Recalled by %(who)s") % {"who": user})
        version.submitted_at = None
        _move(version, "recall", comment or _("Recalled for changes"))


def sign(
    version: DocumentVersion,
    user: User,
    *,
    password: str,
    comment: str = "",
    today: datetime.date | None = None,
) -> None:
    """Sign the user's review or approval step; the last approval approves the version.

    Pending steps exist only while the version is in review, so someone with no
    pending step is refused (403) whatever the version's state."""
    with transaction.atomic():
        signoff.sign(
            version,
            user,
            password=password,
            comment=comment,
            content_hash=version.content_hash(),
            reference=version.reference,
            author=version.author,
        )
        if signoff.is_complete(signoff.route(version)):
            version.refresh_from_db()
            version.approved_at = timezone.now()
            _move(version, "approve", _("Every reviewer and approver has signed"))
            today = today or timezone.localdate()
            if version.effective_on is None or version.effective_on <= today:
                take_effect(version, today)


def reject(version: DocumentVersion, user: User, *, comment: str) -> None:
    with transaction.atomic():
        signoff.reject(version, user, comment=comment)
        version.refresh_from_db()
        version.submitted_at = None
        _move(version, "reject", _("Changes requested: %(c)s") % {"c": comment})


def take_effect(version: DocumentVersion, today: datetime.date | None = None) -> None:
    """The approved version comes into force (``today``); the one before is superseded."""
    document = version.document
    today = today or timezone.localdate()
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        previous = document.in_force()
        if previous is not None and previous.pk != version.pk:
            previous.superseded_on = today
            _move(previous, "supersede", _("Superseded by version %(n)s") % {"n": version.number})
        if version.effective_on is None or version.effective_on > today:
            version.effective_on = today
        _move(version, "take_effect", _("In force from %(d)s") % {"d": version.effective_on})
        document.current_version = version.number
        document.effective_on = version.effective_on
        document.text = version.search_text()
        document.due_date = document.next_review_from(version.effective_on)
        action = None
        if document.status == Document.DRAFT:
            document.status = Document.EFFECTIVE
            action = trail.TrailAction.TRANSITION
        document.save(
            reason=_("Version %(n)s in force") % {"n": version.number},
            trail_action=action,
            check_version=False,
        )
        reading.request(version, document.distribution())


def promote_due(today: datetime.date | None = None) -> int:
    """Bring into force every approved version whose effective date has come.

    Called by ``hoshin remind`` and lazily when documents are read, so nothing depends
    on a scheduled task having run.
    """
    today = today or timezone.localdate()
    due = list(
        DocumentVersion.objects.filter(
            status=VersionStatus.APPROVED, effective_on__lte=today
        ).select_related("document")
    )
    for version in due:
        try:
            take_effect(version)
        except (TransitionError, StaleRecordError):
            continue  # taken by a concurrent request
    return len(due)


def withdraw_working(document: Document, reason: str) -> None:
    for version in document.versions.filter(status__in=WORKING):
        signoff.cancel(version, reason=reason)
        _move(version, "withdraw", reason)


def destroy_content(document: Document, reason: str) -> None:
    """End of retention: the content goes; the entry, signatures and trail stay.

    The files are removed once the disposal is committed: a rollback keeps them with the
    rows that name them (robust: a file that cannot be removed is logged, not a failure
    of a disposal already committed)."""
    for version in document.versions.all():
        if version.file:
            remove = functools.partial(version.file.storage.delete, version.file.name)
            transaction.on_commit(remove, robust=True)
            version.file = None
        version.body = ""
        version.file_text = ""
        version.save(reason=reason)


# --- periodic review and reading ---------------------------------------------------
def periodic_review(
    document: Document,
    user: User,
    *,
    outcome: str,
    comment: str,
    password: str,
    today: datetime.date | None = None,
) -> DocumentReview:
    """Record a signed periodic review; "no change" moves the next review date on."""
    document.refresh_from_db()
    if not can_write(user, document):
        raise _refuse(_("You may not review this document."), status=403)
    current = document.in_force()
    if current is None or document.status != Document.EFFECTIVE:
        raise _refuse(_("Only a document in force is reviewed."), status=409)
    problems: dict[str, list[str]] = {}
    if outcome not in ReviewOutcome.values:
        problems["outcome"] = [_("Choose the outcome of the review.")]
    if outcome == ReviewOutcome.REVISE and not comment.strip():
        problems["comment"] = [_("Say what needs to change.")]
    try:  # throttled and trailed like every signature; a lockout (429) goes straight out
        signoff.check_password(user, password, document, "periodic_review")
    except TransitionError as exc:
        if exc.status != 400:
            raise
        problems["password"] = exc.problems["password"]
    if problems:
        raise TransitionError(problems)
    today = today or timezone.localdate()
    with transaction.atomic():
        signature = Signature(
            signer=user,
            signer_name=str(user),
            meaning=SignatureMeaning.REVIEWED,
            content_hash=current.content_hash(),
            reference=current.reference,
            transition="periodic_review",
            statement=comment,
        )
        signature.link_to(document)
        signature.save()
        review = DocumentReview(
            document=document,
            version_number=current.number,
            reviewed_by=user,
            reviewed_on=today,
            outcome=outcome,
            comment=comment,
            signature=signature,
        )
        review.save(reason=comment)
        trail.append(
            action=trail.TrailAction.SIGNATURE,
            instance=document,
            changes={
                "meaning": SignatureMeaning.REVIEWED.value,
                "signer": user.get_username(),
                "content_hash": signature.content_hash,
                "review": outcome,
            },
            message=comment,
        )
        document.refresh_from_db()
        document.last_reviewed_on = today
        if outcome == ReviewOutcome.NO_CHANGE:
            document.due_date = document.next_review_from(today)
        document.save(reason=_("Periodic review: %(o)s") % {"o": review.get_outcome_display()})
        if (
            outcome == ReviewOutcome.REVISE
            and not document.versions.filter(status__in=WORKING).exists()
        ):
            start(document, user, change_reason=comment)
    return review


def acknowledge(version: DocumentVersion, user: User) -> None:
    if not ReadRequest.objects.for_record(version).filter(person=user).exists():
        raise _refuse(_("You were not asked to read this."), status=403)
    if version.status != VersionStatus.EFFECTIVE:
        raise _refuse(_("Only the version in force is acknowledged."), status=409)
    try:
        reading.acknowledge(version, user)
    except reading.NotRequested as exc:
        raise _refuse(str(exc), status=403) from exc


def _refresh_text(document: Document, version: DocumentVersion) -> None:
    """Search reads the text in force; a document never in force is found by its draft.

    The text is derived from the version (whose own save is in the trail), so it is
    updated directly rather than as a change of the document."""
    if document.status == Document.DRAFT and version.is_working:
        Document.objects.filter(pk=document.pk).update(text=version.search_text())
