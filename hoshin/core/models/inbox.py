"""The in-app inbox: what each person is told, what they follow, how often they get a digest.

A notification links to its record like a comment does (content type and id), keeps the
record's reference and a message as they were when it was written, and is read once:
``read_at`` is set, nothing is deleted. Following a record is a row only when someone
chose: a record's owner follows it without one, and an "unfollow" row stops that.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoshin.core.models.journal import RecordLink


class NotificationKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assigned to you")
    SIGNATURE = "signature", _("Signature awaited")
    MENTION = "mention", _("Mentioned")
    CHANGE = "change", _("Followed record changed")
    REMINDER = "reminder", _("Reminder")


class Notification(RecordLink):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    message = models.CharField(_("message"), max_length=500)
    # The state the record entered when someone was assigned: the assignment stands while
    # the record stays in it (the home page lists only those).
    state = models.CharField(_("state"), max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set when a digest e-mail carried it, so no digest repeats it.
    digested_at = models.DateTimeField(_("sent in a digest"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.message[:60]}"


class Follow(RecordLink):
    """Someone chose to follow (or, for a record they own, to stop following) a record."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    following = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "person"], name="follow_unique"
            )
        ]
        verbose_name = _("follow")

    def __str__(self) -> str:
        return f"{self.person} {'follows' if self.following else 'unfollowed'} {self.object_id}"


class Digest(models.TextChoices):
    NEVER = "", _("No digest")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class InboxPreference(models.Model):
    """How one person hears about their unread notifications by e-mail."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_preference"
    )
    digest = models.CharField(
        _("digest e-mail"),
        max_length=10,
        choices=Digest.choices,
        blank=True,
        default=Digest.NEVER,
        help_text=_("A summary of your unread notifications, sent by e-mail."),
    )
    last_digest_on = models.DateField(_("last digest sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox preference")

    def __str__(self) -> str:
        return f"{self.person}: {self.digest or 'never'}"
