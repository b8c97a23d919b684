"""``hoshin tally``: check the home page's and dashboards' figures against a recount, or
rebuild them (after loading records in bulk, outside the application)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoshin.core import tally


class Command(BaseCommand):
    help = (
        "Compare the tallies the home page and dashboards read with a recount of the "
        "records (--check, the default), or replace them with the recount (--rebuild)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="replace the tallies with a recount"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            rows = tally.rebuild()
            self.stdout.write(f"Tallies rebuilt: {rows} rows.")
            return
        problems = tally.mismatches()
        if problems:
            for line in problems[:50]:
                self.stderr.write(line)
            raise CommandError(
                f"{len(problems)} tally rows differ from a recount; "
                "run hoshin tally --rebuild when no one is writing."
            )
        self.stdout.write("Tallies agree with a recount of the records.")
