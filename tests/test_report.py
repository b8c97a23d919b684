"""The nonconformity report (PDF): what it says, and who may have it."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from hoshin.core import roles
from hoshin.core.actor import acting_as
from hoshin.core.models import Action, Organisation, Signature, TrailEvent, User
from hoshin.improvement.models import CostItem, Nonconformity
from hoshin.improvement.report import nonconformity_pdf, render_report_html
from hoshin.improvement.workflow import WORKFLOW
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def person(username: str, role: str | None, **extra: Any) -> User:
    return make_user(username, role, **extra)


@pytest.fixture
def manager() -> User:
    return person("rmanager", roles.QUALITY_MANAGER)


@pytest.fixture
def handler() -> User:
    return person("rhandler", roles.PROCESS_OWNER, job_title="Production manager")


@pytest.fixture
def verifier() -> User:
    return person("rverifier", roles.INTERNAL_AUDITOR)


def reported(owner: User, **fields: Any) -> Nonconformity:
    values: dict[str, Any] = {
        "title": "Bore oversize on housing H-220",
        "description": "37 of 500 housings measured 42.06 mm.\nFound by CMM.",
        "source": "internal_audit",
        "owner": owner,
        "detected_on": timezone.localdate() - datetime.timedelta(days=10),
    }
    values.update(fields)
    with acting_as(owner):
        nc = Nonconformity(**values)
        nc.save()
    return Nonconformity.objects.get(pk=nc.pk)


def closed(owner: User, verifier: User) -> Nonconformity:
    """A nonconformity taken through its whole life, with a cost and a signature."""
    today = timezone.localdate()
    nc = reported(
        owner,
        product_ref="H-220",
        lot_ref="LOT-4711",
        quantity_checked=500,
        quantity_nonconforming=37,
        disposition="rework",
        disposition_authorised_by=owner,
        due_date=today + datetime.timedelta(days=20),
    )
    with acting_as(owner):
        nc.containment_action = "Lot quarantined in area Q2."
        nc.containment_by, nc.containment_on = owner, today
        nc.save()
        WORKFLOW.perform(nc, "contain", owner)
        nc.whys = ["Tool worn", "Tool life not tracked", "Counter disabled by an update"]
        nc.fishbone = {"method": "Update procedure lacks a parameter check", "machine": "M-07"}
        nc.cause_category = "method"
        nc.root_cause = "The update procedure does not re-verify machine parameters."
        nc.save()
        WORKFLOW.perform(nc, "investigate", owner)
        action = Action(
            description="Add a parameter checklist to WI-MAINT-014",
            owner=owner,
            due_date=today,
            status="done",
            completed_on=today,
            evidence="WI-MAINT-014 rev D",
        )
        action.link_to(nc)
        action.save()
        WORKFLOW.perform(nc, "start_actions", owner)
        nc.verification_method = "Audit counters after two updates"
        nc.verification_due = today
        nc.save()
        WORKFLOW.perform(nc, "submit_verification", owner)
        CostItem(
            nonconformity=nc,
            category="rework",
            description="Re-boring",
            amount=Decimal("585.00"),
            currency=Organisation.current().base_currency,
            incurred_on=today,
        ).save()
    nc.refresh_from_db()
    with acting_as(verifier):
        nc.verification_result = "effective"
        nc.save()
        WORKFLOW.perform(nc, "close", verifier, password=PASSWORD, comment="Checked on site.")
    return Nonconformity.objects.get(pk=nc.pk)


# --- the content ---------------------------------------------------------------------


def test_the_report_tells_the_whole_story(handler: User, verifier: User) -> None:
    org = Organisation.current()
    org.name = "Acme Precision"
    org.save()
    nc = closed(handler, verifier)
    html = render_report_html(None, nc)

    for text in (
        "Acme Precision",
        "Nonconformity report",
        nc.reference,
        nc.title,
        "Closed",  # the status label, not the raw name
        "Internal audit",
        "LOT-4711",
        "Rework",
        "Lot quarantined in area Q2.",
        "Counter disabled by an update",
        "The update procedure does not re-verify machine parameters.",
        "Add a parameter checklist to WI-MAINT-014",
        "WI-MAINT-014 rev D",
        "Audit counters after two updates",
        "Effective",
        "585.00 EUR" if org.base_currency == "EUR" else "585.00",
        "Verified effective",
        "Checked on site.",
        "Status changed",
    ):
        assert text in html, text
    signature = Signature.objects.for_record(nc).get()
    assert signature.content_hash in html
    # The 5 whys as a numbered chain, the chosen fishbone category highlighted.
    assert html.index("Why 1") < html.index("Why 2") < html.index("Why 3")
    assert 'class="chosen"><span class="cat">Method' in html
    assert 'class="watermark"' not in html


def test_everything_in_the_report_is_escaped(handler: User) -> None:
    nc = reported(handler, title='<script>alert("x")</script>', description="<b>bold</b>")
    html = render_report_html(None, nc)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_void_nonconformity_carries_a_void_watermark(handler: User, manager: User) -> None:
    nc = reported(handler)
    with acting_as(manager):
        WORKFLOW.perform(nc, "void", manager, comment="Raised twice.")
    html = render_report_html(None, Nonconformity.objects.get(pk=nc.pk))
    assert 'class="watermark"' in html
    assert "VOID" in html
    assert "Raised twice." in html


def test_the_report_is_a_pdf_and_writes_nothing_to_the_trail(handler: User, verifier: User) -> None:
    nc = closed(handler, verifier)
    events = TrailEvent.objects.count()
    pdf = nonconformity_pdf(None, nc)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000
    assert TrailEvent.objects.count() == events


def test_the_pdf_text_names_the_record(handler: User, verifier: User) -> None:
    nc = closed(handler, verifier)
    pages = PdfReader(io.BytesIO(nonconformity_pdf(None, nc))).pages
    text = "\n".join(page.extract_text() for page in pages)
    assert nc.reference in text
    assert nc.title in text
    assert "Page 1 of" in text
    assert "UTC" in text


# --- who may have it -------------------------------------------------------------------


def test_a_permitted_person_downloads_the_pdf(client: Any, handler: User, manager: User) -> None:
    nc = reported(handler)
    client.force_login(manager)
    response = client.get(reverse("nonconformities_pdf", args=[nc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert nc.reference in response["Content-Disposition"]
    # Handing out a copy of the record is itself recorded.
    assert TrailEvent.objects.filter(
        object_id=nc.pk, reference=nc.reference, action="export"
    ).exists()


def test_an_employee_not_involved_gets_404(client: Any, handler: User) -> None:
    nc = reported(handler)
    client.force_login(person("bystander", roles.EMPLOYEE))
    response = client.get(reverse("nonconformities_pdf", args=[nc.pk]))
    assert response.status_code == 404


def test_an_involved_employee_gets_the_pdf(client: Any, handler: User) -> None:
    reporter = person("reporter", roles.EMPLOYEE)
    nc = reported(handler, detected_by=reporter)
    client.force_login(reporter)
    response = client.get(reverse("nonconformities_pdf", args=[nc.pk]))
    assert response.status_code == 200


def test_anonymous_is_sent_to_sign_in(client: Any, handler: User) -> None:
    nc = reported(handler)
    url = reverse("nonconformities_pdf", args=[nc.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
