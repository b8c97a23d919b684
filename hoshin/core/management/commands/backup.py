"""``hoshin backup``: one archive holding the database, uploaded files and the secret key."""

from __future__ import annotations

import datetime
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Write a backup archive (.tar.gz) of the database, attachments and secret key."

    def add_arguments(self, parser: Any) -> None:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        parser.add_argument("--output", default=f"hoshin-backup-{stamp}.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]).resolve()
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            if connection.vendor == "sqlite":
                # The SQLite online backup API gives a consistent copy while the app runs.
                target = sqlite3.connect(work / "hoshin.sqlite3")
                connection.ensure_connection()
                connection.connection.backup(target)
                target.close()
            elif connection.vendor == "postgresql":
                pg_dump = shutil.which("pg_dump")
                if pg_dump is None:
                    raise CommandError("pg_dump is not installed.")
                subprocess.run(  # noqa: S603
                    [
                        pg_dump,
                        "--no-owner",
                        "--format=custom",
                        "--file",
                        str(work / "database.dump"),
                        settings.DATABASE_URL,
                    ],
                    check=True,
                )
            else:
                raise CommandError(f"Backups of {connection.vendor} are not supported.")
            with tarfile.open(output, "w:gz") as archive:
                for item in sorted(work.iterdir()):
                    archive.add(item, arcname=item.name)
                media = Path(settings.MEDIA_ROOT)
                if media.exists():
                    archive.add(media, arcname="media")
                key = Path(settings.DATA_DIR) / "secret_key"
                if key.exists():
                    archive.add(key, arcname="secret_key")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {output}"))
