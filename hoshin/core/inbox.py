"""Who is told what: assignments, signatures awaited, mentions, followed records, reminders.

Everything here listens to the domain events (``record_transitioned``, a new comment, a
new action) or is called by a service (a sign-off turn, a "remind" button), so no register
knows the inbox. Each notification is a row for the person's inbox and, when they have an
address, one e-mail queued after the commit (core/tasks.py), so a change rolled back tells
no one.

A notification links to the top record (a document, not its version), whose visibility
decides whether its recipient still sees it: :func:`visible_q` filters in the query.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.core import actor as actor_ctx
from hoshin.core import permissions, trail
from hoshin.core.models import (
    Action,
    Comment,
    Follow,
    Notification,
    NotificationKind,
    SignOff,
    User,
)
from hoshin.core.registry import registry
from hoshin.core.signals import record_transitioned
from hoshin.core.tasks import enqueue_mail

# "@anna", "@j.smith": a username as Django allows it, without a trailing full stop.
MENTION = re.compile(r"(?<![\w@])@([\w.+-]*[\w+-])")
# A person is reminded of the same record at most once in this long.
REMIND_INTERVAL = datetime.timedelta(days=1)


def top(record: models.Model) -> models.Model:
    """The record a notification links to: a version's document, an action's record."""
    while getattr(record, "trail_parent", None) is not None:
        record = record.trail_parent  # type: ignore[attr-defined]
    return record


def record_url(record: models.Model) -> str:
    try:
        from django.urls import reverse

        return reverse(f"{registry.for_model(type(record)).slug}_detail", args=[record.pk])
    except KeyError:
        getter = getattr(record, "get_absolute_url", None)
        return str(getter()) if callable(getter) else ""


def _absolute(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


def can_be_told(person: User, record: models.Model) -> bool:
    """Active, not expired, and still allowed to see the record."""
    return bool(person.is_active and permissions.can_view(person, record))


def notify(
    people: Iterable[User],
    kind: str,
    record: models.Model,
    message: str,
    *,
    actor: User | None = None,
    state: str = "",
) -> list[Notification]:
    """Tell each person (once, never the actor), in the inbox and by e-mail after commit."""
    record = top(record)
    actor = actor if actor is not None else actor_ctx.current_actor()
    reference = str(getattr(record, "reference", "") or record.pk)
    seen: set[int] = set()
    made = []
    for person in people:
        if person.pk in seen or (actor is not None and person.pk == actor.pk):
            continue
        seen.add(person.pk)
        if not can_be_told(person, record):
            continue
        item = Notification(
            recipient=person,
            kind=kind,
            reference=reference,
            message=message[:500],
            state=state,
            actor=actor if isinstance(actor, User) else None,
        )
        item.link_to(record)
        made.append(item)
    Notification.objects.bulk_create(made)
    url = _absolute(record_url(record))
    for item in made:
        if item.recipient.email:
            subject = _("[Hoshin] %(ref)s: %(message)s") % {"ref": reference, "message": message}
            body = "\n\n".join([message, url, _("Your inbox: %s") % _absolute("/inbox/"), ""])
            enqueue_mail(subject[:200], body, item.recipient.email)
    return made


# --- following ------------------------------------------------------------------------
def _follow_rows(record: models.Model) -> Any:
    return Follow.objects.for_record(top(record))


def followers(record: models.Model) -> list[User]:
    """Who hears of a change of state: the owner, unless they unfollowed, and whoever follows."""
    record = top(record)
    rows = list(_follow_rows(record).select_related("person"))
    stopped = {r.person_id for r in rows if not r.following}
    people = [r.person for r in rows if r.following]
    owner = getattr(record, "owner", None)
    if owner is not None and owner.pk not in stopped:
        people.append(owner)
    return people


def is_following(person: User, record: models.Model) -> bool:
    record = top(record)
    row = _follow_rows(record).filter(person=person).first()
    if row is not None:
        return bool(row.following)
    return getattr(record, "owner_id", None) == person.pk


def set_following(person: User, record: models.Model, following: bool) -> None:
    record = top(record)
    ct = ContentType.objects.get_for_model(type(record))
    Follow.objects.update_or_create(
        content_type=ct, object_id=record.pk, person=person, defaults={"following": following}
    )


def follow_unless_stopped(person: User, record: models.Model) -> None:
    """Assignees follow what they were given, unless they chose to stop before."""
    record = top(record)
    ct = ContentType.objects.get_for_model(type(record))
    Follow.objects.get_or_create(content_type=ct, object_id=record.pk, person=person)


# --- who must act next ------------------------------------------------------------------
def role_holders(*names: str, besides: Any = None) -> list[User]:
    """Active holders of the roles (other than the record's owner ``besides``)."""
    people = User.objects.filter(groups__name__in=names, is_active=True).distinct()
    if besides is not None:
        people = people.exclude(pk=besides)
    return [p for p in people.order_by("first_name", "last_name", "pk") if not p.access_expired]


def handover_people(t: Any, record: Any) -> list[User]:
    handover = getattr(t, "handover", None)
    if handover is None:
        return []
    return [p for p in handover.people(record) if p is not None]


def handover_note(t: Any, record: Any) -> str:
    """What the person taking step ``t`` is told before confirming: who is asked next."""
    handover = getattr(t, "handover", None)
    if handover is None:
        return ""
    people = handover_people(t, record)
    if not people:
        return _("No one can be named to %(task)s yet: a quality manager will assign it.") % {
            "task": handover.task
        }
    names = ", ".join(str(p) for p in people[:5])
    if len(people) > 5:
        names += " " + _("and %(n)d more") % {"n": len(people) - 5}
    return _("%(who)s will be asked to %(task)s.") % {"who": names, "task": handover.task}


def _transitioned(sender: Any, record: Any, transition: Any, user: User, **kwargs: Any) -> None:
    rt_label = _label(record)
    assigned: list[Notification] = []
    handover = getattr(transition, "handover", None)
    if handover is not None:
        message = _("%(who)s asks you to %(task)s %(ref)s (%(title)s).") % {
            "who": user,
            "task": handover.task,
            "ref": record.reference,
            "title": record.title,
        }
        if handover.due_days:
            due = timezone.localdate() + datetime.timedelta(days=handover.due_days)
            message += " " + _("Due by %(date)s.") % {"date": due.isoformat()}
        people = handover_people(transition, record)
        assigned = notify(
            people,
            NotificationKind.ASSIGNMENT,
            record,
            message,
            actor=user,
            state=record.status,
        )
        for person in people:
            follow_unless_stopped(person, record)
    told = {n.recipient_id for n in assigned}
    change = _("%(ref)s is now “%(state)s”: %(step)s by %(who)s.") % {
        "ref": record.reference,
        "state": rt_label,
        "step": transition.label,
        "who": user,
    }
    notify(
        [p for p in followers(record) if p.pk not in told],
        NotificationKind.CHANGE,
        record,
        change,
        actor=user,
    )


def _label(record: Any) -> str:
    try:
        return registry.for_model(type(record)).workflow.label(record.status)
    except KeyError:
        return str(getattr(record, "status", ""))


# --- mentions and actions ------------------------------------------------------------------
def mentioned(text: str) -> list[User]:
    names = {m.group(1) for m in MENTION.finditer(text)}
    if not names:
        return []
    return list(User.objects.filter(username__in=names, is_active=True))


def _comment_saved(sender: Any, instance: Comment, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    people = mentioned(instance.text)
    if not people:
        return
    record = instance.record
    text = " ".join(instance.text.split())
    message = _("%(who)s mentioned you on %(ref)s: “%(text)s”") % {
        "who": instance.author,
        "ref": getattr(top(record), "reference", ""),
        "text": text[:300],
    }
    notify(people, NotificationKind.MENTION, record, message, actor=instance.author)


def _action_saved(sender: Any, instance: Action, created: bool, **kwargs: Any) -> None:
    """An action given to someone else is an assignment: they hear of it at once."""
    if not created or kwargs.get("raw") or not instance.object_id:
        return
    record = top(instance)
    message = _("Action on %(ref)s for you, due %(date)s: %(text)s") % {
        "ref": getattr(record, "reference", ""),
        "date": instance.due_date.isoformat() if instance.due_date else "-",
        "text": " ".join(instance.description.split())[:300],
    }
    notify([instance.owner], NotificationKind.ASSIGNMENT, record, message)
    follow_unless_stopped(instance.owner, record)


# --- signatures awaited --------------------------------------------------------------------
def signatures_awaited(record: models.Model, steps: Sequence[Any], *, actor: Any = None) -> None:
    """Tell the signers whose turn has come (a route started, or the step before signed)."""
    if not steps:
        return
    by_meaning: dict[str, list[User]] = {}
    for step in steps:
        by_meaning.setdefault(step.get_meaning_display(), []).append(step.signer)
    for meaning, people in by_meaning.items():
        message = _("Your signature is awaited on %(ref)s: to sign as “%(meaning)s”.") % {
            "ref": getattr(record, "reference", ""),
            "meaning": meaning,
        }
        notify(people, NotificationKind.SIGNATURE, record, message, actor=actor)


def _sign_off_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A step of a route whose turn has come, by its creation or the signature before it."""
    from hoshin.core import signoff
    from hoshin.core.models import SignOffState

    if kwargs.get("raw") or not instance.object_id:
        return
    if created and instance.state != SignOffState.PENDING:
        return
    if not created and instance.state != SignOffState.SIGNED:
        return
    steps = list(
        signoff.steps_of(instance.record).filter(round=instance.round).select_related("signer")
    )
    turn = signoff.whose_turn(steps)
    if created:
        news = [s for s in turn if s.pk == instance.pk]
    else:  # the last signature of its position opens the next position's turn
        news = turn if turn and turn[0].position > instance.position else []
    signatures_awaited(instance.record, news)


# --- reminders -------------------------------------------------------------------------------
class TooSoon(Exception):
    """This person was reminded of this record less than a day ago."""


def remind(record: models.Model, person: User, *, by: User, what: str) -> Notification:
    """Remind ``person`` of what they owe on ``record`` (``what``: a sentence), trailed;
    refused with :class:`TooSoon` within a day of the last reminder."""
    record = top(record)
    ct = ContentType.objects.get_for_model(type(record))
    recent = Notification.objects.filter(
        recipient=person,
        kind=NotificationKind.REMINDER,
        content_type=ct,
        object_id=record.pk,
        created_at__gt=timezone.now() - REMIND_INTERVAL,
    )
    if recent.exists():
        raise TooSoon(
            _("%(who)s was reminded less than a day ago; try again tomorrow.") % {"who": person}
        )
    made = notify([person], NotificationKind.REMINDER, record, what, actor=by)
    if not made:
        raise TooSoon(_("%(who)s cannot be reminded of this record.") % {"who": person})
    trail.append(
        action=trail.TrailAction.REMIND,
        instance=record,
        actor=by,
        changes={"reminded": person.get_username(), "about": what},
    )
    return made[0]


# --- reading -------------------------------------------------------------------------------
def visible_q(user: Any) -> Q:
    """Notifications whose record this person may still see (one condition, subqueries)."""
    condition = Q(pk__in=[])
    if not permissions.has_any_role(user):
        return condition
    for rt in registry:
        ct = ContentType.objects.get_for_model(rt.model)
        manager: Any = rt.model._default_manager
        visible = manager.visible_to(user)
        if not visible.query.where:  # sees them all: no subquery needed
            condition |= Q(content_type=ct)
        else:
            condition |= Q(content_type=ct, object_id__in=visible.values("pk"))
    return condition


def for_person(user: Any) -> Any:
    return Notification.objects.filter(recipient=user).filter(visible_q(user))


def unread_count(user: Any) -> int:
    return int(for_person(user).filter(read_at__isnull=True).count())


def seen(user: Any, record: models.Model) -> int:
    """This person opened the record: what they were told about it is read."""
    record = top(record)
    unread = Notification.objects.for_record(record).filter(recipient=user, read_at__isnull=True)
    # Looked at first: most views of a record find nothing unread, and on SQLite an UPDATE
    # takes the database's write lock even when it changes no row (page views then queued
    # behind every save).
    if not unread.exists():
        return 0
    return int(unread.update(read_at=timezone.now()))


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark this person's notifications read (the ones given, or all); the count marked."""
    mine = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        mine = mine.filter(pk__in=list(ids))
    return int(mine.update(read_at=timezone.now()))


def waiting_for(user: Any, limit: int = 20) -> list[tuple[Notification, Any]]:
    """Assignments still standing: the record is still in the state it was handed over in."""
    recent = list(
        for_person(user)
        .filter(kind=NotificationKind.ASSIGNMENT)
        .exclude(state="")
        .order_by("-created_at", "-id")[: limit * 3]
    )
    from hoshin.core.models.journal import linked_records

    records = linked_records(recent)
    items, seen = [], set()
    for n in recent:
        key = (n.content_type_id, n.object_id)
        record = records.get(key)
        if record is None or key in seen or getattr(record, "status", None) != n.state:
            continue
        seen.add(key)
        items.append((n, record))
    return items[:limit]


def settle_history() -> int:
    """Mark read what people were told, except assignments still standing: the demo plays a
    year in a minute, and its people have long read what it told them. The count marked."""
    from hoshin.core import signoff

    standing: set[int] = set()
    unread = Notification.objects.filter(read_at__isnull=True)
    for person in User.objects.filter(pk__in=unread.values("recipient")):
        standing |= {n.pk for n, _record in waiting_for(person, limit=1000)}
    for step in signoff.awaiting(None):  # signatures whose turn has come and stands
        record = top(step.record)
        standing |= set(
            unread.filter(
                recipient_id=step.signer_id,
                kind=NotificationKind.SIGNATURE,
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
            ).values_list("pk", flat=True)
        )
    return int(unread.exclude(pk__in=standing).update(read_at=timezone.now()))


def connect() -> None:
    """Listen for what notifies people; called from the core's ready()."""
    record_transitioned.connect(_transitioned, dispatch_uid="core.inbox.transitioned")
    post_save.connect(_comment_saved, sender=Comment, dispatch_uid="core.inbox.comment")
    post_save.connect(_action_saved, sender=Action, dispatch_uid="core.inbox.action")
    post_save.connect(_sign_off_saved, sender=SignOff, dispatch_uid="core.inbox.sign_off")
