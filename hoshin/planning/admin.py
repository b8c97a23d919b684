from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hoshin.core.admin import ManagedAdmin, site
from hoshin.planning.models import RiskScale


@admin.register(RiskScale, site=site)
class RiskScaleAdmin(ManagedAdmin):
    """The one risk matrix of the organisation: changed, never added twice."""

    list_display = ("__str__", "medium_from", "high_from", "critical_from")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return not RiskScale.objects.exists() and super().has_add_permission(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and {"medium_from", "high_from", "critical_from"} & set(form.changed_data):
            from hoshin.planning.models import Risk

            # Levels follow the new thresholds; ratings themselves do not change.
            for risk in Risk.objects.exclude(inherent_rating=None).iterator():
                risk.save(reason=str(obj), check_version=False)
