"""The fishbone (Ishikawa) diagram of a nonconformity, drawn on the server as SVG.

The six categories are the bones, three above the spine and three below; the causes
noted under a category (one a line) branch off its bone; the problem is the head. Drawn
here so the record page, the investigate step and the PDF show the same picture without
a script.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hoshin.improvement.models import CauseCategory

WIDTH, HEIGHT = 900, 360
SPINE_Y = 180
TOP, BOTTOM = 48, 312
BONE_RUN = 120  # how far left a bone's far end lies from where it meets the spine
JOINS = (270, 490, 710)  # where the bones meet the spine, left to right
HEAD_X = 730
MAX_CAUSES = 4  # drawn on a bone; more are counted ("+2 more")
CAUSE_CHARS = 28
# Presentation attributes, not a <style> element: the content security policy allows no
# inline style.
INK, NAVY, AMBER, GREY = "#1f2328", "#12355b", "#8a4500", "#57606a"
FONT = 'font-family="system-ui, sans-serif"'


def causes(note: str) -> list[str]:
    """A category's note as its causes, one a line."""
    return [line.strip(" -•\t") for line in str(note or "").splitlines() if line.strip(" -•\t")]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(
    x: float, y: float, text: str, *, anchor: str = "end", style: str = "", full: str = ""
) -> str:
    title = f"<title>{escape(full)}</title>" if full and full != text else ""
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" {FONT} {style}>'
        f"{title}{escape(text)}</text>"
    )


def fishbone_svg(
    notes: Mapping[str, str] | None, *, effect: str = "", chosen: str = ""
) -> SafeString:
    """The diagram of ``notes`` ({category: causes, one a line}); ``chosen`` is the
    root-cause category, drawn stronger; ``effect`` the problem at the head."""
    notes = notes or {}
    parts: list[str] = []
    described: list[str] = []
    categories = list(CauseCategory.choices)
    parts.append(
        f'<line x1="20" y1="{SPINE_Y}" x2="{HEAD_X}" y2="{SPINE_Y}" stroke="{NAVY}" '
        'stroke-width="4"/>'
        f'<polygon points="{HEAD_X},{SPINE_Y - 8} {HEAD_X + 12},{SPINE_Y} {HEAD_X},{SPINE_Y + 8}" '
        f'fill="{NAVY}"/>'
    )
    head = _short(effect or _("The problem"), 20)
    parts.append(
        f'<rect x="{HEAD_X + 14}" y="{SPINE_Y - 30}" width="{WIDTH - HEAD_X - 20}" height="60" '
        f'rx="6" fill="#eef3f8" stroke="{NAVY}"/>'
        + _text(
            HEAD_X + 22,
            SPINE_Y + 5,
            head,
            anchor="start",
            style=f'font-size="13" font-weight="600" fill="{NAVY}"',
            full=effect,
        )
    )
    for index, (value, label) in enumerate(categories):
        join = JOINS[index % 3]
        far_y = TOP if index < 3 else BOTTOM
        far_x = join - BONE_RUN
        strong = value == chosen
        css = "fb-bone chosen" if strong else "fb-bone"
        items = causes(notes.get(value, ""))
        parts.append(f'<g class="{css}" data-category="{value}">')
        parts.append(
            f'<line x1="{far_x}" y1="{far_y}" x2="{join}" y2="{SPINE_Y}" '
            f'stroke="{AMBER if strong else GREY}" stroke-width="{3 if strong else 2}"/>'
        )
        label_y = far_y - 12 if index < 3 else far_y + 22
        name = f"{label} ★" if strong else str(label)
        parts.append(
            _text(
                far_x,
                label_y,
                name,
                anchor="middle",
                style=f'font-size="15" font-weight="600" fill="{AMBER if strong else INK}"',
            )
        )
        shown = items[:MAX_CAUSES]
        for k, cause in enumerate(shown):
            t = (k + 1) / (len(shown) + 1)
            x = far_x + t * BONE_RUN
            y = far_y + t * (SPINE_Y - far_y)
            parts.append(
                f'<line x1="{x - 70:.0f}" y1="{y:.0f}" x2="{x:.0f}" y2="{y:.0f}" stroke="#8c959f"/>'
            )
            parts.append(
                _text(
                    x - 4,
                    y - 4,
                    _short(cause, CAUSE_CHARS),
                    style=f'font-size="12" fill="{INK}"',
                    full=cause,
                )
            )
        if len(items) > MAX_CAUSES:
            more = _("+%(n)d more") % {"n": len(items) - MAX_CAUSES}
            y = SPINE_Y + (-8 if index < 3 else 16)
            parts.append(
                _text(join - 8, y, more, style=f'font-size="11" font-style="italic" fill="{GREY}"')
            )
        parts.append("</g>")
        if items:
            described.append(f"{label}: {'; '.join(items)}")
    summary = _("Fishbone diagram of the causes.") + (
        " " + " ".join(f"{d}." for d in described) if described else " " + _("No causes noted yet.")
    )
    svg = (
        f'<svg class="fishbone-diagram" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(summary)}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(parts)
        + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308  (every text in it is escaped above)
