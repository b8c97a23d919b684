"""Who may see and change what. Every view and API endpoint asks these functions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hoshin.core import roles


def has_any_role(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.roles)


def require_role(user: Any) -> None:
    """Refuse (403) anyone who holds no role in Hoshin."""
    if not has_any_role(user):
        raise PermissionDenied(_("Your account has no role in Hoshin yet."))


def visible_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
    """The record ``lookup`` finds among those this person may see (``queryset`` is a
    register's queryset or manager). Someone without a role is refused; a record they
    may not see is not found, so its existence is not given away."""
    require_role(user)
    return get_object_or_404(queryset.visible_to(user), **lookup)


def can_view(user: Any, record: Any) -> bool:
    if not has_any_role(user):
        return False
    return type(record)._default_manager.visible_to(user).filter(pk=record.pk).exists()


def can_create(user: Any, model: type[Any] | None = None) -> bool:
    return has_any_role(user) and not user.is_read_only


def can_create_in_process(user: Any, model: type[Any], process: Any) -> bool:
    """Records that belong to a process (its risks, say) are created there by quality
    managers and by the process's owner; with no process, by quality managers only."""
    if not can_create(user, model):
        return False
    if user.roles & roles.EDIT_ALL:
        return True
    return process is not None and process.owner_id == user.pk


def can_edit(user: Any, record: Any) -> bool:
    """Quality managers edit any record; owners edit their own; nobody edits a closed one."""
    if not has_any_role(user) or user.is_read_only:
        return False
    if record.status in record.final_states():
        return False
    return bool(user.roles & roles.EDIT_ALL) or record.owner_id == user.pk


def can_comment(user: Any, record: Any, *, visible: bool = False) -> bool:
    """``visible``: the caller found the record among those this person may see."""
    return has_any_role(user) and not user.is_read_only and (visible or can_view(user, record))


def can_attach(user: Any, record: Any, *, visible: bool = False) -> bool:
    return can_comment(user, record, visible=visible) and record.status not in record.final_states()


def can_export(user: Any) -> bool:
    return has_any_role(user)
