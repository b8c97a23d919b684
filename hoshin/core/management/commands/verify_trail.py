"""``hoshin verify-trail``: check the audit trail, its seals, and the records against it."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoshin.core import trail
from hoshin.core.registry import registry


class Command(BaseCommand):
    help = (
        "Check the audit trail: the chain of seals, every stream against the last seal, the "
        "hash chains (since the last seal, or all with --full), and every record and "
        "signature against its trail. Exits non-zero naming every problem found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full",
            action="store_true",
            help="Recompute every event's hash, not only the events written since the last seal.",
        )
        parser.add_argument(
            "--digest",
            metavar="D",
            help="A seal's digest kept outside the database: check that it is in the chain "
            "of seals and that the trail still agrees with it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        digest = (options["digest"] or "").strip().lower() or None
        report = trail.check(
            full=options["full"], digest=digest, registers=[rt.model for rt in registry]
        )
        if report.latest is None:
            scope = "full check, no seal yet"
        elif report.full:
            scope = f"full check; seal #{report.latest.pk} of {report.latest.at:%Y-%m-%d %H:%M} UTC"
        else:
            scope = (
                f"events since seal #{report.latest.pk} of {report.latest.at:%Y-%m-%d %H:%M} UTC"
            )
        summary = (
            f"{report.events} events verified ({scope}), {report.anchors} sealed heads, "
            f"{report.seals} seals, {report.records} records and {report.signatures} "
            "signatures compared with their trail"
        )
        if not report.intact:
            problems = "\n".join(f"  {p}" for p in report.problems)
            raise CommandError(
                f"Audit trail BROKEN: {len(report.problems)} problems ({summary}):\n{problems}"
            )
        if digest is not None:
            self.stdout.write(f"Digest {digest} is in the chain of seals.")
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {summary}."))
