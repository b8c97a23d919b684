"""``hoshin demo``: load the demo organisation, its people and a year of records.

Loads into an empty instance, in one transaction: either all of it or nothing. Run
again once loaded, it changes nothing (passwords included) and says so.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from hoshin.core import demo, inbox
from hoshin.core.actor import acting_as


class Command(BaseCommand):
    help = (
        "Create the demo organisation (a mid-sized manufacturer), its people and processes "
        "and a year of nonconformities. The demo users ceo, quality, owner, auditor, employee "
        "and extaudit share one password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=None,
            help="Password of the demo users (default: HOSHIN_DEMO_PASSWORD, else generated "
            "and printed once).",
        )
        parser.add_argument(
            "--nonconformities",
            type=int,
            default=120,
            metavar="N",
            help="About how many nonconformities to create (default: 120).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo.is_loaded():
            self.stdout.write("Demo organisation already loaded; nothing changed.")
            return
        count = options["nonconformities"]
        if count < 0:
            raise CommandError("--nonconformities must be zero or more.")
        problems = demo.conflicts()
        if problems:
            raise CommandError(
                "The demo loads only into an empty instance, but " + "; ".join(problems) + "."
            )
        given = options["password"] or getattr(settings, "HOSHIN_DEMO_PASSWORD", "") or ""
        password = given or demo.generate_password()

        started = time.perf_counter()
        state = demo.Demo(password=password, nonconformities=count)
        # Each app adds its part through the loader it registered, after those it needs.
        with transaction.atomic(), acting_as(None, label="demo"):
            for load in demo.loaders.functions():
                load(state)
            inbox.settle_history()
        elapsed = time.perf_counter() - started

        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo organisation “{demo.name()}” in {elapsed:.1f} s:")
        )
        for name, value in state.counts.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k} {v}" for k, v in value.items())
            self.stdout.write(f"  {name}: {value}")
        users = ", ".join(demo.demo_users())
        if given:
            self.stdout.write(f"Demo users: {users} (with the password given).")
        else:
            self.stdout.write(f"Demo password for {users}: {password}")
