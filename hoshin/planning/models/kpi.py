"""Key performance indicators and their measurements (ISO 9001 9.1.1, 9.1.3)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.context.models import Process
from hoshin.core import tally
from hoshin.core.models import Record, TrailedModel, User
from hoshin.core.numbers import Figure, to_places
from hoshin.core.workflow import Workflow
from hoshin.planning import periods
from hoshin.planning.periods import Frequency
from hoshin.planning.workflow import KPI_WORKFLOW

# Days after a period ends before its measurement counts as overdue.
GRACE_DAYS = 10


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class KpiKind(models.TextChoices):
    VALUE = "value", _("A measured value (individuals chart)")
    PROPORTION = "proportion", _("A proportion: count out of a total (p-chart)")


class KpiStatus(models.TextChoices):
    ON_TARGET = "on_target", _("On target")
    AT_RISK = "at_risk", _("At risk")
    OFF_TARGET = "off_target", _("Off target")
    NO_DATA = "no_data", _("No data")


@dataclass(frozen=True)
class Zone:
    """A stretch of values with one status: from the edge of the zone before it (excluded)
    to ``until``, its worst value (included); ``None``: on without end."""

    status: str
    until: Decimal | None


@dataclass(frozen=True)
class ZoneText:
    status: str
    label: str
    values: str  # "above 10.0 %, up to 30.0 %"


@dataclass(frozen=True)
class Reading:
    """One period's figure of a KPI, typed in or computed."""

    period: datetime.date
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    measurement_id: int | None = None


class Kpi(Record):
    reference_prefix: ClassVar[str] = "KPI"
    workflow: ClassVar[Workflow] = KPI_WORKFLOW
    # Follows the measurements (refresh_due_date updates it directly).
    trail_derived_fields: ClassVar[frozenset[str]] = frozenset({"due_date"})

    @classmethod
    def selectable(cls) -> models.QuerySet[Kpi]:
        """What forms offer (an objective's KPIs): those being measured."""
        return cls.objects.filter(status="active")

    description = models.TextField(
        _("formula and description"), help_text=_("What is counted, how, and from what.")
    )
    unit = models.CharField(
        _("unit"), max_length=30, blank=True, help_text=_("%, ppm, days, €… (empty for a count)")
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    kind = models.CharField(
        _("kind of data"), max_length=20, choices=KpiKind.choices, default=KpiKind.VALUE
    )
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=6)
    amber = models.DecimalField(
        _("amber line"),
        max_digits=18,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_(
            "An early-warning line on the chart; with no off-target line, past it is off "
            "target. The KPI is at risk as soon as it misses its target."
        ),
    )
    red = models.DecimalField(
        _("off target beyond"),
        max_digits=18,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Past this value: off target."),
    )
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    automatic = models.CharField(
        _("computed by Hoshin from"),
        max_length=40,
        blank=True,
        help_text=_("Leave empty for figures typed in, imported or posted through the API."),
    )
    process = models.ForeignKey(
        Process,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kpis",
        verbose_name=_("process"),
    )
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=1)
    # The next measurement falls due at the end of the grace after the current period:
    # the record's due date, so reminders and overdue lists treat it like any other.
    due_date = models.DateField(_("next figure due"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        super().clean()
        if self.target is None:
            return
        higher = self.direction == Direction.HIGHER
        steps = [("target", self.target), ("amber", self.amber), ("red", self.red)]
        known = [(n, v) for n, v in steps if v is not None]
        for (_n1, v1), (n2, v2) in itertools.pairwise(known):
            if (higher and v2 > v1) or (not higher and v2 < v1):
                raise ValidationError(
                    {
                        n2: _(
                            "With “%(direction)s”, thresholds must run from the target "
                            "towards worse values."
                        )
                        % {"direction": self.get_direction_display().lower()}
                    }
                )
        if self.automatic:
            from hoshin.planning import automatic

            if not automatic.known(self.automatic):
                raise ValidationError({"automatic": _("Unknown source of computed figures.")})

    @property
    def is_automatic(self) -> bool:
        return bool(self.automatic)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.due_date is None and not self.automatic:
            self.due_date = self.next_due(None)  # the first figure falls due too
        super().save(*args, **kwargs)

    # --- the status: one rule (zones), read by status_of and said by zone_texts ---------
    def zones(self) -> list[Zone]:
        """The statuses a figure may have, best first: on target up to the target, at
        risk up to the off-target line (red, or amber when there is no red), off target
        past it. A figure on a line belongs to the better zone."""
        off = self.red if self.red is not None else self.amber
        if off is None:
            return [Zone(KpiStatus.ON_TARGET, self.target), Zone(KpiStatus.AT_RISK, None)]
        if off == self.target:  # missing the target is off target at once
            return [Zone(KpiStatus.ON_TARGET, self.target), Zone(KpiStatus.OFF_TARGET, None)]
        return [
            Zone(KpiStatus.ON_TARGET, self.target),
            Zone(KpiStatus.AT_RISK, off),
            Zone(KpiStatus.OFF_TARGET, None),
        ]

    def status_of(self, value: Decimal | None) -> str:
        """The status of a figure: the first of the zones it falls in."""
        if value is None:
            return KpiStatus.NO_DATA
        for zone in self.zones():
            if zone.until is None or self.meets(value, zone.until):
                return zone.status
        raise AssertionError("the last zone has no end")

    def zone_texts(self) -> list[ZoneText]:
        """The zones in words, for the KPI's page: "At risk: above 10.0 %, up to 30.0 %"."""
        higher = self.direction == Direction.HIGHER
        labels = dict(KpiStatus.choices)
        texts = []
        start: str | None = None
        for zone in self.zones():
            until = self._amount(zone.until) if zone.until is not None else None
            if start is None:
                words = _("%(v)s or more") if higher else _("%(v)s or less")
                values = words % {"v": until}
            elif until is None:
                values = (_("below %(v)s") if higher else _("above %(v)s")) % {"v": start}
            else:
                words = _("below %(a)s, down to %(b)s") if higher else _("above %(a)s, up to %(b)s")
                values = words % {"a": start, "b": until}
            texts.append(ZoneText(zone.status, str(labels[zone.status]), str(values)))
            start = until
        return texts

    def _amount(self, value: Decimal) -> str:
        return f"{self.shown(value)} {self.unit}".strip()

    def meets(self, value: Decimal, line: Decimal) -> bool:
        return value >= line if self.direction == Direction.HIGHER else value <= line

    def readings(self, last: int = 36) -> list[Reading]:
        """The last ``last`` periods with a figure, oldest first (computed ones included)."""
        if self.automatic:
            from hoshin.planning import automatic

            return automatic.readings(self, last)
        rows = (
            self.measurements.filter(voided_at__isnull=True)
            .order_by("-period")
            .values_list("period", "value", "numerator", "denominator", "pk")[:last]
        )
        return [Reading(*row) for row in reversed(rows)]

    def expected_period(self, today: datetime.date | None = None) -> datetime.date:
        """The last period whose figure should be in by now (its grace has passed)."""
        today = today or timezone.localdate()
        return periods.last_complete(today - datetime.timedelta(days=GRACE_DAYS), self.frequency)

    def next_due(
        self, latest: datetime.date | None, today: datetime.date | None = None
    ) -> datetime.date:
        """When the next figure falls due, given the latest period measured; with none
        yet, the figure of the last period complete on ``today``."""
        if latest is None:
            first = periods.last_complete(today or timezone.localdate(), self.frequency)
            return periods.end_of(first, self.frequency) + datetime.timedelta(days=GRACE_DAYS)
        following = periods.following(latest, self.frequency)
        return periods.end_of(following, self.frequency) + datetime.timedelta(days=GRACE_DAYS)

    def shown(self, value: Decimal | None) -> Figure | None:
        """A target or threshold to the KPI's decimals (more where it was entered with
        more), for pages, lists, exports and the PDF alike."""
        return None if value is None else to_places(value, self.decimals)

    def get_target_display(self) -> Figure | None:
        return self.shown(self.target)

    def get_amber_display(self) -> Figure | None:
        return self.shown(self.amber)

    def get_red_display(self) -> Figure | None:
        return self.shown(self.red)

    def format(self, value: Decimal | float | None) -> str:
        if value is None:
            return "—"
        return f"{float(value):,.{self.decimals}f}"


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", _("Typed in")
    IMPORT = "import", _("Imported")
    API = "api", _("API")


class Measurement(TrailedModel):
    """One period's figure of a KPI. Corrected by voiding and entering it again."""

    kpi = models.ForeignKey(
        Kpi, on_delete=models.PROTECT, related_name="measurements", verbose_name=_("KPI")
    )
    period = models.DateField(_("period"), help_text=_("Any day in the period."))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=6)
    numerator = models.DecimalField(
        _("count"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("out of"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=MeasurementSource.choices, default="manual"
    )
    entered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[Any]

    class Meta:
        ordering = ["kpi", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period"],
                condition=Q(voided_at__isnull=True),
                name="measurement_one_per_period",
            )
        ]
        indexes = [models.Index(fields=["kpi", "period"], name="measurement_kpi_period_idx")]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.kpi.reference} {self.period_label}: {self.value}"

    @property
    def trail_parent(self) -> models.Model | None:
        return self.kpi

    def _child_label(self) -> str:
        return str(_("Measurement %(period)s")) % {"period": self.period_label}

    @property
    def period_label(self) -> str:
        return periods.label(self.period, self.kpi.frequency)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        kpi = self.kpi
        if self.period is not None:
            self.period = periods.start_of(self.period, kpi.frequency)
            if self.period > timezone.localdate():
                errors["period"] = _("This period has not started yet.")
            clash = Measurement.objects.filter(
                kpi=kpi, period=self.period, voided_at__isnull=True
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["period"] = _(
                    "%(period)s already has a figure; void it first to correct it."
                ) % {"period": periods.label(self.period, kpi.frequency)}
        if kpi.kind == KpiKind.PROPORTION:
            if self.numerator is None or self.denominator is None:
                errors["denominator"] = _("Give the count and the total it is out of.")
            elif self.denominator <= 0:
                errors["denominator"] = _("The total must be more than zero.")
            elif not 0 <= self.numerator <= self.denominator:
                errors["numerator"] = _("The count must be between 0 and the total.")
            else:
                numerator, denominator = Decimal(self.numerator), Decimal(self.denominator)
                self.value = (numerator / denominator * 100).quantize(Decimal("0.000001"))
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        refresh_due_date(self.kpi)


def refresh_due_date(kpi: Kpi) -> None:
    """Keep the KPI's "next figure due" in step with its latest measurement."""
    latest = (
        kpi.measurements.filter(voided_at__isnull=True)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    due = kpi.next_due(latest)
    if kpi.due_date != due:
        # Derived from the measurements (which are in the trail): not a change of the KPI.
        # Not a save either, so the open-and-overdue tally is told here.
        with tally.tracking(kpi):
            Kpi.objects.filter(pk=kpi.pk).update(due_date=due)
        kpi.due_date = due
