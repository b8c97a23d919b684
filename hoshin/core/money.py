"""Money: an amount with an ISO 4217 currency, converted to the base currency by kept rates."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from hoshin.core.models import ExchangeRate, Organisation

TWO_PLACES = Decimal("0.01")


class MissingRateError(LookupError):
    pass


class Converter:
    """Converts amounts to the base currency; loads the rates once per use."""

    def __init__(self, base: str | None = None) -> None:
        self.base = base or Organisation.current().base_currency
        self._rates: dict[str, list[tuple[datetime.date, Decimal]]] = {}
        for rate in ExchangeRate.objects.order_by("currency", "-valid_from"):
            self._rates.setdefault(rate.currency, []).append((rate.valid_from, rate.rate))

    def rate(self, currency: str, on: datetime.date | None = None) -> Decimal:
        if currency == self.base:
            return Decimal(1)
        rates = self._rates.get(currency)
        if not rates:
            raise MissingRateError(currency)
        on = on or timezone.localdate()  # the time zone's today, not the server clock's
        for valid_from, value in rates:  # newest first
            if valid_from <= on:
                return value
        return rates[-1][1]  # before the first kept rate: use the oldest

    def to_base(self, amount: Decimal, currency: str, on: datetime.date | None = None) -> Decimal:
        return (amount * self.rate(currency, on)).quantize(TWO_PLACES)

    def missing(self, currencies: set[str]) -> set[str]:
        return {c for c in currencies if c != self.base and c not in self._rates}
