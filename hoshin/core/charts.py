"""Server-side SVG charts: fast, accessible, and they print in PDF reports too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from hoshin.core.workflow import Workflow

Number = int | float | Decimal


def _nice_max(value: float) -> float:
    """A round axis maximum whose quarters are whole numbers."""
    value = max(value, 4)
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 4, 8, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:,.1f}"


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
    unit: str = "",
) -> SafeString:
    """Stacked bars, one stack per label, one colour per series, with a legend."""
    left, right, top, bottom = 48, 12, 12, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(float(s[1][i]) for s in series) for i in range(len(labels))]
    peak = _nice_max(max(totals, default=0))
    n = max(len(labels), 1)
    slot = plot_w / n
    bar_w = max(slot * 0.7, 2)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i in range(5):
        value = peak * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="label" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(value)}</text>'
        )
    step = max(1, n // 12)
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        for s_index, (name, values) in enumerate(series):
            value = float(values[i])
            if value <= 0:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(
                f'<rect class="bar bar-{s_index % 6}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}"><title>{escape(label)} · {escape(name)}: {_fmt(value)}{escape(unit)}</title></rect>'
            )
        if i % step == 0:
            parts.append(
                f'<text class="label" x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append(
        f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"/>'
    )
    if len(series) > 1 or (series and series[0][0]):
        # Legend in rows of three, below the axis labels.
        column = (width - left) / 3
        for s_index, (name, _values) in enumerate(series):
            x = left + column * (s_index % 3)
            y = height - 20 + 16 * (s_index // 3)
            parts.append(
                f'<rect class="bar bar-{s_index % 6}" x="{x:.1f}" y="{y}" width="10" height="10"/>'
                f'<text class="label" x="{x + 14:.1f}" y="{y + 9}">{escape(name)}</text>'
            )
        extra = 16 * ((len(series) - 1) // 3)
        parts[0] = parts[0].replace(
            f'viewBox="0 0 {width} {height}"', f'viewBox="0 0 {width} {height + extra}"'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every value is escaped above)


def pareto_chart(
    items: Sequence[tuple[str, Number]], *, title: str, width: int = 640, height: int = 260
) -> SafeString:
    """Bars sorted from the largest, with the cumulative percentage as a line."""
    items = sorted(items, key=lambda kv: -float(kv[1]))
    left, right, top, bottom = 48, 48, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    total = sum(float(v) for _k, v in items) or 1
    peak = _nice_max(max((float(v) for _k, v in items), default=0))
    n = max(len(items), 1)
    slot = plot_w / n
    bar_w = slot * 0.7
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="label" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(peak * i / 4)}</text>'
            f'<text class="label" x="{width - right + 6}" y="{y + 4:.1f}">{25 * i}%</text>'
        )
    cumulative = 0.0
    points = []
    for i, (label, value) in enumerate(items):
        v = float(value)
        cumulative += v
        x = left + slot * i + (slot - bar_w) / 2
        h = plot_h * v / peak
        parts.append(
            f'<rect class="bar bar-0" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" '
            f'height="{h:.1f}"><title>{escape(label)}: {_fmt(v)}</title></rect>'
            f'<text class="label" x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        points.append(f"{x + bar_w / 2:.1f},{top + plot_h - plot_h * cumulative / total:.1f}")
    if points:
        parts.append(f'<polyline class="cumulative" points="{" ".join(points)}"/>')
        for p in points:
            cx, cy = p.split(",")
            parts.append(f'<circle class="cumulative-dot" cx="{cx}" cy="{cy}" r="3"/>')
    parts.append(
        f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308


# Average advance of a character of the state chart's edge labels (11px system sans-serif),
# rounded up so that the boxes computed for the layout are never narrower than the text.
EDGE_CHAR_W = 7.0
EDGE_LABEL_H = 13.0
LANE_H = 22


@dataclass
class _Link:
    """Steps that skip or go back, merged when they share their target and label."""

    label: str
    target: int
    sources: list[int]
    lane: int = 0


def _state_links(chart: dict[str, Any], index: dict[str, int]) -> list[_Link]:
    links: dict[tuple[int, str], _Link] = {}
    for edge in chart["edges"]:
        a, b = index.get(edge["from"]), index.get(edge["to"])
        if a is None or b is None or b == a + 1:
            continue
        link = links.setdefault((b, edge["label"]), _Link(edge["label"], b, []))
        if a not in link.sources:
            link.sources.append(a)
    return list(links.values())


def state_chart(workflow: Workflow, current: str | None) -> SafeString:
    """The workflow drawn as boxes along the main path (see ``draw_state_chart``), drawn
    once per workflow, state and language and then kept: it shows on every record page."""
    key = (current, get_language() or "")
    chart = workflow.chart_cache.get(key)
    if chart is None:
        chart = workflow.chart_cache[key] = draw_state_chart(workflow, current)
    return chart


def draw_state_chart(workflow: Workflow, current: str | None) -> SafeString:
    """The workflow drawn as boxes along the main path. Steps that skip ahead or go back
    run underneath, each on a lane of its own width: a lane holds links whose spans,
    labels included, do not overlap, so no label covers another."""
    chart = workflow.chart(current)
    nodes = chart["nodes"]
    box_h, gap, top, margin = 40, 34, 16, 10
    box_w = max(118, 24 + 8 * max((len(n["label"]) for n in nodes), default=0))
    index = {node["name"]: i for i, node in enumerate(nodes)}
    width = len(nodes) * box_w + (len(nodes) - 1) * gap + 2 * margin

    def centre(i: int) -> float:
        return margin + i * (box_w + gap) + box_w / 2

    # A link leaves a box left of its centre and arrives right of it.
    def out_x(i: int) -> float:
        return centre(i) - 12

    def in_x(i: int) -> float:
        return centre(i) + 12

    links = _state_links(chart, index)
    lanes: list[list[tuple[float, float]]] = []
    # The shortest links take the lanes nearest the boxes.
    for link in sorted(links, key=lambda k: max(*k.sources, k.target) - min(*k.sources, k.target)):
        xs = [out_x(s) for s in link.sources] + [in_x(link.target)]
        lo, hi = min(xs), max(xs)
        half = len(link.label) * EDGE_CHAR_W / 2 + 4
        mid = (lo + hi) / 2
        span = (min(lo, mid - half) - 6, max(hi, mid + half) + 6)
        for n, lane in enumerate(lanes):
            if all(span[1] <= a or span[0] >= b for a, b in lane):
                lane.append(span)
                link.lane = n
                break
        else:
            lanes.append([span])
            link.lane = len(lanes) - 1
    y0 = top + box_h
    height = int(y0 + LANE_H * (len(lanes) + 1) + 6)
    parts = [
        f'<svg class="state-chart-svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" '
        f'aria-label="Workflow" xmlns="http://www.w3.org/2000/svg">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow-head"/>'
        "</marker></defs>"
    ]
    for edge in chart["edges"]:
        a, b = index.get(edge["from"]), index.get(edge["to"])
        if a is None or b is None or b != a + 1:
            continue
        xa = margin + a * (box_w + gap)
        xb = margin + b * (box_w + gap)
        y = top + box_h / 2
        parts.append(
            f'<line class="edge" x1="{xa + box_w}" y1="{y}" x2="{xb - 2}" y2="{y}" '
            f'marker-end="url(#arrow)"><title>{escape(edge["label"])}</title></line>'
        )
    for link in links:
        y = y0 + LANE_H * (link.lane + 1)
        ex = in_x(link.target)
        xs = [out_x(s) for s in link.sources] + [ex]
        title = f"<title>{escape(link.label)}</title>"
        drops = "".join(f"M{out_x(s):.1f},{y0} V{y} " for s in link.sources)
        parts.append(
            f'<path class="edge edge-back" d="{drops}M{min(xs):.1f},{y} H{max(xs):.1f}">{title}</path>'
            f'<path class="edge edge-back" d="M{ex:.1f},{y} V{y0 + 2}" '
            f'marker-end="url(#arrow)">{title}</path>'
            f'<text class="edge-label" x="{(min(xs) + max(xs)) / 2:.1f}" y="{y - 4}" '
            f'text-anchor="middle">{escape(link.label)}</text>'
        )
    for i, node in enumerate(nodes):
        x = margin + i * (box_w + gap)
        css = "node current" if node["current"] else "node"
        parts.append(
            f'<g class="{css}"><rect x="{x}" y="{top}" width="{box_w}" height="{box_h}" rx="8"/>'
            f'<text x="{x + box_w / 2}" y="{top + box_h / 2 + 5}" text-anchor="middle">'
            f"{escape(node['label'])}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308
