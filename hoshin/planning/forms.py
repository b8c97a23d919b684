"""Forms of planning and measurement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.core.forms import BootstrapMixin, RecordForm
from hoshin.planning import automatic
from hoshin.planning.models import (
    Kpi,
    Measurement,
    PolicyCommitment,
    RiskScale,
)


def _rating_choices() -> list[tuple[str, str]]:
    scale = RiskScale.current()
    return [("", "—")] + [(str(i), f"{i} {label}") for i, label in scale.axis("likelihood")]


def _impact_choices() -> list[tuple[str, str]]:
    scale = RiskScale.current()
    return [("", "—")] + [(str(i), f"{i} {label}") for i, label in scale.axis("impact")]


RATING_FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")


def rating_choices(form: forms.BaseForm) -> None:
    """Ratings chosen from the current risk matrix, with its words (the edit form and the
    steps that carry ratings alike)."""
    for name in RATING_FIELDS:
        if name in form.fields:
            choices = _rating_choices() if name.endswith("likelihood") else _impact_choices()
            field = forms.TypedChoiceField(
                label=form.fields[name].label,
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
            )
            field.widget.attrs["class"] = "form-select"
            form.fields[name] = field


class RiskForm(RecordForm):
    """Ratings chosen from the current risk matrix, with its words."""

    # Also applied to the forms of the workflow's steps (core.forms.step_form_for).
    shape_fields = staticmethod(rating_choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rating_choices(self)


class ObjectiveForm(RecordForm):
    """The quality policy's commitments an objective serves, ticked."""

    commitments = forms.MultipleChoiceField(
        label=_("Quality policy commitments"),
        choices=PolicyCommitment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        widgets = {"kpis": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].label = _("Who is responsible")


class KpiForm(RecordForm):
    """An automatic KPI names the figure Hoshin computes for it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["automatic"] = forms.ChoiceField(
            label=_("Computed by Hoshin from"),
            choices=automatic.choices(),
            required=False,
            help_text=Kpi._meta.get_field("automatic").help_text,
        )
        self.fields["automatic"].widget.attrs["class"] = "form-select"


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
