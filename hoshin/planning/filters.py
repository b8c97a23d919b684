from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from hoshin.context.models import Process
from hoshin.core.filters import RecordFilterSet
from hoshin.planning.models import (
    ChangePlan,
    Kpi,
    Objective,
    ObjectiveLevel,
    Risk,
    RiskKind,
    RiskLevel,
    RiskSource,
)
from hoshin.planning.periods import Frequency


class RiskFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=RiskKind.choices, label=_("Type"))
    source = django_filters.MultipleChoiceFilter(
        choices=RiskSource.choices, label=_("Source"), distinct=False
    )
    process = django_filters.ModelChoiceFilter(queryset=Process.objects.all(), label=_("Process"))
    inherent_level = django_filters.MultipleChoiceFilter(
        choices=RiskLevel.choices, label=_("Inherent level"), distinct=False
    )
    residual_level = django_filters.MultipleChoiceFilter(
        choices=RiskLevel.choices, label=_("Residual level"), distinct=False
    )
    # The heat map's cells link here.
    inherent_likelihood = django_filters.NumberFilter(label=_("Inherent likelihood"))
    inherent_impact = django_filters.NumberFilter(label=_("Inherent impact"))
    residual_likelihood = django_filters.NumberFilter(label=_("Residual likelihood"))
    residual_impact = django_filters.NumberFilter(label=_("Residual impact"))

    primary = ("q", "kind", "status", "inherent_level")

    class Meta:
        model = Risk
        fields = [
            "q",
            "kind",
            "status",
            "inherent_level",
            "residual_level",
            "source",
            "process",
            "owner",
            "site",
            "overdue",
            "inherent_likelihood",
            "inherent_impact",
            "residual_likelihood",
            "residual_impact",
        ]


class ObjectiveFilterSet(RecordFilterSet):
    level = django_filters.ChoiceFilter(choices=ObjectiveLevel.choices, label=_("Level"))
    process = django_filters.ModelChoiceFilter(queryset=Process.objects.all(), label=_("Process"))

    primary = ("q", "status", "level", "owner")

    class Meta:
        model = Objective
        fields = ["q", "status", "level", "process", "owner", "site", "overdue"]


class KpiFilterSet(RecordFilterSet):
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, label=_("Frequency"))
    process = django_filters.ModelChoiceFilter(queryset=Process.objects.all(), label=_("Process"))
    automatic = django_filters.BooleanFilter(
        method="filter_automatic", label=_("Computed by Hoshin")
    )

    primary = ("q", "status", "frequency", "overdue")

    class Meta:
        model = Kpi
        fields = ["q", "status", "frequency", "process", "owner", "site", "overdue"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["overdue"].label = _("Figure overdue")

    def filter_automatic(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        return queryset.exclude(automatic="") if value else queryset.filter(automatic="")


class ChangePlanFilterSet(RecordFilterSet):
    primary = ("q", "status", "owner", "overdue")

    class Meta:
        model = ChangePlan
        fields = ["q", "status", "owner", "site", "overdue"]
