from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hoshin.core.admin import ManagedAdmin, site
from hoshin.support.models import DocumentType


@admin.register(DocumentType, site=site)
class DocumentTypeAdmin(ManagedAdmin):
    """Numbering schemes and defaults; a prefix in use cannot change (numbers are given)."""

    list_display = (
        "name",
        "kind",
        "prefix",
        "digits",
        "review_months",
        "retention_years",
        "active",
    )
    list_filter = ("kind", "active")
    search_fields = ("name", "prefix")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None and obj.documents.exists():
            return ("prefix", "kind")
        return ()
