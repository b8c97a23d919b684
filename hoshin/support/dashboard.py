"""Home-page panel: my documents to read, reviews coming due, documents waiting for approval."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from hoshin.core import reading, roles
from hoshin.core.dashboard import Panel, register_panel
from hoshin.support.models import Document, DocumentVersion, VersionStatus

REVIEW_HORIZON_DAYS = 30


def panel_context(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    today = timezone.localdate()
    ct = DocumentVersion.content_type()
    to_read_ids = reading.outstanding_for(user).filter(content_type=ct).values("object_id")
    to_read = list(
        DocumentVersion.objects.filter(pk__in=to_read_ids, status=VersionStatus.EFFECTIVE)
        .select_related("document")
        .order_by("-effective_on")[:8]
    )
    visible = Document.objects.visible_to(user)
    mine_due = list(
        visible.filter(
            owner=user,
            status=Document.EFFECTIVE,
            due_date__lte=today + datetime.timedelta(days=REVIEW_HORIZON_DAYS),
        ).order_by("due_date")[:8]
    )
    overview = None
    if user.roles & {roles.QUALITY_MANAGER, roles.TOP_MANAGEMENT}:
        overview = Document.objects.aggregate(
            effective=Count("pk", filter=Q(status=Document.EFFECTIVE)),
            review_overdue=Count("pk", filter=Q(status=Document.EFFECTIVE, due_date__lt=today)),
        )
        overview["in_review"] = DocumentVersion.objects.filter(
            status=VersionStatus.IN_REVIEW
        ).count()
        overview["unread"] = (
            reading.ReadRequest.objects.filter(content_type=ct, acknowledged_at__isnull=True)
            .filter(
                object_id__in=DocumentVersion.objects.filter(status=VersionStatus.EFFECTIVE).values(
                    "pk"
                )
            )
            .count()
        )
    return {"to_read": to_read, "reviews_due": mine_due, "overview": overview, "today": today}


def register_home() -> None:
    """What this app puts on the home page; called from its AppConfig.ready()."""
    register_panel(Panel("support/_panel.html", panel_context, order=20))
