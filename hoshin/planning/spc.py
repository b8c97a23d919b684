"""Statistical process control: individuals (XmR) and p control charts, and run rules.

Pure computations, no models: a KPI's figures go in, a :class:`ControlChart` comes out
with the centre line, the control limits and, for every point, the rules it breaks.
The charts follow the textbook definitions (Montgomery, *Introduction to Statistical
Quality Control*, chapters 6 and 7; NIST/SEMATECH e-Handbook, section 6.3.2):

* **Individuals chart** (XmR): centre = mean of the baseline points; moving ranges
  MR_i = |x_i - x_(i-1)|; MR-bar = their mean over the baseline; estimated sigma =
  MR-bar / d2 with d2 = 1.128 (the expected range of two normal values); limits
  centre +/- 3 sigma, that is centre +/- (3 / 1.128 = 2.6596, the "2.66" of the tables)
  MR-bar. The moving-range chart has its
  upper limit at D4 * MR-bar with D4 = 3.267.
* **p-chart** (proportion defective): p-bar = sum(d) / sum(n) over the baseline; each
  point has its own limits p-bar +/- 3 sqrt(p-bar (1 - p-bar) / n_i), cut to [0, 1], as
  they depend on its sample size.

``baseline=k`` computes the limits from the first ``k`` points only (phase I) and applies
them to every point, so later points are judged against the process as it was.

Means are taken with :func:`statistics.fmean` (exactly rounded sums), not by hand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from statistics import fmean

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Control chart constants for moving ranges of two consecutive values (n = 2).
D2 = 1.128  # expected range of two standard normal values: sigma = MR-bar / d2
D4 = 3.267  # upper limit of the moving-range chart: D4 * MR-bar
SIGMAS = 3.0  # Shewhart limits at +/- 3 sigma

RUN_LENGTH = 8  # points in a row on one side of the centre line
TREND_LENGTH = 6  # points in a row, each higher (or each lower) than the one before

RULES: dict[str, Promise] = {
    "beyond_3_sigma": _("Point beyond a 3-sigma control limit"),
    "run_of_8": _("8 or more points in a row on the same side of the centre line"),
    "trend_of_6": _("6 or more points in a row steadily rising or falling"),
}


@dataclass(frozen=True)
class Point:
    """One plotted point and the control limits that apply to it."""

    index: int  # position in the series (0-based)
    label: str  # the period, e.g. "2026-03"
    value: float  # the plotted value: x (individuals) or p = d/n (p-chart)
    ucl: float | None  # upper control limit at this point (p-chart limits vary with n)
    lcl: float | None
    signals: tuple[str, ...] = ()  # codes of the RULES this point breaks


@dataclass(frozen=True)
class ControlChart:
    kind: str  # "individuals" or "p"
    centre: float | None
    points: list[Point]
    mr_bar: float | None = None  # individuals: average moving range over the baseline
    sigma: float | None = None  # individuals: MR-bar / d2; p-chart: None (varies with n)
    moving_ranges: list[float | None] = field(default_factory=list)  # first is None
    mr_ucl: float | None = None  # individuals: upper limit of the moving-range chart
    baseline: int = 0  # how many points (the first ones) the centre and limits come from

    @property
    def out_of_control(self) -> list[Point]:
        """The points that break at least one rule."""
        return [p for p in self.points if p.signals]

    @property
    def has_limits(self) -> bool:
        return any(p.ucl is not None for p in self.points)


# --- Run rules -----------------------------------------------------------------------


def _same(a: float, b: float) -> bool:
    """Equal but for floating-point noise (0.1 + 0.2 is on a centre line of 0.3)."""
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


def _per_point(limit: float | Sequence[float | None] | None, n: int) -> list[float | None]:
    if limit is None or isinstance(limit, int | float | Decimal):
        return [None if limit is None else float(limit)] * n
    limits = list(limit)
    if len(limits) != n:
        raise ValueError(f"{len(limits)} control limits for {n} points.")
    return [None if v is None else float(v) for v in limits]


def run_rules(
    values: Sequence[float],
    centre: float | None,
    ucl: float | Sequence[float | None] | None,
    lcl: float | Sequence[float | None] | None,
) -> list[tuple[str, ...]]:
    """The codes of the rules each point breaks, in the order of :data:`RULES`.

    ``ucl`` and ``lcl`` are one limit for all points (individuals chart) or one per point
    (p-chart, whose limits vary with the sample size); ``None`` means no limit.

    * ``beyond_3_sigma``: the point is above its upper or below its lower control limit.
      A point exactly on a limit is inside.
    * ``run_of_8``: 8 or more consecutive points on the same side of the centre line.
      The 8th point of the run and every later point while the run lasts are flagged,
      not the first seven: a run is a signal only once it is 8 long, so a point is
      flagged when the evidence is complete *at that point*. That is how the chart
      reads in real time (the 8th point is the moment to act), a point once judged
      keeps its verdict as new points arrive, and each flagged point is one where the
      process is, by then, known to have shifted. The earlier points are the start
      of the run and the chart's description names it. A point exactly on the centre
      line belongs to neither side: it ends the run and starts none.
    * ``trend_of_6``: 6 or more consecutive points each strictly higher (or each strictly
      lower) than the one before (Nelson's rule 3: six points, five rises). Flagged, for
      the same reason, from the 6th point of the trend on. Two equal points end a trend.

    Nothing is flagged without a centre line, or for fewer than two points.
    """
    n = len(values)
    flags: list[list[str]] = [[] for _ in range(n)]
    if centre is None or n < 2:
        return [() for _ in range(n)]
    uppers, lowers = _per_point(ucl, n), _per_point(lcl, n)
    xs = [float(v) for v in values]

    beyond = [False] * n
    for i, x in enumerate(xs):
        hi, lo = uppers[i], lowers[i]
        if (hi is not None and x > hi and not _same(x, hi)) or (
            lo is not None and x < lo and not _same(x, lo)
        ):
            beyond[i] = True

    run = [False] * n
    length, side = 0, 0
    for i, x in enumerate(xs):
        now = 0 if _same(x, centre) else (1 if x > centre else -1)
        length = length + 1 if now != 0 and now == side else (1 if now != 0 else 0)
        side = now
        run[i] = length >= RUN_LENGTH

    trend = [False] * n
    length, direction = 1, 0
    for i in range(1, n):
        step = 0 if _same(xs[i], xs[i - 1]) else (1 if xs[i] > xs[i - 1] else -1)
        if step == 0:
            length, direction = 1, 0
        elif step == direction:
            length += 1
        else:
            length, direction = 2, step
        trend[i] = length >= TREND_LENGTH

    for i in range(n):
        for code, hit in (("beyond_3_sigma", beyond), ("run_of_8", run), ("trend_of_6", trend)):
            if hit[i]:
                flags[i].append(code)
    return [tuple(f) for f in flags]


# --- Charts --------------------------------------------------------------------------


def _labels(labels: Sequence[str] | None, n: int) -> list[str]:
    if labels is None:
        return [str(i + 1) for i in range(n)]
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for {n} points.")
    return [str(label) for label in labels]


def _baseline(baseline: int | None, n: int) -> int:
    """How many leading points the limits come from: all by default, never more than
    there are (a baseline of 12 periods with 5 measured uses those 5)."""
    if baseline is None:
        return n
    if isinstance(baseline, bool) or not isinstance(baseline, int) or baseline < 1:
        raise ValueError(f"The baseline must be a whole number of points, 1 or more: {baseline!r}.")
    return min(baseline, n)


def _finite(values: Sequence[float | Decimal]) -> list[float]:
    xs = [float(v) for v in values]
    for i, x in enumerate(xs):
        if not math.isfinite(x):
            raise ValueError(f"Point {i + 1} is not a number: {values[i]!r}.")
    return xs


def individuals(
    values: Sequence[float | Decimal],
    labels: Sequence[str] | None = None,
    *,
    baseline: int | None = None,
) -> ControlChart:
    """The individuals (XmR) chart of ``values``, oldest first.

    With fewer than two baseline points there is no moving range, hence no limits and no
    signals; the centre is then the mean of what there is (or ``None`` for no data).
    """
    xs = _finite(values)
    names = _labels(labels, len(xs))
    k = _baseline(baseline, len(xs))
    moving: list[float | None] = [None] + [abs(b - a) for a, b in pairwise(xs)]
    centre = fmean(xs[:k]) if k else None
    if k < 2 or centre is None:
        points = [Point(i, names[i], x, None, None) for i, x in enumerate(xs)]
        return ControlChart("individuals", centre, points, moving_ranges=moving, baseline=k)
    mr_bar = fmean([r for r in moving[1:k] if r is not None])
    sigma = mr_bar / D2
    ucl, lcl = centre + SIGMAS * sigma, centre - SIGMAS * sigma
    signals = run_rules(xs, centre, ucl, lcl)
    points = [Point(i, names[i], x, ucl, lcl, signals[i]) for i, x in enumerate(xs)]
    return ControlChart(
        "individuals",
        centre,
        points,
        mr_bar=mr_bar,
        sigma=sigma,
        moving_ranges=moving,
        mr_ucl=D4 * mr_bar,
        baseline=k,
    )


def _count(value: int | Decimal | float, what: str, i: int) -> int:
    """A whole number of items (a Decimal or float is accepted when it is whole)."""
    if isinstance(value, bool):
        raise ValueError(f"Sample {i + 1}: the {what} must be a whole number, not {value!r}.")
    try:
        whole = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"Sample {i + 1}: the {what} must be a whole number: {value!r}.") from None
    if whole != value:
        raise ValueError(f"Sample {i + 1}: the {what} must be a whole number: {value!r}.")
    return whole


def p_chart(
    defectives: Sequence[int | Decimal],
    sample_sizes: Sequence[int | Decimal],
    labels: Sequence[str] | None = None,
    *,
    baseline: int | None = None,
) -> ControlChart:
    """The p-chart of ``defectives`` out of ``sample_sizes``, oldest first.

    Raises ValueError for lists of different lengths, a sample size of zero or less, a
    negative count, or more defectives than items.
    """
    if len(defectives) != len(sample_sizes):
        raise ValueError(
            f"{len(defectives)} counts of defectives but {len(sample_sizes)} sample sizes: "
            "there must be one of each per sample."
        )
    ds = [_count(d, "count of defectives", i) for i, d in enumerate(defectives)]
    ns = [_count(n, "sample size", i) for i, n in enumerate(sample_sizes)]
    for i, (d, n) in enumerate(zip(ds, ns, strict=True)):
        if n <= 0:
            raise ValueError(f"Sample {i + 1}: the sample size must be 1 or more, not {n}.")
        if d < 0:
            raise ValueError(f"Sample {i + 1}: the count of defectives cannot be negative ({d}).")
        if d > n:
            raise ValueError(
                f"Sample {i + 1}: {d} defectives out of {n} items; there cannot be more "
                "defectives than items."
            )
    names = _labels(labels, len(ds))
    k = _baseline(baseline, len(ds))
    ps = [d / n for d, n in zip(ds, ns, strict=True)]
    if k == 0:
        return ControlChart("p", None, [])
    p_bar = sum(ds[:k]) / sum(ns[:k])
    if k < 2:
        points = [Point(i, names[i], p, None, None) for i, p in enumerate(ps)]
        return ControlChart("p", p_bar, points, baseline=k)
    uppers, lowers = [], []
    for n in ns:
        half = SIGMAS * math.sqrt(p_bar * (1 - p_bar) / n)
        uppers.append(min(1.0, p_bar + half))
        lowers.append(max(0.0, p_bar - half))
    signals = run_rules(ps, p_bar, uppers, lowers)
    points = [Point(i, names[i], p, uppers[i], lowers[i], signals[i]) for i, p in enumerate(ps)]
    return ControlChart("p", p_bar, points, baseline=k)
