"""KPIs computed from Hoshin's own records: nobody types these figures in.

Each source counts, per period, something the registers already hold. Figures are
computed when read, so they are never stale and never edited by hand. A source that
counts "x out of y" is a proportion (plotted on a p-chart).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.planning import periods

if TYPE_CHECKING:
    from hoshin.planning.models import Kpi
    from hoshin.planning.models.kpi import Reading

# (counted, total) per period start; a plain count has total None.
Tally = dict[datetime.date, tuple[int, int | None]]


@dataclass(frozen=True)
class Source:
    label: Any
    unit: str
    kind: str  # "value" or "proportion"
    compute: Callable[[str, datetime.date, datetime.date], Tally]
    # The first day there is anything to count: periods before it have no figure, not 0.
    since: Callable[[], Any]


def _bucket(
    days: list[tuple[datetime.date, int, int]], frequency: str
) -> dict[datetime.date, tuple[int, int]]:
    tally: Counter[datetime.date] = Counter()
    totals: Counter[datetime.date] = Counter()
    for day, counted, total in days:
        start = periods.start_of(day, frequency)
        tally[start] += counted
        totals[start] += total
    return {start: (tally[start], totals[start]) for start in totals}


def nonconformities(frequency: str, first: datetime.date, last: datetime.date) -> Tally:
    """Nonconformities detected per period (voided ones left out)."""
    from hoshin.improvement.models import Nonconformity

    rows = (
        Nonconformity.objects.filter(
            detected_on__gte=first, detected_on__lte=last, voided_at__isnull=True
        )
        .values_list("detected_on")
        .annotate(n=Count("pk"))
    )
    counted = _bucket([(day, n, n) for day, n in rows], frequency)
    return {start: (n, None) for start, (n, _total) in counted.items()}


def actions_on_time(frequency: str, first: datetime.date, last: datetime.date) -> Tally:
    """Of the actions completed in the period, how many by their due date."""
    from hoshin.core.models import Action, ActionStatus

    rows = (
        Action.objects.filter(
            status=ActionStatus.DONE,
            completed_on__gte=first,
            completed_on__lte=last,
            voided_at__isnull=True,
        )
        .values_list("completed_on")
        .annotate(on_time=Count("pk", filter=Q(completed_on__lte=F("due_date"))), total=Count("pk"))
    )
    return {
        start: (on_time, total)
        for start, (on_time, total) in _bucket(list(rows), frequency).items()
    }


def documents_read(frequency: str, first: datetime.date, last: datetime.date) -> Tally:
    """Of the people asked to read a document in the period, how many confirmed within
    14 days."""
    from hoshin.core.models import ReadRequest

    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=datetime.UTC)
    end = datetime.datetime.combine(last, datetime.time.max, tzinfo=datetime.UTC)
    rows = ReadRequest.objects.filter(requested_at__gte=start, requested_at__lte=end).values_list(
        "requested_at", "acknowledged_at"
    )
    days = []
    for asked, read in rows:
        in_time = read is not None and read - asked <= datetime.timedelta(days=14)
        days.append((asked.date(), int(in_time), 1))
    return dict(_bucket(days, frequency).items())


def _first_nonconformity() -> Any:
    from hoshin.improvement.models import Nonconformity

    return Nonconformity.objects.aggregate(first=Min("detected_on"))["first"]


def _first_action() -> Any:
    from hoshin.core.models import Action

    return Action.objects.aggregate(first=Min("created_at"))["first"]


def _first_read_request() -> Any:
    from hoshin.core.models import ReadRequest

    return ReadRequest.objects.aggregate(first=Min("requested_at"))["first"]


SOURCES: dict[str, Source] = {
    "nonconformities": Source(
        _("Nonconformities detected"), "", "value", nonconformities, _first_nonconformity
    ),
    "actions_on_time": Source(
        _("Actions completed on time"), "%", "proportion", actions_on_time, _first_action
    ),
    "documents_read": Source(
        _("Documents read within 14 days"), "%", "proportion", documents_read, _first_read_request
    ),
}


def choices() -> list[tuple[str, Any]]:
    return [("", _("— typed in, imported or posted —"))] + [
        (key, source.label) for key, source in SOURCES.items()
    ]


def readings(kpi: Kpi, last: int) -> list[Reading]:
    """The computed figures of the last ``last`` complete periods, oldest first."""
    from hoshin.planning.models.kpi import Reading

    source = SOURCES[kpi.automatic]
    end = periods.last_complete(timezone.localdate(), kpi.frequency)
    begin = periods.following(end, kpi.frequency, -(last - 1))
    first = source.since()
    if first is None:
        return []
    if isinstance(first, datetime.datetime):
        first = first.date()
    begin = max(begin, periods.start_of(first, kpi.frequency))
    tally = source.compute(kpi.frequency, begin, periods.end_of(end, kpi.frequency))
    found = []
    for start in periods.between(begin, end, kpi.frequency):
        counted, total = tally.get(start, (0, 0 if source.kind == "proportion" else None))
        if source.kind == "proportion":
            if not total:
                continue  # nothing happened: no proportion to show
            value = Decimal(counted * 100) / Decimal(total)
            found.append(
                Reading(start, value.quantize(Decimal("0.01")), Decimal(counted), Decimal(total))
            )
        else:
            found.append(Reading(start, Decimal(counted)))
    return found
