from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from hoshin.core.filters import RecordFilterSet
from hoshin.support.models import DocumentType


class DocumentFilters(RecordFilterSet):
    """Several types at once, review and effective dates; "overdue" means the review."""

    doc_type = django_filters.ModelMultipleChoiceFilter(
        queryset=DocumentType.objects.all(), label=_("Type"), distinct=False
    )
    review_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Review due by")
    )
    effective_after = django_filters.DateFilter(
        field_name="effective_on", lookup_expr="gte", label=_("Effective from")
    )

    overdue_label = _("Review overdue")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters.pop("due_before", None)
