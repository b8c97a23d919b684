"""KPIs computed from Hoshin's own records: nobody types these figures in.

A computed KPI names one of the indicators the apps contribute
(:mod:`hoshin.core.indicators`); its figures are counted per period when read, so
they are never stale and never edited by hand. An indicator that counts "x out of y"
is a proportion (plotted on a p-chart).
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.core import indicators
from hoshin.planning import periods

if TYPE_CHECKING:
    from hoshin.planning.models import Kpi
    from hoshin.planning.models.kpi import Reading


def choices() -> list[tuple[str, Any]]:
    return [("", _("— typed in, imported or posted —"))] + [
        (i.name, i.label) for i in indicators.in_order()
    ]


def known(name: str) -> bool:
    return name in indicators.indicators


def readings(kpi: Kpi, last: int) -> list[Reading]:
    """The computed figures of the last ``last`` complete periods, oldest first."""
    from hoshin.planning.models.kpi import Reading

    source = indicators.get(kpi.automatic)
    end = periods.last_complete(timezone.localdate(), kpi.frequency)
    begin = periods.following(end, kpi.frequency, -(last - 1))
    first = source.first_day()
    if first is None:
        return []
    begin = max(begin, periods.start_of(first, kpi.frequency))
    period_of = functools.partial(periods.start_of, frequency=kpi.frequency)
    tally = source.tally(begin, periods.end_of(end, kpi.frequency), period_of)
    proportion = source.kind == indicators.PROPORTION
    found = []
    for start in periods.between(begin, end, kpi.frequency):
        counted, total = tally.get(start, (0, 0 if proportion else None))
        if proportion:
            if not total:
                continue  # nothing happened: no proportion to show
            value = Decimal(counted * 100) / Decimal(total)
            found.append(
                Reading(start, value.quantize(Decimal("0.01")), Decimal(counted), Decimal(total))
            )
        else:
            found.append(Reading(start, Decimal(counted)))
    return found
