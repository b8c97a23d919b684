"""Nonconformities and corrective actions (ISO 9001 10.2, with 8.7 for nonconforming output)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.core.models import Action, ActionStatus, Record, TrailedModel
from hoshin.core.models.organisation import currency_code
from hoshin.core.money import Converter, MissingRateError
from hoshin.core.workflow import Workflow
from hoshin.improvement.workflow import WORKFLOW

# Tallies the home page's panel reads (hoshin.core.tally).
TALLY_SOURCE = "improvement.nc_source"
TALLY_CAUSE = "improvement.nc_cause"
TALLY_COST = "improvement.nc_cost"


class Source(models.TextChoices):
    INTERNAL_AUDIT = "internal_audit", _("Internal audit")
    CUSTOMER_COMPLAINT = "customer_complaint", _("Customer complaint")
    SUPPLIER = "supplier", _("Supplier")
    PROCESS_MONITORING = "process_monitoring", _("Process monitoring")
    EMPLOYEE_REPORT = "employee_report", _("Employee report")
    EXTERNAL_AUDIT = "external_audit", _("External audit")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


# Days to close by default, by severity.
DUE_DAYS = {Severity.MINOR: 60, Severity.MAJOR: 30, Severity.CRITICAL: 14}


class Disposition(models.TextChoices):
    CONCESSION = "concession", _("Use as is (under concession)")
    REWORK = "rework", _("Rework")
    REPAIR = "repair", _("Repair")
    REGRADE = "regrade", _("Regrade")
    SCRAP = "scrap", _("Scrap")
    RETURN = "return_to_supplier", _("Return to supplier")


class CauseCategory(models.TextChoices):
    """The six bones of the fishbone (Ishikawa) diagram."""

    METHOD = "method", _("Method")
    MACHINE = "machine", _("Machine")
    MATERIAL = "material", _("Material")
    PEOPLE = "people", _("Man / people")
    MEASUREMENT = "measurement", _("Measurement")
    ENVIRONMENT = "environment", _("Environment")


class VerificationResult(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class Nonconformity(Record):
    reference_prefix: ClassVar[str] = "NC"
    workflow: ClassVar[Workflow] = WORKFLOW

    description = models.TextField(_("description"), help_text=_("What happened, where and when."))
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MINOR
    )
    process = models.ForeignKey(
        "context.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nonconformities",
        verbose_name=_("process"),
    )
    # Nonconforming output (8.7)
    product_ref = models.CharField(_("product / part"), max_length=120, blank=True)
    lot_ref = models.CharField(_("batch / lot"), max_length=120, blank=True)
    quantity_checked = models.PositiveIntegerField(_("quantity checked"), null=True, blank=True)
    quantity_nonconforming = models.PositiveIntegerField(
        _("quantity nonconforming"), null=True, blank=True
    )
    disposition = models.CharField(
        _("disposition"), max_length=30, choices=Disposition.choices, blank=True
    )
    disposition_authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disposition authorised by"),
        # Set by the "authorise_disposition" step from its signer, never typed in.
        editable=False,
    )
    detected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("detected by"),
    )
    detected_on = models.DateField(_("detected on"))
    # Containment and correction (10.2.1 a)
    containment_action = models.TextField(_("containment"), blank=True)
    containment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contained by"),
    )
    containment_on = models.DateField(_("contained on"), null=True, blank=True)
    correction = models.TextField(_("correction"), blank=True)
    # Root cause (10.2.1 b)
    whys = models.JSONField(_("5 whys"), default=list, blank=True)
    fishbone = models.JSONField(_("fishbone notes"), default=dict, blank=True)
    cause_category = models.CharField(
        _("root-cause category"), max_length=20, choices=CauseCategory.choices, blank=True
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    # Effectiveness (10.2.1 d)
    verification_method = models.TextField(_("verification method"), blank=True)
    verification_due = models.DateField(_("verification due"), null=True, blank=True)
    verification_result = models.CharField(
        _("verification result"), max_length=20, choices=VerificationResult.choices, blank=True
    )
    verification_notes = models.TextField(_("verification notes"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
        editable=False,
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True, editable=False)

    class Meta(Record.Meta):
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="nc_status_created_idx"),
            models.Index(fields=["-created_at", "-id"], name="nc_created_idx"),
            models.Index(fields=["source", "detected_on"], name="nc_source_idx"),
            models.Index(fields=["owner", "status"], name="nc_owner_idx"),
            models.Index(fields=["status", "due_date"], name="nc_status_due_idx"),
            models.Index(fields=["detected_on"], name="nc_detected_idx"),
            # The home page's "my records", oldest due first: walked in order, not sorted
            # (a person may own tens of thousands of them).
            models.Index(fields=["owner", "due_date"], name="nc_owner_due_idx"),
        ]

    # The rules of a nonconformity, for the forms and the API alike.
    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        checked, bad = self.quantity_checked, self.quantity_nonconforming
        if checked is not None and bad is not None and bad > checked:
            errors["quantity_nonconforming"] = _(
                "Cannot be more than the quantity checked (%(n)d)."
            ) % {"n": checked}
        if self.detected_on and self.detected_on > timezone.localdate():
            errors["detected_on"] = _("The detection date cannot be in the future.")
        if self.containment_on and self.detected_on and self.containment_on < self.detected_on:
            errors["containment_on"] = _("Containment cannot come before detection.")
        if errors:
            raise ValidationError(errors)

    # The home page's panel reads these (hoshin.improvement.dashboard): per month of
    # detection, by source and by root-cause category; costs per month and currency.
    tally_prefetch: ClassVar[tuple[str, ...]] = ("costs",)

    def tallies(self) -> Iterable[tuple[str, str, datetime.date | None, Decimal | None]]:
        yield from super().tallies()
        if self.voided_at is not None:
            return
        month = self.detected_on.replace(day=1)
        yield (TALLY_SOURCE, self.source, month, None)
        if self.cause_category:
            yield (TALLY_CAUSE, self.cause_category, month, None)
        for cost in self.costs.all():
            if cost.voided_at is None:
                yield (TALLY_COST, cost.currency, cost.incurred_on.replace(day=1), cost.amount)

    def before_create(self) -> None:
        from hoshin.core.actor import current_actor

        if self.detected_by_id is None:
            self.detected_by = current_actor()
        if self.due_date is None and self.detected_on:
            self.due_date = self.detected_on + datetime.timedelta(
                days=DUE_DAYS[Severity(self.severity)]
            )
        super().before_create()

    def on_signature_superseded(self, signature: Any) -> None:
        """The output or its disposition changed after it was authorised: it must be
        authorised again."""
        if signature.transition == "authorise_disposition":
            self.disposition_authorised_by = None

    def default_owner(self, creator: Any) -> Any:
        """The process owner handles it; without a process, a quality manager does."""
        if self.process_id is not None:
            return self.process.owner  # type: ignore[union-attr]
        from hoshin.core import roles
        from hoshin.core.models import User

        manager = User.objects.filter(groups__name=roles.QUALITY_MANAGER, is_active=True).first()
        return manager or creator

    @classmethod
    def involvement_q(cls, user: Any) -> Q:
        ct = ContentType.objects.get_for_model(cls)
        action_ids = Action.objects.filter(content_type=ct, owner=user).values("object_id")
        return Q(owner=user) | Q(created_by=user) | Q(detected_by=user) | Q(pk__in=action_ids)

    # --- related records ----------------------------------------------------------
    def actions(self) -> models.QuerySet[Action]:
        return Action.objects.for_record(self).select_related("owner")

    def action_list(self) -> list[Action]:
        cached = getattr(self, "_actions", None)
        return cached if cached is not None else list(self.actions())

    @classmethod
    def load_actions(cls, items: list[Nonconformity]) -> None:
        """Attach the actions of many nonconformities with one query (lists, API pages)."""
        if not items:
            return
        ct = ContentType.objects.get_for_model(cls)
        by_id: dict[int, list[Action]] = {nc.pk: [] for nc in items}
        rows = Action.objects.filter(content_type=ct, object_id__in=list(by_id))
        for action in rows.select_related("owner").order_by("due_date", "id"):
            by_id[action.object_id].append(action)
        for nc in items:
            setattr(nc, "_actions", by_id[nc.pk])  # noqa: B010

    def live_actions(self) -> list[Action]:
        return [a for a in self.action_list() if a.status != ActionStatus.CANCELLED]

    def cost_lines(self) -> models.QuerySet[CostItem]:
        return self.costs.filter(voided_at__isnull=True)

    def cost_total(
        self, converter: Converter | None = None, lines: list[CostItem] | None = None
    ) -> Decimal | None:
        """Cost of poor quality in the base currency (None if a rate is missing);
        ``lines``: the live cost lines, when the caller has read them already."""
        converter = converter or Converter()
        total = Decimal(0)
        try:
            for line in self.cost_lines() if lines is None else lines:
                total += converter.to_base(line.amount, line.currency, line.incurred_on)
        except MissingRateError:
            return None
        return total

    def why_list(self) -> list[str]:
        return [w for w in (self.whys or []) if str(w).strip()]


class CostCategory(models.TextChoices):
    SCRAP = "scrap", _("Scrap")
    REWORK = "rework", _("Rework")
    INSPECTION = "inspection", _("Extra inspection")
    WARRANTY = "warranty", _("Warranty / returns")
    FREIGHT = "freight", _("Extra freight")
    OTHER = "other", _("Other")


class CostItem(TrailedModel):
    """A cost of poor quality caused by a nonconformity, in any currency."""

    nonconformity = models.ForeignKey(Nonconformity, on_delete=models.PROTECT, related_name="costs")
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_code])
    incurred_on = models.DateField(_("incurred on"))

    class Meta:
        ordering = ["incurred_on", "id"]
        verbose_name = _("cost of poor quality")
        verbose_name_plural = _("costs of poor quality")
        indexes = [models.Index(fields=["incurred_on"], name="cost_incurred_idx")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} {self.get_category_display()}"

    tallied_in_parent = True  # the cost of poor quality per month is the parent's tally

    @property
    def trail_parent(self) -> models.Model:
        return self.nonconformity
