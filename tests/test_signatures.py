"""Signatures bound to what was signed (issue 9): signed content is frozen (or, where the
step says so, an edit sends the record back to be signed again), the stored hash is
checked, an authorisation is given by the authoriser's own signed step, and signature
passwords are throttled and trailed like signing in."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hoshin.core import signoff, trail
from hoshin.core.actor import acting_as
from hoshin.core.models import Signature, Supersession, TrailEvent, User
from hoshin.core.workflow import TransitionError
from hoshin.improvement.models import Nonconformity
from hoshin.improvement.workflow import WORKFLOW as NC_WORKFLOW
from hoshin.planning.models import ChangePlan, Kpi, Objective
from hoshin.planning.workflow import CHANGE_WORKFLOW, OBJECTIVE_WORKFLOW
from tests.conftest import PASSWORD, advance
from tests.factories import KpiFactory

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def edit_page(client: Client, slug: str, record: Any, **changes: Any) -> Any:
    """Post the record's edit form as it stands, with ``changes``."""
    url = reverse(f"{slug}_edit", args=[record.pk])
    form = client.get(url).context["form"]
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    data.update(changes)
    return client.post(url, data)


def approved_objective(owner: User, ceo: User) -> Objective:
    with acting_as(owner):
        objective = Objective(
            title="Deliver on time",
            description="Raise on-time delivery to 95 %.",
            resources="Planner, ERP report",
            evaluation="Monthly review",
            due_date=timezone.localdate() + datetime.timedelta(days=200),
            owner=owner,
        )
        objective.save()
    kpi: Kpi = KpiFactory(owner=owner)
    objective.kpis.add(kpi)
    with acting_as(ceo):
        OBJECTIVE_WORKFLOW.perform(objective, "approve", ceo, password=PASSWORD)
    objective.refresh_from_db()
    return objective


def approved_plan(quality: User, ceo: User) -> ChangePlan:
    with acting_as(quality):
        plan = ChangePlan(
            title="New ERP",
            purpose="Retire the old one.",
            consequences="Two weeks of double entry.",
            integrity="Old system read-only until cut-over.",
            resources="IT, key users",
            responsibilities="QM leads; IT migrates",
            owner=quality,
        )
        plan.save()
    with acting_as(ceo):
        CHANGE_WORKFLOW.perform(plan, "approve", ceo, password=PASSWORD)
    plan.refresh_from_db()
    return plan


# --- 1. signed content is frozen ----------------------------------------------------------
def test_an_approved_objectives_description_and_due_date_are_refused_through_the_api(
    owner, ceo, quality
):
    objective = approved_objective(owner, ceo)
    url = f"/api/objectives/{objective.pk}/"
    for user in (owner, quality):
        response = api_as(user).patch(
            url,
            {
                "version": objective.version,
                "description": "Something else entirely.",
                "due_date": "2099-01-01",
            },
            format="json",
        )
        assert response.status_code == 400, response.content
        assert "cannot be changed while the signature stands" in str(response.json()["description"])
        assert "due_date" in response.json()
    objective.refresh_from_db()
    assert objective.description == "Raise on-time delivery to 95 %."
    assert objective.status == "approved"
    assert not Supersession.objects.exists()


def test_an_approved_objectives_signed_fields_are_refused_through_the_form(owner, ceo):
    objective = approved_objective(owner, ceo)
    response = edit_page(signed_in(owner), "objectives", objective, description="Changed.")
    assert response.status_code == 400
    assert "cannot be changed while the signature stands" in str(
        response.context["form"].errors["description"]
    )
    objective.refresh_from_db()
    assert objective.description == "Raise on-time delivery to 95 %."


def test_what_later_steps_fill_in_stays_editable_after_the_signature(owner, ceo):
    objective = approved_objective(owner, ceo)
    response = api_as(owner).patch(
        f"/api/objectives/{objective.pk}/",
        {"version": objective.version, "outcome_notes": "95.4 % over the year."},
        format="json",
    )
    assert response.status_code == 200, response.content
    OBJECTIVE_WORKFLOW.perform(
        objective := Objective.objects.get(pk=objective.pk), "achieve", owner
    )
    assert signoff.mismatched(objective) == []


def test_where_the_step_says_so_an_edit_sends_the_record_back_to_be_signed_again(quality, ceo):
    plan = approved_plan(quality, ceo)
    signature = Signature.objects.for_record(plan).get()
    response = api_as(quality).patch(
        f"/api/changes/{plan.pk}/",
        {"version": plan.version, "purpose": "Retire the old one and merge two sites."},
        format="json",
    )
    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert plan.status == "proposed"
    assert plan.purpose == "Retire the old one and merge two sites."
    assert Supersession.objects.get(signature=signature).by == quality
    superseded = trail.record_history(plan).filter(action=trail.TrailAction.SUPERSEDED).get()
    assert superseded.changes["signer"] == "ceo"
    page = signed_in(quality).get(reverse("changes_detail", args=[plan.pk]))
    assert "superseded" in page.content.decode()
    assert signoff.mismatched(plan) == []  # superseded: no longer checked


def test_an_edit_through_the_form_where_the_step_reopens_says_so(quality, ceo):
    plan = approved_plan(quality, ceo)
    client = signed_in(quality)
    response = edit_page(client, "changes", plan, resources="IT, key users, a consultant")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "proposed"
    page = client.get(response.url)
    assert "back to “Proposed”" in page.content.decode()


def test_the_stored_hash_is_checked_on_the_page_and_for_verify_trail(owner, ceo):
    objective = approved_objective(owner, ceo)
    page = signed_in(owner).get(reverse("objectives_detail", args=[objective.pk]))
    assert page.context["signed_mismatch"] == []
    assert signoff.mismatched_signatures() == []
    # Someone with database access changes the row behind the application's back.
    Objective.objects.filter(pk=objective.pk).update(description="Raise it to 80 %.")
    page = signed_in(owner).get(reverse("objectives_detail", args=[objective.pk]))
    assert "no longer matches what was signed" in page.content.decode()
    [(signature, record)] = signoff.mismatched_signatures()
    assert signature.signer == ceo and record.pk == objective.pk


# --- 2. an authorisation is the authoriser's own signed step ---------------------------------
def nonconforming(make_nc: Any, owner: User) -> Nonconformity:
    return make_nc(quantity_checked=200, quantity_nonconforming=12, disposition="concession")


def test_nobody_can_type_in_who_authorised_a_disposition(make_nc, owner, ceo, employee):
    nc = nonconforming(make_nc, owner)
    response = api_as(owner).patch(
        f"/api/nonconformities/{nc.pk}/",
        {"version": nc.version, "disposition_authorised_by": ceo.pk},
        format="json",
    )
    assert response.status_code == 200  # a read-only field: what was sent is not taken
    nc.refresh_from_db()
    assert nc.disposition_authorised_by is None
    client = signed_in(owner)
    assert (
        "disposition_authorised_by"
        not in client.get(reverse("nonconformities_edit", args=[nc.pk])).context["form"].fields
    )
    edit_page(client, "nonconformities", nc, disposition_authorised_by=ceo.pk)
    nc.refresh_from_db()
    assert nc.disposition_authorised_by is None


def test_an_employee_cannot_make_the_ceo_appear_to_authorise_a_concession(
    make_nc, owner, ceo, employee
):
    nc = nonconforming(make_nc, owner)
    # Not someone who may authorise:
    with pytest.raises(TransitionError) as refused:
        NC_WORKFLOW.perform(nc, "authorise_disposition", employee, password=PASSWORD)
    assert refused.value.status == 403
    # The owner may authorise, but only as themselves: the signer is whoever signs.
    response = api_as(owner).post(
        f"/api/nonconformities/{nc.pk}/transition/",
        {"transition": "authorise_disposition", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    nc.refresh_from_db()
    assert nc.disposition_authorised_by == owner
    assert Signature.objects.for_record(nc).get().signer == owner


def test_the_ceo_authorises_with_their_signature_and_containment_follows(make_nc, owner, ceo):
    nc = nonconforming(make_nc, owner)
    with acting_as(owner):
        nc.containment_action, nc.containment_by = "Quarantine", owner
        nc.containment_on = timezone.localdate()
        nc.save()
    with pytest.raises(TransitionError, match="Authorise the disposition"):
        NC_WORKFLOW.perform(nc, "contain", owner)
    with acting_as(ceo):
        NC_WORKFLOW.perform(nc, "authorise_disposition", ceo, password=PASSWORD)
    nc.refresh_from_db()
    assert nc.disposition_authorised_by == ceo and nc.status == "reported"
    signature = Signature.objects.for_record(nc).get()
    assert (signature.meaning, signature.signer) == ("authorised", ceo)
    NC_WORKFLOW.perform(nc, "contain", owner)
    assert nc.status == "contained"


def test_changing_an_authorised_disposition_withdraws_the_authorisation(make_nc, owner, ceo):
    nc = nonconforming(make_nc, owner)
    with acting_as(ceo):
        NC_WORKFLOW.perform(nc, "authorise_disposition", ceo, password=PASSWORD)
    nc.refresh_from_db()
    response = api_as(owner).patch(
        f"/api/nonconformities/{nc.pk}/",
        {"version": nc.version, "disposition": "scrap"},
        format="json",
    )
    assert response.status_code == 200, response.content
    nc.refresh_from_db()
    assert nc.disposition == "scrap" and nc.disposition_authorised_by is None
    assert Supersession.objects.filter(signature__object_id=nc.pk).exists()
    with acting_as(owner):
        nc.containment_action, nc.containment_by = "Quarantine", owner
        nc.containment_on = timezone.localdate()
        nc.save()
    with pytest.raises(TransitionError, match="Authorise the disposition"):
        NC_WORKFLOW.perform(nc, "contain", owner)


# --- 3. signature passwords are throttled and trailed ------------------------------------------
def refusals(record: Any) -> Any:
    return trail.record_history(record).filter(action=trail.TrailAction.SIGNATURE_REFUSED)


def draft_plan(quality: User) -> ChangePlan:
    with acting_as(quality):
        plan = ChangePlan(
            title="New ERP",
            purpose="Retire the old one.",
            consequences="Double entry.",
            integrity="Read-only old system.",
            resources="IT",
            responsibilities="QM",
            owner=quality,
        )
        plan.save()
    return plan


def test_wrong_signature_passwords_on_the_web_lock_signing_and_are_trailed(
    nc, owner, ceo, settings
):
    advance(nc, "verification", owner)
    with acting_as(owner):
        nc.verification_result = "effective"
        nc.save()
    client = signed_in(ceo)
    url = reverse("nonconformities_transition", args=[nc.pk])
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(limit):
        response = client.post(url, {"transition": "close", "password": f"guess-{attempt}"})
        assert response.status_code == 400
        assert "the password given is not correct" in response.content.decode()
    response = client.post(url, {"transition": "close", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()
    nc.refresh_from_db()
    assert nc.status == "verification" and not Signature.objects.exists()
    events = list(refusals(nc))
    assert len(events) == limit + 1
    assert all(e.actor == ceo and e.changes["step"] == "close" for e in events)
    assert not any("guess" in str(e.changes) + e.message for e in events)
    assert PASSWORD not in str([e.changes for e in events])


def test_wrong_signature_passwords_through_the_api_lock_signing(quality, ceo, settings):
    plan = draft_plan(quality)
    client = api_as(ceo)
    url = f"/api/changes/{plan.pk}/transition/"
    for attempt in range(40):
        response = client.post(
            url, {"transition": "approve", "password": f"guess-{attempt}"}, format="json"
        )
        assert response.status_code in (400, 429)
    response = client.post(url, {"transition": "approve", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert "Too many wrong passwords" in str(response.json())
    assert refusals(plan).count() == 41
    assert not Signature.objects.exists()


def test_the_lockout_counts_across_records_and_a_good_signature_starts_afresh(quality, ceo):
    first, second = draft_plan(quality), draft_plan(quality)
    for _ in range(2):
        with pytest.raises(TransitionError):
            CHANGE_WORKFLOW.perform(first, "approve", ceo, password="nope")
    with acting_as(ceo):
        CHANGE_WORKFLOW.perform(second, "approve", ceo, password=PASSWORD)
    assert signoff.recent_failures(ceo) == 0
    assert TrailEvent.objects.filter(action=trail.TrailAction.SIGNATURE_REFUSED).count() == 2


def test_a_document_sign_off_password_is_throttled_too(quality, ceo, settings):
    """The routes of document versions check the same counter."""
    plan = draft_plan(quality)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        with pytest.raises(TransitionError):
            CHANGE_WORKFLOW.perform(plan, "approve", ceo, password="nope")
    with pytest.raises(TransitionError) as locked:
        signoff.check_password(ceo, PASSWORD, plan, "sign_off")
    assert locked.value.status == 429
