"""What document control gives the indicators (computed KPIs, the leadership dashboard)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from hoshin.core import indicators
from hoshin.core.indicators import Day, Indicator
from hoshin.core.models import ReadRequest

READ_WITHIN = datetime.timedelta(days=14)


def read_in_time(first: datetime.date, last: datetime.date) -> Iterable[Day]:
    """Of the people asked to read a document on a day, whether each confirmed within
    14 days."""
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=datetime.UTC)
    end = datetime.datetime.combine(last, datetime.time.max, tzinfo=datetime.UTC)
    rows = ReadRequest.objects.filter(requested_at__gte=start, requested_at__lte=end).values_list(
        "requested_at", "acknowledged_at"
    )
    return [
        (asked.date(), int(read is not None and read - asked <= READ_WITHIN), 1)
        for asked, read in rows
    ]


def first_request() -> Any:
    return ReadRequest.objects.aggregate(first=Min("requested_at"))["first"]


DOCUMENTS_READ = Indicator(
    "documents_read",
    _("Documents read within 14 days"),
    "%",
    indicators.PROPORTION,
    read_in_time,
    first_request,
    order=30,
)


def register_indicators() -> None:
    indicators.register(DOCUMENTS_READ)
