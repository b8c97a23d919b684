"""Who hears about a nonconformity: its owner and the quality managers, when it is raised.

The mail goes through the task queue once the nonconformity is saved (core/tasks.py): one
message per person, retried when the mail server fails, never holding up the request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from hoshin.core import roles
from hoshin.core.models import User
from hoshin.core.signals import record_created
from hoshin.core.tasks import enqueue_mail
from hoshin.improvement.models import Nonconformity


def recipients(nc: Nonconformity) -> list[User]:
    people = {nc.owner_id: nc.owner}
    for manager in User.objects.filter(groups__name=roles.QUALITY_MANAGER, is_active=True):
        people.setdefault(manager.pk, manager)
    return [p for p in people.values() if p.email]


def notify_raised(sender: Any, record: Nonconformity, user: Any = None, **kwargs: Any) -> None:
    url = settings.SITE_URL.rstrip("/") + reverse("nonconformities_detail", args=[record.pk])
    subject = _("[Hoshin] %(ref)s raised: %(title)s") % {
        "ref": record.reference,
        "title": record.title,
    }
    body = _(
        "%(who)s raised a %(severity)s nonconformity.\n\n%(title)s\n%(description)s\n\n"
        "Owner: %(owner)s\nDue: %(due)s\n\n%(url)s\n"
    ) % {
        "who": user or _("Someone"),
        "severity": record.get_severity_display().lower(),
        "title": record.title,
        "description": record.description,
        "owner": record.owner,
        "due": record.due_date or "-",
        "url": url,
    }
    for person in recipients(record):
        enqueue_mail(subject, body, person.email)


def connect() -> None:
    """Listen for new nonconformities; called from the app's ready()."""
    record_created.connect(
        notify_raised, sender=Nonconformity, dispatch_uid="improvement.notify_raised"
    )
