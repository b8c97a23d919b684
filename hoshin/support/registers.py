"""Registration of document control on the core."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from hoshin.core.registry import Column, RegisterType, registry
from hoshin.support import filters, forms, serializers
from hoshin.support.api import DocumentActions
from hoshin.support.models import Document
from hoshin.support.workflow import WORKFLOW


def _detail_context(request: Any, record: Document) -> dict[str, Any]:
    from hoshin.support.views import document_context

    return document_context(request, record)


def _pdf(request: Any, record: Document) -> bytes:
    from hoshin.support.views import document_pdf

    return document_pdf(request, record)


def _promote_due() -> None:
    from hoshin.support.versions import promote_due

    promote_due()


DOCUMENTS = registry.register(
    RegisterType(
        model=Document,
        slug="documents",
        label=_("Documents"),
        label_singular=_("Document"),
        workflow=WORKFLOW,
        form_class=forms.DocumentForm,
        create_form_class=forms.DocumentCreateForm,
        filterset_class=filters.DocumentFilterSet,
        serializer_class=serializers.DocumentSerializer,
        columns=[
            Column("reference", _("Number"), sort="reference", link=True),
            Column("title", _("Title"), sort="title", link=True),
            Column("doc_type.name", _("Type"), sort="doc_type__name"),
            Column("version_label", _("Version"), sort="current_version"),
            Column("status", _("Status"), sort="status"),
            Column("owner", _("Owner"), sort="owner__last_name"),
            Column("effective_on", _("Effective"), sort="effective_on"),
            Column("due_date", _("Next review"), sort="due_date"),
        ],
        search_fields=["reference", "title", "text"],
        search_stored=True,
        list_defer=["text"],
        list_select_related=["owner", "doc_type"],
        api_prefetch_related=[
            "access_people",
            "access_departments",
            "distribute_people",
            "distribute_departments",
        ],
        clauses=["7.5"],
        detail_template="support/_document_detail.html",
        detail_context=_detail_context,
        pdf=_pdf,
        help=_(
            "The master list of controlled documents and records: what is in force, "
            "in which version, who owns it and when it is reviewed next."
        ),
        create_label=_("New document"),
        list_actions_template="support/_list_actions.html",
        before_read=_promote_due,
        api_mixin=DocumentActions,
    )
)
