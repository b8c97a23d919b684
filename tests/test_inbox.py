"""Named assignees, notifications and the inbox (issue 10).

A step someone else must take names them before it is taken and tells them once it is;
mentions, followed records, routes and reminders reach the inbox; every page shows a
person only their own notifications on records they may still see.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hoshin.core import digest, inbox, reading
from hoshin.core.actor import acting_as
from hoshin.core.models import (
    Comment,
    Digest,
    InboxPreference,
    Notification,
    NotificationKind,
    TrailEvent,
    User,
)
from hoshin.improvement.models import Nonconformity
from hoshin.improvement.workflow import WORKFLOW
from hoshin.support import versions
from hoshin.support.models import Document
from tests.conftest import PASSWORD, advance, approve, working
from tests.test_query_counts import LARGE, SMALL, assert_flat, count_queries

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def inbox_of(user: User, kind: str | None = None) -> list[Notification]:
    found = Notification.objects.filter(recipient=user)
    if kind:
        found = found.filter(kind=kind)
    return list(found.order_by("created_at", "id"))


def comment(record: Any, author: User, text: str) -> Comment:
    with acting_as(author):
        item = Comment(author=author, text=text)
        item.link_to(record)
        item.save()
    return item


# --- assignment ---------------------------------------------------------------------------
def test_the_owner_sees_who_will_verify_before_confirming_the_step(
    nc: Nonconformity, owner: User, quality: User
) -> None:
    nc = advance(nc, "actions", by=owner)
    for action in nc.actions():
        action.status, action.evidence, action.completed_on = "done", "WI-12 rev C", nc.detected_on
        with acting_as(owner):
            action.save()

    page = signed_in(owner).get(reverse("nonconformities_detail", args=[nc.pk]))

    assert page.status_code == 200
    assert "Quality will be asked to verify the actions" in page.content.decode()


def test_taking_the_step_names_the_verifier_and_tells_them_at_once(
    nc: Nonconformity,
    owner: User,
    quality: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        nc = advance(nc, "verification", by=owner)

    [assigned] = inbox_of(quality, NotificationKind.ASSIGNMENT)
    assert assigned.reference == nc.reference
    assert assigned.state == "verification"
    assert "verify the actions' effectiveness" in assigned.message
    sent = [m for m in mail.outbox if m.to == [quality.email] and nc.reference in m.subject]
    assert len(sent) == 1 and "verify" in sent[0].body
    assert not inbox_of(owner, NotificationKind.ASSIGNMENT)  # never the one who acted
    assert inbox.is_following(quality, nc)

    home = signed_in(quality).get(reverse("home")).content.decode()
    assert "Asked of me" in home and nc.reference in home


def test_the_assignment_leaves_the_home_page_once_the_step_is_taken(
    nc: Nonconformity, owner: User, quality: User
) -> None:
    nc = advance(nc, "closed", by=owner, verifier=quality)

    assert inbox.waiting_for(quality) == []
    assert inbox_of(quality, NotificationKind.ASSIGNMENT)  # the notification itself stays


def test_an_action_given_to_someone_else_is_an_assignment(
    nc: Nonconformity, owner: User, employee: User
) -> None:
    from hoshin.core.models import Action

    with acting_as(owner):
        action = Action(
            description="Retrain the night shift", owner=employee, due_date=nc.detected_on
        )
        action.link_to(nc)
        action.save()

    [told] = inbox_of(employee, NotificationKind.ASSIGNMENT)
    assert "Retrain the night shift" in told.message


def test_the_home_page_counts_my_actions_in_words_that_agree_with_the_number(
    nc: Nonconformity, owner: User, employee: User
) -> None:
    from hoshin.core.models import Action

    def give(description: str) -> str:
        with acting_as(owner):
            action = Action(description=description, owner=employee, due_date=nc.detected_on)
            action.link_to(nc)
            action.save()
        return signed_in(employee).get(reverse("home")).content.decode()

    one = give("Retrain the night shift")
    assert "action assigned to me" in one and "actions assigned to me" not in one
    assert "actions assigned to me" in give("Update the work instruction")


# --- mentions and following ------------------------------------------------------------------
def test_a_comment_mentioning_me_notifies_me(nc: Nonconformity, owner: User, auditor: User) -> None:
    comment(nc, owner, "Could @auditor look at the sampling? Thanks.")

    [mention] = inbox_of(auditor, NotificationKind.MENTION)
    assert "sampling" in mention.message and mention.actor == owner


def test_opening_the_record_reads_what_i_was_told_about_it_and_only_that(
    make_nc: Callable[..., Nonconformity], owner: User, auditor: User
) -> None:
    first, other = make_nc(), make_nc(title="Porosity in casting C-14")
    comment(first, owner, "@auditor please look at the sampling.")
    comment(other, owner, "@auditor and at this one.")
    assert inbox.unread_count(auditor) == 2

    assert (
        signed_in(auditor).get(reverse("nonconformities_detail", args=[first.pk])).status_code
        == 200
    )

    assert inbox.unread_count(auditor) == 1
    [unread] = inbox.for_person(auditor).filter(read_at__isnull=True)
    assert unread.object_id == other.pk
    # Someone else opening it reads nothing of the auditor's.
    signed_in(owner).get(reverse("nonconformities_detail", args=[other.pk]))
    assert inbox.unread_count(auditor) == 1


def test_a_mention_of_someone_who_may_not_see_the_record_tells_no_one(
    nc: Nonconformity, owner: User, employee: User
) -> None:
    comment(nc, owner, "@employee should not hear of this one, nor @nobody.")

    assert inbox_of(employee) == []


def test_a_record_i_follow_notifies_me_when_its_state_changes(
    nc: Nonconformity, owner: User, ceo: User
) -> None:
    response = signed_in(ceo).post(
        reverse("follow", args=["nonconformities", nc.pk]), {"following": "1"}
    )
    assert response.status_code == 302

    advance(nc, "contained", by=owner)

    [change] = inbox_of(ceo, NotificationKind.CHANGE)
    assert "Contained" in change.message


def test_the_owner_follows_their_record_until_they_unfollow(
    nc: Nonconformity, owner: User, quality: User
) -> None:
    with acting_as(quality):
        nc.containment_action, nc.containment_by, nc.containment_on = (
            "Held",
            quality,
            nc.detected_on,
        )
        nc.save()
        WORKFLOW.perform(nc, "contain", quality)
    assert len(inbox_of(owner, NotificationKind.CHANGE)) == 1

    signed_in(owner).post(reverse("follow", args=["nonconformities", nc.pk]), {"following": "0"})
    nc.refresh_from_db()
    with acting_as(quality):
        WORKFLOW.perform(nc, "void", quality, comment="Duplicate")

    assert len(inbox_of(owner, NotificationKind.CHANGE)) == 1


# --- the inbox page ------------------------------------------------------------------------
def test_the_bell_counts_my_unread_and_i_mark_them_read(
    nc: Nonconformity, owner: User, auditor: User
) -> None:
    comment(nc, owner, "@auditor one")
    comment(nc, owner, "@auditor two")
    client = signed_in(auditor)

    page = client.get(reverse("inbox")).content.decode()
    assert "one" in page and "two" in page
    assert 'class="badge rounded-pill text-bg-warning">2<' in page

    first = inbox_of(auditor)[0]
    client.post(reverse("inbox_read"), {"id": first.pk})
    first.refresh_from_db()
    assert first.read_at is not None
    assert "Mark read" in client.get(reverse("inbox")).content.decode()

    client.post(reverse("inbox_read"), {"all": "1"})
    assert not Notification.objects.filter(recipient=auditor, read_at__isnull=True).exists()
    unread_page = client.get(reverse("inbox")).content.decode()
    assert "Nothing unread." in unread_page
    assert "two" in client.get(reverse("inbox"), {"show": "all"}).content.decode()


def test_marking_read_needs_a_post_with_its_csrf_token(auditor: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(auditor)

    assert client.get(reverse("inbox_read")).status_code == 405
    assert client.post(reverse("inbox_read"), {"all": "1"}).status_code == 403


def test_nobody_reads_or_marks_someone_elses_notifications(
    nc: Nonconformity, owner: User, auditor: User, quality: User
) -> None:
    comment(nc, owner, "@auditor private to you")
    theirs = inbox_of(auditor)[0]
    client = signed_in(quality)

    assert "private to you" not in client.get(reverse("inbox"), {"show": "all"}).content.decode()
    client.post(reverse("inbox_read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notification_on_a_record_i_can_no_longer_see_is_not_shown(
    make_nc: Callable[..., Nonconformity], owner: User, employee: User, quality: User
) -> None:
    nc = make_nc(owner=employee, actor=quality)
    comment(nc, quality, "@employee please add the photos")
    assert "photos" in signed_in(employee).get(reverse("inbox")).content.decode()

    with acting_as(quality):
        nc.owner = owner  # handed to someone else: the employee no longer sees it
        nc.save()

    page = signed_in(employee).get(reverse("inbox")).content.decode()
    assert "photos" not in page
    assert inbox.unread_count(employee) == 0


def test_people_without_a_role_are_refused(outsider: User) -> None:
    client = signed_in(outsider)

    assert client.get(reverse("inbox")).status_code == 403
    assert client.post(reverse("inbox_read"), {"all": "1"}).status_code == 403


def test_following_a_record_i_may_not_see_is_not_found(
    make_nc: Callable[..., Nonconformity], owner: User, employee: User
) -> None:
    nc = make_nc()
    response = signed_in(employee).post(
        reverse("follow", args=["nonconformities", nc.pk]), {"following": "1"}
    )

    assert response.status_code == 404
    assert not inbox.is_following(employee, nc)


# --- digest --------------------------------------------------------------------------------
def test_the_digest_is_chosen_on_my_settings_page_and_sent_once(
    nc: Nonconformity, owner: User, auditor: User
) -> None:
    client = signed_in(auditor)
    assert "Notifications by e-mail" in client.get(reverse("my_settings")).content.decode()
    client.post(reverse("my_digest"), {"digest": "daily"})
    assert InboxPreference.objects.get(person=auditor).digest == Digest.DAILY
    comment(nc, owner, "@auditor the sampling plan")
    mail.outbox.clear()

    call_command("remind", stdout=StringIO())
    call_command("remind", stdout=StringIO())  # run twice the same day: nothing repeats

    digests = [m for m in mail.outbox if m.to == [auditor.email] and "unread" in m.subject]
    assert len(digests) == 1
    assert "the sampling plan" in digests[0].body
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert digest.send(today=tomorrow).sent == 0  # the same notification is not sent again


def test_a_weekly_digest_waits_a_week(nc: Nonconformity, owner: User, auditor: User) -> None:
    InboxPreference.objects.create(person=auditor, digest=Digest.WEEKLY)
    today = timezone.localdate()
    comment(nc, owner, "@auditor first")
    assert digest.send(today=today).sent == 1
    comment(nc, owner, "@auditor second")

    assert digest.send(today=today + datetime.timedelta(days=3)).sent == 0
    assert digest.send(today=today + datetime.timedelta(days=7)).sent == 1


# --- signatures awaited and reminders -----------------------------------------------------------
@pytest.fixture
def submitted(
    make_doc: Callable[..., Document], quality: User, reviewer: User, ceo: User
) -> Document:
    doc = make_doc()
    versions.submit(
        working(doc),
        quality,
        reviewers=[reviewer],
        approvers=[ceo],
        in_order=True,
        effective_on=None,
    )
    return doc


def test_signers_are_told_when_their_turn_comes(
    submitted: Document, reviewer: User, ceo: User
) -> None:
    [awaited] = inbox_of(reviewer, NotificationKind.SIGNATURE)
    assert awaited.reference == submitted.reference
    assert inbox_of(ceo, NotificationKind.SIGNATURE) == []  # not their turn yet

    versions.sign(working(submitted), reviewer, password=PASSWORD)

    assert len(inbox_of(ceo, NotificationKind.SIGNATURE)) == 1


def test_the_owner_reminds_a_signer_once_a_day_and_the_trail_says_so(
    submitted: Document, quality: User, reviewer: User
) -> None:
    version = working(submitted)
    page = signed_in(quality).get(reverse("documents_detail", args=[submitted.pk])).content.decode()
    assert "Remind Rita Reviewer" in page
    url = reverse("remind", args=[version.content_type().pk, version.pk, reviewer.pk])
    client = signed_in(quality)

    client.post(url)
    client.post(url)  # again the same day: refused

    assert len(inbox_of(reviewer, NotificationKind.REMINDER)) == 1
    events = TrailEvent.objects.filter(action="remind", object_id=submitted.pk)
    assert [e.changes["reminded"] for e in events] == ["rita"]


def test_readers_who_have_not_confirmed_can_be_reminded(
    make_doc: Callable[..., Document], quality: User, reviewer: User, ceo: User, employee: User
) -> None:
    doc = make_doc()
    approve(doc, quality, reviewer, ceo)
    version = doc.versions.get(number=1)
    reading.request(version, [employee])
    readers = reverse("document_readers", args=[doc.pk, version.number])
    assert "Remind Employee" in signed_in(quality).get(readers).content.decode()

    url = reverse("remind", args=[version.content_type().pk, version.pk, employee.pk])
    response = signed_in(quality).post(url, {"next": readers})

    assert response.status_code == 302 and response["Location"] == readers
    [reminder] = inbox_of(employee, NotificationKind.REMINDER)
    assert "read and confirm" in reminder.message


def test_only_the_owner_or_a_quality_manager_may_remind_and_only_those_waited_on(
    submitted: Document, quality: User, reviewer: User, ceo: User, auditor: User
) -> None:
    version = working(submitted)
    ct = version.content_type().pk

    refused = signed_in(auditor).post(reverse("remind", args=[ct, version.pk, reviewer.pk]))
    assert refused.status_code == 403
    # The approver's turn has not come: nothing is owed yet.
    signed_in(quality).post(reverse("remind", args=[ct, version.pk, ceo.pk]))

    assert inbox_of(reviewer, NotificationKind.REMINDER) == []
    assert inbox_of(ceo, NotificationKind.REMINDER) == []
    assert (
        signed_in(quality).get(reverse("remind", args=[ct, version.pk, ceo.pk])).status_code == 405
    )


# --- query counts --------------------------------------------------------------------------
def _notify_many(make_nc: Callable[..., Nonconformity], owner: User, auditor: User, n: int) -> None:
    for i in range(n):
        nc = make_nc(title=f"Scratch {i}", owner=owner)
        comment(nc, owner, f"@auditor look at scratch {i}")
        with acting_as(owner):
            action_owner = auditor
            from hoshin.core.models import Action

            action = Action(description=f"Polish {i}", owner=action_owner, due_date=nc.detected_on)
            action.link_to(nc)
            action.save()


@pytest.mark.parametrize("page", ["inbox", "home"])
def test_the_inbox_and_home_cost_the_same_queries_for_5_and_25_notifications(
    page: str, make_nc: Callable[..., Nonconformity], owner: User, auditor: User
) -> None:
    _notify_many(make_nc, owner, auditor, SMALL)
    client = signed_in(auditor)
    url = reverse(page)
    assert_flat(
        lambda: count_queries(client, url, show="all"),
        lambda: _notify_many(make_nc, owner, auditor, LARGE - SMALL),
    )


def test_the_bell_is_one_query(nc: Nonconformity, owner: User, auditor: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    comment(nc, owner, "@auditor hello")
    assert auditor.roles  # read once per request already, for the menus
    with CaptureQueriesContext(connection) as ctx:
        assert inbox.unread_count(auditor) == 1
    assert len(ctx.captured_queries) == 1
