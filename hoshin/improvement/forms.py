from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.core.forms import BootstrapMixin, RecordForm
from hoshin.core.models.organisation import COMMON_CURRENCIES, Organisation
from hoshin.improvement.models import CauseCategory, CostItem


class NonconformityForm(RecordForm):
    """The 5 whys and the fishbone notes, edited as one field each."""

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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
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
    """Offers today, an employee report and the reporter's site."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["detected_on"].initial = timezone.localdate()
        self.fields["source"].initial = "employee_report"
        if self.user is not None and getattr(self.user, "site_id", None):
            self.fields["site"].initial = self.user.site_id


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
