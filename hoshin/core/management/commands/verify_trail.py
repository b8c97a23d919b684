"""``hoshin verify-trail``: recompute the audit trail's hash chains."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hoshin.core import trail


class Command(BaseCommand):
    help = "Recompute the audit trail's hash chains; exit non-zero naming the first broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = trail.verify()
        if broken is not None:
            raise CommandError(f"Audit trail BROKEN at {broken} ({checked} events checked).")
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} events verified."))
