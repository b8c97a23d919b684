"""The form renderer: Django's, with the hot widget templates flattened.

Django renders every ``<option>``, checkbox and attribute list of a widget through an
``{% include %}`` of its own; a register's filter form has about a hundred of them, which
cost half of a list page. The templates in ``form_templates/`` inline those includes and
print exactly the same HTML (tests/test_form_renderer.py compares them with Django's).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

FLATTENED = Path(__file__).resolve().parent / "form_templates"
DJANGO_FORMS = Path(django.forms.__file__).resolve().parent / "templates"


class FlatWidgetsRenderer(DjangoTemplates):
    """Looks in ``form_templates/`` before Django's own widget templates."""

    @cached_property
    def engine(self) -> Any:
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [FLATTENED, DJANGO_FORMS],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
