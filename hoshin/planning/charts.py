"""Server-side SVG charts of KPIs: a run chart against target and thresholds, and a
control chart (individuals or p) with its limits and the points that break a rule.

Like :mod:`hoshin.core.charts`: plain SVG with no script, no ``style`` attribute or
element and no CSS variable (the Content-Security-Policy forbids inline styles, and
WeasyPrint prints the same markup). Every element has an ``spc-`` class, and the look
of the class written out as SVG presentation attributes (see :data:`LOOK`), because
WeasyPrint applies none of the page's CSS inside an inline SVG. Every text is escaped.
Each chart is an image with an accessible name (``aria-label`` and ``<title>``) and a
``<desc>`` that says in words what the chart shows; each point has a ``<title>`` (a
tooltip on screen) with its period and value, and the rules it breaks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from urllib.parse import urlsplit

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hoshin.planning.spc import RULES, ControlChart, Point

Number = float | int | Decimal

# The look of each class, written on the elements as SVG presentation attributes
# (fill="…", stroke="…"). These are not ``style`` attributes, which the Content-Security-
# Policy forbids, and CSP does not govern them; WeasyPrint honours them, whereas it
# applies no stylesheet of the page inside an inline <svg> (only the SVG's own). So the
# chart looks right on screen, in a PDF and with no CSS at all, and any CSS rule on a
# class still wins over them (screen tweaks: the page's font, hover on links).
# Colours: Okabe & Ito blue and vermillion for the data, as the other charts; text
# colours meet 4.5:1 on white.
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
LOOK: dict[str, dict[str, str]] = {
    "spc-chart": {"font-family": FONT, "font-size": "11", "direction": "ltr"},
    "spc-tick": {"fill": "#57606a", "font-size": "11"},
    "spc-caption": {"fill": "#57606a", "font-size": "11", "font-style": "italic"},
    "spc-empty": {"fill": "#57606a", "font-size": "13"},
    "spc-grid": {"stroke": "#e3e6ea", "stroke-width": "1"},
    "spc-axis": {"stroke": "#8c959f", "stroke-width": "1"},
    "spc-zone-off": {"fill": "#fbeeee"},
    "spc-line": {
        "fill": "none",
        "stroke": "#0072b2",
        "stroke-width": "2",
        "stroke-linejoin": "round",
        "stroke-linecap": "round",
    },
    "spc-point": {"fill": "#0072b2", "stroke": "#ffffff", "stroke-width": "1.5"},
    "spc-point-off": {"fill": "#d55e00"},
    "spc-signal": {"fill": "#d55e00"},
    "spc-legend-signal": {"fill": "#d55e00", "stroke": "#ffffff", "stroke-width": "1.5"},
    "spc-threshold": {"fill": "none", "stroke-width": "1.5"},
    "spc-target": {"stroke": "#1a7f37", "stroke-width": "2"},
    "spc-amber": {"stroke": "#bf8700", "stroke-dasharray": "6 4"},
    "spc-red": {"stroke": "#b3261e", "stroke-dasharray": "3 3"},
    "spc-centre": {"stroke": "#1f2328", "stroke-width": "1.5"},
    "spc-limit": {
        "fill": "none",
        "stroke": "#b3261e",
        "stroke-width": "1.5",
        "stroke-dasharray": "6 4",
    },
    "spc-baseline": {"stroke": "#8c959f", "stroke-width": "1", "stroke-dasharray": "2 3"},
    "spc-line-label": {"font-size": "11", "font-weight": "bold"},
    "spc-label-target": {"fill": "#1a7f37"},
    "spc-label-amber": {"fill": "#8a6100"},
    "spc-label-red": {"fill": "#b3261e"},
    "spc-label-centre": {"fill": "#1f2328"},
    "spc-label-limit": {"fill": "#b3261e"},
}


def _look(classes: str) -> str:
    """``class="…"`` and the presentation attributes of those classes (later ones win)."""
    attrs: dict[str, str] = {}
    for name in classes.split():
        attrs.update(LOOK.get(name, {}))
    return f'class="{classes}"' + "".join(f' {k}="{v}"' for k, v in attrs.items())


CHAR_W = 6.4  # average width of an 11px label character, for layout estimates
LABEL_GAP = 13  # least vertical distance between two labels at the right edge
MAX_LABEL = 14  # axis labels longer than this are cut (the point's title has it whole)


# --- Scales and numbers --------------------------------------------------------------


def _nice_step(x: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, the nearest at or above ``x``."""
    exponent = math.floor(math.log10(x))
    fraction = x / 10**exponent
    for nice in (1.0, 2.0, 2.5, 5.0):
        if fraction <= nice + 1e-9:
            return nice * 10**exponent
    return 10.0 ** (exponent + 1)


def nice_scale(lo: float, hi: float, ticks: int = 6) -> tuple[float, float, float]:
    """A round axis from ``lo`` to ``hi``: (first tick, last tick, step), with about
    ``ticks`` intervals.

    Works for negative values and for narrow ranges far from zero (0.92 to 0.98 gives
    0.92 to 0.98 by 0.01), and for a single value (a band around it)."""
    if hi < lo:
        lo, hi = hi, lo
    if (hi - lo) / ticks <= 1e-12 * max(abs(lo), abs(hi)) or (hi - lo) / ticks < 1e-300:
        middle = (lo + hi) / 2  # one value, or too close to tell apart
        pad = max(abs(middle) * 0.1, hi - lo)
        pad = pad if pad > 1e-200 else 1.0
        lo, hi = middle - pad, middle + pad
    step = _nice_step((hi - lo) / ticks)
    first = math.floor(lo / step + 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    return first, last, step


def _decimals(step: float) -> int:
    """The decimals needed to write every multiple of ``step`` exactly."""
    for d in range(10):
        if abs(round(step, d) - step) <= 1e-9 * step:
            return d
    return 10


def _number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


@dataclass(frozen=True)
class _Format:
    """How values are written: scale (100 for per cent), unit, decimals."""

    unit: str
    decimals: int | None  # fixed decimals; None: two more than the axis ticks, trimmed
    tick_decimals: int
    scale: float = 1.0

    def _with_unit(self, text: str) -> str:
        if not self.unit:
            return text
        return f"{text}{self.unit}" if self.unit in ("%", "‰", "°") else f"{text} {self.unit}"

    def tick(self, value: float) -> str:
        text = _number(value * self.scale, self.tick_decimals)
        return f"{text}%" if self.unit == "%" else text

    def value(self, value: float) -> str:
        if self.decimals is not None:
            return self._with_unit(_number(value * self.scale, self.decimals))
        text = _number(value * self.scale, self.tick_decimals + 2)
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return self._with_unit(text)


# --- The frame: axes, grid, labels ---------------------------------------------------


class _Frame:
    """The plot area of a chart over ``n`` periods and the y range from ``lo`` to ``hi``."""

    def __init__(
        self,
        *,
        width: int,
        height: int,
        labels: Sequence[str],
        span: Sequence[float],
        fmt: Callable[[float], _Format],
        right_texts: Callable[[_Format], list[str]],
        caption: str,
        legend: bool,
        ceiling: float | None = None,
    ) -> None:
        # A little room around the data, so that no point sits on the frame; but an axis
        # of figures that cannot be negative does not go below zero (nor, with a
        # ``ceiling``, above it: a proportion stops at 100 %).
        lo, hi = min(span), max(span)
        pad = (hi - lo) * 0.03
        if hi - lo <= 1e-12 * max(1.0, abs(hi)):  # one value: a band around it
            pad = abs(hi) * 0.1 or (0.01 if ceiling is not None else 1.0)
        padded_lo, padded_hi = lo - pad, hi + pad
        if lo >= 0 > padded_lo:
            padded_lo = 0.0
        if ceiling is not None and hi <= ceiling < padded_hi:
            padded_hi = ceiling
        self.first, self.last, self.step = nice_scale(padded_lo, padded_hi)
        self.format = fmt(self.step)
        ticks = self.ticks()
        tick_w = max((len(self.format.tick(t)) for t in ticks), default=1) * CHAR_W
        texts = right_texts(self.format)
        right_w = max((len(t) for t in texts), default=0) * CHAR_W
        self.left = round(max(36.0, tick_w + 14))
        self.right = round(right_w + 14) if texts else 16
        self.top = 26 if caption else 14
        self.bottom = 28 + (20 if legend else 0)
        self.width, self.height = width, height
        self.plot_w = max(width - self.left - self.right, 40)
        self.plot_h = max(height - self.top - self.bottom, 40)
        self.labels = list(labels)
        self.slot = self.plot_w / max(len(self.labels), 1)
        self.caption = caption

    def ticks(self) -> list[float]:
        count = round((self.last - self.first) / self.step)
        return [self.first + i * self.step for i in range(count + 1)]

    def x(self, i: float) -> float:
        return self.left + self.slot * (i + 0.5)

    def y(self, value: float) -> float:
        share = (value - self.first) / (self.last - self.first)
        return self.top + self.plot_h * (1 - share)

    @property
    def x_end(self) -> float:
        return self.left + self.plot_w

    @property
    def y_end(self) -> float:
        return self.top + self.plot_h

    def grid(self) -> list[str]:
        parts = []
        for value in self.ticks():
            y = self.y(value)
            parts.append(
                f'<line {_look("spc-grid")} x1="{self.left}" x2="{self.x_end:.1f}" '
                f'y1="{y:.1f}" y2="{y:.1f}"/>'
                f'<text {_look("spc-tick")} x="{self.left - 6}" y="{y + 4:.1f}" '
                f'text-anchor="end">{escape(self.format.tick(value))}</text>'
            )
        if self.caption:
            parts.append(
                f'<text {_look("spc-caption")} x="{self.left - 6}" y="{self.top - 12}" '
                f'text-anchor="end">{escape(self.caption)}</text>'
            )
        return parts

    def x_labels(self) -> list[str]:
        """Period labels, thinned so that they do not overlap; the latest is always shown."""
        if not self.labels:
            return []
        shown = [_short(label) for label in self.labels]
        widest = max(len(s) for s in shown) * CHAR_W + 10
        every = max(1, math.ceil(widest / self.slot))
        n = len(self.labels)
        parts = []
        for i, text in enumerate(shown):
            if (n - 1 - i) % every == 0:
                parts.append(
                    f'<text {_look("spc-tick")} x="{self.x(i):.1f}" y="{self.y_end + 17:.1f}" '
                    f'text-anchor="middle">{escape(text)}</text>'
                )
        return parts

    def axis(self) -> str:
        return (
            f'<line {_look("spc-axis")} x1="{self.left}" x2="{self.x_end:.1f}" '
            f'y1="{self.y_end:.1f}" y2="{self.y_end:.1f}"/>'
        )

    def right_labels(self, items: Sequence[tuple[float, str, str]]) -> list[str]:
        """Labels at the right edge, level with their lines, pushed apart so none overlap.

        ``items``: (y in pixels, CSS class, text)."""
        ordered = sorted(items, key=lambda item: item[0])
        ys = [y for y, _c, _t in ordered]
        for i in range(1, len(ys)):
            ys[i] = max(ys[i], ys[i - 1] + LABEL_GAP)
        overflow = ys[-1] - (self.y_end + 4) if ys else 0
        if overflow > 0:
            ys = [y - overflow for y in ys]
            for i in range(len(ys) - 2, -1, -1):
                ys[i] = min(ys[i], ys[i + 1] - LABEL_GAP)
        return [
            f'<text {_look("spc-line-label " + css)} x="{self.x_end + 6:.1f}" y="{y + 4:.1f}">'
            f"{escape(text)}</text>"
            for y, (_y, css, text) in zip(ys, ordered, strict=True)
        ]


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _open(width: int, height: int, title: str, desc: str, *, role: str = "img") -> str:
    return (
        f'<svg {_look("spc-chart")} viewBox="0 0 {width} {height}" '
        f'role="{role}" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )


def _empty(width: int, height: int, title: str) -> SafeString:
    message = _("No figures yet.")
    return mark_safe(  # noqa: S308  (every text is escaped)
        _open(width, height, title, message)
        + f'<text {_look("spc-empty")} x="{width / 2:.1f}" y="{height / 2:.1f}" '
        f'text-anchor="middle">{escape(message)}</text></svg>'
    )


def _safe_url(url: str) -> str | None:
    """The URL if it is a web address or a path; never ``javascript:`` and the like.

    Browsers drop control characters and blanks around (and tabs inside) a URL before
    reading its scheme, so a URL with any of them is refused rather than guessed at."""
    url = url.strip()
    if not url or any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return None  # an empty URL means no page for this point: no link
    return url if urlsplit(url).scheme.lower() in ("", "http", "https") else None


def _diamond(x: float, y: float, r: float) -> str:
    return f"M{x:.1f},{y - r:.1f} L{x + r:.1f},{y:.1f} L{x:.1f},{y + r:.1f} L{x - r:.1f},{y:.1f} Z"


def _path(points: Sequence[tuple[float, float] | None]) -> str:
    """An SVG path through the points; a ``None`` lifts the pen (a gap in the line)."""
    d, pen_down = [], False
    for p in points:
        if p is None:
            pen_down = False
            continue
        d.append(f"{'L' if pen_down else 'M'}{p[0]:.1f},{p[1]:.1f}")
        pen_down = True
    return " ".join(d)


def _unit_caption(unit: str) -> str:
    return "" if unit in ("", "%") else unit


# --- Run chart -----------------------------------------------------------------------


def run_chart(
    labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    title: str,
    unit: str = "",
    target: Number | None = None,
    amber: Number | None = None,
    red: Number | None = None,
    higher_is_better: bool = True,
    width: int = 720,
    height: int = 280,
    decimals: int | None = None,
) -> SafeString:
    """The figures of a KPI over time, with its target (solid line) and its amber and red
    thresholds (dashed), each labelled at the right edge.

    A missing figure (``None``) leaves a gap in the line. The zone past the off-target
    line (red, or amber when there is no red) is shaded, on the worse side given
    ``higher_is_better``; points there are drawn in the off-target style and their
    titles say so. ``decimals`` fixes how values are written (the KPI's setting)."""
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} values.")
    labels = [str(label) for label in labels]
    xs = [None if v is None else float(v) for v in values]
    known = [v for v in xs if v is not None]
    lines = [
        (float(v), css, name)
        for v, css, name in (
            (target, "spc-target", _("Target")),
            (amber, "spc-amber", _("Amber")),
            (red, "spc-red", _("Red")),
        )
        if v is not None
    ]
    if not known and not lines:
        return _empty(width, height, title)

    def fmt(step: float) -> _Format:
        return _Format(unit if unit == "%" else "", decimals, _decimals(step))

    span = known + [v for v, _c, _n in lines]
    frame = _Frame(
        width=width,
        height=height,
        labels=labels,
        span=span,
        fmt=fmt,
        right_texts=lambda f: [f"{name} {f.value(v)}" for v, _c, name in lines],
        caption=_unit_caption(unit),
        legend=False,
    )
    tick = frame.format
    full = _Format(unit, decimals, tick.tick_decimals)  # values in titles, with their unit

    off_line = red if red is not None else amber
    off = float(off_line) if off_line is not None else None

    def is_off(value: float) -> bool:
        return off is not None and (value < off if higher_is_better else value > off)

    parts: list[str] = []
    desc = [
        ngettext(
            "%(count)d figure from %(first)s to %(last)s.",
            "%(count)d figures from %(first)s to %(last)s.",
            len(known),
        )
        % {
            "count": len(known),
            "first": labels[0] if labels else "",
            "last": labels[-1] if labels else "",
        }
    ]
    latest = next(((labels[i], v) for i, v in reversed(list(enumerate(xs))) if v is not None), None)
    if latest:
        desc.append(
            _("Latest: %(value)s (%(period)s).")
            % {"value": full.value(latest[1]), "period": latest[0]}
        )
    for value, _css, name in lines:
        desc.append(_("%(line)s: %(value)s.") % {"line": name, "value": full.value(value)})
    if off is not None:
        count = sum(1 for v in known if is_off(v))
        desc.append(
            ngettext(
                "%(count)d figure past the off-target line.",
                "%(count)d figures past the off-target line.",
                count,
            )
            % {"count": count}
        )

    parts.append(_open(width, height, title, " ".join(desc)))
    if off is not None:
        y = min(max(frame.y(off), frame.top), frame.y_end)
        y0, y1 = (y, frame.y_end) if higher_is_better else (frame.top, y)
        if y1 - y0 > 0.5:
            parts.append(
                f'<rect {_look("spc-zone-off")} x="{frame.left}" y="{y0:.1f}" '
                f'width="{frame.plot_w:.1f}" height="{y1 - y0:.1f}"/>'
            )
    parts += frame.grid()
    right = []
    for value, css, name in lines:
        y = frame.y(value)
        parts.append(
            f'<line {_look("spc-threshold " + css)} x1="{frame.left}" x2="{frame.x_end:.1f}" '
            f'y1="{y:.1f}" y2="{y:.1f}"><title>{escape(name)}: {escape(full.value(value))}</title></line>'
        )
        right.append((y, css.replace("spc-", "spc-label-"), f"{name} {frame.format.value(value)}"))
    parts += frame.right_labels(right)
    parts.append(frame.axis())
    parts += frame.x_labels()

    coords = [None if v is None else (frame.x(i), frame.y(v)) for i, v in enumerate(xs)]
    if len(known) > 1:
        parts.append(f'<path {_look("spc-line")} d="{_path(coords)}"/>')
    for i, v in enumerate(xs):
        if v is None:
            continue
        x, y = frame.x(i), frame.y(v)
        text = f"{labels[i]}: {full.value(v)}"
        if is_off(v):
            text += " — " + _("off target")
            parts.append(
                f'<path {_look("spc-point spc-point-off")} d="{_diamond(x, y, 5)}">'
                f"<title>{escape(text)}</title></path>"
            )
        else:
            parts.append(
                f'<circle {_look("spc-point")} cx="{x:.1f}" cy="{y:.1f}" r="3.5">'
                f"<title>{escape(text)}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text is escaped above)


# --- Control chart -------------------------------------------------------------------


def _stepped(frame: _Frame, limits: Sequence[float | None]) -> str:
    """A limit line: straight when it is the same for all points, else in steps, each
    point's limit across its own slot (a p-chart's limits vary with the sample size)."""
    known = [v for v in limits if v is not None]
    if not known:
        return ""
    if max(known) - min(known) <= 1e-12 * max(1.0, abs(max(known))):
        y = frame.y(known[0])
        return f"M{frame.left},{y:.1f} H{frame.x_end:.1f}"
    d, previous = [], None
    for i, v in enumerate(limits):
        if v is None:
            previous = None
            continue
        x0, x1, y = frame.left + frame.slot * i, frame.left + frame.slot * (i + 1), frame.y(v)
        d.append(f"{'V' if previous is not None else 'M' + f'{x0:.1f},'}{y:.1f} H{x1:.1f}")
        previous = v
    return " ".join(d)


def control_chart(
    chart: ControlChart,
    *,
    title: str,
    unit: str = "",
    width: int = 720,
    height: int = 300,
    point_url: Callable[[Point], str] | None = None,
    decimals: int | None = None,
) -> SafeString:
    """A control chart: the points joined by a line, the centre line (solid), the upper and
    lower control limits (dashed, in steps when they vary from point to point), and the
    points that break a rule drawn as larger diamonds (class ``spc-signal``) whose title
    names the rules broken.

    A p-chart is written in per cent whatever ``unit`` says. When the limits come from
    the first points only (a baseline), a dotted line marks where the baseline ends.
    With ``point_url``, each point links to its page (the measurement; an empty string
    for no link); the chart is then a ``group`` of links rather than an image, so that
    the links are reachable with a screen reader (an image's content is hidden from it).
    ``decimals`` fixes how values are written (in per cent for a p-chart)."""
    points = chart.points
    if not points:
        return _empty(width, height, title)
    percent = chart.kind == "p"
    shown_unit = "%" if percent else unit
    scale = 100.0 if percent else 1.0
    uppers = [p.ucl for p in points]
    lowers = [p.lcl for p in points]
    span = [p.value for p in points] + [v for v in uppers + lowers if v is not None]
    if chart.centre is not None:
        span.append(chart.centre)
    signals = chart.out_of_control

    def fmt(step: float) -> _Format:
        return _Format("%" if shown_unit == "%" else "", decimals, _decimals(step * scale), scale)

    edge_values = [v for v in (uppers[-1], chart.centre, lowers[-1]) if v is not None]
    frame = _Frame(
        width=width,
        height=height,
        labels=[p.label for p in points],
        span=span,
        fmt=fmt,
        right_texts=lambda f: [f"UCL {f.value(v)}" for v in edge_values],
        caption=_unit_caption(shown_unit),
        legend=bool(signals),
        ceiling=1.0 if percent else None,
    )
    full = _Format(shown_unit, decimals, frame.format.tick_decimals, scale)
    label = frame.format.value

    # What the chart says, in words.
    kind = _("p-chart") if percent else _("Individuals chart")
    desc = [
        ngettext(
            "%(kind)s of %(count)d point from %(first)s to %(last)s.",
            "%(kind)s of %(count)d points from %(first)s to %(last)s.",
            len(points),
        )
        % {"kind": kind, "count": len(points), "first": points[0].label, "last": points[-1].label}
    ]
    if chart.centre is not None:
        desc.append(_("Centre line %(value)s.") % {"value": full.value(chart.centre)})
    known_u = [v for v in uppers if v is not None]
    known_l = [v for v in lowers if v is not None]
    if known_u and known_l:
        if max(known_u) - min(known_u) > 1e-12 or max(known_l) - min(known_l) > 1e-12:
            desc.append(
                _(
                    "Control limits vary with the sample size: upper %(u1)s to %(u2)s, "
                    "lower %(l1)s to %(l2)s."
                )
                % {
                    "u1": full.value(min(known_u)),
                    "u2": full.value(max(known_u)),
                    "l1": full.value(min(known_l)),
                    "l2": full.value(max(known_l)),
                }
            )
        else:
            desc.append(
                _("Upper control limit %(ucl)s, lower control limit %(lcl)s.")
                % {"ucl": full.value(known_u[0]), "lcl": full.value(known_l[0])}
            )
        if chart.baseline < len(points):
            desc.append(
                _("Limits computed from the first %(count)d points.") % {"count": chart.baseline}
            )
    else:
        desc.append(_("Too few points for control limits."))
    desc.append(
        ngettext(
            "%(count)d point signals an out-of-control condition",
            "%(count)d points signal an out-of-control condition",
            len(signals),
        )
        % {"count": len(signals)}
        + (
            ": "
            + "; ".join(
                f"{p.label} ({', '.join(str(RULES[s]) for s in p.signals)})" for p in signals
            )
            if signals
            else ""
        )
        + "."
    )

    parts = [_open(width, height, title, " ".join(desc), role="group" if point_url else "img")]
    parts += frame.grid()
    if 2 <= chart.baseline < len(points):
        x = frame.left + frame.slot * chart.baseline
        parts.append(
            f'<line {_look("spc-baseline")} x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top}" '
            f'y2="{frame.y_end:.1f}"/>'
            f'<text {_look("spc-tick")} x="{x - 4:.1f}" y="{frame.top + 10}" text-anchor="end">'
            f"{escape(_('Baseline'))}</text>"
        )
    right: list[tuple[float, str, str]] = []
    if chart.centre is not None:
        y = frame.y(chart.centre)
        parts.append(
            f'<line {_look("spc-centre")} x1="{frame.left}" x2="{frame.x_end:.1f}" '
            f'y1="{y:.1f}" y2="{y:.1f}"><title>{escape(_("Centre line"))}: '
            f"{escape(full.value(chart.centre))}</title></line>"
        )
        right.append((y, "spc-label-centre", f"CL {label(chart.centre)}"))
    for name, limits, long_name in (
        ("UCL", uppers, _("Upper control limit")),
        ("LCL", lowers, _("Lower control limit")),
    ):
        d = _stepped(frame, limits)
        if d and limits[-1] is not None:
            parts.append(
                f'<path {_look("spc-limit")} d="{d}"><title>{escape(long_name)}</title></path>'
            )
            right.append((frame.y(limits[-1]), "spc-label-limit", f"{name} {label(limits[-1])}"))
    parts += frame.right_labels(right)
    parts.append(frame.axis())
    parts += frame.x_labels()

    coords = [(frame.x(p.index), frame.y(p.value)) for p in points]
    if len(points) > 1:
        parts.append(f'<path {_look("spc-line")} d="{_path(coords)}"/>')
    for p, (x, y) in zip(points, coords, strict=True):
        text = f"{p.label}: {full.value(p.value)}"
        if p.signals:
            text += " — " + "; ".join(str(RULES[s]) for s in p.signals)
            marker = (
                f'<path {_look("spc-point spc-signal")} d="{_diamond(x, y, 6.5)}">'
                f"<title>{escape(text)}</title></path>"
            )
        else:
            marker = (
                f'<circle {_look("spc-point")} cx="{x:.1f}" cy="{y:.1f}" r="3.5">'
                f"<title>{escape(text)}</title></circle>"
            )
        url = _safe_url(point_url(p)) if point_url else None
        if url is not None:
            marker = f'<a {_look("spc-link")} href="{escape(url)}" aria-label="{escape(text)}">{marker}</a>'
        parts.append(marker)

    if signals:
        y = frame.height - 10
        parts.append(
            f'<path {_look("spc-legend-signal")} d="{_diamond(frame.left + 6, y - 4, 5.5)}"/>'
            f'<text {_look("spc-tick")} x="{frame.left + 16}" y="{y:.1f}">'
            f"{escape(_('Out-of-control signal'))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text is escaped above)
