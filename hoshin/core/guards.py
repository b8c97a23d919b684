"""Guards on input that would otherwise fail deep inside Python or the database.

Each guard turns such input into an ordinary refusal (a form error, a 400) at the edge:
JSON nested too deep for Python's recursion limit, text no database can store (a lone
surrogate), numbers no column can hold, and ids above 2**63 that SQLite cannot even
compare (Django catches them for ``=`` but not for ``IN``, which every multi-select
uses).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Deeper than any value Hoshin stores (a nonconformity's fishbone is 2 levels in a body).
MAX_JSON_DEPTH = 32
# The range of a 64-bit integer column: every id is one.
ID_MIN, ID_MAX = -(2**63), 2**63 - 1


def json_problem(value: Any, depth: int = 1) -> str | None:
    """Why a parsed JSON value cannot be taken, or None. ``depth`` is the value's own.

    Walked with a stack, not recursion: the value may be as deep as the parser allowed.
    """
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            if level > MAX_JSON_DEPTH:
                return _("The JSON is nested more than %(n)d levels deep.") % {"n": MAX_JSON_DEPTH}
            children: Iterable[Any] = item
            if isinstance(item, dict):
                children = [*item.keys(), *item.values()]
            stack.extend((child, level + 1) for child in children)
        elif isinstance(item, str):
            if not text_is_valid(item):
                return _(
                    "The text holds a lone surrogate (a \\ud800-\\udfff escape without its "
                    "pair), which is not valid Unicode."
                )
        elif isinstance(item, float) and not math.isfinite(item):
            return _("A number is too large.")
    return None


def too_deep() -> str:
    return _("The JSON is nested too deep: at most %(n)d levels.") % {"n": MAX_JSON_DEPTH}


def text_is_valid(text: str) -> bool:
    """True unless ``text`` holds a lone surrogate, which UTF-8 (and so every database
    and every response) cannot encode."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def id_fits(value: Any) -> bool:
    """False for a whole number no 64-bit column holds; anything else is left to the field
    (which refuses what is not a number at all)."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        number = value
    else:
        try:
            number = int(str(value).strip())
        except (ValueError, TypeError):
            return True
    return ID_MIN <= number <= ID_MAX


class IdChoiceMixin:
    """For a relation chosen by id: an id out of range is not a valid choice."""

    empty_values: Any
    error_messages: dict[str, Any]

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not id_fits(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)  # type: ignore[misc]


class IdMultipleChoiceMixin:
    """For several relations chosen by id: an id out of range is not a valid choice."""

    error_messages: dict[str, Any]

    def _check_values(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            for pk in value:
                if not id_fits(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)  # type: ignore[misc]


class ModelChoiceField(IdChoiceMixin, forms.ModelChoiceField):
    pass


class ModelMultipleChoiceField(IdMultipleChoiceMixin, forms.ModelMultipleChoiceField):
    pass
