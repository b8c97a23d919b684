from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from hoshin.core import roles
from hoshin.core.permissions import has_any_role
from hoshin.core.registry import registry


def hoshin(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not has_any_role(user):
        return {"nav_registers": []}
    from hoshin.core.inbox import unread_count

    return {
        "show_api_link": user.is_superuser or bool(user.roles & roles.API_USERS),
        # One query: the bell's count of unread notifications whose record the person sees.
        "unread_notifications": unread_count(user),
        "nav_registers": [
            {"label": rt.nav_label or rt.label, "url": reverse(f"{rt.slug}_list"), "slug": rt.slug}
            for rt in registry
            if rt.nav
        ],
    }
