"""Calendar arithmetic the registers share (review intervals, retention periods)."""

from __future__ import annotations

import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def add_years(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, 12 * years)
