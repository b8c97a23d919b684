"""Dashboard panels: each app contributes panels without the home page knowing the apps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100


panels: list[Panel] = []


def register_panel(panel: Panel) -> Panel:
    panels.append(panel)
    panels.sort(key=lambda p: p.order)
    return panel
