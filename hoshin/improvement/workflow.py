"""The life of a nonconformity, from report to verified closure (ISO 9001 10.2.1)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from hoshin.core import roles
from hoshin.core.models import ActionStatus, SignatureMeaning
from hoshin.core.workflow import Handover, State, Transition, Workflow

if TYPE_CHECKING:
    from hoshin.core.models import User
    from hoshin.improvement.models import Nonconformity

R = roles
HANDLERS = frozenset({R.OWNER, R.QUALITY_MANAGER})
VERIFIERS = frozenset({R.QUALITY_MANAGER, R.INTERNAL_AUDITOR, R.TOP_MANAGEMENT})


def disposition_decided(nc: Nonconformity) -> str | None:
    if nc.quantity_nonconforming and not (nc.disposition and nc.disposition_authorised_by_id):
        return str(
            _(
                "Decide the disposition of the nonconforming output and have it authorised: "
                "whoever authorises it takes the step “Authorise the disposition” and signs."
            )
        )
    return None


def record_authorisation(nc: Nonconformity, user: User, comment: str, today: datetime.date) -> None:
    """The disposition is authorised by whoever signs the step, never by a name typed in."""
    nc.disposition_authorised_by = user


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


def verifiers(nc: Nonconformity) -> list[User]:
    """Who is asked to verify: the quality managers, other than the nonconformity's owner
    (the signature must be someone else's)."""
    from hoshin.core.inbox import role_holders

    return role_holders(R.QUALITY_MANAGER, besides=nc.owner_id)


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
        # Authorising the disposition is a signed step of its own, taken by the person
        # who authorises it (8.7.2 d): the output described and its disposition are what
        # they sign; changing either afterwards supersedes the authorisation.
        Transition(
            "authorise_disposition",
            _("Authorise the disposition"),
            sources=("reported",),
            target="reported",
            roles=frozenset({R.OWNER, R.QUALITY_MANAGER, R.PROCESS_OWNER, R.TOP_MANAGEMENT}),
            required=("disposition",),
            signature=SignatureMeaning.AUTHORISED,
            signs=(
                "product_ref",
                "lot_ref",
                "quantity_checked",
                "quantity_nonconforming",
                "disposition",
            ),
            reopen_on_edit=True,
            awaited=False,
            style="outline-primary",
            help=_("You authorise this disposition of the nonconforming output, and sign."),
            effect=record_authorisation,
        ),
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
            # The analysis is made in the step: the ladder of whys, the fishbone, then
            # the cause it points to.
            fields=("whys", "fishbone", "cause_category", "root_cause"),
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
            handover=Handover(_("verify the actions' effectiveness and close"), verifiers),
        ),
        Transition(
            "close",
            _("Verify effective and close"),
            sources=("verification",),
            target="closed",
            roles=VERIFIERS,
            checks=(found_effective,),
            # The verifier records the result in the step: they need not be able to edit.
            fields=("verification_method", "verification_result", "verification_notes"),
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
            fields=("verification_result", "verification_notes"),
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
