"""Side-by-side comparison of two versions of a document's text."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from hoshin.support import compare
from hoshin.support.compare import Row, side_by_side


def numbered(n: int, start: int = 1) -> list[str]:
    return [f"line {i}" for i in range(start, start + n)]


def kinds(rows: list[Row]) -> list[str]:
    return [r.kind for r in rows]


def test_identical_texts() -> None:
    c = side_by_side("one\ntwo\n", "one\ntwo\n")
    assert c.identical
    assert (c.added, c.removed, c.changed) == (0, 0, 0)
    assert kinds(c.rows) == ["skip"]
    assert c.rows[0].skipped == 2


def test_empty_texts() -> None:
    assert side_by_side("", "").identical
    assert side_by_side("", "").rows == []
    c = side_by_side("", "first")
    assert (c.added, c.removed, c.changed) == (1, 0, 0)
    assert c.rows == [Row("insert", None, SafeString(""), 1, SafeString("first"))]


def test_line_endings_and_final_newline_are_not_changes() -> None:
    assert side_by_side("a\r\nb\r\nc\r\n", "a\nb\nc").identical
    assert side_by_side("a\rb\rc", "a\nb\nc\n").identical
    c = side_by_side("a\r\nb", "a\r\nB")
    assert (c.added, c.removed, c.changed) == (0, 0, 1)


def test_pure_insertion() -> None:
    c = side_by_side("a\nb\nc", "a\nb\nnew\nc")
    assert (c.added, c.removed, c.changed) == (1, 0, 0)
    assert not c.identical
    assert kinds(c.rows) == ["equal", "equal", "insert", "equal"]
    row = c.rows[2]
    assert (row.left_no, row.left, row.right_no, row.right) == (None, "", 3, "new")
    assert (c.rows[3].left_no, c.rows[3].right_no) == (3, 4)


def test_deletion() -> None:
    c = side_by_side("a\ngone\nb", "a\nb")
    assert (c.added, c.removed, c.changed) == (0, 1, 0)
    assert kinds(c.rows) == ["equal", "delete", "equal"]
    row = c.rows[1]
    assert (row.left_no, row.left, row.right_no, row.right) == (2, "gone", None, "")
    assert (c.rows[2].left_no, c.rows[2].right_no) == (3, 2)


def test_a_changed_word_is_marked_alone() -> None:
    c = side_by_side("Records are kept for three years.", "Records are kept for five years.")
    assert (c.added, c.removed, c.changed) == (0, 0, 1)
    (row,) = c.rows
    assert row.kind == "replace"
    assert (row.left_no, row.right_no) == (1, 1)
    assert row.left == "Records are kept for <del>three</del> years."
    assert row.right == "Records are kept for <ins>five</ins> years."
    assert isinstance(row.left, SafeString)
    assert isinstance(row.right, SafeString)


def test_words_at_the_end_of_a_line_match_the_same_words_followed_by_more() -> None:
    (row,) = side_by_side("Step 2", "Step 2 checked").rows
    assert (row.left, row.right) == ("Step 2", "Step 2 <ins>checked</ins>")
    (row,) = side_by_side("a b c", "a b").rows
    assert (row.left, row.right) == ("a b <del>c</del>", "a b")


def test_a_change_of_spacing_alone_is_marked() -> None:
    (row,) = side_by_side("two  spaces", "two spaces").rows
    assert row.kind == "replace"
    assert (row.left, row.right) == ("<del>two </del> spaces", "<ins>two</ins> spaces")


def test_neighbouring_changed_words_form_one_mark_and_punctuation_is_a_word() -> None:
    c = side_by_side("The quick brown fox, jumps.", "The slow red fox; jumps.")
    (row,) = c.rows
    assert row.left == "The <del>quick brown</del> fox<del>,</del> jumps."
    assert row.right == "The <ins>slow red</ins> fox<ins>;</ins> jumps."


def test_unequal_replace_blocks_pad_with_empty_cells() -> None:
    c = side_by_side("keep\nold one\nold two\nold three\nkeep2", "keep\nnew one\nkeep2")
    assert kinds(c.rows) == ["equal", "replace", "delete", "delete", "equal"]
    assert (c.added, c.removed, c.changed) == (0, 2, 1)
    assert c.rows[1].left == "<del>old</del> one"
    assert c.rows[1].right == "<ins>new</ins> one"
    assert [(r.left_no, r.right_no, r.right) for r in c.rows[2:4]] == [(3, None, ""), (4, None, "")]


def test_html_in_the_input_is_escaped() -> None:
    old = '<script>alert("x")</script> & <b>bold</b>'
    new = '<script>alert("y")</script> & <b>bold</b>\n<img src=x onerror=alert(1)>'
    c = side_by_side(old, new)
    html = "".join(r.left + r.right for r in c.rows)
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp;" in html
    assert set(re.findall(r"<[^>]*>", html)) <= {"<del>", "</del>", "<ins>", "</ins>"}


def test_long_unchanged_runs_fold_keeping_context() -> None:
    old = numbered(30)
    new = list(old)
    new[14] = "line fifteen"  # line 15 changes
    c = side_by_side("\n".join(old), "\n".join(new), context=3)
    assert (c.added, c.removed, c.changed) == (0, 0, 1)
    assert kinds(c.rows) == ["skip"] + ["equal"] * 3 + ["replace"] + ["equal"] * 3 + ["skip"]
    first, last = c.rows[0], c.rows[-1]
    assert (first.skipped, first.left_no, first.right_no) == (11, None, None)
    assert last.skipped == 12
    assert [r.left_no for r in c.rows[1:8]] == [12, 13, 14, 15, 16, 17, 18]
    assert c.rows[1].left == "line 12"


def test_middle_runs_fold_only_when_longer_than_twice_the_context_plus_one() -> None:
    base = numbered(20)
    # Changes at lines 1 and 20: 18 unchanged lines between them.
    new = ["first", *base[1:19], "last"]
    c = side_by_side("\n".join(base), "\n".join(new), context=2)
    assert kinds(c.rows) == ["replace", "equal", "equal", "skip", "equal", "equal", "replace"]
    assert c.rows[3].skipped == 14
    assert [r.left_no for r in c.rows if r.kind == "equal"] == [2, 3, 18, 19]
    # 2*2+1 = 5 unchanged lines between two changes: all shown, none folded.
    short = ["x", *base[1:6], "y"]
    c = side_by_side("\n".join(base[:7]), "\n".join(short), context=2)
    assert "skip" not in kinds(c.rows)
    assert len(c.rows) == 7


def test_line_numbers_follow_each_side_across_insertions_and_deletions() -> None:
    old = numbered(40)
    new = [*old[:5], "inserted a", "inserted b", *old[5:30], *old[32:]]
    c = side_by_side("\n".join(old), "\n".join(new), context=1)
    assert (c.added, c.removed, c.changed) == (2, 2, 0)
    pairs = [(r.kind, r.left_no, r.right_no, r.skipped) for r in c.rows]
    assert pairs == [
        ("skip", None, None, 4),
        ("equal", 5, 5, 0),
        ("insert", None, 6, 0),
        ("insert", None, 7, 0),
        ("equal", 6, 8, 0),
        ("skip", None, None, 23),
        ("equal", 30, 32, 0),
        ("delete", 31, None, 0),
        ("delete", 32, None, 0),
        ("equal", 33, 33, 0),
        ("skip", None, None, 7),
    ]


def test_zero_context_and_negative_context() -> None:
    c = side_by_side("a\nb\nc\nd\ne", "a\nb\nX\nd\ne", context=0)
    assert kinds(c.rows) == ["skip", "replace", "skip"]
    assert side_by_side("a\nb\nc\nd\ne", "a\nb\nX\nd\ne", context=-5).rows == c.rows


def test_word_budget_falls_back_to_whole_line_marks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compare, "WORD_BUDGET", 0)
    c = side_by_side("keep one two", "keep one three")
    (row,) = c.rows
    # The common start is still shown unmarked; the rest is one change.
    assert row.left == "keep one <del>two</del>"
    assert row.right == "keep one <ins>three</ins>"
    c = side_by_side("alpha beta gamma", "alpha BETA gamma delta")
    (row,) = c.rows
    assert row.left == "alpha <del>beta gamma</del>"
    assert row.right == "alpha <ins>BETA gamma delta</ins>"


def test_template_renders_summary_labels_and_rows() -> None:
    c = side_by_side(
        "\n".join(numbered(20)),
        "\n".join(["line 1", "line 2 changed", *numbered(17, start=4), "new a", "new b", "new c"]),
    )
    assert (c.added, c.removed, c.changed) == (3, 1, 1)
    html = render_to_string(
        "support/_compare.html",
        {"comparison": c, "left_label": "Version 2", "right_label": "Version <3>"},
    )
    assert 'href="/static/support/compare.css"' in html
    assert "3 lines added, 1 removed, 1 changed" in html
    assert "<caption" in html
    assert "Changes from Version 2 to Version &lt;3&gt;" in html
    assert '<th scope="col">Version 2</th>' in html
    assert '<th scope="col">Version &lt;3&gt;</th>' in html
    assert html.count("<colgroup") == 2
    assert 'class="table-responsive"' in html
    assert '<tr class="cmp-replace">' in html
    assert '<tr class="cmp-delete">' in html
    assert html.count('<tr class="cmp-insert">') == 3
    assert "line 2 <ins>changed</ins>" in html
    assert "11 unchanged lines not shown" in html
    assert html.count('<span class="visually-hidden">Added: </span>') == 3
    assert '<span class="visually-hidden">Removed: </span>line 3' in html


def test_template_singular_summary() -> None:
    c = side_by_side("a\nb", "a\nB\nc")
    html = render_to_string("support/_compare.html", {"comparison": c})
    assert "1 line added, 0 removed, 1 changed" in html
    assert '<th scope="col">Before</th>' in html
    assert '<th scope="col">After</th>' in html


def test_template_says_when_identical() -> None:
    html = render_to_string(
        "support/_compare.html",
        {
            "comparison": side_by_side("same\r\n", "same"),
            "left_label": "Version 1",
            "right_label": "Version 2",
        },
    )
    assert "No differences: Version 1 and Version 2 have the same text." in html
    assert "<table" not in html
