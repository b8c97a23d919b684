"""The Markdown of controlled documents: rendered to safe HTML, and read as plain text for search.

What the author types is never passed through as HTML: Markdown's raw-HTML handling is
switched off, so ``<script>`` shows as the text "<script>". The rendered HTML is then
sanitised by nh3 against a short allow-list, as a second line of defence. Pictures are
uploaded files of a document, never hot-linked: an image in the Markdown shows as its
alternative text. Heading ids start with ``h-`` so they never clash with the page's own ids.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from xml.etree.ElementTree import Element

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

MAX_CHARS = 500_000
HEADING_ID_PREFIX = "h-"
TABLE_CLASS = "table table-sm table-bordered"

_ALIGN_CLASS = {"left": "text-start", "center": "text-center", "right": "text-end"}

_TAGS = {
    "p",
    "br",
    "hr",
    *(f"h{n}" for n in range(1, 7)),
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "del",
    "sup",
    "sub",
}
_ATTRIBUTES = {
    **{f"h{n}": {"id"} for n in range(1, 7)},
    "a": {"href", "title"},
    "ol": {"start"},
}
# Removed with their content, not just unwrapped.
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "textarea"}
_URL_SCHEMES = {"http", "https", "mailto"}
_ALLOWED_CLASSES = {"th": set(_ALIGN_CLASS.values()), "td": set(_ALIGN_CLASS.values())}


def _heading_id(value: str, separator: str) -> str:
    return HEADING_ID_PREFIX + (slugify_unicode(value, separator) or "section")


class _SafeTree(Treeprocessor):
    """Images become their alternative text; table-cell alignment becomes a Bootstrap class
    (the site's Content-Security-Policy forbids ``style`` attributes)."""

    def run(self, root: Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "img":
                    self._replace_with_text(parent, child, child.get("alt", ""))
                elif child.tag in ("th", "td"):
                    align = child.attrib.pop("align", None)
                    if align in _ALIGN_CLASS:
                        child.set("class", _ALIGN_CLASS[align])

    @staticmethod
    def _replace_with_text(parent: Element, child: Element, text: str) -> None:
        text += child.tail or ""
        index = list(parent).index(child)
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(child)


def _converter(base_level: int = 1) -> markdown.Markdown:
    """A fresh converter: ``markdown.Markdown`` keeps state between conversions and is not
    safe to share between threads. ``base_level`` is the level a ``#`` heading becomes."""
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc"],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "toc": {"slugify": _heading_id, "baselevel": base_level},
        },
        output_format="html",
    )
    # No raw HTML from the author: it is shown as the text typed. Entities (&copy;) stay.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_SafeTree(md), "hoshin_safe", 15)  # after "inline" (20)
    return md


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        set_tag_attribute_values={"table": {"class": TABLE_CLASS}},
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _html(text: str, base_level: int = 1) -> str:
    return _sanitise(_converter(base_level).convert((text or "")[:MAX_CHARS]))


def render_markdown(text: str, base_level: int = 1) -> SafeString:
    """The Markdown ``text`` as sanitised HTML, safe to put in a page (input is capped at
    ``MAX_CHARS`` characters). On a page, ``base_level=3`` puts the document's headings
    under the page's own h1 and h2, so the outline stays right for screen readers."""
    return mark_safe(_html(text, base_level))  # noqa: S308  (sanitised by nh3: allow-list)


_BLOCK_TAGS = _TAGS - {"strong", "em", "code", "a", "del", "sup", "sub"}
_SPACES = re.compile(r"\s+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(text: str) -> str:
    """The words of the Markdown ``text`` without markup, for the full-text index: blocks,
    list items and table cells are separated by a space, runs of whitespace collapsed."""
    collector = _TextCollector()
    collector.feed(_html(text))
    collector.close()
    return _SPACES.sub(" ", "".join(collector.parts)).strip()
