"""Reminders: one e-mail per person listing what they own that is overdue or falls due soon.

``hoshin remind`` runs this once a day from cron. It reads only: nothing is written to
the records or to the audit trail. Every register in the registry takes part (records
not in a final state, with a due date), and so do open actions on any record, requests
to read and confirm a record, and sign-off steps whose turn has come.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hoshin.core.models import Action, ActionStatus, ReadRequest, User
from hoshin.core.models.journal import linked_records
from hoshin.core.registry import RegisterType, registry
from hoshin.core.tasks import retry_mail

OPEN_ACTION_STATES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
# How long people have to confirm reading, and to sign a step whose turn has come.
READ_DAYS = 14
SIGN_DAYS = 7


@dataclass
class Item:
    """One thing someone has to do by a date."""

    label: str  # what it is: "Nonconformity NC-2026-0001" or "Action on NC-2026-0001"
    title: str
    due_date: datetime.date
    days_left: int  # negative when late
    url: str

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    def when(self) -> str:
        if self.days_left < 0:
            late = -self.days_left
            return ngettext("%(n)d day late", "%(n)d days late", late) % {"n": late}
        if self.days_left == 0:
            return _("today")
        return ngettext("in %(n)d day", "in %(n)d days", self.days_left) % {"n": self.days_left}


@dataclass
class Reminder:
    person: User
    items: list[Item] = field(default_factory=list)

    @property
    def overdue(self) -> list[Item]:
        return sorted((i for i in self.items if i.overdue), key=lambda i: (i.due_date, i.label))

    @property
    def due_soon(self) -> list[Item]:
        return sorted((i for i in self.items if not i.overdue), key=lambda i: (i.due_date, i.label))


@dataclass
class Plan:
    """Who would be reminded of what, and who could not be."""

    reminders: list[Reminder]
    skipped: list[User]
    days: int
    today: datetime.date


def remind_days() -> int:
    return int(getattr(settings, "HOSHIN_REMIND_DAYS", 7))


def _absolute(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


def _has_due_date(rt: RegisterType) -> bool:
    return any(f.name == "due_date" for f in rt.model._meta.concrete_fields)


def _record_items(today: datetime.date, horizon: datetime.date) -> Iterable[tuple[Any, Item]]:
    for rt in registry:
        if not _has_due_date(rt):
            continue
        manager: Any = rt.model._default_manager
        records = (
            manager.filter(due_date__isnull=False, due_date__lte=horizon, voided_at__isnull=True)
            .exclude(status__in=rt.workflow.final_states)
            .select_related("owner")
            .order_by("due_date", "pk")
        )
        for record in records:
            yield (
                record.owner,
                Item(
                    label=f"{rt.label_singular} {record.reference}",
                    title=record.title,
                    due_date=record.due_date,
                    days_left=(record.due_date - today).days,
                    url=_absolute(reverse(f"{rt.slug}_detail", args=[record.pk])),
                ),
            )


def _final(record: Any) -> bool:
    if getattr(record, "voided_at", None) is not None:
        return True
    try:
        rt = registry.for_model(type(record))
    except KeyError:
        return False
    return record.status in rt.workflow.final_states


def _action_items(today: datetime.date, horizon: datetime.date) -> Iterable[tuple[Any, Item]]:
    actions = list(
        Action.objects.filter(
            status__in=OPEN_ACTION_STATES, due_date__lte=horizon, voided_at__isnull=True
        )
        .select_related("owner", "content_type")
        .order_by("due_date", "pk")
    )
    parents = linked_records(actions)
    for action in actions:
        parent = parents.get((action.content_type_id, action.object_id))
        if parent is None or _final(parent):
            continue  # the record is closed or void: its open actions are moot
        try:
            url = _absolute(action.record_url())
        except (KeyError, LookupError, NoReverseMatch):
            url = ""
        reference = getattr(parent, "reference", "") or str(parent)
        yield (
            action.owner,
            Item(
                label=_("Action on %(ref)s") % {"ref": reference},
                title=" ".join(action.description.split())[:200],
                due_date=action.due_date,
                days_left=(action.due_date - today).days,
                url=url,
            ),
        )


def _reading_items(today: datetime.date, horizon: datetime.date) -> Iterable[tuple[Any, Item]]:
    """Read-and-understood requests not yet confirmed, due ``READ_DAYS`` after asking."""
    cutoff = horizon - datetime.timedelta(days=READ_DAYS)
    requests = list(
        ReadRequest.objects.filter(acknowledged_at__isnull=True, requested_at__date__lte=cutoff)
        .select_related("person", "content_type")
        .order_by("requested_at", "pk")
    )
    records = linked_records(requests)
    for request in requests:
        record = records.get((request.content_type_id, request.object_id))
        if record is None or not getattr(record, "reading_open", True):
            continue  # superseded since: the newer version asks again
        due = request.requested_at.date() + datetime.timedelta(days=READ_DAYS)
        yield (
            request.person,
            Item(
                label=_("Read and confirm %(ref)s") % {"ref": getattr(record, "reference", "")},
                title=str(getattr(record, "title", record)),
                due_date=due,
                days_left=(due - today).days,
                url=_absolute(record.get_absolute_url()),
            ),
        )


def _signing_items(today: datetime.date, horizon: datetime.date) -> Iterable[tuple[Any, Item]]:
    """Sign-off steps whose turn has come, due ``SIGN_DAYS`` after the record was sent."""
    from hoshin.core import signoff

    steps = list(signoff.awaiting(None).select_related("signer"))
    records = linked_records(steps)
    for step in steps:
        record = records.get((step.content_type_id, step.object_id))
        if record is None:
            continue
        due = step.created_at.date() + datetime.timedelta(days=SIGN_DAYS)
        if due > horizon:
            continue
        yield (
            step.signer,
            Item(
                label=_("Sign %(ref)s (%(meaning)s)")
                % {"ref": getattr(record, "reference", ""), "meaning": step.get_meaning_display()},
                title=str(getattr(record, "title", record)),
                due_date=due,
                days_left=(due - today).days,
                url=_absolute(record.get_absolute_url()),
            ),
        )


def can_receive(person: User) -> bool:
    return bool(person.is_active and person.email and not person.access_expired)


def plan(days: int | None = None, today: datetime.date | None = None) -> Plan:
    """Gather everything due within ``days`` (or overdue), grouped per person."""
    days = remind_days() if days is None else days
    if days < 0:
        raise ValueError("days must be zero or more")
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days)
    by_person: dict[int, Reminder] = {}
    skipped: dict[int, User] = {}
    sources = (_record_items, _action_items, _reading_items, _signing_items)
    for person, item in [pair for source in sources for pair in source(today, horizon)]:
        if not can_receive(person):
            skipped[person.pk] = person
            continue
        by_person.setdefault(person.pk, Reminder(person)).items.append(item)
    reminders = sorted(by_person.values(), key=lambda r: (r.person.email.lower(), r.person.pk))
    return Plan(reminders, sorted(skipped.values(), key=lambda p: p.pk), days, today)


def subject(reminder: Reminder) -> str:
    overdue, soon = len(reminder.overdue), len(reminder.due_soon)
    parts = []
    if overdue:
        parts.append(ngettext("%(n)d overdue", "%(n)d overdue", overdue) % {"n": overdue})
    if soon:
        parts.append(ngettext("%(n)d due soon", "%(n)d due soon", soon) % {"n": soon})
    return _("[Hoshin] Reminder: %(summary)s") % {"summary": ", ".join(parts)}


def _lines(items: list[Item]) -> list[str]:
    lines = []
    for item in items:
        lines.append(f"- {item.label}: {item.title}")
        lines.append(
            "  "
            + _("Due %(date)s (%(when)s)")
            % {"date": item.due_date.isoformat(), "when": item.when()}
        )
        if item.url:
            lines.append(f"  {item.url}")
    return lines


def body(reminder: Reminder, days: int) -> str:
    person = reminder.person
    name = person.first_name or person.get_full_name() or person.get_username()
    lines = [_("Hello %(name)s,") % {"name": name}, ""]
    lines.append(_("These items in Hoshin are yours and need attention."))
    if reminder.overdue:
        lines += ["", _("OVERDUE"), *_lines(reminder.overdue)]
    if reminder.due_soon:
        heading = ngettext("DUE WITHIN %(n)d DAY", "DUE WITHIN THE NEXT %(n)d DAYS", days) % {
            "n": days
        }
        lines += ["", heading, *_lines(reminder.due_soon)]
    lines += [
        "",
        _(
            "You receive this reminder while items you own are overdue or fall due soon. "
            "Close them, or agree a new date with the quality manager, in Hoshin."
        ),
        "",
    ]
    return "\n".join(lines)


def message(reminder: Reminder, days: int) -> EmailMessage:
    return EmailMessage(
        subject=subject(reminder),
        body=body(reminder, days),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.person.email],
    )


@dataclass
class Outcome:
    sent: int
    failed: list[tuple[User, Exception]]
    # Of the failed, those whose message went to the task queue for more attempts.
    retrying: list[User] = field(default_factory=list)


def send(reminders: list[Reminder], days: int) -> Outcome:
    """Send one e-mail per person; a failure for one person does not stop the others.

    Sent here rather than queued: the command runs outside any request and transaction,
    one connection serves every message, and cron hears at once who could not be reached.
    A message that fails is handed to the task queue, which retries it (core/tasks.py).
    """
    outcome = Outcome(0, [])
    if not reminders:
        return outcome
    with get_connection() as connection:
        for reminder in reminders:
            mail = message(reminder, days)
            mail.connection = connection
            try:
                outcome.sent += mail.send()
            except Exception as exc:  # SMTP errors vary: report them and go on
                outcome.failed.append((reminder.person, exc))
                if retry_mail(mail):
                    outcome.retrying.append(reminder.person)
    return outcome
