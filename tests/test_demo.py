"""``hoshin demo``: the demo organisation loads once, through the workflow and the trail."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from hoshin.context.models import Process
from hoshin.core import roles, trail
from hoshin.core.models import Action, Signature, User
from hoshin.improvement.models import CostItem, Nonconformity
from hoshin.improvement.workflow import WORKFLOW

PASSWORD = "demo-password-for-tests"
DEMO_ROLES = {
    "ceo": roles.TOP_MANAGEMENT,
    "quality": roles.QUALITY_MANAGER,
    "owner": roles.PROCESS_OWNER,
    "auditor": roles.INTERNAL_AUDITOR,
    "employee": roles.EMPLOYEE,
    "extaudit": roles.EXTERNAL_AUDITOR,
}


def run_demo(**options: object) -> str:
    out = StringIO()
    options.setdefault("nonconformities", 30)
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "people": User.objects.count(),
        "processes": Process.objects.count(),
        "nonconformities": Nonconformity.objects.count(),
        "actions": Action.objects.count(),
        "costs": CostItem.objects.count(),
        "signatures": Signature.objects.count(),
        "trail": trail.TrailEvent.objects.count(),
    }


@pytest.mark.django_db
def test_demo_loads_a_believable_organisation_once() -> None:
    output = run_demo(password=PASSWORD)
    assert "Loaded the demo organisation" in output
    assert PASSWORD not in output

    for username, role in DEMO_ROLES.items():
        user = User.objects.get(username=username)
        assert role in user.roles, username
        assert user.check_password(PASSWORD)
    assert User.objects.get(username="extaudit").access_expires_on is not None
    assert User.objects.count() >= 25
    for role in roles.ALL_ROLES:
        assert User.objects.filter(groups__name=role).exists(), role
    assert Process.objects.filter(owner__username="owner").count() >= 2

    ncs = Nonconformity.objects.all()
    assert 25 <= ncs.count() <= 35
    states = set(ncs.values_list("status", flat=True))
    assert states == {s.name for s in WORKFLOW.states}
    # Signed off by someone other than the owner; the employee raised some of them.
    nc_type = ContentType.objects.get_for_model(Nonconformity)
    for signature in Signature.objects.filter(content_type=nc_type):
        assert signature.signer.username in {"quality", "auditor"}
        assert signature.record.owner_id != signature.signer_id
    employee = User.objects.get(username="employee")
    assert Nonconformity.objects.visible_to(employee).exists()
    assert ncs.filter(status="void", void_reason__startswith="Duplicate").exists()
    closed = ncs.filter(status="closed")
    assert all(nc.verified_on and nc.verified_on <= nc.updated_at.date() for nc in closed)
    assert all(nc.why_list() and nc.root_cause for nc in closed)

    checked, broken = trail.verify()
    assert checked > 0
    assert broken is None

    before = counts()
    again = run_demo(password="another-password")
    assert "Demo organisation already loaded" in again
    assert counts() == before
    assert User.objects.get(username="quality").check_password(PASSWORD)
    assert trail.verify() == (before["trail"], None)


@pytest.mark.django_db
def test_without_a_password_one_is_generated_and_printed_once(settings: object) -> None:
    settings.HOSHIN_DEMO_PASSWORD = ""  # type: ignore[attr-defined]
    output = run_demo(nonconformities=0)
    line = next(x for x in output.splitlines() if x.startswith("Demo password for"))
    assert line.startswith("Demo password for ceo, quality, owner, auditor, employee, extaudit: ")
    password = line.rsplit(": ", 1)[1]
    assert User.objects.get(username="ceo").check_password(password)
    assert "Demo password" not in run_demo()


# --- document control (hoshin.support.demo) ---------------------------------------
@pytest.fixture
def document_demo(db: object) -> None:
    run_demo(password=PASSWORD, nonconformities=0)


def test_demo_documents_cover_every_type_with_their_histories(document_demo: None) -> None:
    from collections import Counter

    from django.db.models import Count

    from hoshin.support.models import (
        Confidentiality,
        Document,
        DocumentType,
        DocumentVersion,
        VersionStatus,
    )

    docs = Document.objects.select_related("doc_type")
    assert docs.count() >= 40
    by_type = Counter(docs.values_list("doc_type__prefix", flat=True))
    assert set(by_type) == set(DocumentType.objects.values_list("prefix", flat=True))
    assert 12 <= by_type["QP"] <= 15
    assert by_type["WI"] >= 10
    assert by_type["FRM"] >= 3 and by_type["EXT"] >= 3 and by_type["REC"] >= 2
    by_status = Counter(docs.values_list("status", flat=True))
    assert by_status["effective"] >= 40
    assert by_status["draft"] >= 1
    assert by_status["obsolete"] == 1
    assert by_status["closed"] >= 1

    # Version histories: many documents went through several versions, each with a
    # reason and a changed text, signed by people other than its author.
    counted = docs.annotate(n=Count("versions"))
    assert counted.filter(n__gte=2).count() >= 25
    assert counted.filter(n__gte=4).exists()
    for version in DocumentVersion.objects.select_related("document"):
        assert version.change_reason
        if version.number > 1:
            before = version.document.versions.get(number=version.number - 1)
            assert version.body != before.body, version
        signatures = Signature.objects.for_record(version)
        assert version.author_id not in set(signatures.values_list("signer_id", flat=True))
        if version.status in (VersionStatus.EFFECTIVE, VersionStatus.SUPERSEDED):
            assert signatures.filter(meaning="approved").exists(), version
    # Effective dates spread over the last two to three years.
    days = sorted(DocumentVersion.objects.exclude(effective_on=None).values_list("effective_on"))
    assert (days[-1][0] - days[0][0]).days > 700

    # The quality policy and the scope are in force, with real content.
    policy = docs.get(doc_type__prefix="POL", title="Quality policy")
    assert policy.status == Document.EFFECTIVE
    assert policy.confidentiality == Confidentiality.PUBLIC
    in_force = policy.in_force()
    assert in_force is not None
    text = in_force.body.lower()
    for commitment in (
        "customer requirements",
        "applicable requirements",
        "continual improvement",
        "framework for quality objectives",
    ):
        assert commitment in text
    scope = docs.get(doc_type__prefix="SCP")
    assert scope.status == Document.EFFECTIVE
    scope_text = scope.text.lower()
    for words in ("galway", "limerick", "pune", "medical", "aerospace", "automotive"):
        assert words in scope_text
    assert "does not apply" in scope_text or "do not apply" in scope_text
    assert docs.filter(doc_type__prefix="QM", status=Document.EFFECTIVE).exists()

    # Two confidential documents, for named people only; the employee sees neither.
    confidential = docs.filter(confidentiality=Confidentiality.CONFIDENTIAL)
    assert confidential.count() == 2
    assert all(d.access_people.exists() for d in confidential)
    employee = User.objects.get(username="employee")
    assert not Document.objects.visible_to(employee).filter(pk__in=confidential).exists()
    assert Document.objects.visible_to(employee).filter(doc_type__prefix="WI").exists()

    # External documents name their issuer; records have retention and disposition.
    for doc in docs.filter(doc_type__prefix="EXT"):
        assert doc.issuer and doc.review_months in (0, 12), doc
    for doc in docs.filter(doc_type__prefix="REC"):
        assert doc.retention_years and doc.disposition, doc
    for doc in docs.filter(status=Document.CLOSED):
        assert doc.closed_on and doc.retain_until and doc.retain_until > doc.closed_on

    checked, broken = trail.verify()
    assert checked > 0
    assert broken is None


def test_demo_documents_leave_work_to_sign_read_and_review(document_demo: None) -> None:
    from django.utils import timezone

    from hoshin.core import reading, signoff
    from hoshin.core.models import ReadRequest
    from hoshin.support.models import (
        Document,
        DocumentReview,
        DocumentVersion,
        ReviewOutcome,
        VersionStatus,
    )

    today = timezone.localdate()
    versions = DocumentVersion.objects.all()
    assert 3 <= versions.filter(status=VersionStatus.IN_REVIEW).count() <= 5
    assert versions.filter(status=VersionStatus.DRAFT).count() == 2
    future = versions.get(status=VersionStatus.APPROVED)
    assert future.effective_on is not None and future.effective_on > today
    # Logging in as the quality manager or the CEO shows something to sign.
    for username in ("quality", "ceo"):
        user = User.objects.get(username=username)
        assert signoff.records_awaiting(user, DocumentVersion).exists(), username

    overdue = Document.objects.overdue(today)
    assert 2 <= overdue.count() <= 3
    assert all(d.status == Document.EFFECTIVE for d in overdue)
    assert DocumentReview.objects.filter(outcome=ReviewOutcome.NO_CHANGE).exists()
    assert DocumentReview.objects.filter(outcome=ReviewOutcome.REVISE).exists()

    # Read and understood: most confirmed, not all.
    asked = ReadRequest.objects.filter(content_type=DocumentVersion.content_type())
    done = asked.filter(acknowledged_at__isnull=False).count()
    assert 0.55 <= done / asked.count() <= 0.8
    employee = User.objects.get(username="employee")
    in_force = versions.filter(status=VersionStatus.EFFECTIVE).values("pk")
    to_read = reading.outstanding_for(employee).filter(
        content_type=DocumentVersion.content_type(), object_id__in=in_force
    )
    assert to_read.count() >= 2
    assert asked.filter(person=employee, acknowledged_at__isnull=False).count() >= 2
