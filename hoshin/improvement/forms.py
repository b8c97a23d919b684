from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from hoshin.core.forms import BootstrapMixin, RecordForm
from hoshin.core.models.organisation import COMMON_CURRENCIES, Organisation
from hoshin.improvement.fishbone import fishbone_svg
from hoshin.improvement.models import CauseCategory, CostItem

WHYS = 5


class WhyLadder(forms.Widget):
    """The whys as a ladder: each rung asks why the answer above it happened. Without a
    script every rung shows; with one (hoshin.js), the next appears once one is answered
    and its question quotes that answer."""

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = [value]
        return [str(v) for v in (value or []) if v is not None][:WHYS]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}_{i}", "")) for i in range(WHYS)]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}_{i}" in data for i in range(WHYS))

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else id_

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        whys = self.format_value(value) + [""] * WHYS
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.get("id", f"id_{name}")
        css = attrs.get("class", "form-control")
        rungs = []
        for i in range(WHYS):
            previous = whys[i - 1].strip() if i else ""
            prompt: str
            if i == 0:
                prompt = str(_("Why did it happen?"))
            elif previous:
                prompt = _("Why did “%(previous)s” happen?") % {"previous": previous}
            else:
                prompt = str(_("Why? (answer the one above first)"))
            rungs.append(
                format_html(
                    '<li class="why-rung mb-2"><label class="form-label small why-prompt" '
                    'for="{id}">{prompt}</label><input type="text" class="{css}" name="{name}" '
                    'id="{id}" value="{value}" maxlength="500"{invalid}></li>',
                    id=f"{base_id}_{i}",
                    prompt=prompt,
                    css=css,
                    name=f"{name}_{i}",
                    value=whys[i],
                    invalid=mark_safe(' aria-invalid="true"') if attrs.get("aria-invalid") else "",
                )
            )
        return format_html(
            '<ol class="why-ladder list-unstyled mb-0" data-first="{first}" data-prompt="{again}" '
            'data-empty="{empty}">{rungs}</ol>',
            first=_("Why did it happen?"),
            again=_("Why did “%(previous)s” happen?"),
            empty=_("Why? (answer the one above first)"),
            rungs=mark_safe("".join(rungs)),  # noqa: S308  (each rung built by format_html)
        )


class WhyLadderField(forms.Field):
    """Up to five whys, in order: each answers the one before."""

    widget = WhyLadder

    def __init__(self, **kwargs: Any) -> None:
        for model_only in ("encoder", "decoder", "max_length"):
            kwargs.pop(model_only, None)
        kwargs.setdefault("label", _("5 whys"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        whys = [str(w).strip() for w in (WhyLadder().format_value(value) or [])]
        while whys and not whys[-1]:
            whys.pop()
        return whys

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if "" in value:
            raise ValidationError(
                _("Answer the whys in order: why %(n)d is empty.") % {"n": value.index("") + 1}
            )
        if any(len(w) > 500 for w in value):
            raise ValidationError(_("Each answer can have at most 500 characters."))

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial) != self.to_python(data)


class FishboneWidget(forms.Widget):
    """The fishbone drawn as a diagram, and under it its six bones to write causes on,
    one a line, laid out as in the diagram (three above the spine, three below)."""

    def format_value(self, value: Any) -> dict[str, str]:  # type: ignore[override]
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = {}
        return {str(k): str(v) for k, v in (value or {}).items()} if isinstance(value, dict) else {}

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {c: str(data.get(f"{name}_{c}", "")) for c in CauseCategory.values}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}_{c}" in data for c in CauseCategory.values)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_{CauseCategory.values[0]}" if id_ else id_

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        notes = self.format_value(value)
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.get("id", f"id_{name}")
        bones = [
            format_html(
                '<div class="col-12 col-md-4"><label class="form-label small fw-semibold" '
                'for="{id}">{label}</label><textarea class="form-control form-control-sm" '
                'name="{name}" id="{id}" rows="2" maxlength="1000" placeholder="{hint}">'
                "{value}</textarea></div>",
                id=f"{base_id}_{value_}",
                label=label,
                name=f"{name}_{value_}",
                hint=_("One cause a line"),
                value=notes.get(value_, ""),
            )
            for value_, label in CauseCategory.choices
        ]
        return format_html(
            '<div class="fishbone-editor">{svg}<div class="row g-2">{bones}</div></div>',
            svg=fishbone_svg(notes, effect=str(attrs.get("data-effect", ""))),
            bones=mark_safe("".join(bones)),  # noqa: S308  (each bone built by format_html)
        )


class FishboneField(forms.Field):
    """Causes by category of the fishbone: {category: causes, one a line}."""

    widget = FishboneWidget

    def __init__(self, **kwargs: Any) -> None:
        for model_only in ("encoder", "decoder", "max_length"):
            kwargs.pop(model_only, None)
        kwargs.setdefault("label", _("Fishbone"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dict[str, str]:
        notes = FishboneWidget().format_value(value)
        return {c: notes[c].strip() for c in CauseCategory.values if notes.get(c, "").strip()}

    def validate(self, value: dict[str, str]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if any(len(v) > 1000 for v in value.values()):
            raise ValidationError(_("Each bone can hold at most 1000 characters."))

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial) != self.to_python(data)


class NonconformityForm(RecordForm):
    """The 5 whys and the fishbone notes, edited as one field each."""

    class Meta:
        # Where the whys and the fishbone are fields of a form (a workflow step's).
        field_classes = {"whys": WhyLadderField, "fishbone": FishboneField}

    @staticmethod
    def shape_fields(form: forms.BaseForm) -> None:
        """The fishbone's head is the problem itself."""
        if "fishbone" in form.fields:
            title = getattr(getattr(form, "instance", None), "title", "")
            form.fields["fishbone"].widget.attrs["data-effect"] = title

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
