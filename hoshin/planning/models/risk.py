# ruff: noqa: RUF001, RUF002  (the multiplication sign of a risk rating is meant)
"""Risks and opportunities (ISO 9001 6.1): rated on the organisation's matrix, treated
with actions, and reviewed for effectiveness."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.context.models import Process
from hoshin.core.models import Action, ActionStatus, Record, TrailedModel, User
from hoshin.core.workflow import Workflow
from hoshin.planning.workflow import RISK_WORKFLOW


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


def default_likelihood_labels() -> list[str]:
    return ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]


def default_impact_labels() -> list[str]:
    return ["Negligible", "Minor", "Moderate", "Major", "Severe"]


class RiskScale(models.Model):
    """The organisation's risk matrix: likelihood × impact, each 1..size, and the ratings
    at which the levels start. One row; quality managers change it in the administration."""

    size = models.PositiveSmallIntegerField(
        _("points on each axis"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(10)],
    )
    medium_from = models.PositiveSmallIntegerField(_("medium from rating"), default=5)
    high_from = models.PositiveSmallIntegerField(_("high from rating"), default=10)
    critical_from = models.PositiveSmallIntegerField(_("critical from rating"), default=20)
    likelihood_labels = models.JSONField(
        _("likelihood labels"), default=default_likelihood_labels, blank=True
    )
    impact_labels = models.JSONField(_("impact labels"), default=default_impact_labels, blank=True)

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrix")

    def __str__(self) -> str:
        return f"{self.size} × {self.size}"

    @classmethod
    def current(cls) -> RiskScale:
        scale = cls.objects.order_by("pk").first()
        return scale if scale is not None else cls.objects.create()

    def clean(self) -> None:
        top = self.size * self.size
        if not 1 < self.medium_from < self.high_from < self.critical_from <= top:
            raise ValidationError(
                _("Levels must start in increasing order, within 2 and %(top)s.") % {"top": top}
            )
        for name in ("likelihood_labels", "impact_labels"):
            labels = getattr(self, name) or []
            if labels and len(labels) != self.size:
                raise ValidationError(
                    {name: _("Give one label per point: %(n)s labels.") % {"n": self.size}}
                )
        if self.pk:
            too_high = Risk.objects.filter(
                Q(inherent_likelihood__gt=self.size)
                | Q(inherent_impact__gt=self.size)
                | Q(residual_likelihood__gt=self.size)
                | Q(residual_impact__gt=self.size)
            ).count()
            if too_high:
                raise ValidationError(
                    {
                        "size": _("%(n)s risks are rated above %(size)s: reassess them first.")
                        % {"n": too_high, "size": self.size}
                    }
                )

    def level(self, rating: int | None) -> str:
        if rating is None:
            return ""
        if rating >= self.critical_from:
            return RiskLevel.CRITICAL
        if rating >= self.high_from:
            return RiskLevel.HIGH
        if rating >= self.medium_from:
            return RiskLevel.MEDIUM
        return RiskLevel.LOW

    def axis(self, name: str) -> list[tuple[int, str]]:
        labels = getattr(self, f"{name}_labels") or []
        return [
            (i, str(labels[i - 1]) if len(labels) >= i else str(i)) for i in range(1, self.size + 1)
        ]


class RiskKind(models.TextChoices):
    RISK = "risk", _("Risk")
    OPPORTUNITY = "opportunity", _("Opportunity")


class RiskSource(models.TextChoices):
    CONTEXT = "context_issue", _("Context issue")
    INTERESTED_PARTY = "interested_party", _("Interested party")
    PROCESS = "process", _("Process")
    NONCONFORMITY = "nonconformity", _("Nonconformity")
    AUDIT = "audit", _("Audit")
    OTHER = "other", _("Other")


class Treatment(models.TextChoices):
    AVOID = "avoid", _("Avoid")
    REDUCE = "reduce", _("Reduce")
    TRANSFER = "transfer", _("Transfer")
    ACCEPT = "accept", _("Accept")
    EXPLOIT = "exploit", _("Exploit")
    ENHANCE = "enhance", _("Enhance")
    SHARE = "share", _("Share")


TREATMENTS = {
    RiskKind.RISK: (Treatment.AVOID, Treatment.REDUCE, Treatment.TRANSFER, Treatment.ACCEPT),
    RiskKind.OPPORTUNITY: (
        Treatment.EXPLOIT,
        Treatment.ENHANCE,
        Treatment.SHARE,
        Treatment.ACCEPT,
    ),
}


class Effectiveness(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    PARTLY = "partly", _("Partly effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


def _rating_field(label: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1)]
    )


class Risk(Record):
    reference_prefix: ClassVar[str] = "RSK"
    workflow: ClassVar[Workflow] = RISK_WORKFLOW

    kind = models.CharField(
        _("type"), max_length=20, choices=RiskKind.choices, default=RiskKind.RISK
    )
    description = models.TextField(_("description"))
    cause = models.TextField(_("cause"), blank=True)
    consequence = models.TextField(_("consequence"), blank=True)
    source = models.CharField(_("source"), max_length=30, choices=RiskSource.choices)
    process = models.ForeignKey(
        Process,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("process"),
    )
    inherent_likelihood = _rating_field(_("inherent likelihood"))
    inherent_impact = _rating_field(_("inherent impact"))
    inherent_rating = models.PositiveSmallIntegerField(
        _("inherent rating"), null=True, blank=True, editable=False
    )
    inherent_level = models.CharField(
        _("inherent level"), max_length=10, choices=RiskLevel.choices, blank=True, editable=False
    )
    residual_likelihood = _rating_field(_("residual likelihood"))
    residual_impact = _rating_field(_("residual impact"))
    residual_rating = models.PositiveSmallIntegerField(
        _("residual rating"), null=True, blank=True, editable=False
    )
    residual_level = models.CharField(
        _("residual level"), max_length=10, choices=RiskLevel.choices, blank=True, editable=False
    )
    treatment = models.CharField(
        _("treatment"), max_length=20, choices=Treatment.choices, blank=True
    )
    treatment_plan = models.TextField(_("treatment plan"), blank=True)
    effectiveness = models.CharField(
        _("treatment effective?"), max_length=20, choices=Effectiveness.choices, blank=True
    )
    effectiveness_notes = models.TextField(_("effectiveness review"), blank=True)
    nonconformities = models.ManyToManyField(
        "improvement.Nonconformity",
        blank=True,
        related_name="risks",
        verbose_name=_("related nonconformities"),
    )
    # The next review is the record's due date, so reminders and overdue lists see it.
    due_date = models.DateField(_("next review"), null=True, blank=True, db_index=True)
    closed_reason = models.TextField(_("reason closed"), blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        indexes = [
            models.Index(
                fields=["inherent_likelihood", "inherent_impact"], name="risk_inherent_cell_idx"
            ),
            models.Index(
                fields=["residual_likelihood", "residual_impact"], name="risk_residual_cell_idx"
            ),
            models.Index(fields=["status", "due_date"], name="risk_status_due_idx"),
            # The register's default order (newest first) and the API list.
            models.Index(fields=["-created_at", "-id"], name="risk_created_idx"),
            # "High risks, highest rating first": the list filtered by level and sorted.
            models.Index(
                fields=["inherent_level", "inherent_rating"], name="risk_level_rating_idx"
            ),
            # The heat map and the home panel count open risks by rating and level: every
            # column they read is in the index, so no row of the table is read.
            models.Index(
                fields=[
                    "status",
                    "voided_at",
                    "kind",
                    "inherent_level",
                    "inherent_likelihood",
                    "inherent_impact",
                    "residual_likelihood",
                    "residual_impact",
                ],
                name="risk_open_ratings_idx",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        size = RiskScale.current().size
        errors: dict[str, list[str]] = {}
        for name in (
            "inherent_likelihood",
            "inherent_impact",
            "residual_likelihood",
            "residual_impact",
        ):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= size:
                errors.setdefault(name, []).append(
                    str(_("Rate from 1 to %(size)s.") % {"size": size})
                )
        for first, second in (
            ("inherent_likelihood", "inherent_impact"),
            ("residual_likelihood", "residual_impact"),
        ):
            if (getattr(self, first) is None) != (getattr(self, second) is None):
                missing = second if getattr(self, second) is None else first
                errors.setdefault(missing, []).append(
                    str(_("Rate likelihood and impact together."))
                )
        if self.treatment and self.treatment not in TREATMENTS[RiskKind(self.kind)]:
            allowed = ", ".join(str(t.label) for t in TREATMENTS[RiskKind(self.kind)])
            errors.setdefault("treatment", []).append(
                str(_("For this type, choose one of: %(allowed)s.") % {"allowed": allowed})
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        scale = RiskScale.current()
        self.inherent_rating = _product(self.inherent_likelihood, self.inherent_impact)
        self.residual_rating = _product(self.residual_likelihood, self.residual_impact)
        self.inherent_level = scale.level(self.inherent_rating)
        self.residual_level = scale.level(self.residual_rating)
        changed = self._state.adding or self._ratings_changed()
        super().save(*args, **kwargs)
        if changed and (self.inherent_rating or self.residual_rating):
            RiskAssessment.record(self)

    def _ratings_changed(self) -> bool:
        before = type(self)._default_manager.filter(pk=self.pk).values_list(*RATING_FIELDS).first()
        return before != tuple(getattr(self, f) for f in RATING_FIELDS)

    @property
    def current_rating(self) -> int | None:
        return self.residual_rating or self.inherent_rating

    @property
    def current_level(self) -> str:
        return self.residual_level or self.inherent_level

    def get_current_level_display(self) -> str:
        return str(dict(RiskLevel.choices).get(self.current_level, "—"))

    def actions(self) -> models.QuerySet[Action]:
        return Action.objects.for_record(self).filter(voided_at__isnull=True)


RATING_FIELDS = (
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
)


def _product(a: int | None, b: int | None) -> int | None:
    return a * b if a is not None and b is not None else None


def open_actions(risk: Risk) -> list[Action]:
    return [a for a in risk.actions() if a.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)]


class RiskAssessment(TrailedModel):
    """A snapshot of a risk's ratings each time they change: the trend over time."""

    risk = models.ForeignKey(
        Risk, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("risk")
    )
    at = models.DateTimeField(_("assessed at"), default=timezone.now)
    assessed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    inherent_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    inherent_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    inherent_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["risk", "at", "id"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    def __str__(self) -> str:
        return f"{self.risk.reference} {self.at:%Y-%m-%d}: {self.inherent_rating}/{self.residual_rating}"

    @property
    def trail_parent(self) -> models.Model | None:
        return None  # the risk's own change event already says what changed

    @classmethod
    def record(cls, risk: Risk) -> RiskAssessment:
        from hoshin.core.actor import current_actor

        item = cls(
            risk=risk,
            assessed_by=current_actor(),
            inherent_rating=risk.inherent_rating,
            residual_rating=risk.residual_rating,
            **{f: getattr(risk, f) for f in RATING_FIELDS},
        )
        # Derived from the risk's trailed change; kept out of the trail to avoid saying it twice.
        models.Model.save(item)
        return item
