"""Nonconformity pages beyond the generic ones: corrective actions, costs, the dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoshin.core import permissions
from hoshin.core.forms import VoidForm
from hoshin.core.models import Action, StaleRecordError
from hoshin.core.money import Converter
from hoshin.improvement.forms import ActionForm, CostForm
from hoshin.improvement.models import CauseCategory, CostItem, Nonconformity


def nonconformity_context(request: HttpRequest, nc: Nonconformity) -> dict[str, Any]:
    converter = Converter()
    costs = list(nc.cost_lines())
    can_edit = permissions.can_edit(request.user, nc)
    actions = list(nc.actions())
    return {
        "actions": [
            (a, can_edit or (a.owner_id == request.user.pk and nc.status not in nc.final_states()))
            for a in actions
        ],
        "action_form": ActionForm(initial={"owner": nc.owner_id, "due_date": nc.due_date}),
        "costs": costs,
        "cost_total": nc.cost_total(converter),
        "base_currency": converter.base,
        "missing_rates": sorted(converter.missing({c.currency for c in costs})),
        "cost_form": CostForm(),
        "whys": nc.why_list(),
        "fishbone": [
            (label, (nc.fishbone or {}).get(value, ""), value == nc.cause_category)
            for value, label in CauseCategory.choices
        ],
        "can_edit_children": can_edit,
    }


def _nc(request: HttpRequest, pk: int) -> Nonconformity:
    if not permissions.has_any_role(request.user):
        raise PermissionDenied
    return get_object_or_404(Nonconformity.objects.visible_to(request.user), pk=pk)


@login_required
def action_form(request: HttpRequest, pk: int, action_id: int | None = None) -> HttpResponse:
    nc = _nc(request, pk)
    action = None
    if action_id is not None:
        action = get_object_or_404(Action.objects.for_record(nc), pk=action_id)
    allowed = permissions.can_edit(request.user, nc) or (
        action is not None
        and action.owner_id == request.user.pk
        and not request.user.is_read_only
        and nc.status not in nc.final_states()
    )
    if not allowed:
        raise PermissionDenied
    initial = {} if action else {"owner": nc.owner_id, "due_date": nc.due_date}
    form = ActionForm(request.POST or None, instance=action, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            item = form.save(commit=False)
            if action is None:
                item.link_to(nc)
                item.kind = "corrective"
            try:
                with transaction.atomic():
                    item.save()
            except StaleRecordError as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, _("Corrective action saved."))
                return redirect("nonconformities_detail", pk=nc.pk)
    context = {
        "record": nc,
        "form": form,
        "crumb": _("Update action") if action else _("New action"),
        "heading": _("Update corrective action") if action else _("New corrective action"),
    }
    return render(request, "improvement/child_form.html", context, status=status)


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
        "record": nc,
        "form": form,
        "crumb": _("Add cost"),
        "heading": _("Add a cost of poor quality"),
    }
    return render(request, "improvement/child_form.html", context, status=status)


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
