"""The SVG run chart and control chart: well-formed, accessible, escaped, and printable."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoshin.planning import charts, spc
from hoshin.planning.charts import control_chart, nice_scale, run_chart

NS = {"svg": "http://www.w3.org/2000/svg"}
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314  (our own output)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def with_class(root: ET.Element, css: str) -> list[ET.Element]:
    return [e for e in root.iter() if css in (e.get("class") or "").split()]


def title_of(element: ET.Element) -> str:
    title = element.find("svg:title", NS)
    assert title is not None
    return title.text or ""


def accessible(root: ET.Element, title: str, role: str = "img") -> str:
    """Checks the name and the description; returns the description."""
    assert root.get("role") == role
    assert root.get("aria-label") == title
    assert root[0].tag == "{http://www.w3.org/2000/svg}title" and root[0].text == title
    assert root[1].tag == "{http://www.w3.org/2000/svg}desc"
    return root[1].text or ""


def no_inline_style(svg: str) -> None:
    assert "style=" not in svg and "<style" not in svg and "var(--" not in svg
    assert "<script" not in svg


# --- Run chart -----------------------------------------------------------------------


def test_run_chart_draws_points_line_and_thresholds() -> None:
    values = [96.1, 95.4, 97.0, 94.2, 93.8, 95.9, 96.5, 91.1, 94.8, 95.5, 96.9, 97.2]
    svg = run_chart(MONTHS, values, title="On-time delivery", unit="%", target=95, amber=93, red=92)
    no_inline_style(svg)
    root = parse(svg)
    desc = accessible(root, "On-time delivery")
    assert "12 figures from 2026-01 to 2026-12" in desc
    assert "Latest: 97.2%" in desc and "Target: 95%" in desc
    assert "1 figure past the off-target line" in desc
    assert len(root.findall(".//svg:circle", NS)) == 11  # the one below red is a diamond
    off = with_class(root, "spc-point-off")
    assert len(off) == 1 and title_of(off[0]) == "2026-08: 91.1% — off target"
    lines = root.findall(".//svg:path[@class='spc-line']", NS)
    assert len(lines) == 1 and lines[0].get("d", "").count("M") == 1
    for css, label in (("spc-target", "Target"), ("spc-amber", "Amber"), ("spc-red", "Red")):
        [line] = with_class(root, css)
        assert line.tag.endswith("line") and "spc-threshold" in (line.get("class") or "")
        [text] = with_class(root, css.replace("spc-", "spc-label-"))
        assert (text.text or "").startswith(label + " ")
    assert [t.text for t in with_class(root, "spc-label-target")] == ["Target 95%"]
    assert len(with_class(root, "spc-zone-off")) == 1


def test_run_chart_missing_values_break_the_line() -> None:
    values: list[float | None] = [1, 2, None, 4, 5, None, None, 8, None, 10]
    root = parse(run_chart([str(i) for i in range(10)], values, title="Gaps"))
    [line] = root.findall(".//svg:path[@class='spc-line']", NS)
    d = line.get("d", "")
    assert d.count("M") == 4  # 1-2, 4-5, 8 alone, 10 alone
    assert d.count("L") == 2
    assert len(root.findall(".//svg:circle", NS)) == 6  # lone points still show


def test_run_chart_lower_is_better_shades_above_the_red_line() -> None:
    root = parse(
        run_chart(
            ["a", "b", "c"], [2, 9, 4], title="Defects", target=3, red=6, higher_is_better=False
        )
    )
    [zone] = with_class(root, "spc-zone-off")
    [red] = with_class(root, "spc-red")
    assert float(zone.get("y", 0)) < float(red.get("y1", 0))  # from the top down to it
    assert float(zone.get("y", 0)) + float(zone.get("height", 0)) == pytest.approx(
        float(red.get("y1", 0)), abs=0.11
    )
    [off] = with_class(root, "spc-point-off")
    assert title_of(off).startswith("b: 9")


def test_run_chart_amber_is_the_off_line_when_there_is_no_red() -> None:
    root = parse(run_chart(["a", "b"], [90, 80], title="t", target=95, amber=85))
    assert len(with_class(root, "spc-point-off")) == 1


def test_run_chart_escapes_every_text() -> None:
    evil = '<script>alert("x")</script>'
    svg = run_chart(
        [evil, "b&c"], [1, 2], title=evil, unit='"><b>', target=1.5, higher_is_better=True
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "b&amp;c" in svg
    root = parse(svg)  # well-formed XML despite the markup in the labels
    assert root.get("aria-label") == evil
    assert any(evil in title_of(c) for c in root.findall(".//svg:circle", NS))


def test_run_chart_thins_the_period_labels_and_keeps_the_latest() -> None:
    labels = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
    labels += [f"2026-{m:02d}" for m in range(1, 13)]
    root = parse(run_chart(labels, list(range(36)), title="Long"))
    shown = [t.text for t in with_class(root, "spc-tick") if (t.text or "")[:2] == "20"]
    assert 4 <= len(shown) < 36
    assert shown[-1] == "2026-12"
    xs = [float(t.get("x", 0)) for t in with_class(root, "spc-tick") if (t.text or "")[:2] == "20"]
    assert min(b - a for a, b in pairwise(xs)) >= 7 * charts.CHAR_W


def test_run_chart_with_decimals_of_the_kpi() -> None:
    svg = run_chart(["a", "b"], [Decimal("0.9612"), Decimal("0.9")], title="t", decimals=3)
    titles = [title_of(c) for c in parse(svg).findall(".//svg:circle", NS)]
    assert titles == ["a: 0.961", "b: 0.900"]


def test_run_chart_with_no_data() -> None:
    root = parse(run_chart([], [], title="Nothing yet"))
    assert "No figures yet" in accessible(root, "Nothing yet")
    assert root.findall(".//svg:circle", NS) == []
    root = parse(run_chart(["a", "b"], [None, None], title="Gaps only", target=3))
    assert root.findall(".//svg:circle", NS) == [] and with_class(root, "spc-target")


def test_run_chart_refuses_mismatched_lists() -> None:
    with pytest.raises(ValueError, match="2 labels for 3 values"):
        run_chart(["a", "b"], [1, 2, 3], title="t")


# --- Control chart -------------------------------------------------------------------


def test_control_chart_marks_the_signals() -> None:
    chart = spc.p_chart(ORANGE_JUICE, [50] * 30, [f"S{i}" for i in range(1, 31)])
    svg = control_chart(chart, title="Nonconforming cans")
    no_inline_style(svg)
    root = parse(svg)
    desc = accessible(root, "Nonconforming cans")
    assert "p-chart of 30 points from S1 to S30" in desc
    assert "Centre line 23.13%" in desc
    assert "Upper control limit 41.02%, lower control limit 5.24%" in desc
    assert "2 points signal an out-of-control condition: S15 (Point beyond" in desc
    assert len(root.findall(".//svg:circle", NS)) == 28
    signals = with_class(root, "spc-signal")
    assert len(signals) == 2
    assert all(e.tag.endswith("path") and "spc-point" in (e.get("class") or "") for e in signals)
    assert title_of(signals[0]) == "S15: 44% — Point beyond a 3-sigma control limit"
    assert title_of(signals[1]).startswith("S23: 48%")
    labels = [t.text for t in root.iter() if "spc-line-label" in (t.get("class") or "")]
    assert sorted(labels) == ["CL 23.13%", "LCL 5.24%", "UCL 41.02%"]  # type: ignore[type-var]
    assert len(with_class(root, "spc-centre")) == 1
    limits = with_class(root, "spc-limit")
    assert len(limits) == 2 and all(e.get("d", "").count("H") == 1 for e in limits)  # straight
    assert "Out-of-control signal" in svg  # the legend


def test_control_chart_names_every_rule_broken() -> None:
    values = [0.0, 1, -1, 1, -1, 1, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 40]
    chart = spc.individuals(values, baseline=8)
    root = parse(control_chart(chart, title="Drift"))
    last = with_class(root, "spc-signal")[-1]
    text = title_of(last)
    for code in ("beyond_3_sigma", "run_of_8", "trend_of_6"):
        assert str(spc.RULES[code]) in text
    assert with_class(root, "spc-baseline")  # the end of the baseline is marked
    assert "Limits computed from the first 8 points" in accessible(root, "Drift")


def test_control_chart_stepped_limits_when_they_vary() -> None:
    chart = spc.p_chart([3, 5, 6, 4], [50, 80, 120, 60], ["a", "b", "c", "d"])
    root = parse(control_chart(chart, title="Varying n"))
    upper = with_class(root, "spc-limit")[0]
    d = upper.get("d", "")
    assert d.count("H") == 4 and d.count("V") == 3  # one step per point, joined
    assert "vary with the sample size" in accessible(root, "Varying n")


def test_control_chart_points_link_to_their_measurement() -> None:
    chart = spc.individuals([1, 2, 3], ["a", "b", "c"])
    svg = control_chart(chart, title="Linked", point_url=lambda p: f"/kpi/7/m/{p.index}?x=1&y=2")
    root = parse(svg)
    accessible(root, "Linked", role="group")  # links inside an img are hidden from AT
    links = root.findall(".//svg:a", NS)
    assert [a.get("href") for a in links] == [f"/kpi/7/m/{i}?x=1&y=2" for i in range(3)]
    assert "&amp;y=2" in svg
    assert all(a.get("aria-label", "").startswith(("a:", "b:", "c:")) for a in links)
    assert all(a.find("svg:circle", NS) is not None for a in links)


def test_control_chart_points_without_a_page_are_not_links() -> None:
    chart = spc.individuals([1, 2, 3])
    svg = control_chart(chart, title="t", point_url=lambda p: "/m/1" if p.index == 1 else "")
    assert [a.get("href") for a in parse(svg).findall(".//svg:a", NS)] == ["/m/1"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:x",
        "\x01javascript:x",
        "data:text/html,x",
    ],
)
def test_control_chart_refuses_script_urls(url: str) -> None:
    chart = spc.individuals([1, 2])
    root = parse(control_chart(chart, title="t", point_url=lambda p: url))
    assert root.findall(".//svg:a", NS) == []


def test_flat_series_get_a_sensible_axis() -> None:
    root = parse(control_chart(spc.p_chart([0, 0, 0], [10, 10, 10]), title="No defects"))
    ticks = [t.text for t in with_class(root, "spc-tick") if (t.text or "").endswith("%")]
    assert ticks[0] == "0.0%" and ticks[-1] == "1.0%"  # not -100% to 100%
    root = parse(control_chart(spc.individuals([5, 5, 5]), title="Flat"))
    axis = [t for t in with_class(root, "spc-tick") if t.get("text-anchor") == "end"]
    values = [float(t.text or 0) for t in axis]
    assert min(values) >= 4 and max(values) <= 6


def test_control_chart_escapes_labels() -> None:
    evil = "<script>alert(1)</script>"
    chart = spc.individuals([1, 2, 3, 50], [evil, "x", "y", "z"], baseline=3)
    svg = control_chart(chart, title=f"KPI {evil}", unit="<i>")
    assert "<script>" not in svg and "<i>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    assert evil in (root[1].text or "")  # named in the description, as text
    assert evil in title_of(root.findall(".//svg:circle", NS)[0])


def test_control_chart_with_too_few_points() -> None:
    root = parse(control_chart(spc.individuals([]), title="Empty"))
    assert "No figures yet" in accessible(root, "Empty")
    root = parse(control_chart(spc.individuals([4.2], ["2026-01"]), title="One"))
    assert "Too few points for control limits" in accessible(root, "One")
    assert len(root.findall(".//svg:circle", NS)) == 1
    assert with_class(root, "spc-limit") == [] and len(with_class(root, "spc-centre")) == 1


def test_individuals_chart_keeps_the_unit() -> None:
    chart = spc.individuals([2.5, 3.0, 2.75], ["a", "b", "c"])
    root = parse(control_chart(chart, title="Lead time", unit="days"))
    assert [t.text for t in with_class(root, "spc-caption")] == ["days"]
    assert title_of(root.findall(".//svg:circle", NS)[0]) == "a: 2.5 days"


# --- Scales ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (0.92, 0.98, (0.92, 0.98, 0.01)),
        (91.6, 98, (90, 98, 2)),
        (-3.2, 4.1, (-4, 6, 2)),
        (0, 0.225, (0, 0.25, 0.05)),
        (-50, -10, (-50, -10, 10)),
    ],
)
def test_nice_scale(lo: float, hi: float, expected: tuple[float, float, float]) -> None:
    assert nice_scale(lo, hi) == pytest.approx(expected)


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.floats(min_value=0, max_value=1e9, allow_nan=False),
)
def test_nice_scale_covers_the_range(lo: float, width: float) -> None:
    hi = lo + width
    first, last, step = nice_scale(lo, hi)
    assert step > 0
    # Within a billionth of a step, which no chart can show.
    assert first <= lo + step * 1e-9 and last >= hi - step * 1e-9
    assert 2 <= round((last - first) / step) <= 13


@given(st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), max_size=40))
def test_run_chart_is_always_well_formed(values: list[float | None]) -> None:
    labels = [f"P{i}" for i in range(len(values))]
    root = parse(run_chart(labels, values, title="t", target=0))
    circles = root.findall(".//svg:circle", NS) + with_class(root, "spc-point-off")
    assert len(circles) == sum(v is not None for v in values)


@given(st.lists(st.integers(-10_000, 10_000).map(lambda i: i / 100), max_size=40))
def test_control_chart_draws_one_marker_per_point(values: list[float]) -> None:
    chart = spc.individuals(values)
    root = parse(control_chart(chart, title="t"))
    assert len(root.findall(".//svg:circle", NS)) == len(values) - len(chart.out_of_control)
    assert len(with_class(root, "spc-signal")) == len(chart.out_of_control)


# --- Print ---------------------------------------------------------------------------


def test_charts_render_in_weasyprint(caplog: pytest.LogCaptureFixture) -> None:
    """The PDF reports print the same SVG. WeasyPrint applies no page CSS inside an
    inline SVG, so the look travels as presentation attributes: the PDF must draw the
    data line in blue, the limits in red and dashed, the signals in vermillion."""
    from pypdf import PdfReader
    from weasyprint import HTML

    run = run_chart(MONTHS, [95, 96, None, 93, 91, 97, 98, 96, 95, 94, 95, 96], title="OTD",
                    unit="%", target=95, amber=93, red=92)  # fmt: skip
    control = control_chart(
        spc.p_chart(ORANGE_JUICE, [50] * 30), title="Cans", point_url=lambda p: f"/m/{p.index}"
    )
    html = f"<html><body><div>{run}</div><div>{control}</div></body></html>"
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = HTML(string=html).write_pdf()
    assert pdf is not None and pdf.startswith(b"%PDF")
    assert not [r for r in caplog.records if "svg" in r.getMessage().lower()]
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    drawing = page.get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    assert "0 0.447059 0.698039 RG" in drawing  # #0072b2, the line
    assert "0.701961 0.14902 0.117647 RG" in drawing  # #b3261e, limits and red line
    assert "0.835294 0.368627 0 rg" in drawing  # #d55e00, the signals
    assert "[6 4] 0 d" in drawing and "[3 3] 0 d" in drawing  # dashed limits, red line
