"""The home page: my open items and approvals, overdue counts, and the apps' panels."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hoshin.core import permissions
from hoshin.core.dashboard import panels
from hoshin.core.models import Action, ActionStatus
from hoshin.core.registry import registry


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not permissions.has_any_role(user):
        return render(request, "core/no_role.html", status=403)
    my_records = []
    approvals = []
    overdue = []
    for rt in registry:
        final = rt.workflow.final_states
        manager: Any = rt.model._default_manager
        visible = manager.visible_to(user)
        open_ = visible.exclude(status__in=final)
        mine = list(open_.filter(owner=user).order_by("due_date", "pk")[:20])
        my_records += [(rt, r) for r in mine]
        signing_states = {
            s
            for t in rt.workflow.transitions
            if t.signature and user.roles & t.roles
            for s in t.sources
        }
        if signing_states:
            waiting = open_.filter(status__in=signing_states).exclude(owner=user)
            approvals += [(rt, r) for r in waiting.order_by("due_date", "pk")[:20]]
        overdue.append((rt, open_.overdue().count(), open_.count()))
    my_actions = (
        Action.objects.filter(owner=user, status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
        .select_related("content_type")
        .order_by("due_date")[:20]
    )
    context = {
        "my_records": my_records,
        "approvals": approvals,
        "overdue": overdue,
        "my_actions": my_actions,
        "panels": [(p.template, p.context(request)) for p in panels],
    }
    return render(request, "core/home.html", context)
