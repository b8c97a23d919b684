"""The inbox on other pages: who a step hands over to, follow and remind buttons."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType

from hoshin.core import inbox
from hoshin.core.inbox_views import may_remind

register = template.Library()


@register.simple_tag
def handover_note(record: Any, transition: Any) -> str:
    """ "Anna Verifier will be asked to verify ...": said before the step is confirmed."""
    return inbox.handover_note(transition, record)


@register.inclusion_tag("core/_follow.html", takes_context=True)
def follow_button(context: Any, record: Any, register: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"show": False}
    return {
        "record": record,
        "register": register,
        "following": inbox.is_following(user, record),
        "show": bool(getattr(user, "roles", None)),
    }


@register.inclusion_tag("core/_remind.html", takes_context=True)
def remind_button(context: Any, target: Any, person: Any) -> dict[str, Any]:
    """A "remind" button for someone ``target`` waits on, for whoever may chase them."""
    request = context.get("request")
    if request is None:  # a printed page: no buttons
        return {"show": False}
    record = inbox.top(target)
    show = may_remind(request.user, record) and person.pk != request.user.pk
    return {
        "show": show,
        "ct": ContentType.objects.get_for_model(type(target)).pk,
        "target": target,
        "person": person,
        "next": request.get_full_path(),
    }


@register.inclusion_tag("core/_digest_form.html", takes_context=True)
def digest_form(context: Any) -> dict[str, Any]:
    """The digest choice on the person's settings page."""
    from hoshin.core.inbox_views import DigestForm, preference_of

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return {"form": None}
    return {"form": DigestForm(instance=preference_of(user))}
