"""Administration of people, roles, sites, departments and money settings.

The quality manager administers these in Django's admin. Nothing here can be deleted
(people leave by being deactivated), and the audit trail is read-only. Every add and
change made here is a trail event of the object's own stream, with the administrator as
actor (``ManagedAdmin``); Django's own admin log is not shown, and can be edited by
anyone with database access, so it is not the record.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult
from rest_framework.authtoken.models import Token

from hoshin.core import actor, roles, tokens, trail
from hoshin.core.models import (
    Department,
    ExchangeRate,
    Organisation,
    Site,
    TrailAction,
    TrailedModel,
    TrailEvent,
    User,
)
from hoshin.core.models.people import UnknownSignIns, time_zone_choices


class HoshinAdminSite(admin.AdminSite):
    site_header = _("Hoshin administration")
    site_title = _("Hoshin administration")
    index_title = _("People, sites and settings")

    def login(self, request: HttpRequest, extra_context: Any = None) -> Any:
        # One sign-in page for the whole application (throttled and trailed). Someone
        # already signed in who may not administer is refused: sending them to sign in
        # would send them straight back here, round and round.
        from django.contrib.auth.views import redirect_to_login

        if request.user.is_authenticated:
            raise PermissionDenied(_("Administration is for quality managers."))
        return redirect_to_login(request.GET.get("next", "/admin/"))

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and (user.is_superuser or user.has_role(roles.QUALITY_MANAGER))
        )


site = HoshinAdminSite(name="admin")


# Never written to the trail: a password hash (the event says "set by administrator"
# instead), and the time of the last sign-in (sign-ins have their own events).
_NOT_TRAILED = {"password", "last_login"}
PASSWORD_SET = "set by administrator"  # noqa: S105  (what the trail says, not a password)


def _shown(obj: models.Model, field: models.Field[Any, Any]) -> Any:
    """A field's value as the trail shows it: a related object by name, a choice by label."""
    if field.is_relation:
        related = getattr(obj, field.name)
        return str(related) if related is not None else None
    value = getattr(obj, field.attname)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return trail.jsonable(value)


def snapshot(obj: models.Model) -> dict[str, tuple[str, Any]]:
    """``{field name: (label, value)}`` of the fields the trail shows."""
    return {
        f.name: (str(f.verbose_name), _shown(obj, f))
        for f in obj._meta.concrete_fields
        if not f.primary_key and f.name not in _NOT_TRAILED
    }


def password_hash(obj: models.Model) -> str | None:
    return getattr(obj, "password", None)


def reference(obj: models.Model) -> str:
    get_username = getattr(obj, "get_username", None)
    return get_username() if get_username is not None else str(obj)


class TrailedAdmin(admin.ModelAdmin):
    """Writes each add and change (fields before and after, many-to-many members such as a
    person's roles, a password set) to the object's trail, with the administrator as actor,
    in the same transaction as the change itself."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before: dict[str, tuple[str, Any]] = {}
        hashed = None
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            before, hashed = snapshot(stored), password_hash(stored)
        super().save_model(request, obj, form, change)
        obj._admin_trail = (before, hashed)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        obj = form.instance
        names = [f.name for f in obj._meta.many_to_many if f.name in form.cleaned_data]
        members_before = trail.m2m_values(obj, names) if change else {}
        super().save_related(request, form, formsets, change)
        kept: tuple[dict[str, tuple[str, Any]], Any] = getattr(obj, "_admin_trail", ({}, None))
        before, hashed = kept
        if isinstance(obj, TrailedModel):
            return  # its own save() writes the trail
        changes = {
            name: {"label": label, "before": before.get(name, ("", None))[1], "after": value}
            for name, (label, value) in snapshot(obj).items()
            if before.get(name, ("", None))[1] != value
        }
        for name, members in trail.m2m_values(obj, names).items():
            if members != members_before.get(name, []):
                changes[name] = {
                    "label": str(obj._meta.get_field(name).verbose_name),
                    "before": ", ".join(members_before.get(name, [])) or None,
                    "after": ", ".join(members),
                }
        if password_hash(obj) != hashed and (obj.has_usable_password() or change):
            changes["password"] = {"label": "password", "before": None, "after": PASSWORD_SET}
        if changes:
            trail.append(
                action=TrailAction.CHANGE if change else TrailAction.CREATE,
                instance=obj,
                reference=reference(obj),
                actor=request.user,
                changes=changes,
                message="Changed in the administration",
            )


class ManagedAdmin(TrailedAdmin):
    """Quality managers may view, add and change; nobody deletes."""

    def _manager(self, request: HttpRequest) -> bool:
        return site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._manager(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._manager(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._manager(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._manager(request)


class EndDateForExternalAuditors:
    """The person's validation (an external auditor needs an end date) sees the roles
    chosen in the form, which are saved after the person."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        if "groups" in cleaned:
            self.instance.pending_roles = {g.name for g in cleaned["groups"]}  # type: ignore[attr-defined]
        return cleaned


class PersonChangeForm(EndDateForExternalAuditors, UserChangeForm):
    pass


class PersonCreationForm(EndDateForExternalAuditors, AdminUserCreationForm):
    """A password given here was chosen by the administrator: changed at first sign-in."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        user.must_change_password = user.has_usable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


class PersonPasswordForm(AdminPasswordChangeForm):
    """The administrator's "set password" form: the person must change it at their next
    sign-in (unless administrators set their own), and the trail says it was set, never
    what to."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        administrator = actor.current_actor()
        changes: dict[str, Any] = {
            "password": {
                "label": "password",
                "before": None,
                "after": PASSWORD_SET if user.has_usable_password() else "disabled",
            }
        }
        forced = user.has_usable_password() and user != administrator
        if forced != user.must_change_password:
            changes["must_change_password"] = {
                "label": "must change password",
                "before": user.must_change_password,
                "after": forced,
            }
        user.must_change_password = forced
        if commit:
            with transaction.atomic():
                user.save()
                trail.append(
                    action=TrailAction.CHANGE,
                    instance=user,
                    reference=user.get_username(),
                    actor=administrator,
                    changes=changes,
                    message="Password set by administrator",
                )
        return user


@admin.register(User, site=site)
class PersonAdmin(ManagedAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "job_title", "department", "is_active")
    list_filter = ("groups", "department", "site", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "job_title", "time_zone")}),
        (_("Organisation"), {"fields": ("department", "site")}),
        (
            _("Roles and access"),
            {"fields": ("groups", "is_active", "access_expires_on", "must_change_password")},
        ),
        (_("API token"), {"fields": ("api_token",)}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        (_("Roles and access"), {"fields": ("groups", "access_expires_on")}),
    )
    readonly_fields = ("api_token",)
    form = PersonChangeForm
    add_form = PersonCreationForm
    change_password_form = PersonPasswordForm
    filter_horizontal = ("groups",)
    actions = ["revoke_tokens"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "time_zone":
            kwargs["widget"] = forms.Select(choices=time_zone_choices())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups":
            kwargs["queryset"] = Group.objects.filter(name__in=roles.ALL_ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("API token"))
    def api_token(self, obj: User) -> str:
        token = Token.objects.filter(user=obj).first() if obj.pk else None
        if token is None:
            return gettext("none")
        return gettext("issued %(created)s, expires %(expires)s") % {
            "created": f"{token.created:%Y-%m-%d}",
            "expires": f"{tokens.expires_at(token):%Y-%m-%d}",
        }

    @admin.action(description=_("Revoke the API tokens of the selected people"))
    def revoke_tokens(self, request: HttpRequest, queryset: Any) -> None:
        revoked = 0
        with transaction.atomic():
            for token in Token.objects.filter(user__in=queryset).select_related("user"):
                tokens.revoke(token, actor=request.user)
                revoked += 1
        self.message_user(
            request, gettext("%(count)d API tokens revoked.") % {"count": revoked}, messages.SUCCESS
        )


@admin.register(Site, site=site)
class SiteAdmin(ManagedAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Department, site=site)
class DepartmentAdmin(ManagedAdmin):
    list_display = ("name", "site")
    list_filter = ("site",)


@admin.register(Organisation, site=site)
class OrganisationAdmin(ManagedAdmin):
    list_display = ("name", "base_currency")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return not Organisation.objects.exists() and self._manager(request)


@admin.register(ExchangeRate, site=site)
class ExchangeRateAdmin(ManagedAdmin):
    list_display = ("currency", "rate", "valid_from")
    list_filter = ("currency",)


@admin.register(TrailEvent, site=site)
class TrailEventAdmin(ManagedAdmin):
    list_display = ("id", "at_utc", "actor_label", "action", "reference", "stream", "seq")
    list_filter = ("action",)
    search_fields = ("reference", "actor_label", "stream")
    date_hierarchy = "at"
    exclude = ("at",)
    readonly_fields = ("at_utc",)

    @admin.display(description=_("time (UTC)"), ordering="at")
    def at_utc(self, obj: TrailEvent) -> str:
        # The label says UTC: show UTC, not the reader's zone the admin would use.
        return obj.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UnknownSignIns, site=site)
class UnknownSignInsAdmin(ManagedAdmin):
    """Failed sign-ins with user names nobody has, per source and hour: read-only."""

    list_display = ("period", "source", "attempts", "first_at", "last_at", "names")
    search_fields = ("source",)
    date_hierarchy = "period"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DBTaskResult, site=site)
class TaskResultAdmin(DBTaskResultAdmin):
    """Background tasks (mail, controlled copies), read-only: a failed one shows its error.

    A mail attempt that failed and was retried ends in RetryScheduled; the last, in GaveUp."""

    ordering = ["-enqueued_at"]

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        return ("task_name", "status", "attempt", "about", "error", "enqueued_at", "finished_at")

    def get_list_filter(self, request: HttpRequest) -> tuple[str, ...]:
        return ("status", "task_path")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return site.has_permission(request)

    @admin.display(description=_("attempt"))
    def attempt(self, obj: DBTaskResult) -> int:
        return int((obj.args_kwargs.get("kwargs") or {}).get("attempt", 1))

    @admin.display(description=_("about"))
    def about(self, obj: DBTaskResult) -> str:
        args = obj.args_kwargs.get("args") or []
        if obj.task_path.endswith(".send_email") and len(args) >= 3:
            return f"{', '.join(args[2])}: {args[0]}"  # recipients: subject
        return ""

    @admin.display(description=_("error"))
    def error(self, obj: DBTaskResult) -> str:
        lines = obj.traceback.strip().splitlines()
        return lines[-1] if lines else ""
