"""Load at start what every worker would otherwise load on its own first requests.

Run by gunicorn's ``when_ready`` hook (``hoshin/gunicorn_conf.py``) in the master process,
after the application is loaded (``preload_app``) and before the workers are forked: the compiled templates,
the URL patterns and views, the translation catalogues and the PDF library are then
shared by every worker instead of being built again in each, and ``gc.freeze()`` keeps the
garbage collector from touching (and so copying) those shared pages afterwards.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

log = logging.getLogger(__name__)


def template_names() -> list[str]:
    """Every template of the project and its apps (not those of third-party packages)."""
    from django.apps import apps

    engines: list[dict[str, Any]] = settings.TEMPLATES
    folders = [Path(d) for engine in engines for d in engine.get("DIRS", [])]
    folders += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if app.name.startswith("hoshin")
    ]
    names = []
    for folder in folders:
        if folder.is_dir():
            names += [p.relative_to(folder).as_posix() for p in folder.rglob("*.html")]
    return sorted(set(names))


def warm() -> None:
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  (imports every view module)
    resolver.reverse_dict  # noqa: B018
    for name in template_names():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):  # pragma: no cover - reported at use
            log.warning("template %s did not load", name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    import weasyprint  # noqa: F401  (tens of MB: loaded once, shared)

    gc.collect()
    gc.freeze()
