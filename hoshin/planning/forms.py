"""Forms of planning and measurement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.context.models import Process
from hoshin.core.forms import BootstrapMixin, RecordForm
from hoshin.planning import automatic
from hoshin.planning.models import (
    ChangePlan,
    Kpi,
    Measurement,
    Objective,
    PolicyCommitment,
    Risk,
    RiskScale,
)


def _rating_choices() -> list[tuple[str, str]]:
    scale = RiskScale.current()
    return [("", "—")] + [(str(i), f"{i} {label}") for i, label in scale.axis("likelihood")]


def _impact_choices() -> list[tuple[str, str]]:
    scale = RiskScale.current()
    return [("", "—")] + [(str(i), f"{i} {label}") for i, label in scale.axis("impact")]


RATING_FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")


class RiskForm(RecordForm):
    fieldsets = [
        (
            _("The risk or opportunity"),
            [
                "kind",
                "title",
                "description",
                "cause",
                "consequence",
                "source",
                "process",
                "site",
                "owner",
                "due_date",
            ],
        ),
        (_("Assessment"), list(RATING_FIELDS)),
        (_("Treatment"), ["treatment", "treatment_plan"]),
        (_("Effectiveness review"), ["effectiveness", "effectiveness_notes"]),
        (_("Links"), ["nonconformities"]),
        (None, ["version", "reason"]),
    ]

    class Meta:
        model = Risk
        fields = [
            "kind",
            "title",
            "description",
            "cause",
            "consequence",
            "source",
            "process",
            "site",
            "owner",
            "due_date",
            *RATING_FIELDS,
            "treatment",
            "treatment_plan",
            "effectiveness",
            "effectiveness_notes",
            "nonconformities",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "cause": forms.Textarea(attrs={"rows": 2}),
            "consequence": forms.Textarea(attrs={"rows": 2}),
            "treatment_plan": forms.Textarea(attrs={"rows": 3}),
            "effectiveness_notes": forms.Textarea(attrs={"rows": 2}),
            "nonconformities": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in RATING_FIELDS:
            if name in self.fields:
                choices = _rating_choices() if name.endswith("likelihood") else _impact_choices()
                field = forms.TypedChoiceField(
                    label=self.fields[name].label,
                    choices=choices,
                    coerce=int,
                    required=False,
                    empty_value=None,
                )
                field.widget.attrs["class"] = "form-select"
                self.fields[name] = field
        if "process" in self.fields:
            self.fields["process"].queryset = Process.objects.filter(active=True)  # type: ignore[attr-defined]


class RiskCreateForm(RiskForm):
    fieldsets = [
        (
            _("The risk or opportunity"),
            ["kind", "title", "description", "cause", "consequence", "source", "process", "owner"],
        ),
        (_("First assessment (optional)"), ["inherent_likelihood", "inherent_impact"]),
        (_("Links"), ["nonconformities"]),
    ]

    class Meta(RiskForm.Meta):
        fields = [
            "kind",
            "title",
            "description",
            "cause",
            "consequence",
            "source",
            "process",
            "owner",
            "inherent_likelihood",
            "inherent_impact",
            "nonconformities",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.user is not None and not self.is_bound:
            self.fields["owner"].initial = self.user.pk


class ObjectiveForm(RecordForm):
    commitments = forms.MultipleChoiceField(
        label=_("Quality policy commitments"),
        choices=PolicyCommitment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fieldsets = [
        (_("What will be done"), ["title", "description", "commitments", "policy"]),
        (_("Where"), ["level", "department", "process", "site"]),
        (
            _("The plan (ISO 9001 6.2.2)"),
            ["resources", "owner", "due_date", "evaluation", "kpis"],
        ),
        (_("Outcome"), ["outcome_notes"]),
        (None, ["version", "reason"]),
    ]

    class Meta:
        model = Objective
        fields = [
            "title",
            "description",
            "commitments",
            "policy",
            "level",
            "department",
            "process",
            "site",
            "resources",
            "owner",
            "due_date",
            "evaluation",
            "kpis",
            "outcome_notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "resources": forms.Textarea(attrs={"rows": 2}),
            "evaluation": forms.Textarea(attrs={"rows": 2}),
            "outcome_notes": forms.Textarea(attrs={"rows": 2}),
            "kpis": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpis"].queryset = Kpi.objects.filter(status="active")  # type: ignore[attr-defined]
        self.fields["owner"].label = _("Who is responsible")
        if not self.instance.pk:
            self.fields.pop("outcome_notes", None)


class KpiForm(RecordForm):
    fieldsets = [
        (_("The indicator"), ["title", "description", "unit", "kind", "direction", "decimals"]),
        (_("Targets"), ["target", "amber", "red"]),
        (_("Measuring"), ["frequency", "automatic", "data_source", "owner", "process", "site"]),
        (None, ["version", "reason"]),
    ]

    class Meta:
        model = Kpi
        fields = [
            "title",
            "description",
            "unit",
            "kind",
            "direction",
            "decimals",
            "target",
            "amber",
            "red",
            "frequency",
            "automatic",
            "data_source",
            "owner",
            "process",
            "site",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["automatic"] = forms.ChoiceField(
            label=_("Computed by Hoshin from"),
            choices=automatic.choices(),
            required=False,
            help_text=Kpi._meta.get_field("automatic").help_text,
        )
        self.fields["automatic"].widget.attrs["class"] = "form-select"
        if self.user is not None and not self.instance.pk and not self.is_bound:
            self.fields["owner"].initial = self.user.pk


class ChangePlanForm(RecordForm):
    fieldsets = [
        (_("The change"), ["title", "purpose", "consequences", "integrity", "owner", "due_date"]),
        (_("Resources and responsibilities"), ["resources", "responsibilities"]),
        (_("What it touches"), ["documents", "processes", "risks"]),
        (_("Implementation and review"), ["implementation", "review"]),
        (None, ["version", "reason"]),
    ]

    class Meta:
        model = ChangePlan
        fields = [
            "title",
            "purpose",
            "consequences",
            "integrity",
            "owner",
            "due_date",
            "resources",
            "responsibilities",
            "documents",
            "processes",
            "risks",
            "implementation",
            "review",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "purpose",
                "consequences",
                "integrity",
                "resources",
                "responsibilities",
                "implementation",
                "review",
            )
        } | {
            name: forms.SelectMultiple(attrs={"size": 5})
            for name in ("documents", "processes", "risks")
        }


class MeasurementForm(BootstrapMixin, forms.ModelForm):
    """One period's figure; for a proportion, the count and the total."""

    period = forms.CharField(
        label=_("Period"), help_text=_("e.g. 2026-03 (monthly), 2026-Q1, 2026-W07, or any date.")
    )

    class Meta:
        model = Measurement
        fields = ["period", "value", "numerator", "denominator", "note"]

    def __init__(self, *args: Any, kpi: Kpi, **kwargs: Any) -> None:
        self.kpi = kpi
        super().__init__(*args, **kwargs)
        self.instance.kpi = kpi
        if kpi.kind == "proportion":
            del self.fields["value"]  # computed from the count and the total
            self.instance.value = Decimal(0)
            self.fields["numerator"].required = True
            self.fields["denominator"].required = True
        else:
            del self.fields["numerator"]
            del self.fields["denominator"]
            self.fields["value"].label = _("Value (%(unit)s)") % {"unit": kpi.unit or "—"}
        if not self.is_bound:
            from hoshin.planning import periods

            # Offer the first period after the latest figure, up to the last one ended.
            last = periods.last_complete(timezone.localdate(), kpi.frequency)
            latest = (
                (
                    kpi.measurements.filter(voided_at__isnull=True)
                    .order_by("-period")
                    .values_list("period", flat=True)
                    .first()
                )
                if kpi.pk
                else None
            )
            offer = periods.following(latest, kpi.frequency) if latest else last
            self.fields["period"].initial = periods.label(min(offer, last), kpi.frequency)
        self._style()

    def clean_period(self) -> Any:
        from hoshin.planning import periods

        try:
            return periods.parse(self.cleaned_data["period"], self.kpi.frequency)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"))
    dry_run = forms.BooleanField(
        label=_("Check only: show what would be imported, change nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
