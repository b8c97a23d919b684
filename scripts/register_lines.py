"""Lines each register costs in its plumbing (registration, form, serializer, filterset),
beyond its model's fields: ``python scripts/register_lines.py [--rev REV]``.

A top-level statement of an app's registers/forms/serializers/filters module counts for
a register when it names the register's model or one of its classes; code lines only
(no blank lines, comments or docstrings). "field names" counts the lines that only list
fields (sections, columns, filters, API fields): the declaration a register cannot do
without; the rest is what the pattern costs beyond it."""

from __future__ import annotations

import argparse
import ast
import io
import re
import subprocess
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("registers", "forms", "serializers", "filters")
# register slug: (app, model, names of its own classes, before and after)
REGISTERS = {
    "nonconformities": (
        "improvement",
        "Nonconformity",
        {"NonconformityForm", "ReportForm", "NonconformitySerializer", "NonconformityFilterSet",
         "NonconformityFilters", "NonconformityListSerializer", "NONCONFORMITIES", "default_owner",
         "PEOPLE_FIELDS", "_detail_context", "_pdf"},
    ),
    "documents": (
        "support",
        "Document",
        {"DocumentForm", "DocumentCreateForm", "DocumentSerializer", "DocumentFilterSet", "DocumentFilters",
         "DOCUMENTS", "PEOPLE_M2M", "_ENTRY", "_READERS", "_detail_context", "_pdf",
         "_promote_due"},
    ),
    "risks": (
        "planning",
        "Risk",
        {"RiskForm", "RiskCreateForm", "RiskSerializer", "RiskFilterSet", "RISKS", "RISK_FIELDS",
         "RATING_FIELDS", "_rating_choices", "_impact_choices", "_nc_risks",
         "link_nonconformities", "_PROCESS"},
    ),
    "objectives": (
        "planning",
        "Objective",
        {"ObjectiveForm", "ObjectiveSerializer", "ObjectiveFilterSet", "OBJECTIVES", "_OBJECTIVE"},
    ),
    "kpis": (
        "planning",
        "Kpi",
        {"KpiForm", "KpiSerializer", "KpiFilterSet", "KpiFilters", "KPIS", "_kpi_pdf"},
    ),
    "changes": (
        "planning",
        "ChangePlan",
        {"ChangePlanForm", "ChangePlanSerializer", "ChangePlanFilterSet", "CHANGES"},
    ),
}  # fmt: skip


def source(rev: str | None, path: str) -> str | None:
    if rev is None:
        file = ROOT / path
        return file.read_text() if file.exists() else None
    result = subprocess.run(
        ["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout if result.returncode == 0 else None


def code_lines(text: str) -> set[int]:
    """Line numbers holding code: not blank, not only a comment, not a docstring."""
    lines: set[int] = set()
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.update(range(body[0].lineno, (body[0].end_lineno or 0) + 1))
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                              tokenize.DEDENT, tokenize.ENDMARKER):  # fmt: skip
            lines.update(range(token.start[0], token.end[0] + 1))
    return lines - docstrings


FIELD_WORDS = re.compile(
    r"\b(Column|sort|link|True|None|fieldsets|create_fieldsets|columns|filters|"
    r"primary_filters|api_fields|read_only_fields|search_fields|fields|list_select_related|"
    r"api_prefetch_related|widgets|model|class|Meta)\b"
)
STRINGS = re.compile(r'"[^"]*"|\'[^\']*\'')


def is_field_line(line: str) -> bool:
    """A line that only names fields (in a list, a section or a column)."""
    rest = STRINGS.sub("", line).replace("_(", "(")
    rest = FIELD_WORDS.sub("", re.sub(r"\b[A-Za-z_][A-Za-z_0-9]*\.Meta\b", "", rest))
    return bool(STRINGS.search(line)) and not re.search(r"[A-Za-z0-9]", rest)


def field_lines(node: ast.AST, text_lines: list[str], code: set[int]) -> int:
    span = range(node.lineno, (node.end_lineno or node.lineno) + 1)  # type: ignore[attr-defined]
    return sum(1 for n in span if n in code and is_field_line(text_lines[n - 1]))


def measure(rev: str | None) -> dict[str, tuple[int, int]]:
    totals: dict[str, tuple[int, int]] = {}
    for slug, (app, model, names) in REGISTERS.items():
        total = fields = 0
        for module in MODULES:
            text = source(rev, f"hoshin/{app}/{module}.py")
            if text is None:
                continue
            code = code_lines(text)
            lines = text.splitlines()
            for node in ast.parse(text).body:
                named = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                own = getattr(node, "name", None) or next(
                    (t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)), None
                )
                if own in names or (own is None and model in named and not isinstance(
                    node, ast.Import | ast.ImportFrom
                )):  # fmt: skip
                    span = range(node.lineno, (node.end_lineno or node.lineno) + 1)
                    total += len(code.intersection(span))
                    fields += field_lines(node, lines, code)
        totals[slug] = (total, fields)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rev", help="a git revision (default: the working tree)")
    parser.add_argument("--before", default=None, help="also show this revision, side by side")
    args = parser.parse_args()
    now = measure(args.rev)
    before = measure(args.before) if args.before else None
    header = "register          lines  of which field names  beyond fields"
    print(header + ("   before (beyond fields)" if before else ""))
    for slug, (total, fields) in now.items():
        row = f"{slug:<17} {total:>5}  {fields:>20}  {total - fields:>13}"
        if before:
            b_total, b_fields = before[slug]
            row += f"   {b_total:>6} ({b_total - b_fields})"
        print(row)


if __name__ == "__main__":
    main()
