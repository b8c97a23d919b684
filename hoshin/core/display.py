"""Values as a person reads them: a record's fields in the sections of its form, and the
values the trail keeps (ISO dates and times, booleans) in words.

A record page shows what is filled, section by section in the order of the workflow; a
section with nothing filled yet is still named (folded), so the reader sees what comes.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import dateformat, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from hoshin.core import numbers
from hoshin.core.registry import model_fields

DATE_FORMAT = "j M Y"  # 3 Dec 2026
TIME_FORMAT = "j M Y, H:i"  # 3 Dec 2026, 18:42

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$"
)


def readable(value: Any) -> Any:
    """A value in words: a date as "3 Dec 2026", a moment in the reader's zone as
    "3 Dec 2026, 18:42", a boolean as Yes/No, a decimal without trailing zeros. Text
    that is an ISO date or time (as the trail stores them) is read back first."""
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return value
        elif _ISO_DATETIME.match(value):
            try:
                value = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value
        else:
            return value
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{dateformat.format(value, TIME_FORMAT)} {value.tzname() or ''}".strip()
    if isinstance(value, datetime.date):
        return dateformat.format(value, DATE_FORMAT)
    if isinstance(value, Decimal):
        return numbers.plain(value)
    return value


def field_value(record: Any, name: str) -> Any:
    """A field's value for display: its choice label, its related records, its value."""
    model_field = record._meta.get_field(name)
    display = getattr(record, f"get_{name}_display", None)
    if callable(display):
        return display()
    if model_field.many_to_many:
        return ", ".join(str(o) for o in getattr(record, name).all())
    return getattr(record, name)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


@dataclass
class FieldSection:
    legend: str
    # (label, value in words) of the filled fields, in the form's order.
    rows: list[tuple[str, Any]] = field(default_factory=list)
    # Labels of the fields not filled yet.
    empty: list[str] = field(default_factory=list)
    # Every field of the form's section, form-only ones included (the 5 whys).
    names: list[str] = field(default_factory=list)
    # The register's own template for this section, if it draws it itself.
    template: str = ""

    @property
    def filled(self) -> bool:
        return bool(self.rows)


def record_sections(record: Any, fieldsets: Any) -> list[FieldSection]:
    """The record's fields in the sections of its form (its registration's fieldsets),
    filled ones as rows, empty ones only named. A field shown in an earlier section is
    not repeated; a section without a legend is "Details"."""
    seen: set[str] = set()
    sections = []
    for legend, names in fieldsets:
        section = FieldSection(str(legend) if legend else _("Details"))
        section.names = list(names)
        # The title is the page's heading already.
        shown = [n for n in names if n not in seen and n != "title"]
        for name in model_fields(type(record), shown):
            seen.add(name)
            label = capfirst(str(record._meta.get_field(name).verbose_name))
            value = field_value(record, name)
            if is_empty(value):
                section.empty.append(label)
            else:
                section.rows.append((label, readable(value)))
        if section.names:
            sections.append(section)
    return sections
