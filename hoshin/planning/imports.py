"""Importing KPI figures from a CSV or Excel file: every row checked, all or nothing.

Columns (first row, any order, names as below; case and spaces ignored):
``kpi`` (the KPI's reference), ``period``, ``value`` — or ``count`` and ``out of`` for a
proportion —, optional ``unit`` (checked against the KPI's) and ``note``.
"""

from __future__ import annotations

import codecs
import csv
import io
import secrets
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hoshin.core import permissions, trail
from hoshin.core.exports import XLSX_MIME, workbook
from hoshin.core.files import check_upload
from hoshin.planning import periods
from hoshin.planning.forms import ImportForm
from hoshin.planning.models import Kpi, Measurement
from hoshin.planning.models.kpi import KpiKind

MAX_ROWS = 10_000
# Rows read from a sheet (empty ones included), the columns read, and the size a workbook
# may unpack to: the work of reading one is bounded, whatever the file.
MAX_SHEET_ROWS = 5 * MAX_ROWS
MAX_COLUMNS = 50
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
COLUMNS = {
    "kpi": "kpi",
    "reference": "kpi",
    "period": "period",
    "value": "value",
    "count": "numerator",
    "numerator": "numerator",
    "outof": "denominator",
    "total": "denominator",
    "denominator": "denominator",
    "unit": "unit",
    "note": "note",
}


@dataclass
class Problem:
    row: int  # as numbered in the file (the header is row 1)
    column: str
    message: str


@dataclass
class Outcome:
    rows: int = 0
    ready: list[Measurement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.ready)


class FileError(Exception):
    pass


def _key(name: Any) -> str:
    return "".join(str(name or "").lower().split()).replace("_", "")


def read_rows(data: bytes, name: str) -> list[dict[str, str]]:
    """The file's rows as dicts keyed by the known column names; raises FileError."""
    table = _xlsx(data) if name.lower().endswith(".xlsx") else _csv(data)
    if not table:
        raise FileError(_("The file is empty."))
    header = [_key(h) for h in table[0]]
    columns = {i: COLUMNS[h] for i, h in enumerate(header) if h in COLUMNS}
    missing = {"kpi", "period"} - set(columns.values())
    if missing:
        raise FileError(
            _("The first row must name the columns; missing: %(cols)s.")
            % {"cols": ", ".join(sorted(missing))}
        )
    if len(table) - 1 > MAX_ROWS:
        raise FileError(_("At most %(n)s rows at a time.") % {"n": MAX_ROWS})
    rows = []
    for cells in table[1:]:
        row = {
            columns[i]: str(v).strip()
            for i, v in enumerate(cells)
            if i in columns and v is not None
        }
        rows.append(row)
    return rows


def _csv(data: bytes) -> list[list[str]]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")  # Excel's "Unicode text"
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if "\x00" in text:
        raise FileError(
            _("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.")
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [
            row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)
        ]
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise FileError(
                _("A cell is too long: at most %(n)s characters.") % {"n": csv.field_size_limit()}
            ) from exc
        raise FileError(_("The CSV file could not be read: %(e)s") % {"e": exc}) from exc


def _xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise FileError(_("The Excel file could not be read: %(e)s") % {"e": exc}) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileError(
            _("The Excel file unpacks to more than %(mb)s MB: import it in parts.")
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    table: list[list[str]] = []
    try:
        # openpyxl reads a sheet as it goes (read-only): a damaged one fails while it is
        # read, in many ways, not when it is opened.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise FileError(_("The Excel file has no worksheet."))
            sheet = book.worksheets[0]
            for read, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)):
                if values and any(v not in (None, "") for v in values):
                    table.append(["" if v is None else _cell(v) for v in values])
                if len(table) > MAX_ROWS + 1:
                    break  # read_rows says how many rows are allowed
                if read > MAX_SHEET_ROWS:
                    raise FileError(
                        _("The sheet has more than %(n)s rows: import it in parts.")
                        % {"n": MAX_SHEET_ROWS}
                    )
        finally:
            book.close()
    except FileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileError(_("The Excel file could not be read: %(e)s") % {"e": exc}) from exc
    return table


def _cell(value: Any) -> str:
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()  # a date cell: its day
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _number(text: str) -> Decimal:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # a decimal comma
    value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidOperation
    return value


def check(rows: list[dict[str, str]], user: Any) -> Outcome:
    """Check every row; nothing is written. ``ready`` holds the measurements to save."""
    from hoshin.planning.views import can_measure

    outcome = Outcome(rows=len(rows))
    references = {r.get("kpi", "").upper() for r in rows}
    kpis = {
        k.reference.lower(): k
        for k in Kpi.objects.visible_to(user).filter(reference__in=references)
    }
    seen: dict[tuple[int, Any], int] = {}
    for number, row in enumerate(rows, start=2):

        def problem(column: str, message: str, number: int = number) -> None:
            found = Problem(number, column, str(message))
            if found not in outcome.problems:  # the model may say the same thing twice
                outcome.problems.append(found)

        kpi = kpis.get(row.get("kpi", "").lower())
        if kpi is None:
            problem("kpi", _("No KPI “%(ref)s” that you may see.") % {"ref": row.get("kpi", "")})
            continue
        if not can_measure(user, kpi):
            problem("kpi", _("You may not enter figures for %(ref)s.") % {"ref": kpi.reference})
            continue
        unit = row.get("unit", "")
        if unit and unit.lower() != kpi.unit.lower():
            problem(
                "unit",
                _("%(ref)s is measured in “%(unit)s”, not “%(given)s”.")
                % {"ref": kpi.reference, "unit": kpi.unit, "given": unit},
            )
        try:
            period = periods.parse(row.get("period", ""), kpi.frequency)
        except ValueError as exc:
            problem("period", str(exc))
            continue
        values: dict[str, Decimal | None] = {}
        wanted = ("numerator", "denominator") if kpi.kind == KpiKind.PROPORTION else ("value",)
        for name in wanted:
            text = row.get(name, "")
            if not text:
                problem(name, _("This column is needed for %(ref)s.") % {"ref": kpi.reference})
                continue
            try:
                values[name] = _number(text)
            except (InvalidOperation, ValueError):
                problem(name, _("“%(text)s” is not a number.") % {"text": text})
        if len(values) != len(wanted):
            continue
        if (kpi.pk, period) in seen:
            problem(
                "period",
                _("%(period)s of %(ref)s is also on row %(row)s.")
                % {
                    "period": periods.label(period, kpi.frequency),
                    "ref": kpi.reference,
                    "row": seen[(kpi.pk, period)],
                },
            )
            continue
        seen[(kpi.pk, period)] = number
        measurement = Measurement(
            kpi=kpi,
            period=period,
            value=values.get("value", Decimal(0)) or Decimal(0),
            numerator=values.get("numerator"),
            denominator=values.get("denominator"),
            note=row.get("note", "")[:500],
            source="import",
            entered_by=user,
        )
        try:
            measurement.full_clean()
        except ValidationError as exc:
            for column, messages_ in exc.message_dict.items():
                for message in messages_:
                    problem(column if column != "__all__" else "", message)
            continue
        outcome.ready.append(measurement)
    return outcome


def save(outcome: Outcome, user: Any, filename: str) -> None:
    """Write every checked row, or none (a row that fails now undoes them all)."""
    with transaction.atomic():
        for measurement in outcome.ready:
            measurement.save(reason=_("Imported from %(file)s") % {"file": filename})
        trail.append(
            action=trail.TrailAction.IMPORT,
            stream=f"user:{user.get_username()}",
            reference="kpis",
            changes={"file": filename, "rows": len(outcome.ready)},
        )
    outcome.imported = len(outcome.ready)


# The rows of a file checked with "check only", kept in the person's session (so tied to
# them, and shared by every app server) until "Import" applies them or another file is
# checked: nobody uploads the same file twice.
PENDING = "kpi_import_pending"


def _keep(request: HttpRequest, name: str, rows: list[dict[str, str]]) -> str:
    token = secrets.token_urlsafe(16)
    request.session[PENDING] = {
        "token": token,
        "user": request.user.pk,
        "name": name,
        "rows": rows,
    }
    return token


def _kept(request: HttpRequest, token: str) -> tuple[str, list[dict[str, str]]] | None:
    pending = request.session.get(PENDING)
    if (
        not pending
        or not token
        or not secrets.compare_digest(str(pending.get("token", "")), token)
        or pending.get("user") != request.user.pk
    ):
        return None
    return pending["name"], pending["rows"]


def _report(request: HttpRequest, outcome: Outcome, name: str, *, dry_run: bool) -> None:
    """Import the checked rows unless only checking, and say what became of them."""
    if outcome.problems:
        n = len(outcome.problems)
        messages.error(
            request,
            ngettext(
                "Nothing was imported: %(n)s problem, listed below by row.",
                "Nothing was imported: %(n)s problems, listed below by row.",
                n,
            )
            % {"n": n},
        )
    elif not outcome.ready:
        messages.warning(request, _("The file has no rows to import."))
    elif dry_run:
        n = len(outcome.ready)
        messages.info(
            request,
            ngettext(
                "The row is fine: import it with the button below.",
                "All %(n)s rows are fine: import them with the button below.",
                n,
            )
            % {"n": n},
        )
    else:
        save(outcome, request.user, name)
        request.session.pop(PENDING, None)
        messages.success(
            request,
            ngettext("%(n)s figure imported.", "%(n)s figures imported.", outcome.imported)
            % {"n": outcome.imported},
        )


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not permissions.has_any_role(user) or user.is_read_only:
        raise PermissionDenied
    outcome: Outcome | None = None
    token = ""
    status = 200
    if request.method == "POST" and "token" in request.POST:
        # "Import" after a successful check: the rows kept then, checked again now (a
        # figure may have been entered in between), without a second upload.
        form = ImportForm()
        kept = _kept(request, request.POST["token"])
        if kept is None:
            messages.error(
                request, _("The checked file is no longer at hand: upload it again, please.")
            )
            status = 409
        else:
            name, rows = kept
            outcome = check(rows, user)
            _report(request, outcome, name, dry_run=False)
            status = 400 if outcome.problems else 200
        return render(
            request, "planning/import.html", {"form": form, "outcome": outcome}, status=status
        )
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            name, _mime, _sha = check_upload(upload)
            if not name.lower().endswith((".csv", ".txt", ".xlsx")):
                raise FileError(_("Upload a .csv or an .xlsx file."))
            rows = read_rows(upload.read(), name)
        except (ValidationError, FileError) as exc:
            form.add_error(
                "file", exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            )
            status = 400
        else:
            outcome = check(rows, user)
            dry_run = form.cleaned_data["dry_run"]
            _report(request, outcome, name, dry_run=dry_run)
            if outcome.problems:
                status = 400
            elif dry_run and outcome.ready:
                token = _keep(request, name, rows)
    elif request.method == "POST":
        status = 400
    context = {"form": form, "outcome": outcome, "token": token}
    return render(request, "planning/import.html", context, status=status)


# The import template: the columns read_rows knows, and a row of each kind as example.
TEMPLATE_HEADER = ["kpi", "period", "value", "count", "out of", "unit", "note"]
TEMPLATE_ROWS = [
    ["KPI-2026-0001", "2026-03", "97.5", "", "", "%", ""],
    ["KPI-2026-0002", "2026-Q1", "", "3", "250", "", "3 of 250 deliveries late"],
]


def template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([TEMPLATE_HEADER, *TEMPLATE_ROWS])
    return buffer.getvalue()


@login_required
def template_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """The file to fill in: the columns the import reads, with two example rows."""
    if not permissions.has_any_role(request.user):
        raise PermissionDenied
    if fmt == "xlsx":
        data: bytes | str = workbook(_("KPI figures"), TEMPLATE_HEADER, TEMPLATE_ROWS)
        mime = XLSX_MIME
    else:
        data, mime = "\ufeff" + template_csv(), "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="kpi-figures-template.{fmt}"'
    return response
