"""Steps that carry their own fields (issue 10): a workflow step shows and takes the fields
it needs, in the step itself, on the record page and in the API's transition body, set by
whoever may take the step even if they may not edit the record."""

from __future__ import annotations

from typing import Any

import pytest
import tinyhtml5
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hoshin.core import permissions
from hoshin.core.actor import acting_as
from hoshin.core.models import Signature, TrailEvent, User
from hoshin.core.registry import registry
from hoshin.improvement.fishbone import fishbone_svg
from hoshin.improvement.workflow import WORKFLOW
from hoshin.planning.models import Risk
from hoshin.planning.workflow import RISK_WORKFLOW
from tests.conftest import PASSWORD, advance
from tests.factories import RiskFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class Html:
    """A parsed page, queried the few ways these tests need."""

    def __init__(self, content: bytes | str) -> None:
        self.root = tinyhtml5.parse(content, namespace_html_elements=False)
        self.parents = {child: parent for parent in self.root.iter() for child in parent}

    def all(self, tag: str, within: Any = None, **attrs: str) -> list[Any]:
        found = []
        for el in (within if within is not None else self.root).iter():
            name = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
            if name == tag and all(el.get(k.rstrip("_")) == v for k, v in attrs.items()):
                found.append(el)
        return found

    def one(self, tag: str, within: Any = None, **attrs: str) -> Any:
        found = self.all(tag, within, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def step(self, name: str) -> Any:
        """The <details> of the step ``name``."""
        el = self.one("button", name="do", value=name)
        while el.tag != "details":
            el = self.parents[el]
        return el


def text(el: Any) -> str:
    return "".join(el.itertext())


def classes(el: Any) -> list[str]:
    return el.get("class", "").split()


def page(client: Client, record: Any, slug: str = "nonconformities") -> Html:
    response = client.get(reverse(f"{slug}_detail", args=[record.pk]))
    assert response.status_code == 200
    return Html(response.content)


def step_inputs(html: Html, block: Any) -> set[str]:
    """The names a step's form posts, beyond the step itself, comment and password."""
    names = {
        el.get("name")
        for tag in ("input", "select", "textarea")
        for el in html.all(tag, block)
        if el.get("name")
    }
    return names - {"csrfmiddlewaretoken", "transition", "version", "comment", "password"}


def selected(html: Html, select: Any) -> str:
    return next(o.get("value") for o in html.all("option", select) if o.get("selected") is not None)


def take(
    client: Client, record: Any, name: str, slug: str = "nonconformities", **fields: Any
) -> Any:
    data = {"transition": name, "version": record.version, **fields}
    return client.post(reverse(f"{slug}_transition", args=[record.pk]), data)


def last_transition(record: Any) -> TrailEvent:
    return (
        TrailEvent.objects.filter(reference=record.reference, action="transition")
        .order_by("-seq")
        .first()
    )


# --- the declaration -------------------------------------------------------------------------
def test_the_step_form_shows_exactly_the_fields_the_step_declares(nc, owner):
    html = page(signed_in(owner), nc)
    contain = html.step("contain")
    assert step_inputs(html, contain) == {
        f"contain-{n}" for n in WORKFLOW.transition("contain").step_fields
    }
    assert WORKFLOW.transition("contain").step_fields[:3] == (
        "containment_action",
        "containment_by",
        "containment_on",
    )
    # Labels say what each is; the required ones are marked.
    label = text(html.one("label", contain, for_="id_contain-containment_action"))
    assert "Containment" in label and "*" in label


def test_the_investigate_step_shows_the_ladder_of_whys_and_the_fishbone(nc, owner):
    advance(nc, "contained", owner)
    nc.refresh_from_db()
    html = page(signed_in(owner), nc)
    block = html.step("investigate")
    names = step_inputs(html, block)
    assert {f"investigate-whys_{i}" for i in range(5)} <= names
    assert {"investigate-root_cause", "investigate-cause_category"} <= names
    assert "investigate-fishbone_method" in names
    assert [el for el in html.all("ol", block) if "why-ladder" in classes(el)]
    assert html.all("svg", block, class_="fishbone-diagram")
    assert "Why did it happen?" in [text(el) for el in html.all("label", block)]


def test_every_step_field_of_every_register_is_a_field_of_its_record_and_its_api(db):
    for rt in registry:
        serializer_fields = set(rt.serializer_class().fields)
        for t in rt.workflow.transitions:
            for name in t.step_fields:
                rt.model._meta.get_field(name)  # raises if it is no field of the record
                assert name in serializer_fields, (rt.slug, t.name, name)


# --- taking a step with its fields -------------------------------------------------------------
def test_the_owner_contains_in_the_step_and_the_trail_event_carries_the_values(nc, owner):
    response = take(
        signed_in(owner),
        nc,
        "contain",
        **{
            "contain-containment_action": "Lot L-77 quarantined.",
            "contain-containment_by": owner.pk,
            "contain-containment_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.status == "contained"
    assert nc.containment_action == "Lot L-77 quarantined." and nc.containment_by == owner
    changes = last_transition(nc).changes
    assert changes["status"]["after"] == "Contained"
    assert changes["containment_action"]["after"] == "Lot L-77 quarantined."
    assert changes["containment_on"]["after"] == TODAY().isoformat()
    # One event: the values and the step together.
    assert not TrailEvent.objects.filter(reference=nc.reference, action="change").exists()


def test_the_whys_climb_in_order_and_the_fishbone_is_kept_by_category(nc, owner):
    advance(nc, "contained", owner)
    nc.refresh_from_db()
    response = take(
        signed_in(owner),
        nc,
        "investigate",
        **{
            "investigate-whys_0": "The bore has a burr",
            "investigate-whys_1": "Deburring was skipped",
            "investigate-whys_2": "WI-12 omits deburring",
            "investigate-fishbone_method": "WI-12 omits deburring\nNo check sheet",
            "investigate-fishbone_machine": "",
            "investigate-cause_category": "method",
            "investigate-root_cause": "WI-12 does not include the deburring step.",
        },
    )
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.status == "investigated"
    assert nc.whys == ["The bore has a burr", "Deburring was skipped", "WI-12 omits deburring"]
    assert nc.fishbone == {"method": "WI-12 omits deburring\nNo check sheet"}


def test_a_gap_in_the_whys_is_refused_at_the_rung(nc, owner):
    advance(nc, "contained", owner)
    nc.refresh_from_db()
    response = take(
        signed_in(owner),
        nc,
        "investigate",
        **{"investigate-whys_0": "Burr", "investigate-whys_2": "WI-12 omits it"},
    )
    assert response.status_code == 400
    assert "why 2 is empty" in response.content.decode()
    nc.refresh_from_db()
    assert nc.status == "contained" and nc.whys == []


def test_a_failed_condition_loses_nothing_typed(nc, owner):
    advance(nc, "contained", owner)
    nc.refresh_from_db()
    # Whys and root cause typed, the category forgotten: the step is refused.
    response = take(
        signed_in(owner),
        nc,
        "investigate",
        **{
            "investigate-whys_0": "The bore has a burr",
            "investigate-whys_1": "Deburring was skipped",
            "investigate-fishbone_people": "New operator on night shift",
            "investigate-root_cause": "WI-12 does not include the deburring step.",
        },
    )
    assert response.status_code == 400
    html = Html(response.content)
    block = html.step("investigate")
    assert block.get("open") is not None
    first = html.one("input", block, name="investigate-whys_0")
    assert first.get("value") == "The bore has a burr"
    second = html.one("input", block, name="investigate-whys_1")
    assert second.get("value") == "Deburring was skipped"
    # The third rung quotes the answer above it.
    assert "Why did “Deburring was skipped” happen?" in text(block)
    root_cause = html.one("textarea", block, name="investigate-root_cause")
    assert text(root_cause).strip() == "WI-12 does not include the deburring step."
    people = html.one("textarea", block, name="investigate-fishbone_people")
    assert "New operator" in text(people)
    # The message sits at the field it is about, and nothing was saved.
    category = html.one("select", block, name="investigate-cause_category")
    assert "is-invalid" in classes(category)
    assert "Root-cause category is required first." in text(block)
    nc.refresh_from_db()
    assert nc.status == "contained" and nc.root_cause == "" and nc.whys == []


def test_a_model_rule_is_checked_on_the_step_values(nc, owner):
    before = (nc.detected_on - timezone.timedelta(days=3)).isoformat()
    response = take(
        signed_in(owner),
        nc,
        "contain",
        **{
            "contain-containment_action": "Quarantine",
            "contain-containment_by": owner.pk,
            "contain-containment_on": before,
        },
    )
    assert response.status_code == 400
    assert "Containment cannot come before detection." in response.content.decode()
    nc.refresh_from_db()
    assert nc.status == "reported"


def test_a_ceo_verifies_and_closes_with_the_result_set_in_the_step(nc, owner, ceo):
    advance(nc, "verification", owner)
    nc.refresh_from_db()
    assert not permissions.can_edit(ceo, nc)  # the CEO may not edit the record...
    client = signed_in(ceo)
    html = page(client, nc)
    block = html.step("close")
    assert {"close-verification_result", "close-verification_notes"} <= step_inputs(html, block)
    response = take(
        client,
        nc,
        "close",
        password=PASSWORD,
        **{
            "close-verification_method": nc.verification_method,
            "close-verification_result": "effective",
            "close-verification_notes": "Three lots audited, no burr.",
        },
    )
    assert response.status_code == 302  # ...but verifies and closes it in the step
    nc.refresh_from_db()
    assert nc.status == "closed" and nc.verification_result == "effective"
    assert nc.verified_by == ceo and nc.verification_notes == "Three lots audited, no burr."
    changes = last_transition(nc).changes
    assert changes["verification_result"]["after"] == "Effective"
    assert changes["verification_notes"]["after"] == "Three lots audited, no burr."
    # The signature covers the values set in the step.
    signature = Signature.objects.for_record(nc).get()
    assert signature.signer == ceo and signature.meaning == "verified"


def test_a_wrong_password_keeps_the_result_chosen(nc, owner, auditor):
    advance(nc, "verification", owner)
    nc.refresh_from_db()
    response = take(
        signed_in(auditor),
        nc,
        "close",
        password="not-it",
        **{"close-verification_result": "effective", "close-verification_notes": "OK"},
    )
    assert response.status_code == 400
    html = Html(response.content)
    result = html.one("select", html.step("close"), name="close-verification_result")
    assert selected(html, result) == "effective"
    nc.refresh_from_db()
    assert nc.status == "verification" and nc.verification_result == ""


def test_a_stale_step_is_refused_and_changes_nothing(nc, owner):
    stale = nc.version
    with acting_as(owner):
        nc.title = "Changed meanwhile"
        nc.save()
    response = signed_in(owner).post(
        reverse("nonconformities_transition", args=[nc.pk]),
        {
            "transition": "contain",
            "version": stale,
            "contain-containment_action": "Quarantine",
            "contain-containment_by": owner.pk,
            "contain-containment_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.status == "reported" and nc.containment_action == ""


# --- permission ---------------------------------------------------------------------------------
def test_someone_who_may_not_take_the_step_may_not_set_its_fields(nc, owner, employee):
    advance(nc, "verification", owner)
    nc.refresh_from_db()
    # An employee may not verify: no step on the page, and posting it is refused.
    assert signed_in(employee).get(reverse("nonconformities_detail", args=[nc.pk])).status_code in (
        200,
        404,
    )
    response = take(
        signed_in(employee),
        nc,
        "close",
        password=PASSWORD,
        **{"close-verification_result": "effective"},
    )
    assert response.status_code in (403, 404)
    # Nor may the owner close their own: the verifier must be someone else, and the result
    # they typed is not saved.
    response = take(
        signed_in(owner),
        nc,
        "close",
        password=PASSWORD,
        **{"close-verification_result": "effective"},
    )
    assert response.status_code == 403
    refused = api_as(employee).post(
        f"/api/nonconformities/{nc.pk}/transition/",
        {"transition": "close", "verification_result": "effective", "password": PASSWORD},
        format="json",
    )
    assert refused.status_code in (403, 404)
    nc.refresh_from_db()
    assert nc.status == "verification" and nc.verification_result == ""


def test_a_step_takes_only_its_own_fields(nc, owner):
    response = api_as(owner).post(
        f"/api/nonconformities/{nc.pk}/transition/",
        {
            "transition": "contain",
            "containment_action": "Quarantine",
            "containment_by": owner.pk,
            "containment_on": TODAY().isoformat(),
            "severity": "minor",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "does not take this field" in response.json()["severity"][0]
    nc.refresh_from_db()
    assert nc.status == "reported" and nc.severity == "major"


# --- the API -----------------------------------------------------------------------------------
def test_the_api_takes_the_fields_with_the_transition(nc, owner, quality):
    advance(nc, "contained", owner)
    nc.refresh_from_db()
    response = api_as(owner).post(
        f"/api/nonconformities/{nc.pk}/transition/",
        {
            "transition": "investigate",
            "version": nc.version,
            "whys": ["Burr", "Deburr skipped"],
            "fishbone": {"method": "WI-12 omits deburring"},
            "cause_category": "method",
            "root_cause": "WI-12 omits the deburring step.",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "investigated" and body["whys"] == ["Burr", "Deburr skipped"]
    assert last_transition(nc).changes["root_cause"]["after"] == "WI-12 omits the deburring step."


def test_the_api_answers_field_errors_with_400(nc, owner):
    advance(nc, "contained", owner)
    nc.refresh_from_db()
    response = api_as(owner).post(
        f"/api/nonconformities/{nc.pk}/transition/",
        {"transition": "investigate", "cause_category": "luck", "whys": ["x"]},
        format="json",
    )
    assert response.status_code == 400
    assert "cause_category" in response.json()
    # A missing required field is named by field too.
    response = api_as(owner).post(
        f"/api/nonconformities/{nc.pk}/transition/",
        {"transition": "investigate", "cause_category": "method", "whys": ["x"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["root_cause"] == ["Root cause is required first."]
    nc.refresh_from_db()
    assert nc.status == "contained" and nc.cause_category == ""


def test_the_schema_documents_the_step_fields(owner):
    response = api_as(owner).get("/api/schema/", {"format": "json"})
    schema = response.json()
    body = schema["components"]["schemas"]["NonconformityTransitionRequest"]
    assert {"verification_result", "root_cause", "whys"} <= set(body["properties"])
    assert "close" in body["properties"]["verification_result"]["description"]


# --- a risk's effectiveness review -------------------------------------------------------------
def treated_risk(owner: User) -> Risk:
    risk = RiskFactory(owner=owner, inherent_likelihood=4, inherent_impact=4)
    with acting_as(owner):
        RISK_WORKFLOW.perform(risk, "assess", owner)
        RISK_WORKFLOW.perform(
            risk,
            "plan_treatment",
            owner,
            values={"treatment": "accept", "treatment_plan": "Live with it; watch it."},
        )
        RISK_WORKFLOW.perform(risk, "treat", owner)
    risk.refresh_from_db()
    return risk


def test_a_reviewer_rates_the_residual_risk_in_the_review_step(owner, ceo):
    risk = treated_risk(owner)
    assert not permissions.can_edit(ceo, risk)
    client = signed_in(ceo)
    html = page(client, risk, "risks")
    block = html.step("review")
    assert step_inputs(html, block) == {
        "review-effectiveness",
        "review-effectiveness_notes",
        "review-residual_likelihood",
        "review-residual_impact",
    }
    # Ratings are chosen from the matrix, with its words.
    likelihood = html.one("select", block, name="review-residual_likelihood")
    assert len(html.all("option", likelihood)) > 3
    response = take(
        client,
        risk,
        "review",
        "risks",
        password=PASSWORD,
        **{
            "review-effectiveness": "effective",
            "review-effectiveness_notes": "Second foundry qualified.",
            "review-residual_likelihood": "2",
            "review-residual_impact": "3",
        },
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.status == "reviewed" and risk.residual_rating == 6
    changes = last_transition(risk).changes
    assert changes["residual_likelihood"]["after"] == 2
    assert changes["effectiveness"]["after"] == "Effective"


def test_a_review_without_the_impact_is_refused_at_the_field(owner, quality):
    risk = treated_risk(owner)
    response = take(
        signed_in(quality),
        risk,
        "review",
        "risks",
        password=PASSWORD,
        **{
            "review-effectiveness": "effective",
            "review-effectiveness_notes": "Fine.",
            "review-residual_likelihood": "2",
        },
    )
    assert response.status_code == 400
    html = Html(response.content)
    impact = html.one("select", html.step("review"), name="review-residual_impact")
    assert "is-invalid" in classes(impact)
    assert (
        selected(html, html.one("select", html.step("review"), name="review-residual_likelihood"))
        == "2"
    )
    risk.refresh_from_db()
    assert risk.status == "treated" and risk.residual_likelihood is None


# --- the fishbone diagram ----------------------------------------------------------------------
def test_the_fishbone_is_drawn_with_its_bones_and_causes():
    svg = fishbone_svg(
        {"method": "WI-12 omits deburring\nNo check sheet", "people": "<b>New</b> operator"},
        effect="Burr on bore",
        chosen="method",
    )
    html = Html(f"<div>{svg}</div>")
    bones = [g for g in html.all("g") if "fb-bone" in classes(g)]
    assert [b.get("data-category") for b in bones] == [
        "method",
        "machine",
        "material",
        "people",
        "measurement",
        "environment",
    ]
    assert [b.get("data-category") for b in bones if "chosen" in classes(b)] == ["method"]
    assert "No check sheet" in text(bones[0])
    assert "<b>" not in str(svg)  # causes are text, never markup
    assert "<b>New</b> operator" in text(bones[3])
    assert "Burr on bore" in text(html.root)
    assert "WI-12 omits deburring" in html.one("svg").get("aria-label")
