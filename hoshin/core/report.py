"""A printable PDF of any record: its fields, its signatures, its comments and its trail.

Registers with a report of their own (the nonconformity report) register it as
``RegisterType.pdf``; every other register prints this one, optionally with extra
blocks of already-safe HTML (a KPI's charts).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from hoshin.core import trail
from hoshin.core.models import Comment, Organisation, Signature
from hoshin.core.pdf import html_to_pdf
from hoshin.core.registry import RegisterType

TRAIL_LIMIT = 60


def record_pdf(
    request: Any, rt: RegisterType, record: Any, extra: list[tuple[str, Any]] | None = None
) -> bytes:
    from hoshin.core.views import display_fields

    events = list(trail.record_history(record))
    html = render_to_string(
        "core/record_pdf.html",
        {
            "rt": rt,
            "record": record,
            "organisation": Organisation.current(),
            "state_label": rt.workflow.label(record.status),
            "fields": display_fields(record, rt),
            "signatures": Signature.objects.for_record(record).order_by("signed_at"),
            "comments": Comment.objects.for_record(record).select_related("author"),
            "events": events[-TRAIL_LIMIT:],
            "events_left_out": max(0, len(events) - TRAIL_LIMIT),
            "extra": extra or [],
            "printed_by": getattr(request, "user", ""),
            "printed_at": timezone.now(),
        },
    )
    return html_to_pdf(html)
