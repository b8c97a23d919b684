"""Nonconformity pages beyond the generic ones: corrective actions, costs, the dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoshin.core import permissions
from hoshin.core.forms import VoidForm
from hoshin.core.money import Converter
from hoshin.core.registry import registry
from hoshin.improvement.forms import CostForm
from hoshin.improvement.models import CauseCategory, CostItem, Nonconformity


def nonconformity_context(request: HttpRequest, nc: Nonconformity) -> dict[str, Any]:
    converter = Converter()
    costs = list(nc.cost_lines())
    can_edit = permissions.can_edit(request.user, nc)
    # Loaded once for the page: the steps' checks (all actions done?) read them too.
    Nonconformity.load_actions([nc])
    actions = nc.action_list()
    return {
        "actions": [
            (a, can_edit or (a.owner_id == request.user.pk and nc.status not in nc.final_states()))
            for a in actions
        ],
        "costs": costs,
        "cost_total": nc.cost_total(converter, lines=costs),
        "base_currency": converter.base,
        "missing_rates": sorted(converter.missing({c.currency for c in costs})),
        "whys": nc.why_list(),
        "fishbone": [
            (label, (nc.fishbone or {}).get(value, ""), value == nc.cause_category)
            for value, label in CauseCategory.choices
        ],
        "can_edit_children": can_edit,
    }


def _nc(request: HttpRequest, pk: int) -> Nonconformity:
    nc: Nonconformity = permissions.visible_or_404(Nonconformity.objects, request.user, pk=pk)
    return nc


@login_required
def cost_add(request: HttpRequest, pk: int) -> HttpResponse:
    nc = _nc(request, pk)
    if not permissions.can_edit(request.user, nc):
        raise PermissionDenied
    form = CostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cost = form.save(commit=False)
        cost.nonconformity = nc
        cost.save()
        messages.success(request, _("Cost recorded."))
        return redirect("nonconformities_detail", pk=nc.pk)
    status = 400 if form.is_bound else 200
    context = {
        "rt": registry.for_model(Nonconformity),
        "record": nc,
        "form": form,
        "crumb": _("Add cost"),
        "heading": _("Add a cost of poor quality"),
    }
    return render(request, "core/child_form.html", context, status=status)


@login_required
@require_POST
def cost_void(request: HttpRequest, pk: int, cost_id: int) -> HttpResponse:
    nc = _nc(request, pk)
    if not permissions.can_edit(request.user, nc):
        raise PermissionDenied
    cost = get_object_or_404(
        CostItem.objects.filter(nonconformity=nc, voided_at__isnull=True), pk=cost_id
    )
    form = VoidForm(request.POST)
    if form.is_valid():
        cost.void(form.cleaned_data["reason"])
        messages.success(request, _("Cost line voided."))
    else:
        messages.error(request, _("Give a reason for voiding the cost line."))
    return redirect("nonconformities_detail", pk=nc.pk)
