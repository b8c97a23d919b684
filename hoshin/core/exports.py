"""CSV and XLSX exports of exactly what a register's filter shows."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from hoshin.core.registry import Column

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, bool | int | float | datetime.date):
        return value
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


def xlsx_response(rows: Iterable[Any], columns: Sequence[Column], filename: str) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=filename[:31])
    sheet.append([str(c.label) for c in columns])
    for obj in rows:
        sheet.append([_plain(c.value(obj)) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
