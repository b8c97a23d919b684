"""The home page: my open items and approvals, overdue counts, and the apps' panels."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hoshin.core import dashboard, permissions, roles, signoff, tally
from hoshin.core.models import Action, ActionStatus
from hoshin.core.models.journal import linked_records
from hoshin.core.registry import registry


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not permissions.has_any_role(user):
        return render(request, "core/no_role.html", status=403)
    my_records = []
    approvals = []
    overdue = []
    today = timezone.localdate()
    # Oversight roles see every record: their figures come from the tallies kept current
    # on every save (one query for all registers); anyone else counts what they may see.
    sees_all = bool(user.roles & roles.SEE_ALL)
    tallied = tally.open_counts([rt.model for rt in registry], today) if sees_all else {}
    for rt in registry:
        final = rt.workflow.final_states
        manager: Any = rt.model._default_manager
        visible = manager.visible_to(user)
        # status IN (open states) reads the status index; NOT IN (final) scans the table.
        open_ = visible.filter(
            status__in=[s.name for s in rt.workflow.states if s.name not in final]
        )
        steady = [s.name for s in rt.workflow.states if s.steady]
        to_do = open_.filter(owner=user).exclude(Q(status__in=steady) & ~Q(due_date__lt=today))
        mine = list(to_do.order_by("due_date", "pk")[:20])
        my_records += [(rt, r) for r in mine]
        signing_states = {
            s
            for t in rt.workflow.transitions
            if t.signature and t.awaited and user.roles & t.roles
            for s in t.sources
        }
        if signing_states:
            waiting = open_.filter(status__in=signing_states).exclude(owner=user)
            approvals += [(rt, r) for r in waiting.order_by("due_date", "pk")[:20]]
        if sees_all:
            late, total = tallied[rt.model]
        else:
            counts = open_.filter(voided_at__isnull=True).aggregate(
                late=Count("pk", filter=Q(due_date__lt=today)), total=Count("pk")
            )
            late, total = counts["late"], counts["total"]
        overdue.append((rt, late, total))
    my_actions = (
        Action.objects.filter(owner=user, status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
        .select_related("content_type")
        .order_by("due_date")[:20]
    )
    steps = list(signoff.awaiting(user)[:20])
    linked = linked_records(steps)
    context = {
        "sign_offs": [
            (s, linked[(s.content_type_id, s.object_id)])
            for s in steps
            if (s.content_type_id, s.object_id) in linked
        ],
        "waiting_count": len(steps) + len(approvals),
        "my_records": my_records,
        "approvals": approvals,
        "overdue": overdue,
        "my_actions": my_actions,
        "panels": [(p.template, p.context(request)) for p in dashboard.panels],
        "shortcuts": dashboard.shortcuts,
    }
    return render(request, "core/home.html", context)
