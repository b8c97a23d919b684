"""Markdown of controlled documents: rendered safe, and read as plain text for search."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from hoshin.support.markup import MAX_CHARS, plain_text, render_markdown

DOCUMENT = """\
# Control of documented information

## Scope

The **quality manager** approves *every* procedure.

- Review yearly
- Keep records

1. Draft
2. Approve

| Record | Kept for |
|:-------|---------:|
| Audit report | 3 years |

```
python manage.py migrate
```

Use `hoshin` and see [the policy](#h-scope).
"""


def test_headings_lists_tables_and_code_render() -> None:
    html = render_markdown(DOCUMENT)
    assert isinstance(html, SafeString)
    assert '<h1 id="h-control-of-documented-information">' in html
    assert '<h2 id="h-scope">Scope</h2>' in html
    assert "<strong>quality manager</strong>" in html
    assert "<em>every</em>" in html
    assert "<ul>\n<li>Review yearly</li>" in html
    assert "<ol>\n<li>Draft</li>" in html
    assert "<pre><code>python manage.py migrate\n</code></pre>" in html
    assert "<code>hoshin</code>" in html
    assert '<a href="#h-scope" rel="noopener noreferrer">the policy</a>' in html


def test_tables_get_the_bootstrap_class_and_alignment_without_style() -> None:
    html = render_markdown(DOCUMENT)
    assert '<table class="table table-sm table-bordered">' in html
    assert '<th class="text-start">Record</th>' in html
    assert '<td class="text-end">3 years</td>' in html
    assert "<thead>" in html
    assert "<tbody>" in html
    assert "style=" not in html
    assert "align=" not in html


def test_heading_ids_are_prefixed_and_unique() -> None:
    html = render_markdown("# Purpose\n\n# Purpose\n\n## main\n")
    ids = re.findall(r'id="([^"]*)"', html)
    assert ids == ["h-purpose", "h-purpose_1", "h-main"]


def test_raw_html_is_never_passed_through() -> None:
    html = render_markdown(
        "<script>alert(1)</script>\n\n"
        'x <img src=x onerror="alert(2)"> y\n\n'
        '<iframe src="https://evil.example"></iframe>\n\n'
        "<div onclick=alert(3)>block</div>\n\n"
        '<a href="javascript:alert(4)">raw link</a>\n\n'
        "<style>body{display:none}</style>\n"
    )
    for tag in ("<script", "<img", "<iframe", "<div", "<style", "<a "):
        assert tag not in html
    assert not re.search(r"<[^>]*\son\w+=", html)  # no event-handler attribute on any tag
    assert "&lt;script&gt;" in html  # shown as the text the author typed


def test_javascript_and_data_links_lose_their_address() -> None:
    html = render_markdown(
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](data:text/html,hi) "
        "[d](vbscript:msgbox) [ok](https://example.com/x?a=1&b=2) [mail](mailto:qm@example.com) "
        "[rel](../procedures/) <https://example.org>\n\n[ref]: javascript:alert(5)\n\n[e][ref]"
    )
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == [
        "https://example.com/x?a=1&amp;b=2",
        "mailto:qm@example.com",
        "../procedures/",
        "https://example.org",
    ]
    assert "javascript" not in html.lower()
    assert all('rel="noopener noreferrer"' in a for a in re.findall(r"<a [^>]*>", html))


def test_images_are_removed_but_keep_their_alternative_text() -> None:
    html = render_markdown(
        "Before ![the flow chart](https://evil.example/track.png) after.\n\n![x][pic]\n\n"
        "[pic]: /media/x.png"
    )
    assert "<img" not in html
    assert "evil.example" not in html
    assert "<p>Before the flow chart after.</p>" in html
    assert "<p>x</p>" in html


def test_empty_and_none_like_input() -> None:
    assert render_markdown("") == ""
    assert plain_text("") == ""
    assert plain_text("   \n\n ") == ""


def test_plain_text_has_the_words_and_no_markup() -> None:
    text = plain_text(DOCUMENT)
    assert "<" not in text
    assert "*" not in text
    assert "|" not in text
    assert "#" not in text
    assert "  " not in text
    assert "Control of documented information Scope The quality manager approves every" in text
    # Headings, list items and table cells do not run together.
    assert "Review yearly Keep records Draft Approve Record Kept for Audit report 3 years" in text
    assert "python manage.py migrate" in text
    assert "the policy" in text


def test_plain_text_decodes_entities() -> None:
    assert plain_text("R&D &amp; QA &copy; 2026 <b>") == "R&D & QA © 2026 <b>"


def test_huge_input_is_capped_not_refused() -> None:
    html = render_markdown("a" * (MAX_CHARS + 10_000))
    assert html.count("a") == MAX_CHARS
    text = plain_text("b" * (MAX_CHARS * 2))
    assert text == "b" * MAX_CHARS


def test_markdown_help_renders() -> None:
    html = render_to_string("support/_markdown_help.html")
    assert "<details" in html
    assert "<summary>" in html
    assert "| Record | Kept for |" in html
    assert "[link text](https://example.com)" in html
