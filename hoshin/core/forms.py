"""Form bases shared by every register."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.core import guards
from hoshin.core.files import check_upload
from hoshin.core.models import Action, ActionStatus, User
from hoshin.core.registry import Fieldsets, field_names, model_fields
from hoshin.core.widgets import PersonSelect, PlainNumberInput


def people() -> models.QuerySet[User]:
    return (
        User.objects.filter(is_active=True)
        .select_related("department")  # named with their department (PersonSelect)
        .order_by("first_name", "last_name")
    )


def selectable(model: type[models.Model]) -> models.QuerySet[Any]:
    """What a form offers to choose: active people, or what the model says is current
    (its ``selectable()`` class method, e.g. active processes), else everything."""
    if issubclass(model, User):
        return people()
    chooser = getattr(model, "selectable", None)
    return chooser() if callable(chooser) else model._default_manager.all()


def widget_for(field: models.Field[Any, Any]) -> forms.Widget | None:
    """The widget a model field gets unless its register says otherwise."""
    if field.many_to_one and field.related_model is User:
        return PersonSelect()
    if field.many_to_many:
        return forms.SelectMultiple(attrs={"size": 5})
    if isinstance(field, models.DecimalField):
        return PlainNumberInput()
    if isinstance(field, models.TextField) and not field.choices:
        return forms.Textarea(attrs={"rows": 3 if field.name == "description" else 2})
    return None


def form_for(
    model: type[models.Model],
    fieldsets: Fieldsets,
    base: type[Any] | None = None,
    *,
    edit: bool = False,
) -> type[RecordForm]:
    """A register's form, derived from its fieldsets: model fields with their widgets,
    plus whatever ``base`` declares (extra fields, rules, widget overrides)."""
    base = base or RecordForm
    names = model_fields(model, field_names(fieldsets))
    widgets = {n: w for n in names if (w := widget_for(model._meta.get_field(n))) is not None}  # type: ignore[arg-type]
    base_meta = getattr(base, "Meta", None)
    widgets |= getattr(base_meta, "widgets", {})
    classes = guarded_relations(model, names) | getattr(base_meta, "field_classes", {})
    meta = type(
        "Meta",
        (),
        {"model": model, "fields": names, "widgets": widgets, "field_classes": classes},
    )
    sections = [*fieldsets, (None, ["version", "reason"])] if edit else list(fieldsets)
    name = f"{model.__name__}{'' if edit else 'Create'}Form"
    return type(name, (base,), {"Meta": meta, "fieldsets": sections, "__module__": base.__module__})


def step_form_for(
    model: type[models.Model], names: Sequence[str], base: type[Any] | None = None
) -> type[StepForm]:
    """The form of a workflow step: the fields it carries (``Transition.step_fields``),
    with the widgets and form fields the register's edit form gives them (``base``)."""
    base_meta = getattr(base, "Meta", None)
    fields = list(names)
    widgets = {n: w for n in fields if (w := widget_for(model._meta.get_field(n))) is not None}  # type: ignore[arg-type]
    widgets |= {n: w for n, w in getattr(base_meta, "widgets", {}).items() if n in fields}
    classes = guarded_relations(model, fields)
    classes |= {n: c for n, c in getattr(base_meta, "field_classes", {}).items() if n in fields}
    meta = type(
        "Meta",
        (),
        {"model": model, "fields": fields, "widgets": widgets, "field_classes": classes},
    )
    attrs = {"Meta": meta, "__module__": __name__}
    if (shape := getattr(base, "shape_fields", None)) is not None:
        attrs["shape_fields"] = staticmethod(shape)
    return type(f"{model.__name__}StepForm", (StepForm,), attrs)


def guarded_relations(model: type[models.Model], names: list[str]) -> dict[str, type]:
    """Relation fields whose posted ids are checked to fit a 64-bit column first."""
    classes: dict[str, type] = {}
    for name in names:
        field = model._meta.get_field(name)
        if field.many_to_many:
            classes[name] = guards.ModelMultipleChoiceField
        elif field.many_to_one:
            classes[name] = guards.ModelChoiceField
    return classes


class BootstrapMixin:
    """Adds Bootstrap classes so templates render fields with ``{{ field }}``."""

    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            # Native pickers (ModelForm only honours formfield_callback inside Meta).
            if isinstance(field, forms.DateTimeField) and type(widget) is forms.DateTimeInput:
                widget.input_type, widget.format = "datetime-local", "%Y-%m-%dT%H:%M"
            elif isinstance(field, forms.DateField) and type(widget) is forms.DateInput:
                widget.input_type, widget.format = "date", "%Y-%m-%d"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._style_errors()

    def _style_errors(self) -> None:
        for name in self.errors:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is not None:
                attrs = field.widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"  # type: ignore[index]


class RecordForm(BootstrapMixin, forms.ModelForm):
    """Edit form of a record: carries the version it was read at and a reason for change.

    Registers do not subclass this for their fields: ``form_for`` derives each register's
    form from its fieldsets; a register's ``form_base`` adds only extra fields and rules.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason for change"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("Why this change? (kept in the trail)")}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["reason"]
            del self.fields["version"]
            if "owner" in self.fields and user is not None and not self.is_bound:
                self.fields["owner"].initial = user.pk
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                model = field.queryset.model  # type: ignore[union-attr]
                offered = selectable(model)
                current = self._current(name)
                if current:  # a retired process stays on the records that name it
                    offered = offered | model._default_manager.filter(pk__in=current)
                field.queryset = offered
        self._style()

    def _current(self, name: str) -> list[Any]:
        """The ids a saved record holds in a relation field of the form."""
        if not self.instance.pk or name not in {f.name for f in self.instance._meta.get_fields()}:
            return []
        field = self.instance._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(self.instance, name).values_list("pk", flat=True))
        value = getattr(self.instance, getattr(field, "attname", name), None)
        return [] if value is None else [value]

    def save(self, commit: bool = True) -> Any:
        instance = super().save(commit=False)
        if "version" in self.cleaned_data and self.cleaned_data["version"] is not None:
            # Compare with what the editor saw, not with what was reloaded on submit.
            instance.version = self.cleaned_data["version"]
        if commit:
            before = self._m2m_values(instance) if instance.pk else {}
            instance.save(reason=self.cleaned_data.get("reason", ""))
            self.save_m2m()
            self._trail_m2m(instance, before)
        return instance

    def _m2m_names(self) -> list[str]:
        return [f.name for f in self.instance._meta.many_to_many if f.name in self.fields]

    def _m2m_values(self, instance: Any) -> dict[str, list[str]]:
        from hoshin.core.trail import m2m_values

        return m2m_values(instance, self._m2m_names())

    def _trail_m2m(self, instance: Any, before: dict[str, list[str]]) -> None:
        from hoshin.core.trail import append_m2m_changes

        append_m2m_changes(
            instance, before, self._m2m_values(instance), self.cleaned_data.get("reason", "")
        )


class StepForm(BootstrapMixin, forms.ModelForm):
    """The fields a workflow step carries, set by the person taking it (prefixed by the
    step's name: several steps are offered on one page). The step's requirements and
    checks are the workflow's; the form only converts and checks each value."""

    # The register's own reshaping of fields, as its edit form does it (``form_base``).
    shape_fields: Any = None

    def __init__(self, *args: Any, required: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.omitted: set[str] = set()
        if self.shape_fields is not None:
            self.shape_fields(self)
        if self.is_bound:
            # A field the request does not carry keeps its stored value, as through the API
            # (the page always sends every field of the step; a script may send fewer).
            # Disabled, such a field is neither checked nor set; shown again if refused.
            for name, field in self.fields.items():
                widget = field.widget
                if widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name)):
                    field.disabled = True
                    self.omitted.add(name)
        for name, field in self.fields.items():
            # Marked, not enforced here: the workflow says what is missing, all at once.
            field.step_required = name in required  # type: ignore[attr-defined]
            if isinstance(field, forms.ModelChoiceField):
                model = field.queryset.model  # type: ignore[union-attr]
                value = getattr(self.instance, f"{name}_id", None)
                offered = selectable(model)
                if value is not None:
                    offered = offered | model._default_manager.filter(pk=value)
                field.queryset = offered
        self._style()

    def _update_errors(self, errors: Any) -> None:
        # The model's rules may name a field the step does not carry: said for the form.
        if hasattr(errors, "error_dict"):
            for name in list(errors.error_dict):
                if name not in self.fields and name != "__all__":
                    errors.error_dict.setdefault("__all__", []).extend(errors.error_dict.pop(name))
        super()._update_errors(errors)  # type: ignore[misc]

    def mark(self, problems: dict[str, list[str]]) -> None:
        """Show the workflow's refusals at the fields they are about."""
        for name in self.omitted:
            self.fields[name].disabled = False
        if self._errors is None:  # type: ignore[attr-defined]
            return
        for name, messages in problems.items():
            if name in self.fields:
                for message in messages:
                    if message not in self.errors.get(name, []):
                        self.add_error(name, message)
        self._style_errors()

    def values(self) -> dict[str, Any]:
        """The converted values, for ``Workflow.perform``."""
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name in self.cleaned_data and name not in self.omitted
        }


class TransitionForm(BootstrapMixin, forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    password = forms.CharField(
        label=_("Your password (to sign)"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class VoidForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for voiding"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class CommentForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload


class ActionForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = ["description", "owner", "due_date", "status", "evidence", "completed_on"]
        field_classes = {"owner": guards.ModelChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "owner": PersonSelect(),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ActionStatus.DONE:
            if not (data.get("evidence") or "").strip():
                self.add_error("evidence", _("Say what shows the action was done."))
            if not data.get("completed_on"):
                data["completed_on"] = timezone.localdate()
        if data.get("version") is not None:
            self.instance.version = data["version"]
        return data
