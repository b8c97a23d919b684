"""``{{ value|readable }}``: a value in words (see hoshin.core.display.readable)."""

from __future__ import annotations

from typing import Any

from django import template

from hoshin.core import display

register = template.Library()


@register.filter
def readable(value: Any) -> Any:
    return display.readable(value)
