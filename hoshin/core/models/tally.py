"""Counts and sums kept current by the transaction that changes a record.

The home page and the dashboards read these rows instead of aggregating a register on
every request: a figure over twelve months of a million records is then a handful of
rows. ``hoshin.core.tally`` writes them (and rebuilds them after a bulk load).
"""

from __future__ import annotations

import datetime

from django.db import models

# A tally without a date dimension uses this day: a NULL in a unique key would not match
# itself in the upsert on either database.
NO_DAY = datetime.date(1, 1, 1)


class Tally(models.Model):
    """``count`` records (and the ``amount`` they sum) under one key of one tally, e.g.
    nonconformities from customers detected in March: name ``improvement.nc_source``,
    label ``customer``, day 2026-03-01."""

    name = models.CharField(max_length=80)
    label = models.CharField(max_length=80, blank=True)
    day = models.DateField(default=NO_DAY)
    count = models.BigIntegerField(default=0)
    amount = models.DecimalField(max_digits=24, decimal_places=6, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "label", "day"], name="tally_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.label} {self.day}: {self.count} / {self.amount}"
