"""Sealing the audit trail and keeping each seal's digest outside the database.

A chain of seals recomputed by someone with database access is only caught by a
digest kept elsewhere: each new seal's digest is mailed to the quality managers
(through the mail queue, one message each), to the addresses of
``HOSHIN_SEAL_DIGEST_EMAILS``, and appended to ``HOSHIN_SEAL_DIGEST_FILE`` when set. ``hoshin seal`` seals on demand; ``hoshin remind`` seals once a day.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.core import roles, trail
from hoshin.core.models.people import User
from hoshin.core.models.trail import TrailSeal
from hoshin.core.tasks import enqueue_mail

DAILY = datetime.timedelta(hours=24)


def recipients() -> list[User]:
    """The active quality managers (and superusers, who act as one) with an address."""
    people = User.objects.filter(
        Q(groups__name=roles.QUALITY_MANAGER) | Q(is_superuser=True), is_active=True
    ).exclude(email="")
    return [p for p in people.distinct().order_by("pk") if not p.access_expired]


def message(item: TrailSeal) -> tuple[str, str]:
    subject = _("Audit trail sealed: seal #%(n)s") % {"n": item.pk}
    body = _(
        "The audit trail of %(site)s was sealed at %(at)s UTC: %(events)s events in "
        "%(streams)s streams.\n\n"
        "Digest: %(digest)s\n\n"
        "Keep this message. Should anyone with access to the database remove or rewrite "
        "events and recompute the seals, this digest no longer matches: check it with\n"
        "    hoshin verify-trail --digest %(digest)s\n"
    ) % {
        "site": settings.SITE_URL,
        "at": f"{item.at:%Y-%m-%d %H:%M:%S}",
        "events": item.events,
        "streams": item.streams,
        "digest": item.digest,
    }
    return subject, body


def seal_and_send(now: datetime.datetime | None = None) -> TrailSeal:
    """Write the next seal, then send its digest outside the database."""
    from hoshin.core.registry import registry

    item = trail.seal(now, registers=[rt.model for rt in registry])
    trail.record_digest(item)
    subject, body = message(item)
    addresses = [person.email for person in recipients()]
    addresses += [a for a in settings.HOSHIN_SEAL_DIGEST_EMAILS if a not in addresses]
    for address in addresses:
        enqueue_mail(subject, body, address)
    return item


def seal_if_due(now: datetime.datetime | None = None) -> TrailSeal | None:
    """A seal when none was written in the last 24 hours (``hoshin remind``)."""
    now = now or timezone.now()
    latest = trail.latest_seal()
    if latest is not None and latest.at > now - DAILY:
        return None
    return seal_and_send(now)
