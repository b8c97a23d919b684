"""The life of a nonconformity, from report to verified closure (ISO 9001 10.2.1)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from hoshin.core import roles
from hoshin.core.models import ActionStatus, SignatureMeaning
from hoshin.core.workflow import State, Transition, Workflow

if TYPE_CHECKING:
    from hoshin.core.models import User
    from hoshin.improvement.models import Nonconformity

R = roles
HANDLERS = frozenset({R.OWNER, R.QUALITY_MANAGER})
VERIFIERS = frozenset({R.QUALITY_MANAGER, R.INTERNAL_AUDITOR, R.TOP_MANAGEMENT})


def disposition_decided(nc: Nonconformity) -> str | None:
    if nc.quantity_nonconforming and not (nc.disposition and nc.disposition_authorised_by_id):
        return str(_("Decide the disposition of the nonconforming output and who authorised it."))
    return None


def has_whys(nc: Nonconformity) -> str | None:
    if not nc.why_list():
        return str(_("Record at least the first “why” of the 5-whys analysis."))
    return None


def has_actions(nc: Nonconformity) -> str | None:
    if not nc.live_actions():
        return str(_("Plan at least one corrective action."))
    return None


def actions_done(nc: Nonconformity) -> str | None:
    live = nc.live_actions()
    if not live:
        return str(_("Plan at least one corrective action."))
    open_ = [a for a in live if a.status != ActionStatus.DONE]
    if open_:
        return str(_("%(n)d corrective action(s) are not done yet.") % {"n": len(open_)})
    if any(not a.evidence.strip() for a in live):
        return str(_("Every completed action needs its evidence of completion."))
    return None


def found_effective(nc: Nonconformity) -> str | None:
    if nc.verification_result != "effective":
        return str(_("The verification result must be “effective” to close."))
    return None


def found_not_effective(nc: Nonconformity) -> str | None:
    if nc.verification_result != "not_effective":
        return str(_("Record the verification result “not effective” first."))
    return None


def record_verification(nc: Nonconformity, user: User, comment: str, today: datetime.date) -> None:
    """Closing records who verified the actions effective, and when."""
    nc.verified_by = user
    nc.verified_on = today


WORKFLOW = Workflow(
    initial="reported",
    states=[
        State("reported", _("Reported")),
        State("contained", _("Contained")),
        State("investigated", _("Investigated")),
        State("actions", _("Actions in progress")),
        State("verification", _("Verification")),
        State("closed", _("Closed"), final=True),
        State("void", _("Void"), final=True),
    ],
    transitions=[
        Transition(
            "contain",
            _("Record containment"),
            sources=("reported",),
            target="contained",
            roles=HANDLERS,
            required=("containment_action", "containment_by", "containment_on"),
            checks=(disposition_decided,),
            help=_("The nonconforming output is identified and kept from unintended use."),
        ),
        Transition(
            "investigate",
            _("Root cause found"),
            sources=("contained",),
            target="investigated",
            roles=HANDLERS,
            required=("root_cause", "cause_category"),
            checks=(has_whys,),
        ),
        Transition(
            "start_actions",
            _("Start corrective actions"),
            sources=("investigated",),
            target="actions",
            roles=HANDLERS,
            checks=(has_actions,),
        ),
        Transition(
            "submit_verification",
            _("Ready for verification"),
            sources=("actions",),
            target="verification",
            roles=HANDLERS,
            required=("verification_method", "verification_due"),
            checks=(actions_done,),
        ),
        Transition(
            "close",
            _("Verify effective and close"),
            sources=("verification",),
            target="closed",
            roles=VERIFIERS,
            checks=(found_effective,),
            signature=SignatureMeaning.VERIFIED,
            signer_not_owner=True,
            style="success",
            effect=record_verification,
        ),
        Transition(
            "fail_verification",
            _("Not effective: back to actions"),
            sources=("verification",),
            target="actions",
            roles=VERIFIERS,
            checks=(found_not_effective,),
            comment_required=True,
            style="warning",
        ),
        Transition(
            "void",
            _("Void"),
            sources=("reported", "contained", "investigated", "actions", "verification"),
            target="void",
            roles=frozenset({R.QUALITY_MANAGER}),
            comment_required=True,
            style="outline-danger",
            help=_("Raised in error or a duplicate. The record stays, marked void."),
        ),
    ],
)
