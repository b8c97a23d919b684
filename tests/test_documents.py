"""Document control (ISO 9001 7.5): numbering, versions, review and approval, effective
dates, supersession, reading, periodic review, retention, confidentiality."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hoshin.core import reading, roles, signoff
from hoshin.core.models import ReadRequest, Signature, StaleRecordError, TrailEvent
from hoshin.core.workflow import TransitionError
from hoshin.support import versions
from hoshin.support.models import (
    Confidentiality,
    Disposition,
    Document,
    DocumentVersion,
    ReviewOutcome,
    VersionStatus,
)
from hoshin.support.workflow import WORKFLOW
from tests.conftest import PASSWORD, approve, doc_type, make_user, working

TODAY = datetime.date.today


# --- numbering -------------------------------------------------------------------
def test_each_type_numbers_its_documents_from_its_own_scheme(make_doc: Callable[..., Document]):
    assert make_doc("QP").reference == "QP-001"
    assert make_doc("QP").reference == "QP-002"
    assert make_doc("WI").reference == "WI-001"
    wide = doc_type("FRM")
    wide.digits = 4
    wide.save()
    assert make_doc("FRM").reference == "FRM-0001"


def test_a_new_document_is_a_draft_with_version_one(make_doc, quality):
    doc = make_doc()
    assert doc.status == "draft"
    v = working(doc)
    assert (v.number, v.status, v.author) == (1, VersionStatus.DRAFT, quality)


# --- review and approval ---------------------------------------------------------
def test_the_whole_approval_makes_the_version_effective(make_doc, quality, reviewer, approver):
    doc = make_doc()
    approve(doc, quality, reviewer, approver)
    doc.refresh_from_db()
    v = doc.in_force()
    assert v is not None and v.number == 1 and v.status == VersionStatus.EFFECTIVE
    assert doc.status == "effective"
    assert doc.current_version == 1
    assert doc.effective_on == timezone.localdate()
    assert doc.due_date == doc.next_review_from(timezone.localdate())
    meanings = sorted(Signature.objects.for_record(v).values_list("meaning", flat=True))
    assert meanings == ["approved", "reviewed"]
    sig = Signature.objects.for_record(v).get(meaning="approved")
    assert sig.content_hash == v.content_hash()


def test_approvers_wait_until_every_reviewer_has_signed(make_doc, quality, reviewer, approver):
    doc = make_doc()
    other = make_user("otto", roles.PROCESS_OWNER)
    v = working(doc)
    versions.submit(
        v,
        quality,
        reviewers=[reviewer, other],
        approvers=[approver],
        in_order=False,
        effective_on=None,
    )
    with pytest.raises(TransitionError) as refused:
        versions.sign(v, approver, password=PASSWORD)
    assert refused.value.status == 409
    assert "not your turn" in str(refused.value)
    versions.sign(v, other, password=PASSWORD)  # parallel: any reviewer first
    versions.sign(v, reviewer, password=PASSWORD)
    versions.sign(v, approver, password=PASSWORD)
    v.refresh_from_db()
    assert v.status == VersionStatus.EFFECTIVE


def test_in_order_each_signer_waits_for_the_one_before(make_doc, quality, reviewer, approver):
    doc = make_doc()
    second = make_user("sam", roles.PROCESS_OWNER)
    v = working(doc)
    versions.submit(
        v,
        quality,
        reviewers=[reviewer, second],
        approvers=[approver],
        in_order=True,
        effective_on=None,
    )
    steps = signoff.route(v)
    assert [s.position for s in steps] == [1, 2, 3]
    with pytest.raises(TransitionError) as refused:
        versions.sign(v, second, password=PASSWORD)
    assert refused.value.status == 409
    assert refused.value.problems == {
        "__all__": [f"It is not your turn yet: waiting for {reviewer}."]
    }
    versions.sign(v, reviewer, password=PASSWORD)
    assert [s.signer for s in signoff.whose_turn(signoff.route(v))] == [second]


def test_the_author_cannot_review_or_approve_their_own_version(make_doc, quality, reviewer):
    doc = make_doc()
    with pytest.raises(TransitionError) as refused:
        versions.submit(
            working(doc),
            quality,
            reviewers=[reviewer],
            approvers=[quality],
            in_order=False,
            effective_on=None,
        )
    assert "cannot review or approve" in str(refused.value)
    assert working(doc).status == VersionStatus.DRAFT


def test_a_route_needs_an_approver(make_doc, quality, reviewer):
    with pytest.raises(TransitionError) as refused:
        versions.submit(
            working(make_doc()),
            quality,
            reviewers=[reviewer],
            approvers=[],
            in_order=False,
            effective_on=None,
        )
    assert "approvers" in refused.value.problems


def test_a_wrong_password_signs_nothing(make_doc, quality, reviewer, approver):
    doc = make_doc()
    v = working(doc)
    versions.submit(
        v, quality, reviewers=[reviewer], approvers=[approver], in_order=False, effective_on=None
    )
    with pytest.raises(TransitionError) as refused:
        versions.sign(v, reviewer, password="wrong")
    assert "password" in refused.value.problems
    assert not Signature.objects.for_record(v).exists()


def test_someone_not_on_the_route_cannot_sign(make_doc, quality, reviewer, approver, employee):
    doc = make_doc()
    v = working(doc)
    versions.submit(
        v, quality, reviewers=[reviewer], approvers=[approver], in_order=False, effective_on=None
    )
    with pytest.raises(TransitionError) as refused:
        versions.sign(v, employee, password=PASSWORD)
    assert refused.value.status == 403


def test_requesting_changes_ends_the_round_and_returns_the_draft(
    make_doc, quality, reviewer, approver
):
    doc = make_doc()
    v = working(doc)
    versions.submit(
        v, quality, reviewers=[reviewer], approvers=[approver], in_order=False, effective_on=None
    )
    with pytest.raises(TransitionError) as refused:
        versions.reject(v, reviewer, comment="")
    assert refused.value.problems == {"comment": ["Say what needs to change."]}
    assert working(doc).status == VersionStatus.IN_REVIEW
    versions.reject(v, reviewer, comment="Section 3 contradicts WI-004.")
    v.refresh_from_db()
    assert v.status == VersionStatus.DRAFT
    states = [s.state for s in signoff.route(v)]
    assert states == ["rejected", "cancelled"]
    versions.submit(
        v, quality, reviewers=[reviewer], approvers=[approver], in_order=False, effective_on=None
    )
    assert signoff.current_round(v) == 2
    assert all(s.state == "pending" for s in signoff.route(v))


def test_recall_cancels_pending_signatures(make_doc, quality, reviewer, approver):
    doc = make_doc()
    v = working(doc)
    versions.submit(
        v, quality, reviewers=[reviewer], approvers=[approver], in_order=False, effective_on=None
    )
    versions.recall(v, quality)
    v.refresh_from_db()
    assert v.status == VersionStatus.DRAFT
    assert {s.state for s in signoff.route(v)} == {"cancelled"}
    assert not signoff.awaiting(reviewer).exists()


def test_awaiting_lists_only_steps_whose_turn_has_come(make_doc, quality, reviewer, approver):
    doc = make_doc()
    v = working(doc)
    versions.submit(
        v, quality, reviewers=[reviewer], approvers=[approver], in_order=False, effective_on=None
    )
    assert signoff.awaiting(reviewer).count() == 1
    assert signoff.awaiting(approver).count() == 0
    versions.sign(v, reviewer, password=PASSWORD)
    assert signoff.awaiting(approver).count() == 1


# --- effective dates and supersession ----------------------------------------------
def test_a_future_effective_date_waits_then_supersedes_the_old_version(
    make_doc, quality, reviewer, approver
):
    doc = make_doc()
    approve(doc, quality, reviewer, approver)
    v2 = versions.start(doc, quality, change_reason="New press line")
    v2.body = "# Purpose\n\nSay what we do, now with press 4."
    versions.save_draft(v2, quality)
    later = timezone.localdate() + datetime.timedelta(days=10)
    approve(doc, quality, reviewer, approver, effective_on=later)
    v2.refresh_from_db()
    assert v2.status == VersionStatus.APPROVED
    assert doc.in_force().number == 1  # type: ignore[union-attr]
    assert versions.promote_due(timezone.localdate()) == 0
    assert versions.promote_due(later) == 1
    v2.refresh_from_db()
    v1 = doc.versions.get(number=1)
    assert v2.status == VersionStatus.EFFECTIVE
    assert v1.status == VersionStatus.SUPERSEDED
    assert v1.superseded_on == timezone.localdate()
    doc.refresh_from_db()
    assert doc.current_version == 2
    assert "press 4" in doc.text


def test_the_switch_happens_lazily_when_the_register_is_read(
    make_doc, quality, reviewer, approver, client
):
    doc = make_doc()
    approve(doc, quality, reviewer, approver, effective_on=TODAY() + datetime.timedelta(days=3))
    v = doc.versions.get(number=1)
    assert v.status == VersionStatus.APPROVED
    # The date comes (no scheduled task has run):
    DocumentVersion.objects.filter(pk=v.pk).update(effective_on=TODAY())
    client.force_login(quality)
    assert client.get(reverse("documents_list")).status_code == 200
    v.refresh_from_db()
    assert v.status == VersionStatus.EFFECTIVE


def test_one_version_at_a_time_is_worked_on(make_doc, quality):
    doc = make_doc()
    with pytest.raises(TransitionError) as refused:
        versions.start(doc, quality, change_reason="Another")
    assert refused.value.status == 409


def test_versions_are_numbered_and_never_overwritten(make_doc, quality, reviewer, approver):
    doc = make_doc()
    approve(doc, quality, reviewer, approver)
    v1 = doc.versions.get(number=1)
    with pytest.raises(TransitionError) as refused:
        versions.save_draft(v1, quality)
    assert refused.value.status == 403
    assert "Only a draft can be edited" in str(refused.value)
    v2 = versions.start(doc, quality, change_reason="Clarify scope")
    assert v2.number == 2 and v2.body == v1.body


def test_two_people_editing_the_same_draft_never_overwrite_each_other(make_doc, quality):
    doc = make_doc()
    mine, theirs = working(doc), working(doc)
    mine.body = "mine"
    versions.save_draft(mine, quality)
    theirs.body = "theirs"
    with pytest.raises(StaleRecordError):
        versions.save_draft(theirs, quality)
    assert working(doc).body == "mine"


# --- reading ----------------------------------------------------------------------
def test_distribution_asks_people_roles_and_departments_to_read(
    make_doc, quality, reviewer, approver, employee, auditor
):
    from hoshin.core.models import Department

    shop = Department.objects.create(name="Machining")
    machinist = make_user("mia", roles.EMPLOYEE, department=shop)
    doc = make_doc()
    doc.distribute_people.add(employee)
    doc.distribute_roles = [roles.INTERNAL_AUDITOR]
    doc.distribute_departments.add(shop)
    doc.save()
    approve(doc, quality, reviewer, approver)
    v = doc.in_force()
    asked = set(ReadRequest.objects.for_record(v).values_list("person__username", flat=True))
    assert asked == {employee.username, auditor.username, machinist.username}
    assert reading.progress(v).done == 0
    versions.acknowledge(v, employee)  # type: ignore[arg-type]
    versions.acknowledge(v, employee)  # type: ignore[arg-type]  # once is enough
    assert reading.progress(v) == reading.Progress(1, 3)
    events = TrailEvent.objects.filter(reference=doc.reference, action="acknowledge")
    assert events.count() == 1
    with pytest.raises(TransitionError) as refused:
        versions.acknowledge(v, quality)  # type: ignore[arg-type]  # not asked
    assert refused.value.problems == {"__all__": ["You were not asked to read this."]}
    assert reading.progress(v) == reading.Progress(1, 3)  # type: ignore[arg-type]


def test_a_new_version_asks_again(make_doc, quality, reviewer, approver, employee):
    doc = make_doc()
    doc.distribute_people.add(employee)
    approve(doc, quality, reviewer, approver)
    versions.acknowledge(doc.in_force(), employee)  # type: ignore[arg-type]
    versions.start(doc, quality, change_reason="Update", body="# Purpose\n\nSay it anew.")
    approve(doc, quality, reviewer, approver)
    outstanding = reading.outstanding_for(employee)
    assert outstanding.count() == 1
    assert outstanding.get().object_id == doc.in_force().pk  # type: ignore[union-attr]


# --- periodic review --------------------------------------------------------------
def test_a_review_with_no_change_is_signed_without_a_new_version(
    make_doc, quality, reviewer, approver
):
    doc = make_doc()
    approve(doc, quality, reviewer, approver)
    Document.objects.filter(pk=doc.pk).update(due_date=TODAY() - datetime.timedelta(days=1))
    doc.refresh_from_db()
    assert doc.is_overdue
    with pytest.raises(TransitionError) as refused:
        versions.periodic_review(
            doc, quality, outcome=ReviewOutcome.NO_CHANGE, comment="", password="bad"
        )
    assert list(refused.value.problems) == ["password"]
    doc.refresh_from_db()
    assert doc.last_reviewed_on is None and doc.is_overdue
    review = versions.periodic_review(
        doc, quality, outcome=ReviewOutcome.NO_CHANGE, comment="Still right.", password=PASSWORD
    )
    doc.refresh_from_db()
    assert review.signature is not None and review.signature.meaning == "reviewed"
    assert doc.due_date == doc.next_review_from(TODAY())
    assert doc.last_reviewed_on == TODAY()
    assert doc.versions.count() == 1


def test_a_review_that_finds_a_change_opens_a_draft(make_doc, quality, reviewer, approver):
    doc = make_doc()
    approve(doc, quality, reviewer, approver)
    versions.periodic_review(
        doc, quality, outcome=ReviewOutcome.REVISE, comment="New customer rule", password=PASSWORD
    )
    assert working(doc).change_reason == "New customer rule"


# --- records: retention --------------------------------------------------------------
def test_a_closed_record_cannot_be_edited_and_is_kept_until_its_retention_ends(
    make_doc, quality, reviewer, approver
):
    doc = make_doc("REC", retention_years=3, disposition=Disposition.DESTROY, title="Batch 7")
    approve(doc, quality, reviewer, approver)
    doc.refresh_from_db()
    other = make_doc("QP")
    approve(other, quality, reviewer, approver)
    other.refresh_from_db()
    with pytest.raises(TransitionError) as refused:  # not a record: procedures are not closed
        WORKFLOW.perform(other, "close", quality)
    assert refused.value.problems == {
        "__all__": ["Only records are closed; other documents are made obsolete."]
    }
    WORKFLOW.perform(doc, "close", quality)
    doc.refresh_from_db()
    assert doc.status == "closed"
    assert doc.retain_until == doc.closed_on.replace(year=doc.closed_on.year + 3)  # type: ignore[union-attr]
    assert not versions.can_write(quality, doc)
    with pytest.raises(TransitionError) as refused:
        versions.start(doc, quality, change_reason="Fix")
    assert refused.value.status == 403
    assert doc.versions.count() == 1
    with pytest.raises(TransitionError) as early:
        WORKFLOW.perform(doc, "dispose", quality, comment="Retention over", password=PASSWORD)
    assert "retained until" in str(early.value)
    Document.objects.filter(pk=doc.pk).update(retain_until=TODAY() - datetime.timedelta(days=1))
    doc.refresh_from_db()
    WORKFLOW.perform(doc, "dispose", quality, comment="Retention over", password=PASSWORD)
    doc.refresh_from_db()
    assert doc.status == "disposed"
    assert doc.versions.get(number=1).body == ""
    assert doc.text == ""
    # The trail keeps that it happened, not what the text said.
    bodies = [
        e.changes.get("body", {}).get("before")
        for e in TrailEvent.objects.filter(reference=doc.reference)
        if isinstance(e.changes.get("body"), dict)
    ]
    assert bodies and all("Say what we do" not in str(b) for b in bodies)


def test_a_kept_record_is_never_disposed(make_doc, quality, reviewer, approver):
    doc = make_doc("REC", retention_years=0, disposition=Disposition.KEEP)
    approve(doc, quality, reviewer, approver)
    doc.refresh_from_db()
    WORKFLOW.perform(doc, "close", quality)
    doc.refresh_from_db()
    with pytest.raises(TransitionError) as refused:
        WORKFLOW.perform(doc, "dispose", quality, comment="x", password=PASSWORD)
    assert "kept indefinitely" in str(refused.value)


# --- obsolete ------------------------------------------------------------------------
def test_making_obsolete_withdraws_the_working_version_and_keeps_the_archive(
    make_doc, quality, reviewer, approver, client
):
    doc = make_doc()
    approve(doc, quality, reviewer, approver)
    versions.start(doc, quality, change_reason="Never finished")
    doc.refresh_from_db()
    with pytest.raises(TransitionError) as refused:
        WORKFLOW.perform(doc, "make_obsolete", quality, comment="", password=PASSWORD)
    assert list(refused.value.problems) == ["comment"]
    WORKFLOW.perform(doc, "make_obsolete", quality, comment="Replaced by QP-010", password=PASSWORD)
    doc.refresh_from_db()
    assert doc.status == "obsolete"
    assert doc.versions.get(number=2).status == VersionStatus.WITHDRAWN
    assert doc.versions.get(number=1).status == VersionStatus.EFFECTIVE
    client.force_login(quality)
    assert client.get(reverse("documents_detail", args=[doc.pk])).status_code == 200


# --- confidentiality -----------------------------------------------------------------
def test_confidential_documents_are_invisible_without_access(
    make_doc, quality, reviewer, approver, employee, auditor, client
):
    secret = make_doc(title="Salary bands", confidentiality=Confidentiality.CONFIDENTIAL)
    approve(secret, quality, reviewer, approver)
    open_doc = make_doc(title="Salary payment procedure")
    approve(open_doc, quality, reviewer, approver)
    for person in (employee, auditor):
        visible = Document.objects.visible_to(person)
        assert open_doc in visible and secret not in visible
        client.force_login(person)
        page = client.get(reverse("documents_search"), {"q": "salary"})
        assert b"Salary payment" in page.content and b"Salary bands" not in page.content
        api = client.get("/api/documents/", {"q": "salary"}).json()
        assert [d["reference"] for d in api["results"]] == [open_doc.reference]
        listed = client.get(reverse("documents_list"), {"q": "salary"})
        assert b"Salary bands" not in listed.content
        assert client.get(reverse("documents_detail", args=[secret.pk])).status_code == 404
    secret.access_people.add(employee)
    assert secret in Document.objects.visible_to(employee)
    assert secret in Document.objects.visible_to(quality)


def test_employees_see_only_documents_in_force(make_doc, quality, reviewer, approver, employee):
    draft = make_doc(title="Draft only")
    assert draft not in Document.objects.visible_to(employee)
    approve(draft, quality, reviewer, approver)
    assert draft in Document.objects.visible_to(employee)
    # ...and only the version in force of it.
    versions.start(draft, quality, change_reason="v2")
    numbers = [v.number for v in versions.visible_versions(employee, draft)]
    assert numbers == [1]


def test_a_confidential_download_is_in_the_trail(make_doc, quality, reviewer, approver, client):
    doc = make_doc(confidentiality=Confidentiality.CONFIDENTIAL, body="")
    v = working(doc)
    upload = SimpleUploadedFile("bands.txt", b"Band A 40k\nBand B 50k\n", "text/plain")
    from hoshin.core.files import check_upload

    versions.attach_file(v, upload, check_upload(upload))
    versions.save_draft(v, quality)
    client.force_login(quality)
    response = client.get(reverse("document_file", args=[doc.pk, 1]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Band A 40k\nBand B 50k\n"  # type: ignore[attr-defined]
    event = TrailEvent.objects.filter(reference=doc.reference, action="download").get()
    assert event.changes["confidentiality"] == "confidential"
    assert event.actor == quality


def test_the_quality_policy_in_force_is_found_by_its_kind(make_doc, quality, reviewer, approver):
    assert Document.objects.in_force_of_kind("policy") is None
    policy = make_doc("POL", title="Quality policy")
    assert Document.objects.in_force_of_kind("policy") is None  # a draft is not in force
    approve(policy, quality, reviewer, approver)
    assert Document.objects.in_force_of_kind("policy") == policy
    scope = make_doc("SCP", title="Scope of the QMS")
    approve(scope, quality, reviewer, approver)
    assert Document.objects.in_force_of_kind("scope") == scope


def test_quality_managers_keep_the_numbering_schemes(make_doc, quality, client, employee):
    client.force_login(quality)
    url = "/admin/support/documenttype/"
    assert client.get(url).status_code == 200
    qp = doc_type("QP")
    make_doc("QP")
    page = client.get(f"{url}{qp.pk}/change/").content.decode()
    assert 'name="prefix"' not in page  # in use: numbers were given from it
    wi = doc_type("WI")
    assert 'name="prefix"' in client.get(f"{url}{wi.pk}/change/").content.decode()
    client.force_login(employee)
    refused = client.get(url)
    assert refused.status_code == 302
    assert refused["Location"].startswith("/admin/login/")


def test_quality_managers_administer_processes(quality, client):
    client.force_login(quality)
    assert client.get("/admin/context/process/").status_code == 200
