"""The organisation itself: its name and base currency, and exchange rates."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

currency_code = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, e.g. EUR."))

# Currencies offered in forms; any ISO 4217 code can be used through the API.
COMMON_CURRENCIES = ["EUR", "USD", "GBP", "INR", "AED", "SAR", "CHF", "JPY", "CNY"]


class Organisation(models.Model):
    """One instance serves one organisation; this row holds its settings."""

    name = models.CharField(_("name"), max_length=200, default="My organisation")
    base_currency = models.CharField(
        _("base currency"), max_length=3, default="EUR", validators=[currency_code]
    )

    class Meta:
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Organisation:
        org = cls.objects.order_by("pk").first()
        if org is None:
            org = cls.objects.create()
        return org


class ExchangeRate(models.Model):
    """How many units of the base currency one unit of ``currency`` is worth, from a date."""

    currency = models.CharField(_("currency"), max_length=3, validators=[currency_code])
    rate = models.DecimalField(
        _("rate to base currency"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)

    class Meta:
        ordering = ["currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="rate_unique_per_day")
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} ({self.valid_from})"
