from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.core import roles
from hoshin.core.forms import BootstrapMixin, RecordForm, people
from hoshin.core.models import User
from hoshin.core.models.organisation import COMMON_CURRENCIES, Organisation
from hoshin.improvement.models import DUE_DAYS, CauseCategory, CostItem, Nonconformity, Severity

PEOPLE_FIELDS = ("owner", "detected_by", "disposition_authorised_by", "containment_by")


class NonconformityForm(RecordForm):
    fieldsets = [
        (
            _("What happened"),
            [
                "title",
                "description",
                "source",
                "severity",
                "process",
                "site",
                "detected_by",
                "detected_on",
                "owner",
                "due_date",
            ],
        ),
        (
            _("Nonconforming output"),
            [
                "product_ref",
                "lot_ref",
                "quantity_checked",
                "quantity_nonconforming",
                "disposition",
                "disposition_authorised_by",
            ],
        ),
        (
            _("Containment and correction"),
            ["containment_action", "containment_by", "containment_on", "correction"],
        ),
        (
            _("Root cause"),
            [
                "why_1",
                "why_2",
                "why_3",
                "why_4",
                "why_5",
                "cause_category",
                "root_cause",
                *[f"fishbone_{c}" for c in CauseCategory.values],
            ],
        ),
        (
            _("Effectiveness verification"),
            [
                "verification_method",
                "verification_due",
                "verification_result",
                "verification_notes",
            ],
        ),
        (None, ["version", "reason"]),
    ]

    class Meta:
        model = Nonconformity
        fields = [
            "title",
            "description",
            "source",
            "severity",
            "process",
            "site",
            "owner",
            "due_date",
            "detected_by",
            "detected_on",
            "product_ref",
            "lot_ref",
            "quantity_checked",
            "quantity_nonconforming",
            "disposition",
            "disposition_authorised_by",
            "containment_action",
            "containment_by",
            "containment_on",
            "correction",
            "cause_category",
            "root_cause",
            "verification_method",
            "verification_due",
            "verification_result",
            "verification_notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "containment_action": forms.Textarea(attrs={"rows": 2}),
            "correction": forms.Textarea(attrs={"rows": 2}),
            "root_cause": forms.Textarea(attrs={"rows": 2}),
            "verification_method": forms.Textarea(attrs={"rows": 2}),
            "verification_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        whys = list(self.instance.whys or []) + [""] * 5
        for i in range(5):
            self.fields[f"why_{i + 1}"] = forms.CharField(
                label=_("Why %(n)d?") % {"n": i + 1},
                required=False,
                max_length=500,
                initial=whys[i],
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
        notes = self.instance.fishbone or {}
        for value, label in CauseCategory.choices:
            self.fields[f"fishbone_{value}"] = forms.CharField(
                label=_("Fishbone: %(cat)s") % {"cat": label},
                required=False,
                max_length=1000,
                initial=notes.get(value, ""),
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control"}),
            )
        for name in PEOPLE_FIELDS:
            self.fields[name].queryset = people()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contained_on, detected_on = data.get("containment_on"), data.get("detected_on")
        if contained_on and detected_on and contained_on < detected_on:
            self.add_error("containment_on", _("Containment cannot come before detection."))
        whys = [data.get(f"why_{i}", "").strip() for i in range(1, 6)]
        while whys and not whys[-1]:
            whys.pop()
        if "" in whys:
            self.add_error(f"why_{whys.index('') + 1}", _("Fill the whys in order, without gaps."))
        self.instance.whys = whys
        self.instance.fishbone = {
            c: data.get(f"fishbone_{c}", "").strip()
            for c in CauseCategory.values
            if data.get(f"fishbone_{c}", "").strip()
        }
        return data


class ReportForm(RecordForm):
    """The one-minute form any employee uses to raise a nonconformity."""

    class Meta:
        model = Nonconformity
        fields = [
            "title",
            "description",
            "source",
            "severity",
            "process",
            "site",
            "product_ref",
            "lot_ref",
            "quantity_nonconforming",
            "detected_on",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["detected_on"].initial = timezone.localdate()
        self.fields["source"].initial = "employee_report"
        if self.user is not None and getattr(self.user, "site_id", None):
            self.fields["site"].initial = self.user.site_id

    def clean_detected_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["detected_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The detection date cannot be in the future."))
        return value

    def save(self, commit: bool = True) -> Any:
        nc: Nonconformity = super().save(commit=False)
        nc.detected_by = self.user
        nc.owner = default_owner(nc, self.user)
        nc.due_date = nc.detected_on + datetime.timedelta(days=DUE_DAYS[Severity(nc.severity)])
        if commit:
            nc.save()
        return nc


def default_owner(nc: Nonconformity, reporter: Any) -> Any:
    """The process owner handles it; without a process, a quality manager does."""
    if nc.process_id is not None:
        return nc.process.owner  # type: ignore[union-attr]
    manager = User.objects.filter(groups__name=roles.QUALITY_MANAGER, is_active=True).first()
    return manager or reporter


class CostForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = CostItem
        fields = ["category", "description", "amount", "currency", "incurred_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        base = Organisation.current().base_currency
        codes = [base, *[c for c in COMMON_CURRENCIES if c != base]]
        self.fields["currency"] = forms.ChoiceField(
            label=_("Currency"), choices=[(c, c) for c in codes], initial=base
        )
        self.fields["incurred_on"].initial = timezone.localdate()
        self._style()
