"""The workflows of planning: risks, objectives, KPIs and change plans."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hoshin.core import roles as R
from hoshin.core.dates import add_months
from hoshin.core.models import ActionStatus, SignatureMeaning
from hoshin.core.workflow import Handover, State, Transition, Workflow

KEEPERS = frozenset({R.QUALITY_MANAGER, R.OWNER})
MANAGEMENT = frozenset({R.TOP_MANAGEMENT, R.QUALITY_MANAGER})

# A reviewed risk is looked at again a year later (or earlier, when something changes).
REVIEW_MONTHS = 12


# --- risks and opportunities ---------------------------------------------------------
def has_actions_unless_accepted(risk: Any) -> str | Promise | None:
    if risk.treatment and risk.treatment != "accept" and not risk.actions().exists():
        return _("Add at least one treatment action (or choose to accept).")
    return None


def actions_done(risk: Any) -> str | Promise | None:
    open_ = risk.actions().filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
    if open_.exists():
        return _("%(n)s treatment actions are still open.") % {"n": open_.count()}
    return None


# The effectiveness of a treatment is checked this many days after it is done.
EFFECTIVENESS_DAYS = 30


def reviewers(risk: Any) -> list[Any]:
    """Who checks a treatment's effect: the risk's owner, who may sign the review."""
    return [risk.owner] if risk.owner_id else []


def schedule_next_review(risk: Any, user: Any, comment: str, today: datetime.date) -> None:
    risk.due_date = add_months(today, REVIEW_MONTHS)


def record_closing(risk: Any, user: Any, comment: str, today: datetime.date) -> None:
    risk.closed_reason = comment.strip()
    risk.due_date = None


RISK_WORKFLOW = Workflow(
    initial="identified",
    states=[
        State("identified", _("Identified")),
        State("assessed", _("Assessed")),
        State("treatment_planned", _("Treatment planned")),
        State("treated", _("Treated")),
        State("reviewed", _("Reviewed"), steady=True),
        State("closed", _("Closed / retired"), final=True),
    ],
    transitions=[
        Transition(
            "assess",
            _("Assessed"),
            sources=("identified",),
            target="assessed",
            roles=KEEPERS,
            required=("inherent_likelihood", "inherent_impact"),
        ),
        Transition(
            "plan_treatment",
            _("Treatment planned"),
            sources=("assessed",),
            target="treatment_planned",
            roles=KEEPERS,
            required=("treatment", "treatment_plan"),
            checks=(has_actions_unless_accepted,),
        ),
        Transition(
            "treat",
            _("Treatment done"),
            sources=("treatment_planned",),
            target="treated",
            roles=KEEPERS,
            checks=(actions_done,),
            handover=Handover(
                _("check the treatment's effectiveness"), reviewers, due_days=EFFECTIVENESS_DAYS
            ),
        ),
        Transition(
            "review",
            _("Review effectiveness"),
            sources=("treated",),
            target="reviewed",
            roles=frozenset({R.QUALITY_MANAGER, R.TOP_MANAGEMENT, R.OWNER}),
            required=(
                "effectiveness",
                "effectiveness_notes",
                "residual_likelihood",
                "residual_impact",
            ),
            signature=SignatureMeaning.VERIFIED,
            # The assessment signed; not the next review date, which the workflow moves.
            signs=(
                "title",
                "kind",
                "description",
                "cause",
                "consequence",
                "inherent_likelihood",
                "inherent_impact",
                "treatment",
                "treatment_plan",
                "effectiveness",
                "effectiveness_notes",
                "residual_likelihood",
                "residual_impact",
            ),
            style="success",
            help=_("Was the treatment effective? Rate what is left and sign."),
            effect=schedule_next_review,
        ),
        Transition(
            "reassess",
            _("Reassess (something changed)"),
            sources=("treatment_planned", "treated", "reviewed"),
            target="assessed",
            roles=KEEPERS,
            comment_required=True,
            style="warning",
        ),
        Transition(
            "close",
            _("Close / retire"),
            sources=("identified", "assessed", "treatment_planned", "treated", "reviewed"),
            target="closed",
            roles=KEEPERS,
            comment_required=True,
            style="outline-danger",
            help=_("No longer relevant, or merged into another. Say why."),
            effect=record_closing,
        ),
    ],
)


# --- quality objectives --------------------------------------------------------------
def has_kpis(objective: Any) -> str | Promise | None:
    if not objective.kpis.exists():
        return _("Link at least one KPI that measures the objective.")
    return None


OBJECTIVE_WORKFLOW = Workflow(
    initial="draft",
    states=[
        State("draft", _("Draft")),
        State("approved", _("Approved"), steady=True),
        State("achieved", _("Achieved"), final=True),
        State("not_achieved", _("Not achieved"), final=True),
        State("cancelled", _("Cancelled"), final=True),
    ],
    transitions=[
        Transition(
            "approve",
            _("Approve"),
            sources=("draft",),
            target="approved",
            roles=frozenset({R.TOP_MANAGEMENT}),
            required=("description", "resources", "evaluation", "due_date"),
            checks=(has_kpis,),
            signature=SignatureMeaning.APPROVED,
            style="success",
            help=_("Top management approves the objective and its plan."),
        ),
        Transition(
            "achieve",
            _("Achieved"),
            sources=("approved",),
            target="achieved",
            roles=frozenset({R.TOP_MANAGEMENT, R.QUALITY_MANAGER, R.OWNER}),
            required=("outcome_notes",),
            style="success",
        ),
        Transition(
            "not_achieve",
            _("Not achieved"),
            sources=("approved",),
            target="not_achieved",
            roles=frozenset({R.TOP_MANAGEMENT, R.QUALITY_MANAGER, R.OWNER}),
            required=("outcome_notes",),
            style="warning",
        ),
        Transition(
            "cancel",
            _("Cancel"),
            sources=("draft", "approved"),
            target="cancelled",
            roles=MANAGEMENT,
            comment_required=True,
            style="outline-danger",
        ),
    ],
)


# --- KPIs --------------------------------------------------------------------------------
KPI_WORKFLOW = Workflow(
    initial="active",
    states=[
        State("active", _("Measured"), steady=True),
        State("retired", _("Retired"), final=True),
    ],
    transitions=[
        Transition(
            "retire",
            _("Retire"),
            sources=("active",),
            target="retired",
            roles=KEEPERS,
            comment_required=True,
            style="outline-danger",
            help=_("No longer measured; its figures stay."),
        ),
    ],
)


# --- change plans -------------------------------------------------------------------------
CHANGE_WORKFLOW = Workflow(
    initial="proposed",
    states=[
        State("proposed", _("Proposed")),
        State("approved", _("Approved")),
        State("implementing", _("Being implemented")),
        State("implemented", _("Implemented")),
        State("reviewed", _("Reviewed"), final=True),
        State("cancelled", _("Cancelled"), final=True),
    ],
    transitions=[
        Transition(
            "approve",
            _("Approve"),
            sources=("proposed",),
            target="approved",
            roles=MANAGEMENT,
            required=("purpose", "consequences", "integrity", "resources", "responsibilities"),
            signature=SignatureMeaning.APPROVED,
            # A plan changed after its approval goes back to be approved again.
            reopen_on_edit=True,
            signer_not_owner=True,
            style="success",
        ),
        Transition(
            "start",
            _("Start implementing"),
            sources=("approved",),
            target="implementing",
            roles=KEEPERS,
        ),
        Transition(
            "implement",
            _("Implemented"),
            sources=("implementing",),
            target="implemented",
            roles=KEEPERS,
            required=("implementation",),
        ),
        Transition(
            "review",
            _("Review the change"),
            sources=("implemented",),
            target="reviewed",
            roles=MANAGEMENT,
            required=("review",),
            signature=SignatureMeaning.VERIFIED,
            style="success",
        ),
        Transition(
            "cancel",
            _("Cancel"),
            sources=("proposed", "approved", "implementing"),
            target="cancelled",
            roles=KEEPERS,
            comment_required=True,
            style="outline-danger",
        ),
    ],
)
