"""Widgets that read well: people named with their job and department, several choices
as ticks. Each works without JavaScript; hoshin/static/pickers.js adds searching as
you type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hoshin.core import numbers


def person_label(person: Any) -> str:
    """ "Helen Fischer — Quality engineer, Quality (Galway)": who, what they do, where."""
    about = [str(x) for x in (person.job_title, person.department) if x]
    return f"{person} — {', '.join(about)}" if about else str(person)


class PersonSelect(forms.Select):
    """A choice of person whose options say their job title and department; the
    page's script adds a box that narrows the options as you type."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        hint = _("Type a name, job or department")
        super().__init__({"data-person-picker": hint, **(attrs or {})})

    def create_option(self, name: str, value: Any, label: Any, *args: Any, **kwargs: Any) -> Any:
        person = getattr(value, "instance", None)
        if person is not None:
            label = person_label(person)
        return super().create_option(name, value, label, *args, **kwargs)


class PlainNumberInput(forms.NumberInput):
    """A number as it was entered (2, not the column's 2.000000)."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            return numbers.plain(value)
        return super().format_value(value)


class Checkboxes(forms.CheckboxSelectMultiple):
    """Several choices as ticks (no Ctrl-click list box); a long list scrolls, and the
    page's script adds a box that narrows it as you type."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__({"class": "form-check-input", **(attrs or {})}, choices)


class PeopleInOrder(forms.SelectMultiple):
    """Several people in an order: one picker per position, all posting under the field's
    name. A browser sends a list box's choices in the list's order, whatever order they were
    picked in; separate pickers are sent in the order of the page, so the order chosen is the
    order posted, without JavaScript. The page's script shows one empty position at a time.
    """

    template_name = "core/widgets/people_in_order.html"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        positions: int = 4,
        position_label: Any = None,
    ) -> None:
        super().__init__(attrs)
        self.positions = positions
        self.position_label = position_label or _("Person %(n)s")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = [v for v in context["widget"]["value"] if v]
        options = [("", "—"), *self.choices]  # read the people once for every position
        base_id = (attrs or {}).get("id") or self.attrs.get("id")
        slots = []
        for i in range(max(self.positions, len(chosen) + 1)):
            picker = PersonSelect({**self.attrs})
            picker.choices = options
            picker_attrs = {**(attrs or {}), "aria-label": self.position_label % {"n": i + 1}}
            if base_id:
                picker_attrs["id"] = f"{base_id}_{i}"
            slot = picker.get_context(name, chosen[i] if i < len(chosen) else "", picker_attrs)
            slots.append({"number": i + 1, "widget": slot["widget"]})
        context["widget"]["slots"] = slots
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [v for v in super().value_from_datadict(data, files, name) or [] if v]

    def id_for_label(self, id_: str, index: str = "0") -> str:
        return f"{id_}_{index}" if id_ else id_
