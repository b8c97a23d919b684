"""The nonconformity report: the whole story of one nonconformity as a PDF (WeasyPrint).

The HTML is a Django template (``improvement/report.html``, styles inline), so every
value is escaped and every label translatable. WeasyPrint is given no way to fetch
anything: the template needs no external resource, and the URL fetcher refuses all
but ``data:`` URLs, so record content can never make the server open a file or a URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from hoshin.core import trail
from hoshin.core.models import Attachment, Organisation, Signature, TrailAction
from hoshin.core.money import Converter, MissingRateError
from hoshin.core.pdf import html_to_pdf
from hoshin.improvement.models import CauseCategory

if TYPE_CHECKING:
    from hoshin.core.models import TrailEvent
    from hoshin.improvement.models import CostItem, Nonconformity

TEMPLATE = "improvement/report.html"
# The trail summary shows the most recent events; the full trail is in Hoshin.
TRAIL_LIMIT = 60


@dataclass
class CostRow:
    line: CostItem
    in_base: Decimal | None


@dataclass
class TrailRow:
    at: Any
    who: str
    what: str
    detail: str


def _cost_rows(nc: Nonconformity, converter: Converter) -> list[CostRow]:
    rows = []
    for line in nc.cost_lines():
        try:
            in_base: Decimal | None = converter.to_base(
                line.amount, line.currency, line.incurred_on
            )
        except MissingRateError:
            in_base = None
        rows.append(CostRow(line, in_base))
    return rows


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _after(changes: dict[str, Any], name: str) -> str:
    change = changes.get(name)
    if isinstance(change, dict):
        change = change.get("after")
    return "" if change in (None, "") else str(change)


def _trail_row(event: TrailEvent, status_label: Any) -> TrailRow:
    what = str(event.get_action_display())
    detail = ""
    changes = event.changes or {}
    if event.action == TrailAction.CREATE and "reference" not in changes:
        # A child written into the record's trail: a corrective action or a cost line.
        if "amount" in changes:
            what = _("Cost added")
            detail = " ".join(
                v for v in (_after(changes, "amount"), _after(changes, "currency")) if v
            )
            category = _after(changes, "category")
            detail = f"{category}: {detail}" if category else detail
        elif "due_date" in changes:
            what = _("Action added")
            detail = _after(changes, "description")
    elif event.action == TrailAction.TRANSITION and isinstance(changes.get("status"), dict):
        before = changes["status"].get("before")
        after = changes["status"].get("after")
        detail = f"{status_label(before)} → {status_label(after)}" if before else ""
    elif event.action == TrailAction.SIGNATURE:
        meaning = changes.get("meaning", "")
        detail = str(dict(Signature._meta.get_field("meaning").flatchoices).get(meaning, meaning))
    elif event.action in (TrailAction.CHANGE, TrailAction.VOID):
        detail = ", ".join(
            str(c.get("label", name)) if isinstance(c, dict) else str(name)
            for name, c in changes.items()
            if name not in ("voided_at", "void_reason")
        )
    elif event.action == TrailAction.ATTACHMENT:
        detail = str(changes.get("file", ""))
    elif event.action == TrailAction.EXPORT:
        detail = str(changes.get("format", "")).upper()
    detail = _shorten(capfirst(detail), 160)
    if event.message:
        message = _shorten(event.message)
        detail = f"{detail}: “{message}”" if detail else f"“{message}”"
    who = str(event.actor) if event.actor is not None else event.actor_label
    return TrailRow(event.at, who, what, _shorten(detail, 240))


def _trail_rows(nc: Nonconformity) -> tuple[list[TrailRow], int]:
    workflow = nc.workflow

    def status_label(name: Any) -> str:
        # The trail keeps the status as it was shown then; map raw names to labels.
        text = str(name or "")
        names = {s.name for s in workflow.states}
        return workflow.label(text) if text in names else text

    events = trail.record_history(nc)
    total = events.count()
    recent = list(events.order_by("-id")[:TRAIL_LIMIT])[::-1]
    return [_trail_row(e, status_label) for e in recent], max(total - len(recent), 0)


def report_context(request: HttpRequest | None, nc: Nonconformity) -> dict[str, Any]:
    """Everything the report shows, read once."""
    converter = Converter()
    costs = _cost_rows(nc, converter)
    trail_rows, trail_omitted = _trail_rows(nc)
    fishbone = nc.fishbone or {}
    return {
        "nc": nc,
        "organisation": Organisation.current(),
        "status_label": nc.get_status_display(),
        "is_void": nc.status == "void" or nc.is_void,
        "whys": nc.why_list(),
        "fishbone": [
            {
                "label": label,
                "notes": str(fishbone.get(value, "") or ""),
                "chosen": value == nc.cause_category,
            }
            for value, label in CauseCategory.choices
        ],
        "actions": list(nc.actions()),
        "costs": costs,
        "cost_total": nc.cost_total(converter),
        "base_currency": converter.base,
        "missing_rates": sorted(converter.missing({row.line.currency for row in costs})),
        "signatures": list(Signature.objects.for_record(nc).select_related("signer")),
        "attachments": list(Attachment.objects.for_record(nc).select_related("uploaded_by")),
        "trail_rows": trail_rows,
        "trail_omitted": trail_omitted,
        "generated_at": timezone.now(),
        "generated_by": getattr(request, "user", None) if request is not None else None,
        "site_url": settings.SITE_URL.rstrip("/"),
    }


def render_report_html(request: HttpRequest | None, nc: Nonconformity) -> str:
    return render_to_string(TEMPLATE, report_context(request, nc), request=request)


def nonconformity_pdf(request: HttpRequest | None, nc: Nonconformity) -> bytes:
    """The nonconformity report as PDF bytes (A4)."""
    return html_to_pdf(render_report_html(request, nc))
