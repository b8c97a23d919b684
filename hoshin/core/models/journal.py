"""What people attach to any record: comments, files, signatures, actions.

These link to their record by content type and id (one table each for every
register) and are read with explicit queries; they write into the record's trail.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.core.models.record import TrailedModel


class RecordLinkQuerySet(models.QuerySet[Any]):
    def for_record(self, record: models.Model) -> RecordLinkQuerySet:
        ct = ContentType.objects.get_for_model(type(record))
        return self.filter(content_type=ct, object_id=record.pk)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Records are voided, never deleted.")


def linked_records(links: Any) -> dict[tuple[int, int], Any]:
    """The records a list of links (actions, sign-offs, read requests) point at, loaded
    with one query per record type; a model may name ``link_select_related`` to load
    what its ``str``/``reference`` needs in the same query."""
    wanted: dict[int, set[int]] = {}
    for link in links:
        wanted.setdefault(link.content_type_id, set()).add(link.object_id)
    found: dict[tuple[int, int], Any] = {}
    for ct_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        related = getattr(model, "link_select_related", ())
        for record in model._default_manager.filter(pk__in=ids).select_related(*related):
            found[(ct_id, record.pk)] = record
    return found


class RecordLink(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()

    objects: Any = RecordLinkQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def record(self) -> models.Model:
        model = self.content_type.model_class()
        if model is None:
            raise LookupError(f"No model for content type {self.content_type_id}")
        return model._default_manager.get(pk=self.object_id)

    def link_to(self, record: models.Model) -> None:
        self.content_type = ContentType.objects.get_for_model(type(record))
        self.object_id = record.pk


class Comment(RecordLink):
    """The human journal of a record, kept apart from the machine trail. Never edited."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="comment_record_idx")]
        verbose_name = _("comment")

    def __str__(self) -> str:
        return self.text[:60]


class Attachment(RecordLink):
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record_idx")]
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.original_name


class SignatureMeaning(models.TextChoices):
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    VERIFIED = "verified", _("Verified effective")
    AUTHORISED = "authorised", _("Authorised")


# What is asked of someone whose signature is awaited: a meaning says what a signature
# given attests ("Approved"), which reads as done while it is still to do.
AWAITED_SIGNATURE = {
    SignatureMeaning.REVIEWED.value: _("to review"),
    SignatureMeaning.APPROVED.value: _("to approve"),
    SignatureMeaning.VERIFIED.value: _("to verify"),
    SignatureMeaning.AUTHORISED.value: _("to authorise"),
}


class Signature(RecordLink):
    """An electronic signature: the signer re-entered their password to sign this content."""

    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=200)
    meaning = models.CharField(_("meaning"), max_length=20, choices=SignatureMeaning.choices)
    signed_at = models.DateTimeField(_("signed at (UTC)"), default=timezone.now)
    content_hash = models.CharField(_("hash of signed content"), max_length=64)
    reference = models.CharField(max_length=60)
    transition = models.CharField(max_length=60, blank=True)
    statement = models.TextField(_("statement"), blank=True)
    # What a workflow step's signature binds: {"fields": the attnames hashed into
    # content_hash, "reached": the state the step reached, "before": the state it left,
    # "reopen": an edit of those fields takes the record back to "before"}. Null for a
    # signature that binds no record fields (a document version's sign-off, whose
    # content_hash is the version's own).
    covers = models.JSONField(_("signed fields"), null=True, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="signature_record_idx")]
        verbose_name = _("signature")

    def __str__(self) -> str:
        return f"{self.get_meaning_display()} by {self.signer_name} at {self.signed_at:%Y-%m-%d %H:%M} UTC"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("A signature cannot be changed.")
        super().save(*args, **kwargs)


class Supersession(models.Model):
    """A signature no longer stands: what it signed was changed (where the step allows
    that) or the record went back before it. The signature row stays as signed."""

    signature = models.OneToOneField(
        Signature, on_delete=models.PROTECT, related_name="supersession"
    )
    at = models.DateTimeField(_("superseded at (UTC)"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("superseded signature")

    def __str__(self) -> str:
        return f"{self.signature} superseded at {self.at:%Y-%m-%d %H:%M} UTC"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("A supersession cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("A supersession is kept as evidence, never deleted.")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Action(RecordLink, TrailedModel):
    """An action someone owns, with a due date and evidence; linked to any record."""

    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    evidence = models.TextField(
        _("evidence of completion"),
        blank=True,
        help_text=_("What shows the action was done: a record, a photo, a document number."),
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30, default="corrective", blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="action_record_idx"),
            models.Index(fields=["owner", "status", "due_date"], name="action_owner_idx"),
        ]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def trail_parent(self) -> models.Model | None:
        return self.record if self.object_id else None

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    @property
    def closed_on_time(self) -> bool | None:
        if self.status != ActionStatus.DONE or self.completed_on is None:
            return None
        return self.completed_on <= self.due_date

    def record_url(self) -> str:
        from django.urls import reverse

        from hoshin.core.registry import registry

        model = self.content_type.model_class()
        if model is None:
            raise LookupError(f"No model for content type {self.content_type_id}")
        return reverse(f"{registry.for_model(model).slug}_detail", args=[self.object_id])
