"""Registration of the planning registers on the core."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from hoshin.core.registry import Column, RegisterType, Section, registry
from hoshin.planning import filters, forms, serializers, workflow
from hoshin.planning.api import KpiActions
from hoshin.planning.models import ChangePlan, Kpi, Objective, Risk


def _context(name: str) -> Any:
    def context(request: Any, record: Any) -> dict[str, Any]:
        from hoshin.planning import views

        return getattr(views, name)(request, record)

    return context


def _kpi_pdf(request: Any, record: Kpi) -> bytes:
    from hoshin.planning.views import kpi_pdf

    return kpi_pdf(request, record)


RISKS = registry.register(
    RegisterType(
        model=Risk,
        slug="risks",
        label=_("Risks & opportunities"),
        nav_label=_("Risks"),
        label_singular=_("Risk or opportunity"),
        workflow=workflow.RISK_WORKFLOW,
        form_class=forms.RiskForm,
        create_form_class=forms.RiskCreateForm,
        filterset_class=filters.RiskFilterSet,
        serializer_class=serializers.RiskSerializer,
        columns=[
            Column("reference", _("Reference"), sort="id", link=True),
            Column("title", _("Title"), sort="title", link=True),
            Column("kind", _("Type"), sort="kind"),
            Column("status", _("Status"), sort="status"),
            Column("inherent_rating", _("Inherent"), sort="inherent_rating"),
            Column("residual_rating", _("Residual"), sort="residual_rating"),
            Column("current_level", _("Level"), sort="inherent_level"),
            Column("process.name", _("Process"), sort="process__code"),
            Column("owner", _("Owner"), sort="owner__last_name"),
            Column("due_date", _("Next review"), sort="due_date"),
        ],
        search_fields=["reference", "title", "description", "cause", "consequence"],
        list_select_related=["owner", "process"],
        api_prefetch_related=["nonconformities"],
        clauses=["6.1"],
        detail_template="planning/_risk_detail.html",
        detail_context=_context("risk_context"),
        help=_(
            "What could go wrong and what could go better: rated on the risk matrix, "
            "treated with actions, reviewed for effectiveness."
        ),
        create_label=_("New risk or opportunity"),
        action_kind="treatment",
        list_actions_template="planning/_risk_list_actions.html",
    )
)

OBJECTIVES = registry.register(
    RegisterType(
        model=Objective,
        slug="objectives",
        label=_("Objectives"),
        label_singular=_("Quality objective"),
        workflow=workflow.OBJECTIVE_WORKFLOW,
        form_class=forms.ObjectiveForm,
        filterset_class=filters.ObjectiveFilterSet,
        serializer_class=serializers.ObjectiveSerializer,
        columns=[
            Column("reference", _("Reference"), sort="id", link=True),
            Column("title", _("Objective"), sort="title", link=True),
            Column("status", _("Status"), sort="status"),
            Column("level", _("Level"), sort="level"),
            Column("owner", _("Responsible"), sort="owner__last_name"),
            Column("due_date", _("Due"), sort="due_date"),
        ],
        search_fields=["reference", "title", "description"],
        list_select_related=["owner"],
        api_prefetch_related=["kpis"],
        clauses=["6.2"],
        detail_template="planning/_objective_detail.html",
        detail_context=_context("objective_context"),
        help=_("What the organisation sets out to achieve, by when, and how it is measured."),
        create_label=_("New objective"),
        list_actions_template="planning/_objective_list_actions.html",
    )
)

KPIS = registry.register(
    RegisterType(
        model=Kpi,
        slug="kpis",
        label=_("KPIs"),
        label_singular=_("KPI"),
        workflow=workflow.KPI_WORKFLOW,
        form_class=forms.KpiForm,
        filterset_class=filters.KpiFilterSet,
        serializer_class=serializers.KpiSerializer,
        columns=[
            Column("reference", _("Reference"), sort="id", link=True),
            Column("title", _("KPI"), sort="title", link=True),
            Column("unit", _("Unit")),
            Column("frequency", _("Frequency"), sort="frequency"),
            Column("target", _("Target"), sort="target"),
            Column("owner", _("Owner"), sort="owner__last_name"),
            Column("due_date", _("Next figure due"), sort="due_date"),
        ],
        search_fields=["reference", "title", "description", "data_source"],
        list_select_related=["owner"],
        clauses=["9.1"],
        detail_template="planning/_kpi_detail.html",
        detail_context=_context("kpi_context"),
        help=_("Indicators measured period by period, with targets and control charts."),
        create_label=_("New KPI"),
        list_actions_template="planning/_kpi_list_actions.html",
        api_mixin=KpiActions,
        pdf=_kpi_pdf,
    )
)

CHANGES = registry.register(
    RegisterType(
        model=ChangePlan,
        slug="changes",
        label=_("Change plans"),
        nav_label=_("Changes"),
        label_singular=_("Change plan"),
        workflow=workflow.CHANGE_WORKFLOW,
        form_class=forms.ChangePlanForm,
        filterset_class=filters.ChangePlanFilterSet,
        serializer_class=serializers.ChangePlanSerializer,
        columns=[
            Column("reference", _("Reference"), sort="id", link=True),
            Column("title", _("Change"), sort="title", link=True),
            Column("status", _("Status"), sort="status"),
            Column("owner", _("Owner"), sort="owner__last_name"),
            Column("due_date", _("Planned for"), sort="due_date"),
        ],
        search_fields=["reference", "title", "purpose"],
        list_select_related=["owner"],
        api_prefetch_related=["documents", "processes", "risks"],
        clauses=["6.3"],
        help=_("Changes to the QMS, planned: why, what could happen, who and what it takes."),
        create_label=_("New change plan"),
    )
)


def _nc_risks(request: Any, nc: Any) -> dict[str, Any]:
    from hoshin.planning.views import nonconformity_risks

    return nonconformity_risks(request, nc)


def link_nonconformities() -> None:
    """Show on each nonconformity the risks it raised or updated (ISO 9001 10.2.1 e)."""
    from hoshin.improvement.registers import NONCONFORMITIES

    NONCONFORMITIES.sections.append(Section("planning/_nc_risks.html", _nc_risks))


link_nonconformities()
