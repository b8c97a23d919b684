import django_filters
from django.utils.translation import gettext_lazy as _

from hoshin.core.filters import RecordFilterSet


class NonconformityFilters(RecordFilterSet):
    """Detection dates as a range; the other filters come from the registration."""

    detected_after = django_filters.DateFilter(
        field_name="detected_on", lookup_expr="gte", label=_("Detected from")
    )
    detected_before = django_filters.DateFilter(
        field_name="detected_on", lookup_expr="lte", label=_("Detected until")
    )
