"""The audit trail: append-only, hash-chained events.

Written by hand because no library gives the property needed: every event carries
the hash of the previous event of its stream, so that any edit, insertion or
removal is detected by recomputing the chain (``hoshin verify-trail``). UPDATE and
DELETE on the table are refused by database triggers (see migration 0002).

Design choice: one chain per stream (a record, or a person for sign-ins and
exports) rather than one global chain. Appending takes a lock on the stream only,
so two people working on different records never wait for each other, and the
lock is held only by the transaction that already changes that record.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class TrailAction(models.TextChoices):
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    TRANSITION = "transition", _("Status changed")
    SIGNATURE = "signature", _("Signed")
    SIGNATURE_REFUSED = "signature_refused", _("Signature refused")
    SUPERSEDED = "superseded", _("Signature superseded")
    COMMENT = "comment", _("Commented")
    ATTACHMENT = "attachment", _("Attached a file")
    VOID = "void", _("Voided")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded")
    ACKNOWLEDGE = "acknowledge", _("Read and understood")
    IMPORT = "import", _("Imported")
    REMIND = "remind", _("Reminded")


class TrailEventQuerySet(models.QuerySet["TrailEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")


class TrailEvent(models.Model):
    stream = models.CharField(_("stream"), max_length=120)
    seq = models.PositiveIntegerField(_("sequence"))
    at = models.DateTimeField(_("time (UTC)"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=20, choices=TrailAction.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.BigIntegerField(null=True, blank=True)
    reference = models.CharField(_("record"), max_length=60, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    message = models.TextField(_("reason or message"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = TrailEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("trail event")
        verbose_name_plural = _("trail events")
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="trail_stream_seq_unique")
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "id"], name="trail_record_idx"),
            models.Index(fields=["at"], name="trail_at_idx"),
            models.Index(fields=["actor", "at"], name="trail_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.reference or self.stream} by {self.actor_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")

    def payload(self) -> dict[str, Any]:
        """The fields the hash covers, in a canonical form."""
        return {
            "stream": self.stream,
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "content_type": self.content_type_id,
            "object_id": self.object_id,
            "reference": self.reference,
            "changes": self.changes,
            "message": self.message,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        blob = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    def changes_list(self) -> list[tuple[str, Any, Any]]:
        """``(field label, before, after)`` rows for display."""
        rows = []
        for field, change in (self.changes or {}).items():
            if isinstance(change, dict) and "after" in change:
                rows.append((change.get("label", field), change.get("before"), change["after"]))
            else:
                rows.append((field, None, change))
        return rows


class TrailSealQuerySet(models.QuerySet["TrailSeal"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")


class TrailSeal(models.Model):
    """A link of the chain of seals over the trail's streams (``hoshin seal``).

    A per-stream chain cannot show that its newest events were removed, or that a
    whole stream was, or that an edited stream was rehashed to the end. A seal
    records every stream's head (stream, sequence, hash) and hashes them with the
    previous seal's digest: ``hoshin verify-trail`` then names a stream whose head
    fell below its sealed sequence, vanished, or no longer has the sealed hash, and a
    digest kept outside the database (mailed to the quality managers, written to
    ``HOSHIN_SEAL_DIGEST_FILE``) shows a chain of seals recomputed by whoever had
    the database. ``heads`` holds only the heads that moved since the previous seal
    (a seal stays small however many streams there are); through the chain each
    digest still covers every stream's head. Append-only like the trail (migration
    0006).
    """

    at = models.DateTimeField(_("sealed at (UTC)"))
    events = models.PositiveBigIntegerField(_("events"))
    streams = models.PositiveIntegerField(_("streams"))
    last_event = models.PositiveBigIntegerField(_("last event id"))
    heads = models.JSONField(_("stream heads sealed"), default=list)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(_("digest"), max_length=64, unique=True)

    objects = TrailSealQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("trail seal")
        verbose_name_plural = _("trail seals")

    def __str__(self) -> str:
        return f"seal #{self.pk} {self.at:%Y-%m-%d %H:%M} {self.digest}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")

    def payload(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="microseconds"),
            "events": self.events,
            "streams": self.streams,
            "last_event": self.last_event,
            "heads": self.heads,
            "prev_digest": self.prev_digest,
        }

    def compute_digest(self) -> str:
        blob = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()
