"""``hoshin remind``: one e-mail per person, overdue first, nothing written anywhere."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hoshin.core import reminders, roles
from hoshin.core.actor import acting_as
from hoshin.core.models import Action, TrailEvent, User
from hoshin.improvement.models import Nonconformity
from hoshin.improvement.workflow import WORKFLOW
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SITE = "https://qms.example.org"


@pytest.fixture(autouse=True)
def _settings(settings: Any) -> None:
    settings.SITE_URL = SITE + "/"
    settings.HOSHIN_REMIND_DAYS = 7


def person(username: str, role: str = roles.PROCESS_OWNER, **extra: Any) -> User:
    return make_user(username, role, **extra)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def nc_due(owner: User, due: datetime.date, title: str = "Bore oversize") -> Nonconformity:
    with acting_as(owner):
        nc = Nonconformity(
            title=title,
            description="Found at final inspection.",
            source="internal_audit",
            owner=owner,
            detected_on=days(-20),
            due_date=due,
        )
        nc.save()
    return Nonconformity.objects.get(pk=nc.pk)


def action_due(nc: Nonconformity, owner: User, due: datetime.date, **fields: Any) -> Action:
    with acting_as(nc.owner):
        action = Action(description="Add deburring to WI-12", owner=owner, due_date=due, **fields)
        action.link_to(nc)
        action.save()
    return action


def remind(*args: str) -> str:
    out = StringIO()
    call_command("remind", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_one_email_per_owner_with_overdue_items_first(mailoutbox: list[Any]) -> None:
    owner = person("olga")
    overdue = nc_due(owner, days(-3), title="Overdue housing bore")
    soon_nc = nc_due(person("other"), days(30))
    action = action_due(soon_nc, owner, days(2))
    mailoutbox.clear()

    output = remind()

    assert "1 reminders sent" in output
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["olga@example.com"]
    assert "1 overdue" in mail.subject and "1 due soon" in mail.subject
    body = mail.body
    assert overdue.reference in body and "Overdue housing bore" in body
    assert "3 days late" in body
    assert f"Action on {soon_nc.reference}" in body and "in 2 days" in body
    assert body.index(overdue.reference) < body.index(f"Action on {soon_nc.reference}")
    assert SITE + reverse("nonconformities_detail", args=[overdue.pk]) in body
    assert SITE + action.record_url() in body


def test_each_person_gets_their_own_single_email(mailoutbox: list[Any]) -> None:
    olga, piet = person("olga"), person("piet")
    first = nc_due(olga, days(-1))
    nc_due(olga, days(1))
    action_due(first, piet, days(0))
    action_due(first, piet, days(-10))
    mailoutbox.clear()

    assert "2 reminders sent" in remind()

    by_person = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_person) == ["olga@example.com", "piet@example.com"]
    assert by_person["piet@example.com"].body.count(f"Action on {first.reference}") == 2
    assert "today" in by_person["piet@example.com"].body
    assert "10 days late" in by_person["piet@example.com"].body


def test_final_far_off_and_finished_items_are_left_alone(mailoutbox: list[Any]) -> None:
    owner, manager = person("olga"), person("quinn", roles.QUALITY_MANAGER)
    void = nc_due(owner, days(-5))
    with acting_as(manager):
        WORKFLOW.perform(void, "void", manager, comment="Duplicate")
    action_due(void, owner, days(-5))  # open, but on a void record
    later = nc_due(owner, days(30))
    action_due(later, owner, days(-2), status="done", completed_on=days(-3))
    action_due(later, owner, days(-2), status="cancelled")
    action_due(later, owner, days(20))
    mailoutbox.clear()

    assert "0 reminders sent" in remind()
    assert mailoutbox == []

    # A wider horizon brings the far-off items in.
    assert "1 reminders sent" in remind("--days", "30")
    assert len(mailoutbox) == 1
    assert later.reference in mailoutbox[0].body
    assert void.reference not in mailoutbox[0].body


def test_a_closed_nonconformity_is_not_reminded(mailoutbox: list[Any]) -> None:
    owner, auditor = person("olga"), person("aud", roles.INTERNAL_AUDITOR)
    nc = nc_due(owner, days(-4))
    today = timezone.localdate()
    with acting_as(owner):
        nc.containment_action, nc.containment_by, nc.containment_on = "Held", owner, today
        nc.save()
        WORKFLOW.perform(nc, "contain", owner)
        nc.whys, nc.root_cause, nc.cause_category = ["Why"], "Cause", "method"
        nc.save()
        WORKFLOW.perform(nc, "investigate", owner)
        action_due(nc, owner, days(-4), status="done", completed_on=today, evidence="Done")
        WORKFLOW.perform(nc, "start_actions", owner)
        nc.verification_method, nc.verification_due = "Audit", today
        nc.save()
        WORKFLOW.perform(nc, "submit_verification", owner)
    with acting_as(auditor):
        nc.verification_result = "effective"
        nc.save()
        WORKFLOW.perform(nc, "close", auditor, password=PASSWORD)
    assert Nonconformity.objects.get(pk=nc.pk).status == "closed"
    mailoutbox.clear()

    assert "0 reminders sent" in remind()
    assert mailoutbox == []


def test_dry_run_sends_nothing_and_says_who_would_get_what(mailoutbox: list[Any]) -> None:
    owner = person("olga")
    nc = nc_due(owner, days(-2))
    mailoutbox.clear()

    output = remind("--dry-run")

    assert mailoutbox == []
    assert "olga@example.com" in output
    assert nc.reference in output
    assert "2 days late" in output
    assert "0 reminders sent" in output


def test_people_without_email_or_inactive_are_skipped(mailoutbox: list[Any]) -> None:
    nc_due(person("noemail", email=""), days(-1))
    nc_due(person("gone", is_active=False), days(-1))
    nc_due(person("olga"), days(-1))
    mailoutbox.clear()

    assert "1 reminders sent" in remind()
    assert [m.to for m in mailoutbox] == [["olga@example.com"]]


def test_reminding_writes_nothing_to_the_trail(mailoutbox: list[Any]) -> None:
    owner = person("olga")
    nc = nc_due(owner, days(-1))
    action_due(nc, owner, days(1))
    before = TrailEvent.objects.count()

    remind()
    remind("--dry-run")

    assert TrailEvent.objects.count() == before


def test_the_default_horizon_comes_from_settings(settings: Any) -> None:
    owner = person("olga")
    nc_due(owner, days(10))
    assert reminders.plan().reminders == []
    settings.HOSHIN_REMIND_DAYS = 14
    plan = reminders.plan()
    assert [r.person for r in plan.reminders] == [owner]
    assert plan.days == 14
