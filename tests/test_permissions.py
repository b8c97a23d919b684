"""Who may see and change what, checked page by page and role by role.

The matrix is derived from the registry, like the pages themselves: every register
gets the same pages, so every register is held to the same rules. A register added
without a record factory here makes ``test_every_register_has_a_record_factory`` fail.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hoshin.core import roles
from hoshin.core.actor import acting_as
from hoshin.core.models import Action, Attachment, TrailAction, TrailEvent, User
from hoshin.core.registry import RegisterType, registry
from hoshin.improvement.models import CostItem, Nonconformity
from hoshin.improvement.workflow import WORKFLOW
from hoshin.support.models import Document, DocumentType
from tests.conftest import PASSWORD, advance, make_user
from tests.factories import (
    ChangePlanFactory,
    DocumentFactory,
    KpiFactory,
    NonconformityFactory,
    ObjectiveFactory,
    RiskFactory,
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
CAST = ("quality", "ceo", "owner", "auditor", "employee", "extaudit", "outsider")
TODAY = timezone.localdate


# --- the pages of a register ------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    """One page or action of a register: a URL name suffix (or full name) and a method."""

    name: str
    method: str = "get"
    needs_record: bool = True
    extra: bool = False  # a register-specific page, named in full
    more_args: tuple[int, ...] = ()  # after the record's id (a version number)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


GENERIC_PAGES = (
    Page("list", needs_record=False),
    Page("create", needs_record=False),
    Page("create", "post", needs_record=False),
    Page("export_csv", needs_record=False),
    Page("export_xlsx", needs_record=False),
    Page("detail"),
    Page("edit"),
    Page("edit", "post"),
    Page("transition", "post"),
    Page("comment", "post"),
    Page("attach", "post"),
    Page("attachment"),
    Page("pdf"),
)
# Pages a register adds beyond the generic ones.
EXTRA_PAGES: dict[str, tuple[Page, ...]] = {
    "nonconformities": (
        Page("nc_action_add", extra=True),
        Page("nc_action_add", "post", extra=True),
        Page("nc_cost_add", extra=True),
        Page("nc_cost_add", "post", extra=True),
        Page("nc_raise_risk", "post", extra=True),
    ),
    "documents": (
        Page("documents_search", needs_record=False, extra=True),
        Page("documents_to_read", needs_record=False, extra=True),
        Page("documents_master_pdf", needs_record=False, extra=True),
        Page("document_preview", "post", needs_record=False, extra=True),
        Page("document_review", "post", extra=True),
        Page("document_version_new", "post", extra=True),
        Page("document_version", extra=True, more_args=(1,)),
        Page("document_version_edit", extra=True, more_args=(1,)),
        Page("document_version_edit", "post", extra=True, more_args=(1,)),
        Page("document_version_submit", "post", extra=True, more_args=(1,)),
        Page("document_version_sign", "post", extra=True, more_args=(1,)),
        Page("document_version_recall", "post", extra=True, more_args=(1,)),
        Page("document_acknowledge", "post", extra=True, more_args=(1,)),
        Page("document_readers", extra=True, more_args=(1,)),
        Page("document_file", extra=True, more_args=(1,)),
        Page("document_copy", extra=True, more_args=(1,)),
    ),
    "risks": (
        Page("risks_heat_map", needs_record=False, extra=True),
        Page("risks_action_add", extra=True),
        Page("risks_action_add", "post", extra=True),
    ),
    "kpis": (
        Page("kpis_overview", needs_record=False, extra=True),
        Page("kpis_import", needs_record=False, extra=True),
        Page("kpis_import", "post", needs_record=False, extra=True),
        Page("kpi_measurement_add", "post", extra=True),
    ),
    "objectives": (Page("objectives_on_track", needs_record=False, extra=True),),
}
READ_PAGES = {
    "list",
    "detail",
    "export_csv",
    "export_xlsx",
    "attachment",
    "pdf",
    "documents_search",
    "documents_to_read",
    "documents_master_pdf",
    "document_version",
    "document_file",
    "document_copy",
    "risks_heat_map",
    "kpis_overview",
    "objectives_on_track",
}


def pages_of(rt: RegisterType) -> list[Page]:
    return [*GENERIC_PAGES, *EXTRA_PAGES.get(rt.slug, ())]


MATRIX = [
    pytest.param(rt.slug, page, id=f"{rt.slug}-{page}") for rt in registry for page in pages_of(rt)
]


def _document_with_a_file(owner: User) -> Document:
    """A draft procedure with a text and a file: employees do not see drafts."""
    document = DocumentFactory(
        owner=owner, title="Control of monitoring equipment", body="# Purpose\n\nCalibrate."
    )
    version = document.working()
    assert version is not None
    with acting_as(owner):
        version.file.save("gauges.txt", ContentFile(b"Gauge list"), save=False)
        version.file_name, version.file_type = "gauges.txt", "text/plain"
        version.save()
    return document


# How to make a record of each register, owned by the given person.
RECORD_FACTORIES: dict[str, Callable[[User], Any]] = {
    "nonconformities": lambda owner: NonconformityFactory(owner=owner),
    "documents": _document_with_a_file,
    "risks": lambda owner: RiskFactory(owner=owner, rated=True),  # ready to be assessed
    "kpis": lambda owner: KpiFactory(owner=owner),
    "objectives": lambda owner: ObjectiveFactory(owner=owner),
    "changes": lambda owner: ChangePlanFactory(owner=owner),
}

# A valid POST body for each page, so that a refusal is never a validation error in disguise.
POST_BODIES: dict[str, dict[str, Callable[[Any, User], dict[str, Any]]]] = {
    "nonconformities": {
        "create": lambda r, u: {
            "title": "Scratch on cover",
            "description": "Seen at packing.",
            "source": "employee_report",
            "severity": "minor",
            "detected_on": TODAY().isoformat(),
        },
        "edit": lambda r, u: {
            "title": "Edited title",
            "description": r.description,
            "source": r.source,
            "severity": r.severity,
            "owner": r.owner_id,
            "detected_on": r.detected_on.isoformat(),
            "version": r.version,
        },
        "transition": lambda r, u: {"transition": "contain", "version": r.version},
        "comment": lambda r, u: {"text": "A remark"},
        "attach": lambda r, u: {"file": ContentFile(PNG, name="photo.png")},
        "nc_action_add": lambda r, u: {
            "description": "Add deburring",
            "owner": u.pk,
            "due_date": TODAY().isoformat(),
            "status": "open",
        },
        "nc_raise_risk": lambda r, u: {"confirm": "yes"},
        "nc_cost_add": lambda r, u: {
            "category": "scrap",
            "amount": "10.00",
            "currency": "EUR",
            "incurred_on": TODAY().isoformat(),
        },
    },
    "documents": {
        "create": lambda r, u: {
            "doc_type": DocumentType.objects.get(prefix="WI").pk,
            "title": "Deburring",
            "owner": u.pk,
            "review_months": 24,
            "confidentiality": "internal",
            "disposition": "keep",
            "body": "# Steps",
            "change_reason": "First issue",
        },
        "edit": lambda r, u: {
            "title": "Edited title",
            "owner": r.owner_id,
            "review_months": 24,
            "confidentiality": "internal",
            "disposition": "keep",
            "version": r.version,
        },
        "transition": lambda r, u: {"transition": "void", "comment": "Dup", "version": r.version},
        "comment": lambda r, u: {"text": "A remark"},
        "attach": lambda r, u: {"file": ContentFile(PNG, name="photo.png")},
        "document_preview": lambda r, u: {"body": "# Title"},
        "document_review": lambda r, u: {
            "outcome": "no_change",
            "comment": "ok",
            "password": PASSWORD,
        },
        "document_version_new": lambda r, u: {"change_reason": "Update"},
        "document_version_edit": lambda r, u: {
            "change_reason": "First issue",
            "body": "# Changed",
            "version": r.versions.get(number=1).version,
        },
        "document_version_submit": lambda r, u: {
            "reviewers": [],
            "approvers": [make_user("approver-x", roles.TOP_MANAGEMENT).pk],
        },
        "document_version_sign": lambda r, u: {"decision": "sign", "password": PASSWORD},
        "document_version_recall": lambda r, u: {"comment": "Back"},
        "document_acknowledge": lambda r, u: {},
    },
    "risks": {
        "create": lambda r, u: {
            "kind": "risk",
            "title": "Key machinist retires",
            "description": "Only one person sets up the 5-axis.",
            "source": "process",
            "owner": u.pk,
        },
        "edit": lambda r, u: {
            "kind": "risk",
            "title": "Edited title",
            "description": r.description,
            "source": r.source,
            "owner": r.owner_id,
            "version": r.version,
        },
        "transition": lambda r, u: {"transition": "assess", "version": r.version},
        "comment": lambda r, u: {"text": "A remark"},
        "attach": lambda r, u: {"file": ContentFile(PNG, name="photo.png")},
        "risks_action_add": lambda r, u: {
            "description": "Second source",
            "owner": u.pk,
            "due_date": TODAY().isoformat(),
            "status": "open",
        },
    },
    "kpis": {
        "create": lambda r, u: {
            "title": "Scrap rate",
            "description": "Scrap cost / sales.",
            "unit": "%",
            "kind": "value",
            "direction": "lower",
            "decimals": 1,
            "target": "2",
            "frequency": "monthly",
            "owner": u.pk,
        },
        "edit": lambda r, u: {
            "title": "Edited title",
            "description": r.description,
            "unit": r.unit,
            "kind": r.kind,
            "direction": r.direction,
            "decimals": 1,
            "target": "95",
            "frequency": r.frequency,
            "owner": r.owner_id,
            "version": r.version,
        },
        "transition": lambda r, u: {"transition": "retire", "comment": "x", "version": r.version},
        "comment": lambda r, u: {"text": "A remark"},
        "attach": lambda r, u: {"file": ContentFile(PNG, name="photo.png")},
        "kpis_import": lambda r, u: {
            "file": ContentFile(
                f"kpi,period,value\n{r.reference},2020-01,96\n".encode(), name="f.csv"
            )
        },
        "kpi_measurement_add": lambda r, u: {"period": "2020-01", "value": "96"},
    },
    "objectives": {
        "create": lambda r, u: {
            "title": "Fewer complaints",
            "description": "Halve complaints.",
            "level": "organisation",
            "owner": u.pk,
        },
        "edit": lambda r, u: {
            "title": "Edited title",
            "description": r.description,
            "level": "organisation",
            "owner": r.owner_id,
            "version": r.version,
        },
        "transition": lambda r, u: {"transition": "cancel", "comment": "x", "version": r.version},
        "comment": lambda r, u: {"text": "A remark"},
        "attach": lambda r, u: {"file": ContentFile(PNG, name="photo.png")},
    },
    "changes": {
        "create": lambda r, u: {"title": "New gauge room", "purpose": "Space.", "owner": u.pk},
        "edit": lambda r, u: {
            "title": "Edited title",
            "purpose": r.purpose,
            "owner": r.owner_id,
            "version": r.version,
        },
        "transition": lambda r, u: {"transition": "cancel", "comment": "x", "version": r.version},
        "comment": lambda r, u: {"text": "A remark"},
        "attach": lambda r, u: {"file": ContentFile(PNG, name="photo.png")},
    },
}


def make_attachment(record: Any, by: User) -> Attachment:
    attachment = Attachment(
        original_name="photo.png",
        mime_type="image/png",
        size=len(PNG),
        sha256="0" * 64,
        uploaded_by=by,
    )
    attachment.link_to(record)
    attachment.file.save("photo.png", ContentFile(PNG), save=False)
    attachment.save()
    return attachment


def url_of(rt: RegisterType, page: Page, record: Any, attachment: Attachment | None) -> str:
    name = page.name if page.extra else f"{rt.slug}_{page.name}"
    if not page.needs_record:
        return reverse(name)
    if page.name == "attachment":
        assert attachment is not None
        return reverse(name, args=[record.pk, attachment.pk])
    return reverse(name, args=[record.pk, *page.more_args])


def hit(client: Client, rt: RegisterType, page: Page, record: Any, user: User | None) -> Any:
    attachment = make_attachment(record, record.owner) if page.name == "attachment" else None
    url = url_of(rt, page, record, attachment)
    if page.method == "get":
        return client.get(url)
    body = POST_BODIES[rt.slug][page.name](record, user or record.owner)
    return client.post(url, body)


@pytest.fixture
def cast(quality, ceo, owner, auditor, employee, extaudit, outsider) -> dict[str, User]:
    return {
        "quality": quality,
        "ceo": ceo,
        "owner": owner,
        "auditor": auditor,
        "employee": employee,
        "extaudit": extaudit,
        "outsider": outsider,
    }


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the registry is fully covered -------------------------------------------------------
def test_every_register_has_a_record_factory_and_post_bodies() -> None:
    """GIVEN the registry WHEN a register is added THEN this matrix must learn to make its records."""
    assert set(RECORD_FACTORIES) == {rt.slug for rt in registry}
    for rt in registry:
        posted = {p.name for p in pages_of(rt) if p.method == "post"}
        assert posted <= set(POST_BODIES[rt.slug]), rt.slug


# --- anonymous ---------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "page"), MATRIX)
def test_anonymous_visitor_is_sent_to_the_login_page_from_every_page(
    slug: str, page: Page, owner: User, client: Client
) -> None:
    rt = registry.get(slug)
    record = RECORD_FACTORIES[slug](owner)
    response = hit(client, rt, page, record, None)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_login_page_from_home(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [rt.slug for rt in registry])
def test_anonymous_api_caller_is_refused_with_401_and_no_data(
    slug: str, owner: User, client: Client
) -> None:
    record = RECORD_FACTORIES[slug](owner)
    calls = [
        ("get", f"/api/{slug}/"),
        ("post", f"/api/{slug}/"),
        ("get", f"/api/{slug}/{record.pk}/"),
        ("patch", f"/api/{slug}/{record.pk}/"),
        ("post", f"/api/{slug}/{record.pk}/transition/"),
        ("get", f"/api/{slug}/{record.pk}/history/"),
        ("get", "/api/schema/"),
    ]
    for method, url in calls:
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code in (401, 403), (method, url, response.status_code)
        assert record.title not in response.content.decode(), (method, url)


# --- signed in without a role ------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "page"), MATRIX)
def test_person_without_a_role_is_refused_every_page_with_403(
    slug: str, page: Page, owner: User, outsider: User
) -> None:
    rt = registry.get(slug)
    record = RECORD_FACTORIES[slug](owner)
    response = hit(signed_in(outsider), rt, page, record, outsider)
    assert response.status_code == 403


@pytest.mark.django_db
def test_person_without_a_role_sees_the_no_role_page_at_home(outsider: User) -> None:
    assert signed_in(outsider).get(reverse("home")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [rt.slug for rt in registry])
def test_person_without_a_role_is_refused_by_the_api(
    slug: str, owner: User, outsider: User
) -> None:
    record = RECORD_FACTORIES[slug](owner)
    client = signed_in(outsider)
    for method, url in [
        ("get", f"/api/{slug}/"),
        ("post", f"/api/{slug}/"),
        ("get", f"/api/{slug}/{record.pk}/"),
        ("patch", f"/api/{slug}/{record.pk}/"),
        ("post", f"/api/{slug}/{record.pk}/transition/"),
        ("get", f"/api/{slug}/{record.pk}/history/"),
    ]:
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 403, (method, url, response.status_code)


# --- external auditor: reads everything, changes nothing ---------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "page"), MATRIX)
def test_external_auditor_reads_every_page_but_every_change_is_refused(
    slug: str, page: Page, owner: User, extaudit: User
) -> None:
    """GIVEN a record owned by someone else
    WHEN the external auditor opens a page or posts to it
    THEN reading answers 200 and every form or POST answers 403, leaving the record as it was."""
    rt = registry.get(slug)
    record = RECORD_FACTORIES[slug](owner)
    before = (record.version, record.status)
    response = hit(signed_in(extaudit), rt, page, record, extaudit)
    if page.method == "get" and page.name in READ_PAGES:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
    record.refresh_from_db()
    assert (record.version, record.status) == before


@pytest.mark.django_db
def test_external_auditor_cannot_change_anything_through_the_api(
    nc: Nonconformity, extaudit: User
) -> None:
    client = signed_in(extaudit)
    assert client.get("/api/nonconformities/").status_code == 200
    assert client.get(f"/api/nonconformities/{nc.pk}/").status_code == 200
    assert client.get(f"/api/nonconformities/{nc.pk}/history/").status_code == 200
    body = {
        "title": "From the auditor",
        "description": "x",
        "source": "internal_audit",
        "detected_on": TODAY().isoformat(),
    }
    assert (
        client.post("/api/nonconformities/", body, content_type="application/json").status_code
        == 403
    )
    patch = {"title": "Changed", "version": nc.version}
    response = client.patch(
        f"/api/nonconformities/{nc.pk}/", patch, content_type="application/json"
    )
    assert response.status_code == 403
    response = client.post(
        f"/api/nonconformities/{nc.pk}/transition/",
        {"transition": "contain"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Nonconformity.objects.count() == 1
    nc.refresh_from_db()
    assert nc.title != "Changed"


@pytest.mark.django_db
def test_external_auditor_cannot_sign_in_after_access_expires(extaudit: User) -> None:
    """GIVEN an external auditor whose access ended yesterday
    WHEN they sign in with the right password
    THEN they stay signed out."""
    extaudit.access_expires_on = TODAY() - datetime.timedelta(days=1)
    extaudit.save()
    client = Client()
    response = client.post(reverse("login"), {"username": "extaudit", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200  # the sign-in form again, with its error
    assert response.context["form"].errors
    assert client.get(reverse("nonconformities_list")).status_code == 302


@pytest.mark.django_db
def test_external_auditor_can_sign_in_before_access_expires(extaudit: User) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "extaudit", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("nonconformities_list")).status_code == 200


@pytest.mark.django_db
def test_external_auditor_session_ends_when_access_expires(
    extaudit: User, nc: Nonconformity
) -> None:
    """GIVEN an external auditor signed in while access was valid
    WHEN the expiry date passes
    THEN their next request is answered as for a signed-out visitor."""
    client = signed_in(extaudit)
    assert client.get(reverse("nonconformities_detail", args=[nc.pk])).status_code == 200
    User.objects.filter(pk=extaudit.pk).update(
        access_expires_on=TODAY() - datetime.timedelta(days=1)
    )
    response = client.get(reverse("nonconformities_detail", args=[nc.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get("/api/nonconformities/").status_code in (401, 403)
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_an_expired_session_is_ended_for_good_and_the_sign_out_is_trailed(
    extaudit: User, nc: Nonconformity
) -> None:
    """GIVEN an external auditor signed in while access was valid
    WHEN access expires, they make a request, and access is later extended again
    THEN the old session stays ended (a new sign-in is needed) and a logout event is in
    the trail."""
    client = signed_in(extaudit)
    detail = reverse("nonconformities_detail", args=[nc.pk])
    assert client.get(detail).status_code == 200
    User.objects.filter(pk=extaudit.pk).update(
        access_expires_on=TODAY() - datetime.timedelta(days=1)
    )
    assert client.get(detail).status_code == 302
    User.objects.filter(pk=extaudit.pk).update(
        access_expires_on=TODAY() + datetime.timedelta(days=5)
    )
    assert TrailEvent.objects.filter(stream="auth:extaudit", action=TrailAction.LOGOUT).exists()
    assert "_auth_user_id" not in client.session
    assert client.get(detail).status_code == 302


# --- employees see what concerns them ----------------------------------------------------
@pytest.fixture
def employee_world(make_nc, employee: User, owner: User) -> dict[str, Nonconformity]:
    """Five NCs: four concern the employee in one way each, one does not."""
    as_owner = make_nc(owner=employee, title="Owned by the employee")
    reported = make_nc(actor=employee, title="Reported by the employee")
    detected = make_nc(detected_by=employee, title="Detected by the employee")
    via_action = make_nc(title="Employee owns an action")
    with acting_as(owner):
        action = Action(description="Check the gauge", owner=employee, due_date=TODAY())
        action.link_to(via_action)
        action.save()
    other = make_nc(title="Nothing to do with the employee")
    return {
        "owner": as_owner,
        "reporter": reported,
        "detected_by": detected,
        "action owner": via_action,
        "other": other,
    }


@pytest.mark.django_db
def test_employee_lists_only_the_nonconformities_that_concern_them(
    employee: User, employee_world: dict[str, Nonconformity]
) -> None:
    client = signed_in(employee)
    page = client.get(reverse("nonconformities_list")).content.decode()
    api = client.get("/api/nonconformities/").json()
    api_ids = {row["id"] for row in api["results"]}
    for why, record in employee_world.items():
        concerned = why != "other"
        assert (record.reference in page) is concerned, why
        assert (record.pk in api_ids) is concerned, why


@pytest.mark.django_db
def test_employee_opens_nonconformities_that_concern_them_and_gets_404_on_others(
    employee: User, employee_world: dict[str, Nonconformity]
) -> None:
    client = signed_in(employee)
    for why, record in employee_world.items():
        expected = 404 if why == "other" else 200
        assert client.get(reverse("nonconformities_detail", args=[record.pk])).status_code == (
            expected
        ), why
        assert client.get(f"/api/nonconformities/{record.pk}/").status_code == expected, why


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "page"), [p for p in MATRIX if p.values[1].needs_record])
def test_employee_gets_404_on_every_page_of_a_record_that_does_not_concern_them(
    slug: str, page: Page, owner: User, employee: User
) -> None:
    rt = registry.get(slug)
    record = RECORD_FACTORIES[slug](owner)
    assert hit(signed_in(employee), rt, page, record, employee).status_code == 404


@pytest.mark.django_db
def test_employee_export_contains_only_what_concerns_them(
    employee: User, employee_world: dict[str, Nonconformity]
) -> None:
    response = signed_in(employee).get(reverse("nonconformities_export_csv"))
    text = b"".join(response.streaming_content).decode()
    assert employee_world["owner"].reference in text
    assert employee_world["other"].reference not in text


# --- editing -----------------------------------------------------------------------------
def _edit_body(nc: Nonconformity, title: str) -> dict[str, Any]:
    return POST_BODIES["nonconformities"]["edit"](nc, nc.owner) | {"title": title}


@pytest.mark.django_db
def test_process_owner_edits_their_own_nonconformity(owner: User, nc: Nonconformity) -> None:
    client = signed_in(owner)
    assert client.get(reverse("nonconformities_edit", args=[nc.pk])).status_code == 200
    response = client.post(reverse("nonconformities_edit", args=[nc.pk]), _edit_body(nc, "Mine"))
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.title == "Mine"


@pytest.mark.django_db
def test_process_owner_cannot_edit_another_owners_nonconformity(make_nc, owner: User) -> None:
    other_owner = make_user("owner2", roles.PROCESS_OWNER)
    theirs = make_nc(owner=other_owner)
    client = signed_in(owner)
    url = reverse("nonconformities_edit", args=[theirs.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _edit_body(theirs, "Not mine")).status_code == 403
    response = client.patch(
        f"/api/nonconformities/{theirs.pk}/",
        {"title": "Not mine", "version": theirs.version},
        content_type="application/json",
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.title != "Not mine"


@pytest.mark.django_db
def test_quality_manager_edits_any_nonconformity(quality: User, nc: Nonconformity) -> None:
    response = signed_in(quality).post(
        reverse("nonconformities_edit", args=[nc.pk]), _edit_body(nc, "By quality")
    )
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.title == "By quality"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ceo", "auditor", "employee"])
def test_other_roles_cannot_edit_a_nonconformity_they_do_not_own(
    who: str, cast: dict[str, User], make_nc
) -> None:
    record = make_nc(detected_by=cast["employee"])  # visible to the employee too
    response = signed_in(cast[who]).post(
        reverse("nonconformities_edit", args=[record.pk]), _edit_body(record, "Nope")
    )
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("who", CAST)
def test_nobody_edits_a_closed_nonconformity(
    who: str, cast: dict[str, User], make_nc, owner: User, quality: User
) -> None:
    """GIVEN a closed nonconformity
    WHEN anyone, quality manager and owner included, tries to edit it or add to it
    THEN they are refused and the record is unchanged."""
    record = make_nc(detected_by=cast["employee"])  # visible to the employee too
    closed = advance(record, "closed", by=owner, verifier=quality)
    version = closed.version
    client = signed_in(cast[who])
    edit = reverse("nonconformities_edit", args=[closed.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, _edit_body(closed, "Reopened?")).status_code == 403
    for name in ("nc_action_add", "nc_cost_add"):
        assert client.post(reverse(name, args=[closed.pk]), {}).status_code == 403
    response = client.patch(
        f"/api/nonconformities/{closed.pk}/",
        {"title": "Reopened?", "version": version},
        content_type="application/json",
    )
    assert response.status_code == 403
    closed.refresh_from_db()
    assert closed.version == version
    assert closed.status == "closed"


# --- the workflow's roles ----------------------------------------------------------------
def _prepare_for(nc: Nonconformity, transition: str, by: User, verifier: User) -> Nonconformity:
    """Bring ``nc`` into the first source state of ``transition`` with its requirements met."""
    t = WORKFLOW.transition(transition)
    source = t.sources[0]
    if source != "reported":
        nc = advance(nc, source, by=by)
    with acting_as(by):
        nc.refresh_from_db()
        if transition == "authorise_disposition":
            nc.disposition = "rework"
        elif transition == "contain":
            nc.containment_action = "Quarantined lot L-77"
            nc.containment_by = by
            nc.containment_on = TODAY()
        elif transition == "investigate":
            nc.whys = ["Burr not removed"]
            nc.root_cause = "Work instruction omits deburring."
            nc.cause_category = "method"
        elif transition == "start_actions":
            action = Action(description="Add deburring", owner=by, due_date=TODAY())
            action.link_to(nc)
            action.save()
        elif transition == "submit_verification":
            for action in nc.actions():
                action.status = "done"
                action.evidence = "WI-12 rev C"
                action.completed_on = TODAY()
                action.save()
            nc.refresh_from_db()
            nc.verification_method = "Audit 3 lots"
            nc.verification_due = TODAY()
        elif transition == "close":
            nc.verification_result = "effective"
        elif transition == "fail_verification":
            nc.verification_result = "not_effective"
        nc.save()
    nc.refresh_from_db()
    assert not WORKFLOW.problems(t, nc), WORKFLOW.problems(t, nc)
    return nc


def _may(user: User, t: Any, nc: Nonconformity) -> bool:
    if user.is_read_only:
        return False
    if user.roles & t.roles:
        return not (t.signer_not_owner and nc.owner_id == user.pk)
    return roles.OWNER in t.roles and nc.owner_id == user.pk


TRANSITION_MATRIX = [
    pytest.param(t.name, who, id=f"{t.name}-{who}")
    for t in WORKFLOW.transitions
    for who in CAST
    if who != "outsider"
]


@pytest.mark.django_db
@pytest.mark.parametrize(("transition", "who"), TRANSITION_MATRIX)
def test_transitions_are_allowed_exactly_to_the_roles_the_workflow_names(
    transition: str, who: str, cast: dict[str, User], make_nc, quality: User
) -> None:
    """GIVEN a nonconformity owned by a process owner, reported by the employee,
    ready for ``transition`` with everything it needs
    WHEN ``who`` takes the step through the page
    THEN it happens if and only if the workflow gives ``who`` the right; otherwise 403."""
    user = cast[who]
    record = make_nc(detected_by=cast["employee"])
    record = _prepare_for(record, transition, by=quality, verifier=quality)
    t = WORKFLOW.transition(transition)
    before = (record.status, record.version)
    response = signed_in(user).post(
        reverse("nonconformities_transition", args=[record.pk]),
        {
            "transition": transition,
            "version": record.version,
            "comment": "Reason given",
            "password": PASSWORD,
        },
    )
    record.refresh_from_db()
    if _may(user, t, record):
        assert response.status_code == 302, response.content.decode()[:2000]
        assert record.status == t.target
    else:
        assert response.status_code == 403
        assert (record.status, record.version) == before


@pytest.mark.django_db
def test_employee_cannot_contain_a_nonconformity_they_do_not_own(make_nc, employee: User) -> None:
    record = make_nc(actor=employee)  # the employee reported it, so they can see it
    _prepare_for(record, "contain", by=record.owner, verifier=record.owner)
    response = signed_in(employee).post(
        reverse("nonconformities_transition", args=[record.pk]),
        {"transition": "contain", "version": record.version},
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == "reported"


@pytest.mark.django_db
def test_employee_who_owns_a_nonconformity_can_contain_it(make_nc, employee: User) -> None:
    record = _prepare_for(make_nc(owner=employee), "contain", by=employee, verifier=employee)
    response = signed_in(employee).post(
        reverse("nonconformities_transition", args=[record.pk]),
        {"transition": "contain", "version": record.version},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "contained"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ceo", "owner", "auditor", "employee", "extaudit"])
def test_only_the_quality_manager_can_void(
    who: str, cast: dict[str, User], make_nc, quality: User
) -> None:
    record = make_nc(detected_by=cast["employee"])
    url = reverse("nonconformities_transition", args=[record.pk])
    body = {"transition": "void", "version": record.version, "comment": "Duplicate of NC-1"}
    assert signed_in(cast[who]).post(url, body).status_code == 403
    record.refresh_from_db()
    assert record.status == "reported"
    assert signed_in(quality).post(url, body).status_code == 302
    record.refresh_from_db()
    assert record.status == "void"
    assert record.void_reason == "Duplicate of NC-1"


@pytest.mark.django_db
def test_the_owner_cannot_sign_the_closure_of_their_own_nonconformity(
    make_nc, quality: User, auditor: User
) -> None:
    """GIVEN a nonconformity owned by a quality manager, ready to close
    WHEN its owner signs the closure with the right password
    THEN it is refused with a message asking for someone other than the owner,
    and another verifier can close it."""
    record = advance(make_nc(owner=quality), "verification", by=quality)
    with acting_as(quality):
        record.verification_result = "effective"
        record.save()
    url = reverse("nonconformities_transition", args=[record.pk])
    body = {"transition": "close", "version": record.version, "password": PASSWORD}
    response = signed_in(quality).post(url, body)
    assert response.status_code == 400
    assert "someone other than the record" in response.content.decode()
    record.refresh_from_db()
    assert record.status == "verification"
    response = signed_in(auditor).post(url, body)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "closed"
    assert record.verified_by == auditor


@pytest.mark.django_db
def test_the_owner_cannot_sign_the_closure_through_the_api(make_nc, quality: User) -> None:
    record = advance(make_nc(owner=quality), "verification", by=quality)
    with acting_as(quality):
        record.verification_result = "effective"
        record.save()
    response = signed_in(quality).post(
        f"/api/nonconformities/{record.pk}/transition/",
        {"transition": "close", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "someone other than the record" in str(response.json())


# --- children of a nonconformity ---------------------------------------------------------
@pytest.mark.django_db
def test_action_owner_updates_their_action_but_cannot_add_one(
    make_nc, employee: User, owner: User
) -> None:
    record = make_nc()
    with acting_as(owner):
        action = Action(description="Check gauge", owner=employee, due_date=TODAY())
        action.link_to(record)
        action.save()
    client = signed_in(employee)
    assert client.get(reverse("nc_action_add", args=[record.pk])).status_code == 403
    url = reverse("nc_action_edit", args=[record.pk, action.pk])
    response = client.post(
        url,
        {
            "description": "Check gauge",
            "owner": employee.pk,
            "due_date": TODAY().isoformat(),
            "status": "done",
            "evidence": "Gauge R&R report 12",
            "version": action.version,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


@pytest.mark.django_db
def test_process_owner_adds_costs_to_their_own_nonconformity_only(make_nc, owner: User) -> None:
    mine = make_nc()
    theirs = make_nc(owner=make_user("owner2", roles.PROCESS_OWNER))
    client = signed_in(owner)
    body = POST_BODIES["nonconformities"]["nc_cost_add"](mine, owner)
    assert client.post(reverse("nc_cost_add", args=[mine.pk]), body).status_code == 302
    assert client.post(reverse("nc_cost_add", args=[theirs.pk]), body).status_code == 403
    assert CostItem.objects.filter(nonconformity=mine).count() == 1
    assert CostItem.objects.filter(nonconformity=theirs).count() == 0


# --- signing in --------------------------------------------------------------------------
def _login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_even_for_the_right_password(
    settings: Any, owner: User
) -> None:
    """GIVEN AXES_FAILURE_LIMIT failed sign-ins for one user from one address
    WHEN the right password is then given
    THEN the sign-in is refused and nobody is signed in."""
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, "owner", "wrong-password")
        assert "_auth_user_id" not in client.session
    response = _login(client, "owner", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429
    assert client.get(reverse("nonconformities_list")).status_code == 302


@pytest.mark.django_db
def test_four_failed_logins_do_not_lock_the_account(settings: Any, owner: User) -> None:
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "owner", "wrong-password")
    response = _login(client, "owner", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


@pytest.mark.django_db
def test_failed_and_successful_logins_are_written_to_the_trail(owner: User) -> None:
    client = Client()
    _login(client, "owner", "wrong-password")
    _login(client, "owner", PASSWORD)
    events = list(
        TrailEvent.objects.filter(stream="auth:owner")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert events == [TrailAction.LOGIN_FAILED, TrailAction.LOGIN]
    failed = TrailEvent.objects.get(stream="auth:owner", action=TrailAction.LOGIN_FAILED)
    assert failed.actor is None
    assert failed.reference == "owner"
    assert "wrong-password" not in str(failed.changes) + failed.message
    login = TrailEvent.objects.get(stream="auth:owner", action=TrailAction.LOGIN)
    assert login.actor == owner
