"""Measurement periods: weeks (from Monday), months and quarters, named and counted."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


def start_of(day: datetime.date, frequency: str) -> datetime.date:
    """The first day of the period that contains ``day``."""
    if frequency == Frequency.WEEKLY:
        return day - datetime.timedelta(days=day.weekday())
    if frequency == Frequency.QUARTERLY:
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    return day.replace(day=1)


def following(start: datetime.date, frequency: str, n: int = 1) -> datetime.date:
    """The start of the period ``n`` periods after the one starting on ``start``."""
    if frequency == Frequency.WEEKLY:
        return start + datetime.timedelta(weeks=n)
    months = 3 * n if frequency == Frequency.QUARTERLY else n
    month = start.month - 1 + months
    return datetime.date(start.year + month // 12, month % 12 + 1, 1)


def end_of(start: datetime.date, frequency: str) -> datetime.date:
    return following(start, frequency) - datetime.timedelta(days=1)


def label(start: datetime.date, frequency: str) -> str:
    """A short, sortable name: 2026-W07, 2026-03, 2026-Q1."""
    if frequency == Frequency.WEEKLY:
        year, week, _day = start.isocalendar()
        return f"{year}-W{week:02d}"
    if frequency == Frequency.QUARTERLY:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def parse(text: str, frequency: str) -> datetime.date:
    """The start of the period named ``text`` (as ``label`` writes it, or any date in it).

    Raises ValueError with a message people understand."""
    text = text.strip()
    try:
        if frequency == Frequency.WEEKLY and "-W" in text.upper():
            year, week = text.upper().split("-W")
            return datetime.date.fromisocalendar(int(year), int(week), 1)
        if frequency == Frequency.QUARTERLY and "-Q" in text.upper():
            year, quarter = text.upper().split("-Q")
            if not 1 <= int(quarter) <= 4:
                raise ValueError
            return datetime.date(int(year), 3 * (int(quarter) - 1) + 1, 1)
        if len(text) == 7 and text[4] == "-":  # 2026-03
            return start_of(datetime.date(int(text[:4]), int(text[5:]), 1), frequency)
        return start_of(datetime.date.fromisoformat(text), frequency)
    except ValueError:
        examples: dict[str, str] = {
            Frequency.WEEKLY: "2026-W07 or 2026-02-09",
            Frequency.MONTHLY: "2026-03 or 2026-03-01",
            Frequency.QUARTERLY: "2026-Q1 or 2026-01-01",
        }
        raise ValueError(
            _("“%(text)s” is not a period; write it like %(example)s.")
            % {"text": text, "example": examples.get(frequency, "2026-03-01")}
        ) from None


def last_complete(today: datetime.date, frequency: str) -> datetime.date:
    """The start of the last period that has ended by ``today``."""
    return following(start_of(today, frequency), frequency, -1)


def between(first: datetime.date, last: datetime.date, frequency: str) -> Iterator[datetime.date]:
    start = start_of(first, frequency)
    while start <= last:
        yield start
        start = following(start, frequency)
