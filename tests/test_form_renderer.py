"""The flattened widget templates print exactly what Django's own templates print."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from hoshin.core.forms_renderer import FlatWidgetsRenderer

CHOICES = [("", "---------"), ("a", "Alpha & <b>"), (2, "Two"), ("x", "Ex")]
GROUPED = [("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C")]


class Sample(forms.Form):
    select = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED)
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    boxes = forms.MultipleChoiceField(
        choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple, required=False
    )
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect)
    text = forms.CharField(
        widget=forms.TextInput(attrs={"class": "form-control", "autofocus": True}),
        max_length=20,
    )
    number = forms.IntegerField(required=False, disabled=True)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    agree = forms.BooleanField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


DATA = [
    {},
    {
        "select": "a",
        "grouped": "b",
        "many": ["a", "x"],
        "boxes": ["2"],
        "radio": "x",
        "text": 'quote " & <tag>',
        "number": "5",
        "when": datetime.date(2026, 1, 2).isoformat(),
        "agree": "on",
        "hidden": "h",
    },
]


def renders(renderer: object, data: dict[str, object]) -> list[str]:
    form = Sample(data or None, renderer=renderer)
    html = [str(field) for field in form]
    html += [box.tag() for box in form["boxes"]] + [box.tag() for box in form["radio"]]
    html += [str(box) for box in form["boxes"]]
    return html


@pytest.mark.parametrize("data", DATA)
def test_flattened_widgets_render_the_same_html_as_djangos_templates(
    data: dict[str, object],
) -> None:
    flat = renders(FlatWidgetsRenderer(), data)
    assert "<option" in flat[0] and "<optgroup" in flat[1] and 'type="checkbox"' in flat[3]
    assert flat == renders(DjangoTemplates(), data)


def test_forms_use_the_flattened_widget_renderer_by_default() -> None:
    assert isinstance(get_default_renderer(), FlatWidgetsRenderer)
