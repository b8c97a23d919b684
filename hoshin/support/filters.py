from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from hoshin.context.models import Process
from hoshin.core.filters import RecordFilterSet
from hoshin.support.models import Confidentiality, Document, DocumentType


class DocumentFilterSet(RecordFilterSet):
    doc_type = django_filters.ModelMultipleChoiceFilter(
        queryset=DocumentType.objects.all(), label=_("Type"), distinct=False
    )
    process = django_filters.ModelChoiceFilter(queryset=Process.objects.all(), label=_("Process"))
    confidentiality = django_filters.ChoiceFilter(
        choices=Confidentiality.choices, label=_("Confidentiality")
    )
    review_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Review due by")
    )
    effective_after = django_filters.DateFilter(
        field_name="effective_on", lookup_expr="gte", label=_("Effective from")
    )

    primary = ("q", "doc_type", "status", "overdue")

    class Meta:
        model = Document
        fields = [
            "q",
            "doc_type",
            "status",
            "process",
            "owner",
            "site",
            "confidentiality",
            "overdue",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["overdue"].label = _("Review overdue")
        self.filters.pop("due_before", None)
