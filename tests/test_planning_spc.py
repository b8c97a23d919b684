"""Statistical process control: worked examples from the literature, the run rules on
hand-made series, and properties that must hold for any series."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoshin.planning import spc
from hoshin.planning.spc import RULES, individuals, p_chart, run_rules

# --- Published worked examples -------------------------------------------------------

# Montgomery, Introduction to Statistical Quality Control, Example 7.1: frozen orange
# juice concentrate cans, 30 samples of n = 50 cans, counting the nonconforming ones.
ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip


def test_p_chart_montgomery_example_7_1() -> None:
    """Montgomery, *Introduction to Statistical Quality Control*, Example 7.1 (frozen
    orange juice cans): p-bar = 347/1500 = 0.2313, UCL = 0.4102, LCL = 0.0524, and
    samples 15 and 23 plot above the upper control limit."""
    assert sum(ORANGE_JUICE) == 347
    chart = p_chart(ORANGE_JUICE, [50] * 30)
    assert chart.kind == "p"
    assert round(chart.centre or 0, 4) == 0.2313
    assert len(chart.points) == 30
    for point in chart.points:  # equal samples: the same limits everywhere
        assert round(point.ucl or 0, 4) == 0.4102
        assert round(point.lcl or 0, 4) == 0.0524
    beyond = [p.index + 1 for p in chart.points if "beyond_3_sigma" in p.signals]
    assert beyond == [15, 23]
    assert [p.value for p in chart.points if p.index + 1 in (15, 23)] == [0.44, 0.48]
    assert chart.sigma is None and chart.mr_bar is None and chart.mr_ucl is None


# Montgomery & Runger, Applied Statistics and Probability for Engineers (3rd ed.),
# section 16-6, Table 16-3 "Chemical process concentration measurements".
CONCENTRATION = [102.0, 94.8, 98.3, 98.4, 102.0, 98.5, 99.0, 97.7, 100.0, 98.1, 101.3, 98.7, 101.1, 98.4, 97.0, 96.7, 100.3, 101.4, 97.2, 101.0]  # fmt: skip
CONCENTRATION_MR = [7.2, 3.5, 0.1, 3.6, 3.5, 0.5, 1.3, 2.3, 1.9, 3.2, 2.6, 2.4, 2.7, 1.4, 0.3, 3.6, 1.1, 4.2, 3.8]  # fmt: skip


def test_individuals_montgomery_runger_table_16_3() -> None:
    """Montgomery D.C. & Runger G.C., *Applied Statistics and Probability for Engineers*,
    3rd ed. (Wiley, 2003), section 16-6 "Control Charts for Individual Measurements",
    Table 16-3 (chemical process concentration, 20 observations), p. 617; read from the
    scan at https://issuhub.com/view/index?id=5218&pageIndex=733 (whose page header,
    "16-6 Control charts for individual measurements 617", and chapter numbering identify
    the book and edition).

    Printed: x-bar = 99.1, MR-bar = 2.59, UCL = x-bar + 3 MR-bar / 1.128 = 105.99,
    CL = 99.1, LCL = 92.21, with every moving range listed, and "no indication of an
    out-of-control condition".

    The book works from the rounded 99.1 and 2.59, so its UCL is 0.006 above the
    unrounded 105.982; the test asserts each figure to its printed precision, and the
    UCL also to that of the book's own arithmetic on its rounded inputs."""
    chart = individuals(CONCENTRATION)
    assert chart.kind == "individuals"
    assert [round(r, 1) for r in chart.moving_ranges[1:] if r is not None] == CONCENTRATION_MR
    assert chart.moving_ranges[0] is None
    assert chart.centre is not None and chart.mr_bar is not None and chart.sigma is not None
    assert round(chart.centre, 1) == 99.1
    assert round(chart.mr_bar, 2) == 2.59
    ucl, lcl = chart.points[0].ucl, chart.points[0].lcl
    assert ucl is not None and lcl is not None
    assert round(lcl, 2) == 92.21
    assert abs(ucl - 105.99) < 0.01  # 105.982 unrounded
    assert round(99.1 + 3 * 2.59 / spc.D2, 2) == 105.99  # the book's arithmetic
    assert chart.sigma == pytest.approx(chart.mr_bar / 1.128)
    assert chart.mr_ucl == pytest.approx(3.267 * chart.mr_bar)
    assert round(chart.mr_ucl or 0, 2) == 8.46
    assert chart.out_of_control == []


# SAS/QC User's Guide, MACONTROL procedure, Example 9.4 (sample MACEW5): steel belt
# diameters of 30 tyres, whose individuals-chart limits (the SHEWHART procedure's IRCHART
# statement with OUTLIMITS=) are listed in Output 9.4.1.
TYRES = [24.05, 23.99, 23.95, 23.93, 23.97, 24.02, 24.06, 24.10, 23.98, 24.03, 23.91, 24.06, 24.06, 23.96, 23.98, 24.06, 24.01, 24.00, 23.93, 23.92, 24.09, 24.11, 24.05, 23.98, 23.98, 24.06, 24.02, 24.06, 23.97, 23.96]  # fmt: skip


def test_individuals_sas_tyre_diameters() -> None:
    """SAS/QC User's Guide, MACONTROL procedure, Example 9.4 "Displaying Individual
    Measurements on an EWMA Chart", Output 9.4.1 "Listing of the Data Set Tlimits"
    (https://support.sas.com/documentation/cdl/en/qcug/63964/HTML/default/
    qcug_macontrol_a0000000363.htm): _MEAN_ = 24.0083, _R_ (MR-bar) = 0.056897,
    _LCLI_ = 23.8571, _UCLI_ = 24.1596, _STDDEV_ = 0.050423.

    The centre and MR-bar agree to every printed digit. SAS divides by the unrounded
    d2 = 2 / sqrt(pi) = 1.128379 where the tables (and Hoshin) use 1.128, so its sigma
    is 0.03 % smaller; the limits then agree to 3 decimals, and to all 4 when computed
    with SAS's d2 from our centre and MR-bar."""
    chart = individuals(TYRES)
    assert chart.centre is not None and chart.mr_bar is not None and chart.sigma is not None
    assert round(chart.centre, 4) == 24.0083
    assert round(chart.mr_bar, 6) == 0.056897
    ucl, lcl = chart.points[0].ucl, chart.points[0].lcl
    assert ucl is not None and lcl is not None
    assert round(ucl, 3) == round(24.1596, 3)
    assert round(lcl, 3) == round(23.8571, 3)
    exact_d2 = 2 / math.sqrt(math.pi)
    assert round(chart.mr_bar / exact_d2, 6) == 0.050423
    assert round(chart.centre + 3 * chart.mr_bar / exact_d2, 4) == 24.1596
    assert round(chart.centre - 3 * chart.mr_bar / exact_d2, 4) == 23.8571
    assert chart.out_of_control == []


# --- Individuals chart: definitions and the baseline -----------------------------------


def test_individuals_from_the_definitions() -> None:
    chart = individuals([10, 12, 11, 14], ["2026-01", "2026-02", "2026-03", "2026-04"])
    assert chart.centre == 11.75
    assert chart.moving_ranges == [None, 2, 1, 3]
    assert chart.mr_bar == 2
    assert chart.sigma == pytest.approx(2 / 1.128)
    assert chart.points[2].ucl == pytest.approx(11.75 + 3 * 2 / 1.128)
    assert chart.points[2].lcl == pytest.approx(11.75 - 3 * 2 / 1.128)
    assert chart.mr_ucl == pytest.approx(6.534)
    assert [p.label for p in chart.points] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert [p.index for p in chart.points] == [0, 1, 2, 3]
    assert chart.baseline == 4


def test_individuals_baseline_sets_the_limits_from_the_first_points() -> None:
    values = [10, 11, 10, 11, 10, 30, 31, 30]
    chart = individuals(values, baseline=5)
    assert chart.centre == 10.4
    assert chart.mr_bar == 1  # moving ranges 2..5 only
    assert chart.baseline == 5
    ucl = 10.4 + 3 / 1.128
    assert all(p.ucl == pytest.approx(ucl) for p in chart.points)
    assert [p.index for p in chart.out_of_control] == [5, 6, 7]
    assert chart.moving_ranges == [None, 1, 1, 1, 1, 20, 1, 1]  # still one per point
    # All points as the baseline: the shift drags the centre up and widens the limits.
    everything = individuals(values)
    assert everything.centre == 17.875
    assert everything.points[0].ucl == pytest.approx(17.875 + 3 * (26 / 7) / 1.128)


def test_individuals_baseline_longer_than_the_series_uses_what_there_is() -> None:
    assert individuals([1, 2, 4], baseline=12) == individuals([1, 2, 4])


@pytest.mark.parametrize("baseline", [0, -1, 2.5, True])
def test_individuals_refuses_a_baseline_that_is_not_a_count(baseline: object) -> None:
    with pytest.raises(ValueError, match="baseline"):
        individuals([1, 2, 3], baseline=baseline)  # type: ignore[arg-type]


def test_individuals_with_no_data_or_one_point() -> None:
    empty = individuals([])
    assert empty.centre is None and empty.points == [] and empty.out_of_control == []
    assert empty.mr_bar is None and empty.sigma is None and empty.mr_ucl is None
    one = individuals([7.5], ["2026-03"])
    assert one.centre == 7.5
    assert one.points == [spc.Point(0, "2026-03", 7.5, None, None, ())]
    assert one.mr_bar is None and one.sigma is None and one.moving_ranges == [None]
    # A baseline of one point: a centre but no spread, so no limits and no signals.
    short = individuals([1, 50, 1, 50, 1, 50, 1, 50, 1, 50], baseline=1)
    assert short.centre == 1 and not short.has_limits and short.out_of_control == []


def test_individuals_constant_series_has_zero_width_limits() -> None:
    chart = individuals([5, 5, 5, 5])
    assert chart.mr_bar == 0 and chart.points[0].ucl == 5 == chart.points[0].lcl
    assert chart.out_of_control == []  # on the centre line: neither beyond nor a run
    phase_two = individuals([5, 5, 5, 5, 6], baseline=4)
    assert [p.index for p in phase_two.out_of_control] == [4]


def test_individuals_accepts_decimals_and_refuses_non_numbers() -> None:
    chart = individuals([Decimal("0.95"), Decimal("0.97"), Decimal("0.96")])
    assert chart.centre == pytest.approx(0.96)
    with pytest.raises(ValueError, match="Point 2 is not a number"):
        individuals([1.0, math.nan, 2.0])
    with pytest.raises(ValueError, match="labels"):
        individuals([1, 2], ["only one"])


# --- p-chart: definitions and refusals -------------------------------------------------


def test_p_chart_limits_vary_with_the_sample_size() -> None:
    chart = p_chart([5, 10, 2], [100, 400, 25], ["W1", "W2", "W3"])
    p_bar = 17 / 525
    assert chart.centre == pytest.approx(p_bar)
    for point, n in zip(chart.points, [100, 400, 25], strict=True):
        half = 3 * math.sqrt(p_bar * (1 - p_bar) / n)
        assert point.ucl == pytest.approx(p_bar + half)
        assert point.lcl == pytest.approx(max(0.0, p_bar - half))
    assert chart.points[2].lcl == 0  # cut at zero
    assert [p.value for p in chart.points] == [0.05, 0.025, 0.08]


def test_p_chart_upper_limit_is_capped_at_one() -> None:
    chart = p_chart([9, 1, 9, 8], [10, 2, 10, 10])
    assert chart.points[1].ucl == 1.0
    assert all(0 <= (p.lcl or 0) <= (p.ucl or 1) <= 1 for p in chart.points)


def test_p_chart_baseline() -> None:
    chart = p_chart([2, 3, 2, 3, 20], [100] * 5, baseline=4)
    assert chart.centre == pytest.approx(0.025)
    assert chart.baseline == 4
    assert [p.index for p in chart.out_of_control] == [4]


def test_p_chart_accepts_whole_decimals() -> None:
    chart = p_chart([Decimal("3"), Decimal("4.000")], [Decimal("10"), 20])
    assert chart.centre == pytest.approx(7 / 30)


@pytest.mark.parametrize(
    ("defectives", "sizes", "message"),
    [
        ([3, 4], [10], "2 counts of defectives but 1 sample sizes"),
        ([11], [10], "11 defectives out of 10 items"),
        ([0], [0], "sample size must be 1 or more"),
        ([1], [-5], "sample size must be 1 or more"),
        ([-1], [10], "cannot be negative"),
        ([1.5], [10], "whole number"),
        ([1], ["ten"], "whole number"),
        ([True], [10], "whole number"),
    ],
)
def test_p_chart_refuses_impossible_counts(
    defectives: list[object], sizes: list[object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        p_chart(defectives, sizes)  # type: ignore[arg-type]


def test_p_chart_with_no_data_or_one_sample() -> None:
    assert p_chart([], []).points == []
    assert p_chart([], []).centre is None
    one = p_chart([3], [10])
    assert one.centre == 0.3 and not one.has_limits and one.out_of_control == []


def test_p_chart_labels_must_match() -> None:
    with pytest.raises(ValueError, match="3 labels for 2 points"):
        p_chart([1, 2], [10, 10], ["a", "b", "c"])


# --- Run rules on hand-made series -------------------------------------------------------


def flagged(values: Sequence[float], code: str, centre: float = 0, limit: float = 100) -> list[int]:
    signals = run_rules(values, centre, limit, -limit)
    return [i for i, s in enumerate(signals) if code in s]


def test_every_rule_has_a_label() -> None:
    assert set(RULES) == {"beyond_3_sigma", "run_of_8", "trend_of_6"}
    assert all(str(label) for label in RULES.values())


def test_beyond_3_sigma_only() -> None:
    values = [1, -1, 2, -2, 150, 1, -1, -101, 100, -100]
    signals = run_rules(values, 0, 100, -100)
    assert [i for i, s in enumerate(signals) if s] == [4, 7]
    assert signals[4] == ("beyond_3_sigma",) and signals[7] == ("beyond_3_sigma",)
    # Exactly on a limit is inside.
    assert signals[8] == () and signals[9] == ()


def test_run_of_8_flags_from_the_eighth_point_on() -> None:
    # Alternating up and down so that no trend forms; points 2..11 are all above.
    values = [-1, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, -1]
    signals = run_rules(values, 0, 100, -100)
    assert [i for i, s in enumerate(signals) if s] == [8, 9, 10, 11]
    assert all(signals[i] == ("run_of_8",) for i in (8, 9, 10, 11))


def test_run_of_8_below_the_centre() -> None:
    values = [-3, -1, -2, -1, -2, -1, -2, -1]
    assert flagged(values, "run_of_8") == [7]


def test_seven_on_one_side_is_not_a_run() -> None:
    values = [-1, 1, 2, 1, 2, 1, 2, 1, -1, 1, 2, 1, 2, 1, 2, 1]
    assert run_rules(values, 0, 100, -100) == [()] * len(values)


def test_a_point_on_the_centre_line_breaks_a_run() -> None:
    values = [1, 2, 1, 2, 0, 1, 2, 1, 2, 1, 2, 1]  # 4 above, on the line, 7 above
    assert flagged(values, "run_of_8") == []
    values = [1, 2, 1, 2, 1, 2, 1, 0, 2]  # 7 above, on the line, 1 above
    assert flagged(values, "run_of_8") == []
    # Floating-point noise does not put a point off the line: 0.1 + 0.2 is on 0.3.
    noisy = [0.4, 0.5, 0.4, 0.5, 0.1 + 0.2, 0.4, 0.5, 0.4, 0.5, 0.4]
    assert noisy[4] != 0.3
    assert flagged(noisy, "run_of_8", centre=0.3) == []


def test_crossing_the_centre_starts_a_new_run() -> None:
    above = [1, 2] * 4
    below = [-1, -2] * 4
    assert flagged(above + below, "run_of_8") == [7, 15]


def test_trend_of_6_rising_flags_from_the_sixth_point_on() -> None:
    values = [5, 3, 1, 2, 3, 4, 5, 6, 7, 4]  # rising from index 2 to 8
    signals = run_rules(values, 4, 100, -100)
    assert [i for i, s in enumerate(signals) if "trend_of_6" in s] == [7, 8]
    assert signals[7] == ("trend_of_6",)


def test_trend_of_6_falling() -> None:
    values = [0, 9, 7, 5, 3, 1, -1, 0]
    assert flagged(values, "trend_of_6") == [6]


def test_five_rising_is_not_a_trend() -> None:
    values = [3, 1, 2, 3, 4, 5, 2, 3, 4, 5, 6, 1]
    assert run_rules(values, 3, 100, -100) == [()] * len(values)


def test_equal_neighbours_break_a_trend() -> None:
    values = [1, 2, 3, 3, 4, 5, 6]
    assert flagged(values, "trend_of_6") == []


def test_a_trend_that_turns_starts_counting_at_the_peak() -> None:
    # Up for 6 points, then down for 6 points from the peak (index 5).
    values = [1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1]
    assert flagged(values, "trend_of_6") == [5, 10]


def test_rules_combine_on_one_point() -> None:
    values = [1, 2, 3, 4, 5, 6, 7, 200]
    signals = run_rules(values, 0, 100, -100)
    assert signals[7] == ("beyond_3_sigma", "run_of_8", "trend_of_6")
    assert signals[6] == ("trend_of_6",)


def test_run_rules_with_limits_per_point() -> None:
    signals = run_rules([0.1, 0.5, 0.1], 0.2, [0.4, 0.6, 0.4], [0.0, 0.0, 0.15])
    assert signals == [(), (), ("beyond_3_sigma",)]
    with pytest.raises(ValueError, match="2 control limits for 3 points"):
        run_rules([1, 2, 3], 2, [3, 3], None)


def test_run_rules_without_limits_or_points() -> None:
    assert run_rules([], 0, 1, -1) == []
    assert run_rules([5], 0, 1, -1) == [()]
    assert run_rules([1, 2, 3, 4, 5, 6, 7, 8], None, None, None) == [()] * 8
    # No limits but a centre: the run and trend rules still apply.
    assert run_rules([1, 2, 3, 4, 5, 6, 7, 8], 0, None, None)[7] == ("run_of_8", "trend_of_6")


# --- Properties ----------------------------------------------------------------------

# Whole hundredths, as KPI figures are: exact enough that a shift moves no point across
# a line by rounding alone.
hundredths = st.integers(min_value=-100_000, max_value=100_000).map(lambda i: i / 100)
series = st.lists(hundredths, min_size=2, max_size=40)


@given(series)
def test_individuals_limits_are_symmetric_and_ordered(values: list[float]) -> None:
    chart = individuals(values)
    assert chart.centre is not None and chart.sigma is not None
    assert len(chart.points) == len(values)
    for p in chart.points:
        assert p.ucl is not None and p.lcl is not None
        assert p.ucl >= chart.centre >= p.lcl
        assert p.ucl - chart.centre == pytest.approx(chart.centre - p.lcl, abs=1e-9)
        assert p.ucl - p.lcl == pytest.approx(6 * chart.sigma, abs=1e-9)
    assert len(chart.moving_ranges) == len(values)
    assert all(r >= 0 for r in chart.moving_ranges[1:] if r is not None)


@given(series, st.integers(min_value=-100_000, max_value=100_000).map(lambda i: i / 100))
def test_shifting_the_series_shifts_the_chart_and_keeps_the_signals(
    values: list[float], shift: float
) -> None:
    before = individuals(values)
    after = individuals([v + shift for v in values])
    assert before.centre is not None and after.centre is not None
    assert after.centre == pytest.approx(before.centre + shift, abs=1e-6)
    assert after.mr_bar == pytest.approx(before.mr_bar, abs=1e-6)
    for p, q in zip(before.points, after.points, strict=True):
        assert q.ucl == pytest.approx((p.ucl or 0) + shift, abs=1e-6)
        assert q.lcl == pytest.approx((p.lcl or 0) + shift, abs=1e-6)
        assert q.signals == p.signals


@st.composite
def series_and_baseline(draw: st.DrawFn) -> tuple[list[float], int]:
    values = draw(series)
    return values, draw(st.integers(min_value=2, max_value=len(values)))


@given(series_and_baseline())
def test_baseline_points_alone_give_the_limits(data: tuple[list[float], int]) -> None:
    values, k = data
    chart = individuals(values, baseline=k)
    alone = individuals(values[:k])
    assert chart.centre == alone.centre and chart.mr_bar == alone.mr_bar
    # The rules look back only: later points never change the verdict on earlier ones.
    assert chart.points[:k] == alone.points[:k]


@st.composite
def samples(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    sizes = draw(st.lists(st.integers(min_value=1, max_value=5000), min_size=2, max_size=40))
    counts = [draw(st.integers(min_value=0, max_value=n)) for n in sizes]
    return counts, sizes


@given(samples())
def test_p_chart_limits_stay_within_zero_and_one(data: tuple[list[int], list[int]]) -> None:
    counts, sizes = data
    chart = p_chart(counts, sizes)
    assert chart.centre is not None and 0 <= chart.centre <= 1
    for p, n in zip(chart.points, sizes, strict=True):
        assert p.ucl is not None and p.lcl is not None
        assert 0 <= p.lcl <= chart.centre <= p.ucl <= 1
        assert 0 <= p.value <= 1
        assert p.value == counts[p.index] / n


@given(samples())
def test_larger_samples_have_narrower_p_limits(data: tuple[list[int], list[int]]) -> None:
    """Between any two points, the one from the larger sample has limits no wider; equal
    samples have equal limits."""
    counts, sizes = data
    chart = p_chart(counts, sizes)
    assert len(chart.points) == len(sizes) >= 2
    for pair in itertools.combinations(chart.points, 2):
        small, large = sorted(pair, key=lambda point: sizes[point.index])
        assert small.ucl is not None and small.lcl is not None
        assert large.ucl is not None and large.lcl is not None
        if sizes[small.index] == sizes[large.index]:
            assert (large.ucl, large.lcl) == (small.ucl, small.lcl)
        else:
            assert large.ucl <= small.ucl + 1e-12
            assert large.lcl >= small.lcl - 1e-12


def test_larger_samples_have_narrower_p_limits_by_example() -> None:
    chart = p_chart([5, 5, 5], [100, 400, 100])
    small, large, again = chart.points
    assert large.ucl is not None and small.ucl is not None
    assert large.ucl < small.ucl and large.lcl > small.lcl  # type: ignore[operator]
    assert (again.ucl, again.lcl) == (small.ucl, small.lcl)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), max_size=30))
def test_run_rules_never_crash_and_give_one_tuple_per_point(values: list[float]) -> None:
    chart = individuals(values)
    assert len(chart.points) == len(values)
    assert all(set(p.signals) <= set(RULES) for p in chart.points)
