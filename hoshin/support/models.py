"""Document control (ISO 9001 7.5): controlled documents, their versions, reviews.

A :class:`Document` is the register entry (number, title, owner, type, access,
review and retention rules). Its content lives in numbered
:class:`DocumentVersion` rows that are never overwritten once submitted: a change
is a new version with a reason. The document's status follows its versions: draft
until a first version takes effect, then effective, until made obsolete (or, for a
record, closed and at the end of its retention period disposed of).
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.context.models import Process
from hoshin.core import roles
from hoshin.core.dates import add_months
from hoshin.core.models import (
    Counter,
    Department,
    ReadRequest,
    Record,
    SignOff,
    TrailedModel,
    User,
)
from hoshin.core.models.record import RecordQuerySet
from hoshin.core.workflow import Workflow
from hoshin.support.workflow import WORKFLOW


class DocumentKind(models.TextChoices):
    POLICY = "policy", _("Policy")
    SCOPE = "scope", _("QMS scope")
    MANUAL = "manual", _("Manual")
    PROCEDURE = "procedure", _("Procedure")
    WORK_INSTRUCTION = "work_instruction", _("Work instruction")
    FORM = "form", _("Form or template")
    SPECIFICATION = "specification", _("Specification")
    PLAN = "plan", _("Plan")
    EXTERNAL = "external", _("External document")
    RECORD = "record", _("Record")


class DocumentType(models.Model):
    """A type of document and its numbering scheme: procedures are QP-001, QP-002..."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    prefix = models.CharField(
        _("number prefix"),
        max_length=10,
        unique=True,
        help_text=_("Numbers are the prefix, a dash and a running number: QP-007."),
    )
    digits = models.PositiveSmallIntegerField(
        _("digits"), default=3, help_text=_("Width of the running number, zero-padded.")
    )
    review_months = models.PositiveSmallIntegerField(
        _("review every (months)"),
        default=24,
        help_text=_("Default periodic review interval for new documents; 0 for none."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"),
        null=True,
        blank=True,
        help_text=_("Default retention period of records of this type."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def selectable(cls) -> models.QuerySet[DocumentType]:
        """What forms offer: the types still in use."""
        return cls.objects.filter(active=True)

    @property
    def is_record(self) -> bool:
        return self.kind == DocumentKind.RECORD


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public (may be given outside)")
    INTERNAL = "internal", _("Internal (all staff)")
    CONFIDENTIAL = "confidential", _("Confidential (named people only)")


class Disposition(models.TextChoices):
    KEEP = "keep", _("Keep")
    ARCHIVE = "archive", _("Archive")
    DESTROY = "destroy", _("Destroy after review")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    EFFECTIVE = "effective", _("Effective")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A version being worked on; a document has at most one.
WORKING = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED)
# Oversight roles that see every document, confidential ones included.
SEE_CONFIDENTIAL = frozenset({roles.QUALITY_MANAGER, roles.TOP_MANAGEMENT})


class DocumentQuerySet(RecordQuerySet):
    def in_force_of_kind(self, kind: str) -> Document | None:
        """The document of this kind in force, e.g. the quality policy or the QMS scope
        (what leadership pages and the readiness report point at)."""
        return (
            self.filter(doc_type__kind=kind, status=Document.EFFECTIVE)
            .order_by("-effective_on", "-pk")
            .first()
        )

    def visible_to(self, user: Any) -> DocumentQuerySet:
        """Who may see a document.

        Quality managers and top management see every document. Other oversight roles
        see every document that is not confidential. Employees see effective documents
        that are not confidential. Everyone sees the documents they are involved in:
        owner, author, reviewer or approver, named reader or distribution, or in a
        department given access.
        """
        if not getattr(user, "is_authenticated", False) or not user.roles:
            return self.none()
        if user.roles & SEE_CONFIDENTIAL:
            return self
        involved = Document.involvement_q(user)
        open_ = ~Q(confidentiality=Confidentiality.CONFIDENTIAL)
        if not user.roles & roles.SEE_ALL:
            open_ &= Q(status=Document.EFFECTIVE)
        return self.filter(open_ | involved)


class Document(Record):
    workflow: ClassVar[Workflow] = WORKFLOW

    DRAFT = "draft"
    EFFECTIVE = "effective"
    OBSOLETE = "obsolete"
    CLOSED = "closed"
    DISPOSED = "disposed"

    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="documents", verbose_name=_("type")
    )
    process = models.ForeignKey(
        Process,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("process"),
    )
    description = models.TextField(_("purpose and scope"), blank=True)
    issuer = models.CharField(
        _("issuer"),
        max_length=200,
        blank=True,
        help_text=_("For external documents: who publishes it (a standards body, a customer)."),
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    access_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("may read (people)"),
        help_text=_("Who else may read a confidential document."),
    )
    access_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="+",
        verbose_name=_("may read (departments)"),
    )
    distribute_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("must read (people)"),
    )
    distribute_roles = models.JSONField(_("must read (roles)"), default=list, blank=True)
    distribute_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="+",
        verbose_name=_("must read (departments)"),
    )
    review_months = models.PositiveSmallIntegerField(
        _("review every (months)"), default=24, help_text=_("0 for no periodic review.")
    )
    # The next periodic review is the record's due date: reminders and overdue lists
    # treat it like any other date someone must meet.
    due_date = models.DateField(_("next review"), null=True, blank=True, db_index=True)
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"), null=True, blank=True
    )
    disposition = models.CharField(
        _("disposition"),
        max_length=20,
        choices=Disposition.choices,
        default=Disposition.KEEP,
        help_text=_("What happens to a record at the end of its retention period."),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    retain_until = models.DateField(_("retain until"), null=True, blank=True)
    # Denormalised from the version in force, for the master list and search.
    current_version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    effective_on = models.DateField(_("effective since"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, editable=False)

    objects: ClassVar[Any] = DocumentQuerySet.as_manager()
    trail_digest_fields = frozenset({"text"})
    # Follows the version in force or the draft (versions._refresh_text updates it directly).
    trail_derived_fields = frozenset({"text"})

    class Meta:
        ordering = ["reference"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["doc_type", "status"], name="document_type_status_idx"),
            models.Index(fields=["status", "due_date"], name="document_status_due_idx"),
            # The list's default order (newest first) and the master list by type and date.
            models.Index(fields=["-created_at", "-id"], name="document_created_idx"),
            models.Index(
                fields=["doc_type", "effective_on", "id"], name="document_type_effective_idx"
            ),
        ]

    @classmethod
    def involvement_q(cls, user: Any) -> Q:
        ct_version = DocumentVersion.content_type()
        involved_versions = DocumentVersion.objects.filter(
            Q(author=user)
            | Q(
                pk__in=SignOff.objects.filter(content_type=ct_version, signer=user).values(
                    "object_id"
                )
            )
            | Q(
                pk__in=ReadRequest.objects.filter(content_type=ct_version, person=user).values(
                    "object_id"
                )
            )
        ).values("document_id")
        through_people = Document.access_people.through.objects.filter(user=user)
        q = (
            Q(owner=user)
            | Q(created_by=user)
            | Q(pk__in=involved_versions)
            | Q(pk__in=through_people.values("document_id"))
            | Q(
                pk__in=Document.distribute_people.through.objects.filter(user=user).values(
                    "document_id"
                )
            )
        )
        if user.department_id:
            q |= Q(
                pk__in=Document.access_departments.through.objects.filter(
                    department_id=user.department_id
                ).values("document_id")
            )
            q |= Q(
                pk__in=Document.distribute_departments.through.objects.filter(
                    department_id=user.department_id
                ).values("document_id")
            )
        return q

    @property
    def is_record(self) -> bool:
        return self.doc_type.is_record

    def get_distribute_roles_display(self) -> str:
        return ", ".join(str(roles.ROLE_LABELS.get(r, r)) for r in self.distribute_roles or [])

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality == Confidentiality.CONFIDENTIAL

    @property
    def number(self) -> str:
        return self.reference

    def next_reference(self) -> str:
        dt = self.doc_type
        return f"{dt.prefix}-{Counter.next(f'DOC-{dt.prefix}'):0{dt.digits}d}"

    def version_label(self) -> str:
        return str(self.current_version) if self.current_version else "—"

    def in_force(self) -> DocumentVersion | None:
        return self.versions.filter(status=VersionStatus.EFFECTIVE).first()

    def working(self) -> DocumentVersion | None:
        return self.versions.filter(status__in=WORKING).order_by("-number").first()

    def latest(self) -> DocumentVersion | None:
        return self.versions.exclude(status=VersionStatus.WITHDRAWN).order_by("-number").first()

    def distribution(self) -> Any:
        from hoshin.core import reading

        return reading.people_in(
            self.distribute_people.all(),
            self.distribute_roles or [],
            self.distribute_departments.all(),
        )

    def next_review_from(self, day: datetime.date) -> datetime.date | None:
        if not self.review_months:
            return None
        return add_months(day, self.review_months)


class DocumentVersion(TrailedModel):
    """One numbered version of a document: its text and/or file, and its approval."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    change_reason = models.TextField(_("reason for change"))
    body = models.TextField(
        _("text"), blank=True, help_text=_("Markdown: # headings, **bold**, lists, | tables |.")
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    file_text = models.TextField(_("text of the file"), blank=True)
    text_note = models.CharField(_("search note"), max_length=300, blank=True)
    author = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    in_order = models.BooleanField(
        _("sign in order"),
        default=False,
        help_text=_("Each reviewer and approver waits for the one before."),
    )
    effective_on = models.DateField(
        _("effective date"),
        null=True,
        blank=True,
        help_text=_("Leave empty to take effect as soon as it is approved."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)

    trail_digest_fields = frozenset({"body", "file_text"})
    link_select_related = ("document",)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]
        indexes = [
            models.Index(fields=["status", "effective_on"], name="version_status_date_idx"),
        ]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self) -> str:
        return f"{self.document.reference} v{self.number}"

    @classmethod
    def content_type(cls) -> Any:
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_model(cls)

    @property
    def trail_parent(self) -> models.Model | None:
        return self.document

    def _child_label(self) -> str:
        return str(_("Version %(n)s")) % {"n": self.number}

    @property
    def reference(self) -> str:
        return f"{self.document.reference} v{self.number}"

    @property
    def title(self) -> str:
        return self.document.title

    @property
    def reading_open(self) -> bool:
        """Read requests for a version count only while it is in force."""
        return self.status == VersionStatus.EFFECTIVE

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("document_version", args=[self.document_id, self.number])

    @property
    def has_text(self) -> bool:
        return bool(self.body.strip())

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    @property
    def is_working(self) -> bool:
        return self.status in WORKING

    def search_text(self) -> str:
        from hoshin.support.markup import plain_text

        parts = [plain_text(self.body) if self.body else "", self.file_text]
        return "\n".join(p for p in parts if p)

    def same_content(self, other: DocumentVersion) -> bool:
        """Whether ``other`` says the same: the same text (line endings and the blank space
        around it aside) and the same file."""

        def text(version: DocumentVersion) -> str:
            return version.body.replace("\r\n", "\n").replace("\r", "\n").strip()

        return text(self) == text(other) and self.file_sha256 == other.file_sha256

    def content_hash(self) -> str:
        """SHA-256 of what a signer signs: number, title, reason, text and file."""
        digest = hashlib.sha256()
        for part in (
            self.document.reference,
            self.document.title,
            str(self.number),
            self.change_reason,
            self.body,
            self.file_sha256,
        ):
            digest.update(part.encode())
            digest.update(b"\x1f")
        return digest.hexdigest()


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", _("Still valid: no change needed")
    REVISE = "revise", _("Needs a new version")


class DocumentReview(TrailedModel):
    """A periodic review of a document in force, signed by the reviewer."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("document")
    )
    version_number = models.PositiveIntegerField(_("version reviewed"))
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    comment = models.TextField(_("comment"), blank=True)
    signature = models.OneToOneField(
        "core.Signature", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("periodic review")
        verbose_name_plural = _("periodic reviews")

    def __str__(self) -> str:
        return f"{self.document.reference} {self.reviewed_on}: {self.get_outcome_display()}"

    @property
    def trail_parent(self) -> models.Model | None:
        return self.document
