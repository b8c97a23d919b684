"""Background tasks: e-mail sent after commit, retried, and visible to the administrator.

Django's task interface (the django-tasks backport of DEP 14) runs them. ``settings.TASKS``
chooses the backend: the database by default, worked by ``hoshin db_worker`` (``make run``
starts one beside gunicorn); docs/operator-guide.md says which backends fit a larger site.

Mail is queued with :func:`enqueue_mail` on commit, so nothing is sent for a change that was
rolled back and a mail server that is down never breaks the request. Each message is one task
with one recipient, so a retry never repeats a message someone already has. django-tasks has
no retries of its own: a failed attempt queues the next one (after a growing delay where the
backend can defer) and is recorded as failed with its error; the last attempt fails with
:class:`GaveUp`. Task results are listed, read-only, in Hoshin's admin (core/admin.py).
"""

from __future__ import annotations

import datetime
import logging
from functools import partial
from typing import Any, NoReturn

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)

# Delay before attempt n + 1: one minute, then five, 25, about two hours; never more than six.
FIRST_DELAY = datetime.timedelta(minutes=1)
DELAY_FACTOR = 5
LONGEST_DELAY = datetime.timedelta(hours=6)


class RetryScheduled(Exception):
    """This attempt failed and the next one is queued: the administrator need not act yet."""


class GaveUp(Exception):
    """The last attempt failed: nothing more is tried."""


def mail_attempts() -> int:
    return max(1, int(getattr(settings, "HOSHIN_MAIL_ATTEMPTS", 5)))


def delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt ``attempt`` (1, 2, ...) before the next."""
    return min(FIRST_DELAY * DELAY_FACTOR ** max(attempt - 1, 0), LONGEST_DELAY)


def queue_next(the_task: Task[Any, Any], attempt: int, *args: Any) -> str:
    """Queue attempt ``attempt + 1`` after its delay; says when it will run ("" for now)."""
    later, when = the_task, ""
    if the_task.get_backend().supports_defer:
        run_after = timezone.now() + delay(attempt)
        later = the_task.using(run_after=run_after)
        when = f" at {run_after:%Y-%m-%d %H:%M:%S %Z}"
    # A backend that cannot defer (the immediate one of the tests) runs the next attempt now.
    later.enqueue(*args, attempt=attempt + 1)
    return when


def retry_or_give_up(
    the_task: Task[Any, Any], exc: Exception, attempt: int, attempts: int, *args: Any
) -> NoReturn:
    """Queue attempt ``attempt + 1`` of ``the_task`` with ``args``, or give up after the last.

    Always raises, so that the failed attempt is recorded as failed with its error.
    """
    if attempt >= attempts:
        raise GaveUp(f"Attempt {attempt} of {attempts} failed, not retried: {exc}") from exc
    when = queue_next(the_task, attempt, *args)
    raise RetryScheduled(
        f"Attempt {attempt} of {attempts} failed, attempt {attempt + 1} queued{when}: {exc}"
    ) from exc


@task()
def send_email(
    subject: str, body: str, to: list[str], from_email: str = "", attempt: int = 1
) -> int:
    """Send one plain-text message; the number sent (1) is the task's result."""
    message = EmailMessage(
        # A header is one line: a record title typed with a line break would make every
        # attempt fail (BadHeaderError).
        subject=" ".join(subject.split()),
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    try:
        return message.send()
    except Exception as exc:  # SMTP, DNS and socket errors vary: every one is retried
        retry_or_give_up(send_email, exc, attempt, mail_attempts(), subject, body, to, from_email)


def enqueue_mail(subject: str, body: str, to: str, from_email: str = "") -> None:
    """Queue a message to ``to`` once the current transaction commits (at once outside one).

    ``robust``: should queueing itself fail after the commit, it is logged, never raised
    into the request whose change is already saved.
    """
    transaction.on_commit(partial(send_email.enqueue, subject, body, [to], from_email), robust=True)


def retry_mail(message: EmailMessage) -> bool:
    """Hand a message whose first attempt failed outside the queue to the queue's retries.

    False when no attempt is left or the queue refused it (the caller reports the failure).
    """
    if mail_attempts() < 2:
        return False
    try:
        for to in message.to:
            queue_next(send_email, 1, message.subject, message.body, [to], message.from_email)
    except Exception:  # the queue itself failing must not hide the mail's own failure
        logger.exception("Could not queue another attempt at %s", message.subject)
        return False
    return True
