"""``hoshin seal``: seal every stream of the audit trail now and print the seal's digest."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hoshin.core import seals, trail


class Command(BaseCommand):
    help = (
        "Write the next seal of the audit trail (every stream's head, chained to the last "
        "seal), print its digest, mail it to the quality managers and append it to "
        "HOSHIN_SEAL_DIGEST_FILE when set. Keep the digest outside the system."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            item = seals.seal_and_send()
        except trail.SealRefused as exc:
            raise CommandError(
                f"Not sealed: the trail no longer agrees with the last seal ({exc}). "
                "Run hoshin verify-trail."
            ) from exc
        self.stdout.write(f"Seal #{item.pk}: {item.events} events, {item.streams} streams.")
        self.stdout.write(item.digest)
