"""``hoshin remind``: e-mail each person what they own that is overdue or falls due soon.

Meant for cron (once a working day). Writes nothing but what has fallen due by date
(an approved document version whose effective date has come takes effect) and, when
none was written in the last 24 hours, a seal of the audit trail (its digest mailed
to the quality managers).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoshin.core import reminders, seals, trail
from hoshin.core.registry import registry


class Command(BaseCommand):
    help = (
        "E-mail owners, one message per person, about records and actions that are overdue "
        "or due within HOSHIN_REMIND_DAYS days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            metavar="N",
            help="Warn about what falls due within N days (default: HOSHIN_REMIND_DAYS, 7).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print who would get what; send nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 0:
            raise CommandError("--days must be zero or more.")
        # Work that falls due by date (a document version taking effect) is done first,
        # so the reminders speak of the state of things today.
        for rt in registry:
            rt.call("before_read")
        plan = reminders.plan(days=days)
        for person in plan.skipped:
            self.stderr.write(
                f"Skipped {person} ({person.get_username()}): no e-mail address, "
                "or the account is inactive or expired."
            )
        if options["dry_run"]:
            for reminder in plan.reminders:
                person = reminder.person
                self.stdout.write(
                    f"Would send to {person} <{person.email}>: "
                    f"{len(reminder.overdue)} overdue, {len(reminder.due_soon)} due soon"
                )
                for item in [*reminder.overdue, *reminder.due_soon]:
                    self.stdout.write(f"  {item.label}: {item.title} ({item.when()})")
            self.stdout.write(f"0 reminders sent (dry run: {len(plan.reminders)} would be sent).")
            return
        try:
            sealed = seals.seal_if_due()
        except trail.SealRefused as refused:
            sealed = None
            self.stderr.write(
                f"Audit trail not sealed: it no longer agrees with the last seal ({refused})."
            )
        if sealed is not None:
            self.stdout.write(f"Audit trail sealed (seal #{sealed.pk}): {sealed.digest}")
        outcome = reminders.send(plan.reminders, plan.days)
        from hoshin.core import digest  # the unread notifications, by each person's choice

        digests = digest.send()
        self.stdout.write(f"{digests.sent} digests sent.")
        for person, exc in outcome.failed:
            later = " (queued for another attempt)" if person in outcome.retrying else ""
            self.stderr.write(f"Could not send to {person} <{person.email}>: {exc}{later}")
        self.stdout.write(self.style.SUCCESS(f"{outcome.sent} reminders sent."))
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} reminders could not be sent.")
