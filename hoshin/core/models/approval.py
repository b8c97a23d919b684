"""Sign-off routes and read-and-understood requests, for any record.

A route is the list of people who must review and approve something (a document
version today; later an audit report or a management review), each step signed with
an e-signature. Steps with the same ``position`` sign in parallel; a step waits until
every step with a lower position of the same round has signed. A rejection ends the
round; resubmitting starts the next round, so earlier decisions stay on record.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.core.models.journal import (
    AWAITED_SIGNATURE,
    RecordLink,
    Signature,
    SignatureMeaning,
)
from hoshin.core.models.record import TrailedModel


class SignOffState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SIGNED = "signed", _("Signed")
    REJECTED = "rejected", _("Changes requested")
    CANCELLED = "cancelled", _("Cancelled")


class SignOff(RecordLink, TrailedModel):
    """One person's step on a record's review and approval route."""

    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sign_offs",
        verbose_name=_("signer"),
    )
    meaning = models.CharField(
        _("meaning"),
        max_length=20,
        choices=[
            (SignatureMeaning.REVIEWED.value, SignatureMeaning.REVIEWED.label),
            (SignatureMeaning.APPROVED.value, SignatureMeaning.APPROVED.label),
        ],
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    state = models.CharField(
        _("state"), max_length=20, choices=SignOffState.choices, default=SignOffState.PENDING
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at (UTC)"), null=True, blank=True)
    signature = models.OneToOneField(
        Signature,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sign_off",
        verbose_name=_("signature"),
    )

    class Meta:
        ordering = ["round", "position", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "round"], name="signoff_record_idx"),
            models.Index(fields=["signer", "state"], name="signoff_signer_idx"),
        ]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")

    def __str__(self) -> str:
        return f"{self.get_meaning_display()}: {self.signer} ({self.get_state_display()})"

    @property
    def trail_parent(self) -> models.Model | None:
        return self.record if self.object_id else None

    @property
    def awaited_label(self) -> str:
        """What the signer is asked to do ("to approve"), for a step not yet signed."""
        return str(AWAITED_SIGNATURE.get(self.meaning, self.get_meaning_display()))

    def _child_label(self) -> str:
        return str(_("Sign-off by %(who)s (%(meaning)s)")) % {
            "who": self.signer,
            "meaning": self.get_meaning_display(),
        }


class ReadRequest(RecordLink):
    """Someone must read a record and confirm they read and understood it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="read_requests",
        verbose_name=_("person"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("read and understood"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "person"], name="read_request_unique"
            )
        ]
        indexes = [
            models.Index(fields=["person", "acknowledged_at"], name="read_request_person_idx"),
        ]
        verbose_name = _("read request")
        verbose_name_plural = _("read requests")

    def __str__(self) -> str:
        return f"{self.person}: {'read' if self.acknowledged_at else 'to read'}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Read requests are kept as evidence, never deleted.")
