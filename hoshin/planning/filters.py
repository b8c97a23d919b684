from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from hoshin.core.filters import RecordFilterSet


class KpiFilters(RecordFilterSet):
    """Computed KPIs apart from those typed in; overdue means a figure is overdue."""

    automatic = django_filters.BooleanFilter(
        method="filter_automatic", label=_("Computed by Hoshin")
    )

    overdue_label = _("Figure overdue")

    def filter_automatic(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        return queryset.exclude(automatic="") if value else queryset.filter(automatic="")
