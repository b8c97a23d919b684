import django_filters
from django.utils.translation import gettext_lazy as _

from hoshin.context.models import Process
from hoshin.core.filters import RecordFilterSet
from hoshin.improvement.models import CauseCategory, Nonconformity, Severity, Source


class NonconformityFilterSet(RecordFilterSet):
    source = django_filters.MultipleChoiceFilter(
        choices=Source.choices, label=_("Source"), distinct=False
    )
    severity = django_filters.MultipleChoiceFilter(
        choices=Severity.choices, label=_("Severity"), distinct=False
    )
    process = django_filters.ModelChoiceFilter(queryset=Process.objects.all(), label=_("Process"))
    cause_category = django_filters.ChoiceFilter(
        choices=CauseCategory.choices, label=_("Root-cause category")
    )
    detected_after = django_filters.DateFilter(
        field_name="detected_on", lookup_expr="gte", label=_("Detected from")
    )
    detected_before = django_filters.DateFilter(
        field_name="detected_on", lookup_expr="lte", label=_("Detected until")
    )

    primary = ("q", "status", "severity", "process")

    class Meta:
        model = Nonconformity
        fields = ["q", "status", "source", "severity", "process", "site", "owner", "overdue"]
