"""The background task queue: mail after commit, the real database worker, retries that end
visibly failed in the admin, and controlled copies made by the worker."""

from __future__ import annotations

import datetime
import io
import signal
import smtplib
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader, PdfWriter

from hoshin.core.files import check_upload
from hoshin.core.models import TrailEvent, User
from hoshin.core.signals import record_created
from hoshin.core.tasks import enqueue_mail
from hoshin.improvement.models import Nonconformity
from hoshin.support import versions
from hoshin.support.models import DocumentVersion
from tests.conftest import approve, working
from tests.test_support_copies import uploaded_pdf

pytestmark = pytest.mark.django_db

SEND_EMAIL = "hoshin.core.tasks.send_email"
MAKE_COPY = "hoshin.support.copy_store.make_copy"


@pytest.fixture
def database_queue(settings: Any) -> None:
    """The production backend: tasks wait in the database for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """The real ``db_worker`` command, working the queue until nothing is due, then exiting.

    The worker drops database connections it finds outside autocommit, as a long-running
    process should; inside the test's transaction that would be the test's own connection
    (PostgreSQL), so that one check is left out, as Django's test client does for requests.
    """
    kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with mock.patch(f"{db_worker.__name__}.close_old_connections"):
            call_command(
                "db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO()
            )
    finally:  # the worker sets its own signal handlers: give pytest its own back
        for number, handler in kept.items():
            signal.signal(number, handler)


def tasks(path: str, **filters: Any) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=path, **filters).order_by("enqueued_at"))


def make_due() -> None:
    """Let the time of a deferred retry come."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


class FlakyBackend(BaseEmailBackend):
    """A mail server that refuses the first ``failures`` attempts, then delivers."""

    failures = 0
    calls = 0

    def send_messages(self, email_messages: Any) -> int:
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.fixture
def flaky_mail(settings: Any) -> Iterator[type[FlakyBackend]]:
    settings.EMAIL_BACKEND = "tests.test_tasks.FlakyBackend"
    settings.HOSHIN_MAIL_ATTEMPTS = 3
    FlakyBackend.failures, FlakyBackend.calls = 0, 0
    mail.outbox = []
    yield FlakyBackend
    FlakyBackend.failures, FlakyBackend.calls = 0, 0


# --- Mail after commit -------------------------------------------------------------------------


def test_mail_is_queued_when_the_change_commits_and_sent_by_the_worker(
    database_queue: None,
    employee: User,
    process: Any,
    quality: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = Client()
    client.force_login(employee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("nonconformities_create"),
            {
                "title": "Label on box 44 shows the wrong part number",
                "description": "Box 44 of lot L-981 labelled H-220 but holds H-221.",
                "source": "employee_report",
                "severity": "minor",
                "detected_on": timezone.localdate().isoformat(),
                "process": process.pk,
            },
        )
    assert response.status_code == 302
    nc = Nonconformity.objects.get()
    # The request queued one message per person and sent none itself.
    queued = tasks(SEND_EMAIL, status="READY")
    assert sorted(t.args_kwargs["args"][2][0] for t in queued) == [
        "owner@example.com",
        "quality@example.com",
    ]
    assert mail.outbox == []

    run_worker()

    assert sorted(m.to[0] for m in mail.outbox) == ["owner@example.com", "quality@example.com"]
    assert all(nc.reference in m.subject for m in mail.outbox)
    assert [t.status for t in tasks(SEND_EMAIL)] == ["SUCCESSFUL", "SUCCESSFUL"]


def test_nothing_is_queued_or_sent_for_a_change_rolled_back(
    database_queue: None, nc: Nonconformity, quality: User, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record_created.send(Nonconformity, record=nc, user=quality)
        assert not DBTaskResult.objects.exists()  # not before the commit either
        raise RuntimeError("the save failed after all")
    assert callbacks == []
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []


def test_a_mail_server_that_is_down_never_breaks_the_request(
    flaky_mail: type[FlakyBackend],
    employee: User,
    quality: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Even with tasks run at once (in the request), the failure stays in the task result."""
    flaky_mail.failures = 99
    client = Client()
    client.force_login(employee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("nonconformities_create"),
            {
                "title": "Scratch on cover",
                "description": "Cover C-3 scratched.",
                "source": "employee_report",
                "severity": "minor",
                "detected_on": timezone.localdate().isoformat(),
            },
        )
    assert response.status_code == 302
    assert Nonconformity.objects.count() == 1
    assert flaky_mail.calls == 3  # every attempt was made, none delivered
    assert mail.outbox == []


def test_a_subject_typed_over_several_lines_is_sent_on_one(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_mail("[Hoshin] NC-2026-0001 raised: Label on box 44\r\nwrong", "Body", "a@b.org")
    assert [m.subject for m in mail.outbox] == [
        "[Hoshin] NC-2026-0001 raised: Label on box 44 wrong"
    ]


# --- Retries -----------------------------------------------------------------------------------


def test_a_failing_send_is_retried_with_growing_delays_then_stays_failed(
    database_queue: None, flaky_mail: type[FlakyBackend], django_capture_on_commit_callbacks: Any
) -> None:
    flaky_mail.failures = 99
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_mail("[Hoshin] Test", "Body", "ann@example.com")

    before = timezone.now()
    run_worker()
    first, second = tasks(SEND_EMAIL)
    assert first.status == "FAILED"
    assert first.exception_class_path == "hoshin.core.tasks.RetryScheduled"
    assert "SMTPServerDisconnected" in first.traceback  # the mail server's own error is kept
    assert second.status == "READY" and second.args_kwargs["kwargs"] == {"attempt": 2}
    wait = second.run_after - before
    assert datetime.timedelta(seconds=50) < wait < datetime.timedelta(seconds=70)
    run_worker()
    assert flaky_mail.calls == 1  # not due yet: the worker left it

    make_due()
    run_worker()
    third = tasks(SEND_EMAIL)[2]
    assert third.args_kwargs["kwargs"] == {"attempt": 3}
    assert datetime.timedelta(minutes=4) < third.run_after - timezone.now()

    make_due()
    run_worker()
    results = tasks(SEND_EMAIL)
    assert len(results) == 3  # the last attempt queued no other
    assert [r.status for r in results] == ["FAILED", "FAILED", "FAILED"]
    last = results[-1]
    assert last.exception_class_path == "hoshin.core.tasks.GaveUp"
    assert "Attempt 3 of 3 failed, not retried" in last.traceback
    assert "Connection unexpectedly closed" in last.traceback
    assert flaky_mail.calls == 3
    assert mail.outbox == []


def test_a_retry_delivers_once_the_server_is_back(
    database_queue: None, flaky_mail: type[FlakyBackend], django_capture_on_commit_callbacks: Any
) -> None:
    flaky_mail.failures = 1
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_mail("[Hoshin] Test", "Body", "ann@example.com")
    run_worker()
    make_due()
    run_worker()
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]
    assert [t.status for t in tasks(SEND_EMAIL)] == ["FAILED", "SUCCESSFUL"]


def test_remind_hands_a_failed_reminder_to_the_queue(
    database_queue: None, flaky_mail: type[FlakyBackend], make_nc: Any, owner: User
) -> None:
    make_nc(due_date=timezone.localdate() - datetime.timedelta(days=2))
    flaky_mail.failures = 1
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 reminders could not be sent"):
        call_command("remind", stdout=io.StringIO(), stderr=err)
    assert "queued for another attempt" in err.getvalue()
    (retry,) = tasks(SEND_EMAIL)
    assert retry.args_kwargs["args"][2] == [owner.email]
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    make_due()
    run_worker()
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "Reminder" in mail.outbox[0].subject


# --- The administrator sees failed tasks ------------------------------------------------------

TASKS_ADMIN = "/admin/django_tasks_database/dbtaskresult/"


def test_failed_tasks_are_shown_to_a_quality_manager_and_to_no_one_else(
    database_queue: None,
    flaky_mail: type[FlakyBackend],
    quality: User,
    employee: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    flaky_mail.failures = 99
    quality.is_staff = True
    quality.save()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_mail("[Hoshin] NC-2026-0007 raised", "Body", "ann@example.com")
    for _ in range(3):
        run_worker()
        make_due()
    last = tasks(SEND_EMAIL)[-1]
    assert last.exception_class_path == "hoshin.core.tasks.GaveUp"

    client = Client()
    client.force_login(employee)
    refused = client.get(TASKS_ADMIN)
    assert refused.status_code == 302 and "/login/" in refused["Location"]
    assert client.get(f"{TASKS_ADMIN}{last.pk}/change/").status_code == 302

    client.force_login(quality)
    page = client.get(TASKS_ADMIN, {"status__exact": "FAILED"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "ann@example.com: [Hoshin] NC-2026-0007 raised" in html
    assert "GaveUp: Attempt 3 of 3 failed, not retried" in html
    detail = client.get(f"{TASKS_ADMIN}{last.pk}/change/").content.decode()
    assert "Connection unexpectedly closed" in detail  # the traceback
    assert 'name="_save"' not in detail  # read-only
    assert client.post(f"{TASKS_ADMIN}{last.pk}/delete/").status_code == 403
    assert DBTaskResult.objects.filter(pk=last.pk).exists()


# --- Controlled copies through the queue --------------------------------------------------------


def pdf_document(make_doc: Any, quality: User, reviewer: User, ceo: User, pdf: bytes) -> Any:
    doc = make_doc(body="", title="Drawing of housing H-220")
    version = working(doc)
    upload = SimpleUploadedFile("drawing.pdf", pdf, "application/pdf")
    versions.attach_file(version, upload, check_upload(upload))
    versions.save_draft(version, quality)
    approve(doc, quality, reviewer, ceo)
    return doc


def test_a_stamped_copy_is_made_by_the_worker_while_the_page_waits(
    database_queue: None, make_doc: Any, quality: User, reviewer: User, ceo: User
) -> None:
    doc = pdf_document(make_doc, quality, reviewer, ceo, uploaded_pdf())
    client = Client()
    client.force_login(quality)
    url = reverse("document_copy", args=[doc.pk, 1])

    waiting = client.get(url)
    assert waiting.status_code == 202
    html = waiting.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "The copy is being prepared" in html
    assert len(tasks(MAKE_COPY, status="READY")) == 1
    assert client.get(url).status_code == 202  # reloading does not ask twice
    assert len(tasks(MAKE_COPY)) == 1
    exports = TrailEvent.objects.filter(reference=doc.reference, action="export")
    assert not exports.exists()  # nothing handed out yet

    run_worker()
    assert [t.status for t in tasks(MAKE_COPY)] == ["SUCCESSFUL"]

    ready = client.get(url)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(ready.content)).pages]
    assert len(pages) == 2
    assert "Original first page text." in pages[0]
    assert all(doc.reference in p and "Controlled copy" in p for p in pages)
    assert "Quality" in pages[0]  # printed by the reader who asked
    assert exports.count() == 1
    # Asked again: the stored copy, at once, with no new task; the trail says so again.
    again = client.get(url)
    assert again.content == ready.content
    assert len(tasks(MAKE_COPY)) == 1
    assert exports.count() == 2
    # The record's PDF is the same copy.
    assert client.get(reverse("documents_pdf", args=[doc.pk])).content == ready.content


def test_a_new_signature_makes_a_new_copy_and_the_old_one_goes(
    make_doc: Any, quality: User, reviewer: User, ceo: User
) -> None:
    from django.core.files.storage import default_storage

    doc = make_doc(title="Calibration of gauges")
    client = Client()
    client.force_login(quality)
    url = reverse("document_copy", args=[doc.pk, 1])
    draft = client.get(url)
    assert "DRAFT" in PdfReader(io.BytesIO(draft.content)).pages[0].extract_text()
    approve(doc, quality, reviewer, ceo)
    effective = client.get(url)
    text = PdfReader(io.BytesIO(effective.content)).pages[0].extract_text()
    assert "DRAFT" not in text and "Controlled copy" in text
    folder = f"copies/{DocumentVersion.objects.get(document=doc, number=1).pk}"
    _, files = default_storage.listdir(folder)
    assert len([f for f in files if f.endswith(".pdf")]) == 1


def test_a_pdf_that_cannot_be_stamped_is_refused_with_the_reason(
    database_queue: None, make_doc: Any, quality: User, reviewer: User, ceo: User
) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(uploaded_pdf())))
    writer.encrypt("", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    doc = pdf_document(make_doc, quality, reviewer, ceo, buffer.getvalue())
    client = Client()
    client.force_login(quality)
    url = reverse("document_copy", args=[doc.pk, 1])
    assert client.get(url).status_code == 202
    run_worker()
    assert [t.return_value for t in tasks(MAKE_COPY)] == ["refused"]
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("document_version", args=[doc.pk, 1])
    assert "encrypted or password-protected" in response.content.decode()
    assert not TrailEvent.objects.filter(reference=doc.reference, action="export").exists()


def test_the_waiting_page_says_when_the_worker_seems_stopped(
    database_queue: None, make_doc: Any, quality: User
) -> None:
    from django.core.files.storage import default_storage

    doc = make_doc()
    client = Client()
    client.force_login(quality)
    url = reverse("document_copy", args=[doc.pk, 1])
    assert "taking longer than usual" not in client.get(url).content.decode()
    (pending,) = [
        f"copies/{working(doc).pk}/{f}"
        for f in default_storage.listdir(f"copies/{working(doc).pk}")[1]
        if f.endswith(".pending")
    ]
    default_storage.delete(pending)
    long_ago = timezone.now() - datetime.timedelta(minutes=2)
    default_storage.save(pending, ContentFile(long_ago.isoformat().encode()))
    assert "taking longer than usual" in client.get(url).content.decode()
    assert len(tasks(MAKE_COPY)) == 1  # not yet stale: not asked again
