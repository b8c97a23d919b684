"""Defects found by the review of issue 8 (1 to 5): each test failed before its fix."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from hoshin.context.models import Process
from hoshin.core import roles, search, trail
from hoshin.core.actor import acting_as
from hoshin.core.files import check_upload
from hoshin.core.models import ExchangeRate, Signature, SignOff, TrailEvent, User
from hoshin.core.money import Converter
from hoshin.improvement.models import Nonconformity
from hoshin.planning.models import ChangePlan, Risk
from hoshin.planning.workflow import CHANGE_WORKFLOW
from hoshin.support import versions
from hoshin.support.models import Disposition, Document
from hoshin.support.workflow import WORKFLOW as DOC_WORKFLOW
from tests.conftest import PASSWORD, approve, make_user, working


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 1. an edit is one transaction: the record, its many-to-many fields and their trail -------
class M2mTrailFailed(Exception):
    """Raised in place of writing the trail event of a many-to-many change."""


@pytest.fixture
def m2m_trail_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing the trail event of a change to ``processes`` fails; every other event is written."""
    append = trail.append

    def failing(*args: Any, **kwargs: Any) -> Any:
        if "processes" in (kwargs.get("changes") or {}):
            raise M2mTrailFailed
        return append(*args, **kwargs)

    monkeypatch.setattr(trail, "append", failing)


@pytest.fixture
def plan(quality: User, process: Process) -> ChangePlan:
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
    return plan


def assert_untouched(plan: ChangePlan) -> None:
    saved = ChangePlan.objects.get(pk=plan.pk)
    assert saved.title == "New ERP"
    assert saved.version == plan.version
    assert not saved.processes.exists()
    assert not TrailEvent.objects.filter(reference=plan.reference, action="change").exists()


@pytest.mark.django_db
def test_an_edit_in_the_form_is_undone_whole_when_its_many_to_many_trail_fails(
    plan: ChangePlan, process: Process, quality: User, m2m_trail_fails: None
) -> None:
    body = {
        "title": "New ERP system",
        "purpose": plan.purpose,
        "owner": quality.pk,
        "processes": [process.pk],
        "version": plan.version,
        "reason": "Scope known",
    }
    with pytest.raises(M2mTrailFailed):
        signed_in(quality).post(reverse("changes_edit", args=[plan.pk]), body)
    assert_untouched(plan)


@pytest.mark.django_db
def test_an_edit_through_the_api_is_undone_whole_when_its_many_to_many_trail_fails(
    plan: ChangePlan, process: Process, quality: User, m2m_trail_fails: None
) -> None:
    client = APIClient()
    client.force_authenticate(quality)
    body = {"title": "New ERP system", "processes": [process.pk], "version": plan.version}
    with pytest.raises(M2mTrailFailed):
        client.patch(f"/api/changes/{plan.pk}/", body, format="json")
    assert_untouched(plan)


@pytest.mark.django_db
def test_an_edit_with_many_to_many_fields_still_saves_all_of_it(
    plan: ChangePlan, process: Process, quality: User
) -> None:
    client = APIClient()
    client.force_authenticate(quality)
    body = {"title": "New ERP system", "processes": [process.pk], "version": plan.version}
    response = client.patch(f"/api/changes/{plan.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    saved = ChangePlan.objects.get(pk=plan.pk)
    assert saved.title == "New ERP system" and list(saved.processes.all()) == [process]
    events = TrailEvent.objects.filter(reference=plan.reference, action="change")
    assert {name for e in events for name in e.changes} >= {"title", "processes"}


# --- 2. times: the reader's zone, labelled with it; UTC where the label says UTC ---------------
SERVER_ZONE = "Asia/Kolkata"  # UTC+05:30 all year: never the same clock time as UTC


def local(moment: datetime.datetime, zone: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """``moment`` as a reader in ``zone`` should see it: the zone's clock and its name."""
    there = moment.astimezone(ZoneInfo(zone))
    return f"{there.strftime(fmt)} {there.tzname()}"


def utc(moment: datetime.datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return f"{moment.astimezone(datetime.UTC).strftime(fmt)} UTC"


def mislabelled(moment: datetime.datetime, zone: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """The defect: the zone's clock time with the label UTC."""
    return f"{moment.astimezone(ZoneInfo(zone)).strftime(fmt)} UTC"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def server_zone(settings: Any) -> str:
    settings.TIME_ZONE = SERVER_ZONE
    return SERVER_ZONE


@pytest.fixture
def approved_plan(plan: ChangePlan, ceo: User) -> ChangePlan:
    CHANGE_WORKFLOW.perform(plan, "approve", ceo, password=PASSWORD)
    plan.refresh_from_db()
    return plan


@pytest.mark.django_db
def test_a_record_page_shows_times_in_the_organisations_zone_labelled_with_it(
    server_zone: str, approved_plan: ChangePlan, quality: User
) -> None:
    page = signed_in(quality).get(reverse("changes_detail", args=[approved_plan.pk]))
    html = page.content.decode()
    signature = Signature.objects.for_record(approved_plan).get()
    event = TrailEvent.objects.filter(reference=approved_plan.reference).last()
    assert event is not None
    for moment in (signature.signed_at, event.at):
        assert local(moment, server_zone, "%Y-%m-%d %H:%M:%S") in html
        assert mislabelled(moment, server_zone, "%Y-%m-%d %H:%M:%S") not in html


@pytest.mark.django_db
def test_a_person_sees_times_in_their_own_zone(
    server_zone: str, approved_plan: ChangePlan, quality: User
) -> None:
    quality.time_zone = "America/New_York"
    quality.save()
    html = signed_in(quality).get(reverse("changes_detail", args=[approved_plan.pk])).content
    signature = Signature.objects.for_record(approved_plan).get()
    assert local(signature.signed_at, "America/New_York", "%Y-%m-%d %H:%M:%S") in html.decode()
    # The zone is the request's only: the next one (nobody signed in) is back on the server's.
    assert timezone.get_current_timezone_name() == server_zone


@pytest.mark.django_db
def test_the_record_pdf_says_utc_and_shows_utc(
    server_zone: str, approved_plan: ChangePlan, quality: User
) -> None:
    before = timezone.now()
    response = signed_in(quality).get(reverse("changes_pdf", args=[approved_plan.pk]))
    after = timezone.now()
    text = pdf_text(response.content)
    signature = Signature.objects.for_record(approved_plan).get()
    assert utc(signature.signed_at) in text
    assert mislabelled(signature.signed_at, server_zone) not in text
    assert utc(before) in text or utc(after) in text  # printed at


@pytest.mark.django_db
def test_the_master_list_pdf_says_utc_and_shows_utc(
    server_zone: str, make_doc: Any, quality: User
) -> None:
    make_doc()
    before = timezone.now()
    response = signed_in(quality).get(reverse("documents_master_pdf"))
    after = timezone.now()
    text = pdf_text(response.content)
    assert utc(before) in text or utc(after) in text
    assert mislabelled(before, server_zone) not in text
    assert mislabelled(after, server_zone) not in text


@pytest.mark.django_db
def test_a_version_page_shows_times_in_the_readers_zone_labelled_with_it(
    server_zone: str, make_doc: Any, quality: User, reviewer: User, approver: User
) -> None:
    doc = make_doc()
    approve(doc, quality, reviewer, approver)
    version = doc.versions.get()
    html = signed_in(quality).get(reverse("document_version", args=[doc.pk, 1])).content.decode()
    steps = list(SignOff.objects.for_record(version).exclude(decided_at=None))
    assert steps
    for moment in [version.created_at, *(s.decided_at for s in steps)]:
        assert local(moment, server_zone) in html
        assert mislabelled(moment, server_zone) not in html


# A person's zone -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_person_sets_their_time_zone(server_zone: str, employee: User) -> None:
    client = signed_in(employee)
    page = client.get(reverse("my_settings"))
    assert page.status_code == 200 and server_zone in page.content.decode()
    response = client.post(reverse("my_settings"), {"time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.time_zone == "Europe/Berlin"
    assert client.post(reverse("my_settings"), {"time_zone": "Mars/Olympus"}).status_code == 400
    employee.refresh_from_db()
    assert employee.time_zone == "Europe/Berlin"
    client.post(reverse("my_settings"), {"time_zone": ""})
    employee.refresh_from_db()
    assert employee.time_zone == ""  # back to the organisation's


@pytest.mark.django_db
def test_an_administrator_sets_a_persons_time_zone(quality: User, employee: User) -> None:
    page = signed_in(quality).get(reverse("admin:core_user_change", args=[employee.pk]))
    assert page.status_code == 200
    assert 'name="time_zone"' in page.content.decode()


# Today is the zone's today -------------------------------------------------------------------
@pytest.fixture
def days_apart(settings: Any) -> Iterator[datetime.date]:
    """The server's clock is UTC-12, the active zone UTC+14: their dates always differ."""
    settings.TIME_ZONE = "Etc/GMT+12"
    with timezone.override(ZoneInfo("Etc/GMT-14")):
        today = timezone.localdate()
        assert today != datetime.date.today()
        yield today


@pytest.mark.django_db
def test_money_converts_at_the_rate_of_the_zones_today(days_apart: datetime.date) -> None:
    ExchangeRate.objects.create(
        currency="USD", rate=Decimal("0.5"), valid_from=days_apart - datetime.timedelta(days=5)
    )
    ExchangeRate.objects.create(currency="USD", rate=Decimal("0.9"), valid_from=days_apart)
    assert Converter(base="EUR").rate("USD") == Decimal("0.9")


@pytest.mark.django_db
def test_a_new_exchange_rate_is_valid_from_the_zones_today(days_apart: datetime.date) -> None:
    assert ExchangeRate(currency="USD", rate=Decimal("0.9")).valid_from == days_apart


@pytest.mark.django_db
def test_the_trail_in_the_administration_says_utc_and_shows_utc(
    server_zone: str, plan: ChangePlan, quality: User
) -> None:
    event = TrailEvent.objects.get(reference=plan.reference)
    client = signed_in(quality)
    for url in (
        reverse("admin:core_trailevent_changelist"),
        reverse("admin:core_trailevent_change", args=[event.pk]),
    ):
        html = client.get(url).content.decode()
        assert event.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S") in html


# --- 3. ranked search reads the stored vector -------------------------------------------------
@pytest.mark.django_db
def test_ranked_document_search_reads_the_index_not_the_text_of_every_row(
    make_doc: Any, quality: User
) -> None:
    """On PostgreSQL the rank comes from the stored vector column; SQLite reads its FTS5
    table. Neither parses the text of the documents while ranking them."""
    make_doc(title="Calibration of gauges", body="Gauges are calibrated yearly.")
    make_doc(title="Control of documents", body="Gauges are mentioned once.")
    make_doc(title="Purchasing", body="Suppliers are approved.")
    with CaptureQueriesContext(connection) as queries:
        page = signed_in(quality).get(reverse("documents_search"), {"q": "gauges"})
    titles = [doc.title for doc, _passage in page.context["results"]]
    assert sorted(titles) == ["Calibration of gauges", "Control of documents"]
    assert titles[0] == "Calibration of gauges"  # two matches rank above one
    ranking = [q["sql"] for q in queries.captured_queries if "support_document" in q["sql"]]
    if connection.vendor == "postgresql":
        ranking = [sql for sql in ranking if "ts_rank" in sql]
        assert ranking
        for sql in ranking:
            assert f'"support_document".{search.STORED_COLUMN}' in sql
            assert "to_tsvector" not in sql
            # The match filters the ranked rows themselves: as a semi-join (id IN (SELECT…))
            # the planner may rank every row of the table and keep those that match.
            assert "IN (SELECT" not in sql
    else:
        ranking = [sql for sql in ranking if "support_document_fts" in sql]
        assert ranking
        assert all("LIKE" not in sql for sql in ranking)


# --- 4. linking a nonconformity to a risk takes the right to edit the risk --------------------
def make_risk(owner: User, **fields: Any) -> Risk:
    with acting_as(owner):
        risk = Risk(
            title=fields.pop("title", "Single source for castings"),
            description="One foundry supplies all housings.",
            source="process",
            owner=owner,
            **fields,
        )
        risk.save()
    return risk


def link(user: User, nc: Nonconformity, risk: Risk) -> Any:
    client = signed_in(user)
    client.raise_request_exception = False
    return client.post(reverse("nc_raise_risk", args=[nc.pk]), {"risk": risk.pk})


def assert_unlinked(risk: Risk) -> None:
    assert not risk.nonconformities.exists()
    assert not TrailEvent.objects.filter(reference=risk.reference, action="change").exists()


@pytest.mark.django_db
def test_a_process_owner_may_not_link_a_nonconformity_to_someone_elses_risk(
    nc: Nonconformity, owner: User
) -> None:
    theirs = make_risk(make_user("paula", roles.PROCESS_OWNER))
    mine = make_risk(owner, title="Late deliveries from the foundry")
    page = signed_in(owner).get(reverse("nonconformities_detail", args=[nc.pk]))
    # Only the risk picker's options: the page's step forms offer people by their ids too.
    offered = page.content.decode().split('id="link-risk"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{mine.pk}">{mine.reference}' in offered
    assert f'<option value="{theirs.pk}">' not in offered
    assert link(owner, nc, theirs).status_code == 403
    assert_unlinked(theirs)


@pytest.mark.django_db
def test_nobody_links_a_nonconformity_to_a_closed_risk(
    nc: Nonconformity, owner: User, quality: User
) -> None:
    closed = make_risk(owner)
    Risk.objects.filter(pk=closed.pk).update(status="closed")
    assert link(owner, nc, closed).status_code == 403
    assert link(quality, nc, closed).status_code == 403
    assert_unlinked(closed)


@pytest.mark.django_db
def test_the_owner_of_a_risk_and_a_quality_manager_link_nonconformities_to_it(
    make_nc: Any, owner: User, quality: User
) -> None:
    risk = make_risk(owner)
    first, second = make_nc(), make_nc(title="Porosity in casting C-14")
    assert link(owner, first, risk).status_code == 302
    assert link(quality, second, risk).status_code == 302
    assert set(risk.nonconformities.all()) == {first, second}
    assert TrailEvent.objects.filter(reference=risk.reference, action="change").count() == 2


# --- 5. a disposed record's files go once the disposal is committed ---------------------------
class DisposalFailed(Exception):
    """Something later in the same transaction fails."""


@pytest.fixture
def due_for_disposal(
    settings: Any, tmp_path: Any, make_doc: Any, quality: User, reviewer: User, approver: User
) -> Document:
    """A closed record with a file, its retention over."""
    settings.MEDIA_ROOT = tmp_path
    doc = make_doc("REC", body="", retention_years=1, disposition=Disposition.DESTROY)
    upload = SimpleUploadedFile("batch.txt", b"Batch 7: 200 parts\n", "text/plain")
    version = working(doc)
    versions.attach_file(version, upload, check_upload(upload))
    versions.save_draft(version, quality)
    approve(doc, quality, reviewer, approver)
    doc.refresh_from_db()
    DOC_WORKFLOW.perform(doc, "close", quality)
    Document.objects.filter(pk=doc.pk).update(
        retain_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    doc.refresh_from_db()
    return doc


def stored_file(doc: Document) -> str:
    name = doc.versions.get().file.name
    assert name and default_storage.exists(name)
    return name


def dispose(doc: Document, quality: User) -> None:
    DOC_WORKFLOW.perform(doc, "dispose", quality, comment="Retention over", password=PASSWORD)


@pytest.mark.django_db
def test_a_disposal_rolled_back_leaves_the_file_in_storage(
    due_for_disposal: Document, quality: User, django_capture_on_commit_callbacks: Any
) -> None:
    name = stored_file(due_for_disposal)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DisposalFailed),
        transaction.atomic(),
    ):
        dispose(due_for_disposal, quality)
        assert default_storage.exists(name)
        raise DisposalFailed
    assert callbacks == []
    assert default_storage.exists(name)
    assert Document.objects.get(pk=due_for_disposal.pk).status == "closed"


@pytest.mark.django_db
def test_a_disposal_committed_removes_the_file_from_storage(
    due_for_disposal: Document, quality: User, django_capture_on_commit_callbacks: Any
) -> None:
    name = stored_file(due_for_disposal)
    with django_capture_on_commit_callbacks(execute=True):
        dispose(due_for_disposal, quality)
        assert default_storage.exists(name)  # not before the commit
    assert not default_storage.exists(name)
    version = due_for_disposal.versions.get()
    assert not version.file and version.body == "" and version.file_text == ""
