"""What nonconformities give the indicators (computed KPIs, the leadership dashboard)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Min
from django.utils.translation import gettext_lazy as _

from hoshin.core import indicators
from hoshin.core.indicators import Day, Indicator
from hoshin.improvement.models import Nonconformity


def detected(first: datetime.date, last: datetime.date) -> Iterable[Day]:
    """Nonconformities detected per day (voided ones left out)."""
    rows = (
        Nonconformity.objects.filter(
            detected_on__gte=first, detected_on__lte=last, voided_at__isnull=True
        )
        .values_list("detected_on")
        .annotate(n=Count("pk"))
    )
    return [(day, n, n) for day, n in rows]


def first_detected() -> Any:
    return Nonconformity.objects.aggregate(first=Min("detected_on"))["first"]


NONCONFORMITIES = Indicator(
    "nonconformities",
    _("Nonconformities detected"),
    "",
    indicators.VALUE,
    detected,
    first_detected,
    order=10,
)


def register_indicators() -> None:
    indicators.register(NONCONFORMITIES)
