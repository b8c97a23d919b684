"""Indicators: figures the apps compute from their own records, per period.

Each app contributes the indicators its records give (nonconformities detected,
documents read in time) from its ``AppConfig.ready()``; planning's computed KPIs,
and later the leadership dashboard, read them here without knowing the apps.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# What an indicator counts on each day between two dates: (day, counted, out of).
# A plain count gives its count twice; a proportion gives "x out of y".
Day = tuple[datetime.date, int, int]
# (counted, total) per period start; a plain count has total None.
Tally = dict[datetime.date, tuple[int, int | None]]

VALUE = "value"
PROPORTION = "proportion"


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str | Promise
    unit: str
    kind: str  # VALUE or PROPORTION
    # Days counted between the first and last date, both included.
    days: Callable[[datetime.date, datetime.date], Iterable[Day]]
    # The first day there is anything to count (a date or a time; None when nothing
    # is recorded yet): periods before it have no figure, not 0.
    since: Callable[[], Any]
    order: int = 100

    def tally(
        self,
        first: datetime.date,
        last: datetime.date,
        period_of: Callable[[datetime.date], datetime.date],
    ) -> Tally:
        """Figures per period between ``first`` and ``last``, keyed by the start of each
        period (``period_of`` gives the start of a day's period)."""
        counted: dict[datetime.date, int] = {}
        totals: dict[datetime.date, int] = {}
        for day, n, out_of in self.days(first, last):
            start = period_of(day)
            counted[start] = counted.get(start, 0) + n
            totals[start] = totals.get(start, 0) + out_of
        if self.kind == PROPORTION:
            return {start: (counted[start], totals[start]) for start in counted}
        return {start: (counted[start], None) for start in counted}

    def first_day(self) -> datetime.date | None:
        first = self.since()
        if isinstance(first, datetime.datetime):
            return first.date()
        return first


indicators: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add an app's indicator; its name is what a computed KPI stores."""
    known = indicators.get(indicator.name)
    if known is not None and known != indicator:
        raise ValueError(f"Indicator {indicator.name!r} is already registered.")
    indicators[indicator.name] = indicator
    return indicator


def get(name: str) -> Indicator:
    return indicators[name]


def in_order() -> list[Indicator]:
    return sorted(indicators.values(), key=lambda i: i.order)


# --- the core's own: actions of every kind (corrective, treatment) ----------------------
def actions_done(first: datetime.date, last: datetime.date) -> Iterable[Day]:
    """Of the actions completed on a day, how many by their due date."""
    from hoshin.core.models import Action, ActionStatus

    return list(
        Action.objects.filter(
            status=ActionStatus.DONE,
            completed_on__gte=first,
            completed_on__lte=last,
            voided_at__isnull=True,
        )
        .values_list("completed_on")
        .annotate(on_time=Count("pk", filter=Q(completed_on__lte=F("due_date"))), total=Count("pk"))
    )


def first_action() -> Any:
    from hoshin.core.models import Action

    return Action.objects.aggregate(first=Min("created_at"))["first"]


ACTIONS_ON_TIME = Indicator(
    "actions_on_time",
    _("Actions completed on time"),
    "%",
    PROPORTION,
    actions_done,
    first_action,
    order=20,
)
