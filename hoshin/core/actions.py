"""Actions on any record (corrective actions of a nonconformity, treatment actions of a
risk): one form, one set of rules, for every register that has them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoshin.core import permissions
from hoshin.core.forms import ActionForm
from hoshin.core.models import Action, StaleRecordError
from hoshin.core.registry import registry

# What an action is called on each register's pages.
NAMES = {
    "corrective": (
        gettext_lazy("New corrective action"),
        gettext_lazy("Update corrective action"),
        gettext_lazy("Corrective action saved."),
    ),
    "treatment": (
        gettext_lazy("New treatment action"),
        gettext_lazy("Update treatment action"),
        gettext_lazy("Treatment action saved."),
    ),
}
DEFAULT_NAMES = (
    gettext_lazy("New action"),
    gettext_lazy("Update action"),
    gettext_lazy("Action saved."),
)


def can_update(user: Any, record: Any, action: Action | None) -> bool:
    """Whoever may edit the record; and an action's own owner, while the record is open."""
    if permissions.can_edit(user, record):
        return True
    return (
        action is not None
        and action.owner_id == user.pk
        and not user.is_read_only
        and record.status not in record.final_states()
    )


@login_required
def action_form(
    request: HttpRequest, register: str, pk: int, action_id: int | None = None
) -> HttpResponse:
    try:
        rt = registry.get(register)
    except KeyError:
        raise Http404 from None
    if not rt.action_kind:
        raise Http404
    record = permissions.visible_or_404(rt.queryset(), request.user, pk=pk)
    action = None
    if action_id is not None:
        action = get_object_or_404(Action.objects.for_record(record), pk=action_id)
    if not can_update(request.user, record, action):
        raise PermissionDenied
    initial = {} if action else {"owner": record.owner_id, "due_date": record.due_date}
    form = ActionForm(request.POST or None, instance=action, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            item = form.save(commit=False)
            if action is None:
                item.link_to(record)
                item.kind = rt.action_kind
            try:
                with transaction.atomic():
                    item.save()
            except StaleRecordError as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, str(NAMES.get(rt.action_kind, DEFAULT_NAMES)[2]))
                return redirect(f"{rt.slug}_detail", pk=record.pk)
    context = {
        "rt": rt,
        "record": record,
        "form": form,
        "crumb": _("Update action") if action else _("New action"),
        "heading": NAMES.get(rt.action_kind, DEFAULT_NAMES)[1 if action else 0],
    }
    return render(request, "core/child_form.html", context, status=status)
