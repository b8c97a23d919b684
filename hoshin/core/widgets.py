"""Widgets that read well: people named with their job and department, several choices
as ticks. Each works without JavaScript; hoshin/static/pickers.js adds searching as
you type."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


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


class Checkboxes(forms.CheckboxSelectMultiple):
    """Several choices as ticks (no Ctrl-click list box); a long list scrolls, and the
    page's script adds a box that narrows it as you type."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__({"class": "form-check-input", **(attrs or {})}, choices)
