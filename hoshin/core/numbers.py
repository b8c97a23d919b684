"""Numbers as people read them.

A decimal column keeps its places (a KPI's target of 2 is read back as 2.000000): shown
bare, a number loses that padding. A register that shows a number to a precision of its
own (a KPI's decimals) gives a :class:`Figure`, shown exactly as it is.
"""

from __future__ import annotations

from decimal import Decimal


class Figure(Decimal):
    """A number already given the places it is shown to."""


def to_places(value: Decimal, places: int) -> Figure:
    """``value`` to ``places`` decimals, or to more where it was entered with more: a
    target of 99.95 on a KPI shown to one decimal stays 99.95, a target of 2 reads 2.0."""
    entered = -int(value.normalize().as_tuple().exponent)
    return Figure(value.quantize(Decimal(1).scaleb(-max(places, entered, 0))))


def plain(value: Decimal) -> str:
    """A figure as given; any other number without the column's padding (95, not
    95.000000), never in exponent form (100, not 1E+2)."""
    if isinstance(value, Figure):
        return format(value, "f")
    return format(value.normalize(), "f")
