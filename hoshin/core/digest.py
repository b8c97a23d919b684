"""The digest: one e-mail listing a person's unread notifications, daily or weekly by choice.

Sent by ``hoshin remind`` (run daily). A notification goes into one digest at most
(``digested_at``), and a weekly digest waits seven days after the last one, so running
the command twice in a day, or every day, repeats nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hoshin.core import inbox
from hoshin.core.models import Digest, InboxPreference, Notification
from hoshin.core.tasks import retry_mail

INTERVAL = {Digest.DAILY: 1, Digest.WEEKLY: 7}


@dataclass
class DigestOutcome:
    sent: int
    failed: int


def due(preference: InboxPreference, today: datetime.date) -> bool:
    days = INTERVAL.get(preference.digest)  # type: ignore[call-overload]
    if days is None:
        return False
    last = preference.last_digest_on
    return last is None or (today - last).days >= days


def body(person: object, items: list[Notification]) -> str:
    name = getattr(person, "first_name", "") or str(person)
    lines = [_("Hello %(name)s,") % {"name": name}, ""]
    lines.append(
        ngettext(
            "%(n)d notification in Hoshin is unread:",
            "%(n)d notifications in Hoshin are unread:",
            len(items),
        )
        % {"n": len(items)}
    )
    lines.append("")
    for item in items:
        lines.append(f"- {item.created_at:%Y-%m-%d} {item.get_kind_display()}: {item.message}")
    site = str(settings.SITE_URL).rstrip("/")
    lines += ["", _("Your inbox: %s") % f"{site}/inbox/", ""]
    lines.append(_("You chose this digest on your settings page: %s") % f"{site}/me/")
    return "\n".join(lines)


def send(today: datetime.date | None = None) -> DigestOutcome:
    """Send every digest that is due; nothing is sent twice."""
    today = today or timezone.localdate()
    outcome = DigestOutcome(0, 0)
    preferences = (
        InboxPreference.objects.exclude(digest=Digest.NEVER).select_related("person").order_by("pk")
    )
    with get_connection() as connection:
        for preference in preferences:
            person = preference.person
            if not due(preference, today) or not person.is_active or not person.email:
                continue
            items = list(
                inbox.for_person(person)
                .filter(read_at__isnull=True, digested_at__isnull=True)
                .order_by("created_at", "id")[:200]
            )
            if not items:
                continue
            subject = ngettext(
                "[Hoshin] %(n)d unread notification",
                "[Hoshin] %(n)d unread notifications",
                len(items),
            ) % {"n": len(items)}
            mail = EmailMessage(
                subject=subject,
                body=body(person, items),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[person.email],
                connection=connection,
            )
            try:
                mail.send()
            except Exception:  # SMTP errors vary: the queue retries it, the rest go on
                outcome.failed += 1
                if not retry_mail(mail):
                    continue
            Notification.objects.filter(pk__in=[i.pk for i in items]).update(
                digested_at=timezone.now()
            )
            preference.last_digest_on = today
            preference.save(update_fields=["last_digest_on"])
            outcome.sent += 1
    return outcome
