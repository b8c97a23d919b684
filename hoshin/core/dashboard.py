"""What the apps put on the home page: panels and shortcuts.

Each app contributes from its ``AppConfig.ready()`` (calling ``register_panel`` and
``register_shortcut``), so the home page knows no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class Shortcut:
    """A button at the top of the home page for something done often (report a
    nonconformity), shown to whoever may record things."""

    label: str | Promise
    url_name: str
    order: int = 100


panels: list[Panel] = []
shortcuts: list[Shortcut] = []


def register_panel(panel: Panel) -> Panel:
    """Add a panel (once: a panel with the same template is replaced)."""
    panels[:] = sorted(
        [p for p in panels if p.template != panel.template] + [panel], key=lambda p: p.order
    )
    return panel


def register_shortcut(shortcut: Shortcut) -> Shortcut:
    shortcuts[:] = sorted(
        [s for s in shortcuts if s.url_name != shortcut.url_name] + [shortcut],
        key=lambda s: s.order,
    )
    return shortcut
