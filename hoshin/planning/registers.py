"""Registration of the planning registers on the core."""

from django.utils.translation import gettext_lazy as _

from hoshin.core.registry import Column, RegisterType, Section, registry
from hoshin.planning import filters, forms, serializers
from hoshin.planning.models import ChangePlan, Kpi, Objective, Risk

_PROCESS = Column("process.name", _("Process"), sort="process__code")

RISKS = RegisterType(
    model=Risk,
    slug="risks",
    label=_("Risks & opportunities"),
    nav_label=_("Risks"),
    label_singular=_("Risk or opportunity"),
    fieldsets=[
        (
            _("The risk or opportunity"),
            [
                "kind",
                "title",
                "description",
                "cause",
                "consequence",
                "source",
                "process",
                "site",
                "owner",
                "due_date",
            ],
        ),
        (_("Assessment"), list(forms.RATING_FIELDS)),
        (_("Treatment"), ["treatment", "treatment_plan"]),
        (_("Effectiveness review"), ["effectiveness", "effectiveness_notes"]),
        (_("Links"), ["nonconformities"]),
    ],
    create_fieldsets=[
        (
            _("The risk or opportunity"),
            ["kind", "title", "description", "cause", "consequence", "source", "process", "owner"],
        ),
        (_("First assessment (optional)"), ["inherent_likelihood", "inherent_impact"]),
        (_("Links"), ["nonconformities"]),
    ],
    form_base=forms.RiskForm,
    serializer_base=serializers.RiskSerializer,
    api_fields=["inherent_rating", "inherent_level", "residual_rating", "residual_level"],
    read_only_fields=["inherent_rating", "inherent_level", "residual_rating", "residual_level"],
    columns=[
        "reference",
        "title",
        "kind",
        "status",
        Column("inherent_rating", _("Inherent")),
        Column("residual_rating", _("Residual")),
        Column("current_level", _("Level"), sort="inherent_level"),
        _PROCESS,
        "owner",
        Column("due_date", _("Next review")),
    ],
    filters=[
        "kind",
        "source",
        "process",
        "inherent_level",
        "residual_level",
        # The heat map's cells link here.
        "inherent_likelihood",
        "inherent_impact",
        "residual_likelihood",
        "residual_impact",
    ],
    primary_filters=["q", "kind", "status", "inherent_level"],
    search_fields=["reference", "title", "description", "cause", "consequence"],
    list_select_related=["owner", "process"],
    api_prefetch_related=["nonconformities"],
    clauses=["6.1"],
    detail_template="planning/_risk_detail.html",
    detail_context="hoshin.planning.views.risk_context",
    help=_(
        "What could go wrong and what could go better: rated on the risk matrix, "
        "treated with actions, reviewed for effectiveness."
    ),
    create_label=_("New risk or opportunity"),
    action_kind="treatment",
    list_actions_template="planning/_risk_list_actions.html",
)

_OBJECTIVE = [
    (_("What will be done"), ["title", "description", "commitments", "policy"]),
    (_("Where"), ["level", "department", "process", "site"]),
    (_("The plan (ISO 9001 6.2.2)"), ["resources", "owner", "due_date", "evaluation", "kpis"]),
]

OBJECTIVES = RegisterType(
    model=Objective,
    slug="objectives",
    label=_("Objectives"),
    label_singular=_("Quality objective"),
    fieldsets=[*_OBJECTIVE, (_("Outcome"), ["outcome_notes"])],
    create_fieldsets=_OBJECTIVE,  # the outcome comes later
    form_base=forms.ObjectiveForm,
    serializer_base=serializers.ObjectiveSerializer,
    columns=[
        "reference",
        Column("title", _("Objective")),
        "status",
        "level",
        Column("owner", _("Responsible")),
        "due_date",
    ],
    filters=["level", "process"],
    primary_filters=["q", "status", "level", "owner"],
    search_fields=["reference", "title", "description"],
    list_select_related=["owner"],
    api_prefetch_related=["kpis"],
    clauses=["6.2"],
    detail_template="planning/_objective_detail.html",
    detail_context="hoshin.planning.views.objective_context",
    help=_("What the organisation sets out to achieve, by when, and how it is measured."),
    create_label=_("New objective"),
    list_actions_template="planning/_objective_list_actions.html",
)

KPIS = RegisterType(
    model=Kpi,
    slug="kpis",
    label=_("KPIs"),
    label_singular=_("KPI"),
    fieldsets=[
        (_("The indicator"), ["title", "description", "unit", "kind", "direction", "decimals"]),
        (_("Targets"), ["target", "amber", "red"]),
        (_("Measuring"), ["frequency", "automatic", "data_source", "owner", "process", "site"]),
    ],
    form_base=forms.KpiForm,
    read_only_fields=["due_date"],  # set from the frequency and the latest figure
    # The targets with the rule of the status in words, from the one that gives it.
    section_templates={"target": "planning/_kpi_targets.html"},
    columns=[
        "reference",
        Column("title", _("KPI")),
        "unit",
        "frequency",
        "target",
        "owner",
        Column("due_date", _("Next figure due")),
    ],
    filters=["frequency", "process"],
    primary_filters=["q", "status", "frequency", "overdue"],
    filterset_base=filters.KpiFilters,
    search_fields=["reference", "title", "description", "data_source"],
    list_select_related=["owner"],
    clauses=["9.1"],
    detail_template="planning/_kpi_detail.html",
    detail_context="hoshin.planning.views.kpi_context",
    help=_("Indicators measured period by period, with targets and control charts."),
    create_label=_("New KPI"),
    list_actions_template="planning/_kpi_list_actions.html",
    api_mixin="hoshin.planning.api.KpiActions",
    pdf="hoshin.planning.views.kpi_pdf",
)

CHANGES = RegisterType(
    model=ChangePlan,
    slug="changes",
    label=_("Change plans"),
    nav_label=_("Changes"),
    label_singular=_("Change plan"),
    fieldsets=[
        (_("The change"), ["title", "purpose", "consequences", "integrity", "owner", "due_date"]),
        (_("Resources and responsibilities"), ["resources", "responsibilities"]),
        (_("What it touches"), ["documents", "processes", "risks"]),
        (_("Implementation and review"), ["implementation", "review"]),
    ],
    columns=[
        "reference",
        Column("title", _("Change")),
        "status",
        "owner",
        Column("due_date", _("Planned for")),
    ],
    search_fields=["reference", "title", "purpose"],
    list_select_related=["owner"],
    api_prefetch_related=["documents", "processes", "risks"],
    clauses=["6.3"],
    help=_("Changes to the QMS, planned: why, what could happen, who and what it takes."),
    create_label=_("New change plan"),
)


def register() -> None:
    registry.register(RISKS, OBJECTIVES, KPIS, CHANGES)
    # Show on each nonconformity the risks it raised or updated (ISO 9001 10.2.1 e).
    registry.add_section(
        "nonconformities",
        Section("planning/_nc_risks.html", "hoshin.planning.views.nonconformity_risks"),
    )
