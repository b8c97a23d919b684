"""The inbox page, marking read, following a record, and the "remind" button.

Each view acts for the signed-in person only: their own notifications, records they may
see, reminders only to people the record is waiting on.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoshin.core import inbox, permissions, roles, signoff
from hoshin.core.models import InboxPreference, ReadRequest, User
from hoshin.core.models.journal import linked_records
from hoshin.core.registry import registry

PAGE_SIZE = 25


def _person(request: HttpRequest) -> User:
    permissions.require_role(request.user)
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    show = "all" if request.GET.get("show") == "all" else "unread"
    items = inbox.for_person(user).select_related("actor").order_by("-created_at", "-id")
    if show == "unread":
        items = items.filter(read_at__isnull=True)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    records = linked_records(page.object_list)
    rows = [(n, records.get((n.content_type_id, n.object_id))) for n in page.object_list]
    return render(
        request,
        "core/inbox.html",
        {
            "page": page,
            "rows": [(n, r, inbox.record_url(r) if r is not None else "") for n, r in rows],
            "show": show,
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    if request.POST.get("all"):
        inbox.mark_read(user)
    else:
        try:
            ids = [int(i) for i in request.POST.getlist("id")]
        except ValueError:
            ids = []
        # Only the person's own: someone else's id marks nothing.
        inbox.mark_read(user, [i for i in ids if 0 < i < 2**63])
    return _back(request, "inbox")


def _record(request: HttpRequest, register: str, pk: int) -> Any:
    try:
        rt = registry.get(register)
    except KeyError:
        raise Http404 from None
    return permissions.visible_or_404(rt.queryset(), request.user, pk=pk)


@login_required
@require_POST
def follow(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    user = _person(request)
    record = _record(request, register, pk)
    following = request.POST.get("following") == "1"
    inbox.set_following(user, record, following)
    if following:
        messages.success(request, _("You follow %(ref)s now.") % {"ref": record.reference})
    else:
        messages.success(request, _("You no longer follow %(ref)s.") % {"ref": record.reference})
    return redirect(f"{register}_detail", pk=record.pk)


def may_remind(user: User, record: Any) -> bool:
    """The record's owner and quality managers chase the people it waits on."""
    if not permissions.has_any_role(user) or user.is_read_only:
        return False
    return getattr(record, "owner_id", None) == user.pk or bool(user.roles & roles.EDIT_ALL)


def waiting_on(target: models.Model, person: User) -> str:
    """What ``target`` waits for from ``person`` ("read", "sign"), or "" for nothing."""
    asked = ReadRequest.objects.for_record(target).filter(
        person=person, acknowledged_at__isnull=True
    )
    if asked.exists() and getattr(target, "reading_open", True):
        return "read"
    ct = ContentType.objects.get_for_model(type(target))
    if signoff.awaiting(person).filter(content_type=ct, object_id=target.pk).exists():
        return "sign"
    return ""


@login_required
@require_POST
def remind(request: HttpRequest, ct: int, pk: int, person: int) -> HttpResponse:
    user = _person(request)
    if max(ct, pk, person) >= 2**63:  # no 64-bit column holds it
        raise Http404
    try:
        model = ContentType.objects.get_for_id(ct).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model is None:
        raise Http404
    target = get_object_or_404(model._default_manager, pk=pk)
    record = inbox.top(target)
    if not permissions.can_view(user, record):
        raise Http404
    if not may_remind(user, record):
        raise PermissionDenied(_("Only the owner or a quality manager may send reminders."))
    someone = get_object_or_404(User, pk=person)
    what = waiting_on(target, someone)
    if not what:
        messages.error(request, _("%(who)s owes nothing here.") % {"who": someone})
        return _back(request, inbox.record_url(record))
    ref = getattr(target, "reference", "") or getattr(record, "reference", "")
    if what == "read":
        text = _("%(who)s reminds you to read and confirm %(ref)s.") % {"who": user, "ref": ref}
    else:
        text = _("%(who)s reminds you that your signature is awaited on %(ref)s.") % {
            "who": user,
            "ref": ref,
        }
    try:
        with transaction.atomic():
            inbox.remind(record, someone, by=user, what=text)
    except inbox.TooSoon as exc:
        messages.warning(request, str(exc))
        return _back(request, inbox.record_url(record))
    messages.success(request, _("%(who)s was reminded.") % {"who": someone})
    return _back(request, inbox.record_url(record))


def assigned_panel(request: HttpRequest) -> dict[str, Any]:
    """The home page's "asked of me": assignments whose record still waits for the person."""
    return {"items": [(n, r, inbox.record_url(r)) for n, r in inbox.waiting_for(request.user)]}


class DigestForm(forms.ModelForm):
    class Meta:
        model = InboxPreference
        fields = ["digest"]
        widgets = {"digest": forms.Select(attrs={"class": "form-select"})}


def preference_of(user: Any) -> InboxPreference:
    found = InboxPreference.objects.filter(person=user).first()
    return found or InboxPreference(person=user)


@login_required
@require_POST
def my_digest(request: HttpRequest) -> HttpResponse:
    """Choose no, a daily or a weekly digest of one's unread notifications."""
    user = _person(request)
    form = DigestForm(request.POST, instance=preference_of(user))
    if form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved."))
    else:
        messages.error(request, _("Choose no digest, a daily or a weekly one."))
    return redirect("my_settings")
