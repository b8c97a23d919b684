"""Registration of the improvement registers on the core."""

from django.utils.translation import gettext_lazy as _

from hoshin.core.registry import Column, RegisterType, registry
from hoshin.improvement import filters, forms, serializers
from hoshin.improvement.models import Nonconformity
from hoshin.improvement.workflow import WORKFLOW


def _detail_context(request, record):
    from hoshin.improvement.views import nonconformity_context

    return nonconformity_context(request, record)


def _pdf(request, record):
    from hoshin.improvement.report import nonconformity_pdf

    return nonconformity_pdf(request, record)


NONCONFORMITIES = registry.register(
    RegisterType(
        model=Nonconformity,
        slug="nonconformities",
        label=_("Nonconformities"),
        label_singular=_("Nonconformity"),
        workflow=WORKFLOW,
        form_class=forms.NonconformityForm,
        create_form_class=forms.ReportForm,
        filterset_class=filters.NonconformityFilterSet,
        serializer_class=serializers.NonconformitySerializer,
        columns=[
            Column("reference", _("Reference"), sort="id", link=True),
            Column("title", _("Title"), sort="title", link=True),
            Column("status", _("Status"), sort="status"),
            Column("severity", _("Severity"), sort="severity"),
            Column("source", _("Source"), sort="source"),
            Column("process.name", _("Process"), sort="process__code"),
            Column("owner", _("Owner"), sort="owner__last_name"),
            Column("detected_on", _("Detected"), sort="detected_on"),
            Column("due_date", _("Due"), sort="due_date"),
        ],
        search_fields=["reference", "title", "description", "product_ref", "lot_ref"],
        list_select_related=["owner", "process"],
        clauses=["8.7", "10.2"],
        detail_template="improvement/_nonconformity_detail.html",
        detail_context=_detail_context,
        pdf=_pdf,
        action_kind="corrective",
        help=_(
            "Anything that did not meet a requirement: report it, contain it, find the root "
            "cause, act on it and check the action worked."
        ),
    )
)
