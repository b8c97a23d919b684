"""Registration of the improvement registers on the core."""

from django.utils.translation import gettext_lazy as _

from hoshin.core.registry import Column, RegisterType, registry
from hoshin.improvement import filters, forms, serializers
from hoshin.improvement.models import CauseCategory, Nonconformity

NONCONFORMITIES = RegisterType(
    model=Nonconformity,
    slug="nonconformities",
    label=_("Nonconformities"),
    label_singular=_("Nonconformity"),
    # In the order of the workflow: what happened, containment, cause, verification.
    fieldsets=[
        (
            _("What happened"),
            [
                "title",
                "description",
                "source",
                "severity",
                "process",
                "site",
                "detected_by",
                "detected_on",
                "owner",
                "due_date",
            ],
        ),
        (
            _("Nonconforming output"),
            [
                "product_ref",
                "lot_ref",
                "quantity_checked",
                "quantity_nonconforming",
                "disposition",
            ],
        ),
        (
            _("Containment and correction"),
            ["containment_action", "containment_by", "containment_on", "correction"],
        ),
        (
            _("Root cause"),
            [
                *[f"why_{i}" for i in range(1, 6)],
                "cause_category",
                "root_cause",
                *[f"fishbone_{c}" for c in CauseCategory.values],
            ],
        ),
        (
            _("Effectiveness verification"),
            [
                "verification_method",
                "verification_due",
                "verification_result",
                "verification_notes",
            ],
        ),
    ],
    # The one-minute form any employee uses to raise a nonconformity.
    create_fieldsets=[
        (
            None,
            [
                "title",
                "description",
                "source",
                "severity",
                "process",
                "site",
                "product_ref",
                "lot_ref",
                "quantity_nonconforming",
                "detected_on",
            ],
        )
    ],
    form_base=forms.NonconformityForm,
    create_form_base=forms.ReportForm,
    # Who authorised the disposition is the signer of its step, never typed in.
    api_fields=[
        "whys",
        "fishbone",
        "disposition_authorised_by",
        "verified_by",
        "verified_on",
        "actions",
    ],
    read_only_fields=["disposition_authorised_by", "verified_by", "verified_on"],
    serializer_base=serializers.NonconformitySerializer,
    columns=[
        "reference",
        "title",
        "status",
        "severity",
        "source",
        Column("process.name", _("Process"), sort="process__code"),
        "owner",
        Column("detected_on", _("Detected")),
        "due_date",
    ],
    filters=["source", "severity", "process", "cause_category"],
    primary_filters=["q", "status", "severity", "process"],
    filterset_base=filters.NonconformityFilters,
    search_fields=["reference", "title", "description", "product_ref", "lot_ref"],
    list_select_related=["owner", "process"],
    clauses=["8.7", "10.2"],
    detail_template="improvement/_nonconformity_detail.html",
    detail_top_template="improvement/_nc_top.html",
    # The root cause as the ladder of whys and the fishbone, then the actions it calls for.
    section_templates={"why_1": "improvement/_nc_cause.html"},
    detail_context="hoshin.improvement.views.nonconformity_context",
    pdf="hoshin.improvement.report.nonconformity_pdf",
    action_kind="corrective",
    help=_(
        "Anything that did not meet a requirement: report it, contain it, find the root "
        "cause, act on it and check the action worked."
    ),
)


def register() -> None:
    registry.register(NONCONFORMITIES)
