"""Registration of document control on the core."""

from django.utils.translation import gettext_lazy as _

from hoshin.core.registry import Column, RegisterType, registry
from hoshin.support import filters, forms, serializers
from hoshin.support.models import Document

_ENTRY = ["title", "description", "owner", "process", "site", "issuer", "review_months"]
_READERS = [
    (_("Access"), ["confidentiality", "access_people", "access_departments"]),
    (
        _("Distribution: who must read each new version"),
        ["distribute_people", "distribute_roles", "distribute_departments"],
    ),
    (_("Records"), ["retention_years", "disposition"]),
]

DOCUMENTS = RegisterType(
    model=Document,
    slug="documents",
    label=_("Documents"),
    label_singular=_("Document"),
    # The register entry: what the document is, who owns it, who may and must read it.
    fieldsets=[(_("The document"), _ENTRY), *_READERS],
    # A new document has its type (which gives the number) and a first version.
    create_fieldsets=[
        (_("The document"), ["doc_type", *_ENTRY]),
        (_("First version"), ["body", "file", "change_reason"]),
        *_READERS,
    ],
    form_base=forms.DocumentForm,
    create_form_base=forms.DocumentCreateForm,
    serializer_base=serializers.DocumentSerializer,
    api_fields=[
        "number",
        "last_reviewed_on",
        "closed_on",
        "retain_until",
        "current_version",
        "effective_on",
        "body",
        "change_reason",
    ],
    read_only_fields=[
        "last_reviewed_on",
        "closed_on",
        "retain_until",
        "current_version",
        "effective_on",
        "due_date",
    ],
    columns=[
        Column("reference", _("Number"), sort="reference", link=True),
        "title",
        Column("doc_type.name", _("Type"), sort="doc_type__name"),
        Column("version_label", _("Version"), sort="current_version"),
        "status",
        "owner",
        Column("effective_on", _("Effective")),
        Column("due_date", _("Next review")),
    ],
    filters=["doc_type", "process", "confidentiality"],
    primary_filters=["q", "doc_type", "status", "overdue"],
    filterset_base=filters.DocumentFilters,
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
    detail_top_template="support/_document_top.html",
    detail_context="hoshin.support.views.document_context",
    pdf="hoshin.support.views.document_pdf",
    help=_(
        "The master list of controlled documents and records: what is in force, "
        "in which version, who owns it and when it is reviewed next."
    ),
    create_label=_("New document"),
    list_actions_template="support/_list_actions.html",
    # A master list is read by number (QP-001, QP-002, …), as auditors ask for it.
    default_sort="reference",
    before_read="hoshin.support.versions.promote_due",
    api_mixin="hoshin.support.api.DocumentActions",
)


def register() -> None:
    registry.register(DOCUMENTS)
