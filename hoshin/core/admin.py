"""Administration of people, roles, sites, departments and money settings.

The quality manager administers these in Django's admin. Nothing here can be deleted
(people leave by being deactivated), and the audit trail is read-only.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from hoshin.core import roles
from hoshin.core.models import Department, ExchangeRate, Organisation, Site, TrailEvent, User
from hoshin.core.models.people import time_zone_choices


class HoshinAdminSite(admin.AdminSite):
    site_header = _("Hoshin administration")
    site_title = _("Hoshin administration")
    index_title = _("People, sites and settings")

    def login(self, request: HttpRequest, extra_context: Any = None) -> Any:
        # One sign-in page for the whole application (throttled and trailed).
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.GET.get("next", "/admin/"))

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and (user.is_superuser or user.has_role(roles.QUALITY_MANAGER))
        )


site = HoshinAdminSite(name="admin")


class ManagedAdmin(admin.ModelAdmin):
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


@admin.register(User, site=site)
class PersonAdmin(ManagedAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "job_title", "department", "is_active")
    list_filter = ("groups", "department", "site", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "job_title", "time_zone")}),
        (_("Organisation"), {"fields": ("department", "site")}),
        (_("Roles and access"), {"fields": ("groups", "is_active", "access_expires_on")}),
    )
    filter_horizontal = ("groups",)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "time_zone":
            kwargs["widget"] = forms.Select(choices=time_zone_choices())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups":
            kwargs["queryset"] = Group.objects.filter(name__in=roles.ALL_ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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
