"""The nonconformity workflow, rule by rule (ISO 9001 10.2.1)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hoshin.core.actor import acting_as
from hoshin.core.models import Action, Signature, StaleRecordError, TrailEvent
from hoshin.core.workflow import TransitionError
from hoshin.improvement.workflow import WORKFLOW
from tests.conftest import PASSWORD, advance

pytestmark = pytest.mark.django_db


def refusal(nc, name, user, **kw) -> TransitionError:  # type: ignore[no-untyped-def]
    with pytest.raises(TransitionError) as exc:
        WORKFLOW.perform(nc, name, user, **kw)
    nc.refresh_from_db()
    return exc.value


def test_a_new_nonconformity_is_reported_with_a_yearly_reference(nc, owner):
    assert nc.status == "reported"
    assert nc.reference == f"NC-{timezone.now().year}-0001"
    assert nc.created_by == owner


def test_references_are_allocated_in_sequence(make_nc):
    refs = [make_nc().reference for _ in range(3)]
    assert [r[-4:] for r in refs] == ["0001", "0002", "0003"]


def test_containment_is_refused_until_what_who_and_when_are_recorded(nc, owner):
    error = refusal(nc, "contain", owner)
    assert set(error.problems) == {"containment_action", "containment_by", "containment_on"}
    assert nc.status == "reported"


def test_containment_of_nonconforming_output_needs_an_authorised_disposition(nc, owner):
    nc.containment_action, nc.containment_by = "Quarantine", owner
    nc.containment_on, nc.quantity_nonconforming = timezone.localdate(), 12
    nc.save()
    error = refusal(nc, "contain", owner)
    assert "disposition" in str(error)
    # Who authorised it is the signer of the step, not a name typed in (issue 9).
    nc.disposition = "rework"
    nc.save()
    WORKFLOW.perform(nc, "authorise_disposition", owner, password=PASSWORD)
    WORKFLOW.perform(nc, "contain", owner)
    assert nc.status == "contained"


def test_no_investigation_without_containment(nc, owner):
    error = refusal(nc, "investigate", owner)
    assert error.status == 409
    assert nc.status == "reported"


def test_investigation_needs_a_root_cause_its_category_and_a_why(nc, owner):
    advance(nc, "contained", owner)
    error = refusal(nc, "investigate", owner)
    assert {"root_cause", "cause_category", "__all__"} <= set(error.problems)
    assert "why" in " ".join(error.problems["__all__"])


def test_actions_cannot_start_without_a_planned_corrective_action(nc, owner):
    advance(nc, "investigated", owner)
    error = refusal(nc, "start_actions", owner)
    assert "corrective action" in str(error)


def test_a_cancelled_action_does_not_count_as_planned(nc, owner):
    advance(nc, "investigated", owner)
    with acting_as(owner):
        action = Action(
            description="x", owner=owner, due_date=timezone.localdate(), status="cancelled"
        )
        action.link_to(nc)
        action.save()
    error = refusal(nc, "start_actions", owner)
    assert "corrective action" in str(error)
    assert nc.status == "investigated"


def test_verification_waits_for_every_action_done_with_evidence(nc, owner):
    advance(nc, "actions", owner)
    nc.verification_method, nc.verification_due = "Audit", timezone.localdate()
    nc.save()
    error = refusal(nc, "submit_verification", owner)
    assert "not done" in str(error)
    action = nc.actions().get()
    action.status, action.completed_on = "done", timezone.localdate()
    action.save()
    error = refusal(nc, "submit_verification", owner)
    assert "evidence" in str(error)


def test_closure_needs_an_effective_result(nc, owner, quality):
    advance(nc, "verification", owner)
    error = refusal(nc, "close", quality, password=PASSWORD)
    assert "effective" in str(error)


def test_closure_needs_the_signers_password(nc, owner, quality):
    advance(nc, "verification", owner)
    nc.verification_result = "effective"
    nc.save()
    error = refusal(nc, "close", quality, password="not-my-password")
    assert "password" in error.problems
    assert nc.status == "verification"
    assert not Signature.objects.for_record(nc).exists()


def test_the_owner_cannot_sign_their_own_closure(make_nc, quality):
    nc = make_nc(owner=quality)
    advance(nc, "verification", quality)
    nc.verification_result = "effective"
    nc.save()
    error = refusal(nc, "close", quality, password=PASSWORD)
    assert "someone other than" in str(error)


def test_closure_by_another_person_is_signed_and_recorded(nc, owner, auditor):
    nc = advance(nc, "closed", owner, verifier=auditor)
    assert nc.status == "closed"
    assert nc.verified_by == auditor
    assert nc.verified_on == timezone.localdate()
    signature = Signature.objects.for_record(nc).get()
    assert signature.signer == auditor
    assert signature.meaning == "verified"
    assert len(signature.content_hash) == 64
    assert TrailEvent.objects.filter(reference=nc.reference, action="signature").exists()


def test_failed_verification_returns_to_actions_with_a_reason(nc, owner, quality):
    advance(nc, "verification", owner)
    error = refusal(nc, "fail_verification", quality)
    assert "comment" in error.problems
    nc.verification_result = "not_effective"
    nc.save()
    WORKFLOW.perform(nc, "fail_verification", quality, comment="Burrs found again on lot 81")
    assert nc.status == "actions"
    event = TrailEvent.objects.filter(reference=nc.reference, action="transition").last()
    assert event is not None and event.message == "Burrs found again on lot 81"


def test_only_a_quality_manager_may_void_and_must_say_why(nc, owner, quality):
    error = refusal(nc, "void", owner, comment="dup")
    assert error.status == 403
    error = refusal(nc, "void", quality)
    assert "comment" in error.problems
    WORKFLOW.perform(nc, "void", quality, comment="Duplicate of NC-2026-0002")
    assert nc.status == "void"
    assert nc.void_reason == "Duplicate of NC-2026-0002"
    assert nc.voided_at is not None


def test_a_closed_nonconformity_cannot_move_again(nc, owner, auditor, quality):
    advance(nc, "closed", owner, verifier=auditor)
    for name in ("void", "fail_verification", "contain"):
        error = refusal(nc, name, quality, comment="x")
        assert error.status == 409


def test_an_unknown_transition_is_refused(nc, owner):
    error = refusal(nc, "teleport", owner)
    assert "transition" in error.problems


def test_available_transitions_depend_on_state_and_role(nc, owner, employee, quality, extaudit):
    # Authorising a disposition is a signed step its authoriser takes (issue 9).
    assert [t.name for t in WORKFLOW.available(nc, owner)] == ["authorise_disposition", "contain"]
    assert [t.name for t in WORKFLOW.available(nc, quality)] == [
        "authorise_disposition",
        "contain",
        "void",
    ]
    assert WORKFLOW.available(nc, employee) == []
    assert WORKFLOW.available(nc, extaudit) == []


def test_a_transition_on_a_stale_copy_is_refused(nc, owner):
    stale = type(nc).objects.get(pk=nc.pk)
    nc.title = "Changed meanwhile"
    nc.save()
    stale.containment_action, stale.containment_by = "Quarantine", owner
    stale.containment_on = timezone.localdate()
    with pytest.raises(StaleRecordError):
        stale.save()


def test_every_state_appears_in_the_state_chart():
    chart = WORKFLOW.chart("actions")
    names = [n["name"] for n in chart["nodes"]]
    assert names == ["reported", "contained", "investigated", "actions", "verification", "closed"]
    assert [n["name"] for n in chart["nodes"] if n["current"]] == ["actions"]
    assert {"from": "verification", "to": "actions"} in [
        {"from": e["from"], "to": e["to"]} for e in chart["edges"]
    ]
