"""Side-by-side comparison of two versions of a text, line by line, changed words marked.

Every piece of either text is escaped before it is wrapped in ``<del>`` or ``<ins>``, so no
input can put HTML in the page. Line endings are normalised (CRLF, CR and LF compare equal)
and a missing final newline is not a change. Long runs of unchanged lines fold into one
"skip" row, keeping ``context`` lines next to each change.

Speed: the common start and end of both texts (and of each changed line) are set aside
before difflib sees them, and difflib's "autojunk" heuristic stays on (it applies from 200
items: very frequent lines are matched only next to other matches). Without it, a text of
many repeated lines takes minutes. Word-level marking has a budget for a whole comparison;
past it, a changed line is marked as a whole instead of word by word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EQUAL, INSERT, DELETE, REPLACE, SKIP = "equal", "insert", "delete", "replace", "skip"

# A word (or one punctuation mark) with the spaces after it. Spaces are not tokens of their
# own: as the most frequent token, they would make difflib slow, or (as autojunk) blind.
_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")
# Roughly difflib's inner-loop steps (pairs of equal tokens) that word marking may spend on
# one comparison: some 1.5 s on the worst inputs found, a few ms on ordinary prose.
WORD_BUDGET = 250_000
_EMPTY = SafeString("")

_Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class Row:
    kind: str  # "equal" | "insert" | "delete" | "replace" | "skip"
    left_no: int | None  # line number in the old text (1-based), or None
    left: SafeString  # escaped HTML of the old line; changed words wrapped in <del>
    right_no: int | None  # line number in the new text (1-based), or None
    right: SafeString  # escaped HTML of the new line; changed words wrapped in <ins>
    skipped: int = 0  # for kind "skip": how many unchanged lines are folded away


@dataclass(frozen=True)
class Comparison:
    rows: list[Row]
    added: int  # lines added
    removed: int  # lines removed
    changed: int  # lines changed

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _lines(text: str) -> list[str]:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def _common_ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """How many items ``a`` and ``b`` share at their start, and then at their end."""
    limit = min(len(a), len(b))
    start = 0
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


def _opcodes(
    a: Sequence[str], b: Sequence[str], *, budget: list[int] | None = None
) -> list[_Opcode]:
    """difflib's opcodes for ``a`` → ``b``, their common start and end set aside first.

    With a ``budget`` (a one-item list, spent in place), the middle is compared only if its
    estimated cost fits; otherwise it is one "replace".
    """
    start, end = _common_ends(a, b)
    a_mid, b_mid = a[start : len(a) - end], b[start : len(b) - end]
    ops: list[_Opcode] = [(EQUAL, 0, start, 0, start)] if start else []
    middle: Sequence[_Opcode]
    if budget is not None and a_mid and b_mid:
        counts = Counter(b_mid)
        cost = len(a_mid) + len(b_mid) + sum(counts[t] for t in a_mid)
        if cost > budget[0]:
            middle = [(REPLACE, 0, len(a_mid), 0, len(b_mid))]
        else:
            budget[0] -= cost
            middle = SequenceMatcher(None, a_mid, b_mid).get_opcodes()
    else:
        middle = SequenceMatcher(None, a_mid, b_mid).get_opcodes()
    for tag, i1, i2, j1, j2 in middle:
        ops.append((tag, i1 + start, i2 + start, j1 + start, j2 + start))
    if end:
        ops.append((EQUAL, len(a) - end, len(a), len(b) - end, len(b)))
    return ops


def _grouped(ops: list[_Opcode]) -> Iterator[tuple[bool, int, int, int, int]]:
    """Runs of opcodes: (changed, i1, i2, j1, j2), consecutive changes merged into one."""
    run: _Opcode | None = None
    for tag, i1, i2, j1, j2 in ops:
        if run is not None and (tag == EQUAL) == (run[0] == EQUAL):
            run = (run[0], run[1], i2, run[3], j2)
            continue
        if run is not None:
            yield run[0] != EQUAL, run[1], run[2], run[3], run[4]
        run = (tag, i1, i2, j1, j2)
    if run is not None:
        yield run[0] != EQUAL, run[1], run[2], run[3], run[4]


def _trailing_space(old: str, new: str) -> int:
    """How many whitespace characters ``old`` and ``new`` share at their end."""
    n = 0
    while n < min(len(old), len(new)) and old[-1 - n] == new[-1 - n] and old[-1 - n].isspace():
        n += 1
    return n


def _words(old: str, new: str, budget: list[int]) -> tuple[SafeString, SafeString]:
    """The two lines escaped, the words that differ wrapped in ``<del>`` and ``<ins>``."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    # Words are compared without the spaces after them ("2" at the end of a line is the "2 "
    # of "2 changed"), unless spacing is the only difference.
    a_keys, b_keys = [t.rstrip() for t in a], [t.rstrip() for t in b]
    if a_keys == b_keys:
        a_keys, b_keys = a, b
    left: list[str] = []
    right: list[str] = []
    for changed, i1, i2, j1, j2 in _grouped(_opcodes(a_keys, b_keys, budget=budget)):
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if not changed:
            left.append(escape(old_part))
            right.append(escape(new_part))
            continue
        # "<del>quick</del> fox", not "<del>quick </del>fox", when both sides keep the space.
        keep = _trailing_space(old_part, new_part)
        cut_old, cut_new = len(old_part) - keep, len(new_part) - keep
        if cut_old:
            left.append(f"<del>{escape(old_part[:cut_old])}</del>")
        if cut_new:
            right.append(f"<ins>{escape(new_part[:cut_new])}</ins>")
        left.append(escape(old_part[cut_old:]))
        right.append(escape(new_part[cut_new:]))
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308  (escaped above)


def _equal_rows(
    a: list[str], i1: int, i2: int, j1: int, *, first: bool, last: bool, context: int
) -> Iterator[Row]:
    """An unchanged run, folded in the middle when it is long; the run at the very start
    (or end) keeps context only next to the change after (or before) it."""
    n = i2 - i1
    head = 0 if first else context
    tail = 0 if last else context
    if n - head - tail < 2:  # folding fewer than two lines saves nothing
        head, tail = n, 0
    for k in range(head):
        line = escape(a[i1 + k])
        yield Row(EQUAL, i1 + k + 1, line, j1 + k + 1, line)
    if head < n - tail:
        yield Row(SKIP, None, _EMPTY, None, _EMPTY, skipped=n - tail - head)
    for k in range(n - tail, n):
        line = escape(a[i1 + k])
        yield Row(EQUAL, i1 + k + 1, line, j1 + k + 1, line)


def side_by_side(old: str, new: str, context: int = 3) -> Comparison:
    """Compare ``old`` with ``new`` line by line, for a two-column display.

    A block of changed lines pairs its old and new lines in order (rows of kind "replace",
    changed words marked); the old lines left over are "delete" rows, the new ones "insert"
    rows, each with an empty cell on the other side.
    """
    context = max(0, context)
    a, b = _lines(old), _lines(new)
    ops = _opcodes(a, b)
    budget = [WORD_BUDGET]
    rows: list[Row] = []
    added = removed = changed = 0
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == EQUAL:
            rows.extend(
                _equal_rows(a, i1, i2, j1, first=k == 0, last=k == len(ops) - 1, context=context)
            )
            continue
        pairs = min(i2 - i1, j2 - j1)
        for p in range(pairs):
            left, right = _words(a[i1 + p], b[j1 + p], budget)
            rows.append(Row(REPLACE, i1 + p + 1, left, j1 + p + 1, right))
        for i in range(i1 + pairs, i2):
            rows.append(Row(DELETE, i + 1, escape(a[i]), None, _EMPTY))
        for j in range(j1 + pairs, j2):
            rows.append(Row(INSERT, None, _EMPTY, j + 1, escape(b[j])))
        changed += pairs
        removed += i2 - i1 - pairs
        added += j2 - j1 - pairs
    return Comparison(rows=rows, added=added, removed=removed, changed=changed)
