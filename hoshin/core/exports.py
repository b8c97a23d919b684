"""CSV and XLSX exports of what a register's filter shows, with every field of the
register: the list's columns first, then each field of its form in the form's order and
those only the API shows (the 5 whys, the verifier), then when and by whom the record
was made. A spreadsheet opens ready to read: the
header row bold on a fill, frozen above the rows, with an autofilter."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import capfirst
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hoshin.core import numbers
from hoshin.core.registry import Column, field_names, model_fields

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="12355B")
# Who made the record and when, after the register's own fields.
TRAILING = ("created_at", "created_by", "updated_at")


@dataclass(frozen=True)
class ManyColumn(Column):
    """A many-to-many field: its members' names, from the prefetched rows."""

    def value(self, obj: Any) -> Any:
        return ", ".join(str(o) for o in getattr(obj, self.name).all())


def export_columns(rt: Any) -> tuple[list[Column], list[str], list[str]]:
    """Every column of ``rt``'s export, and the relations to select and prefetch so the
    export costs the same queries for any number of rows."""
    columns: list[Column] = list(rt.columns)
    # A list column may show a field already (process.name is the process).
    taken = {c.name.split(".")[0] for c in columns}
    labels = {str(c.label) for c in columns}
    related, many = [], []
    names = [*field_names(rt.fieldsets), *rt.api_fields, *TRAILING]
    names = model_fields(rt.model, list(dict.fromkeys(names)))
    for name in names:
        field: Any = rt.model._meta.get_field(name)
        label = capfirst(str(field.verbose_name))
        if name in taken or label in labels:
            continue
        if field.many_to_many:
            columns.append(ManyColumn(name, label))
            many.append(name)
        else:
            columns.append(Column(name, label))
            if field.is_relation:
                related.append(name)
        taken.add(name)
        labels.add(label)
    for column in rt.columns:  # a list column may reach into a relation (process.name)
        head = column.name.split(".")[0]
        try:
            field = rt.model._meta.get_field(head)
        except FieldDoesNotExist:
            continue
        if field.is_relation and not field.many_to_many and head not in related:
            related.append(head)
    return columns, related, many


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, bool | int | float | datetime.date):
        return value
    if isinstance(value, Decimal):
        return Decimal(numbers.plain(value))
    if isinstance(value, list):
        value = " / ".join(str(v) for v in value if str(v).strip())
    elif isinstance(value, dict):
        value = "; ".join(f"{k}: {v}" for k, v in value.items() if str(v).strip())
    text = str(value)
    # Neutralise spreadsheet formulas in user text (CSV/formula injection).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    rows: Iterable[Any], columns: Sequence[Column], filename: str
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow([str(c.label) for c in columns])
        for obj in rows:
            yield writer.writerow([_plain(c.value(obj)) for c in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def header_cells(sheet: Any, labels: Sequence[str]) -> list[Any]:
    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        cells.append(cell)
    return cells


def workbook(title: str, labels: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """An XLSX of one sheet: a bold, filled header row frozen above the rows, with an
    autofilter over all of them and columns wide enough to read their header."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for i, label in enumerate(labels, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(label) + 4))
    sheet.freeze_panes = "A2"
    sheet.append(header_cells(sheet, labels))
    count = 0
    for row in rows:
        sheet.append([_plain(v) for v in row])
        count += 1
    last = get_column_letter(max(len(labels), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(rows: Iterable[Any], columns: Sequence[Column], filename: str) -> HttpResponse:
    data = workbook(
        filename, [str(c.label) for c in columns], ([c.value(o) for c in columns] for o in rows)
    )
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
