"""``hoshin restore``: put a backup archive back into an empty installation."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Restore a backup archive written by `hoshin backup` into this installation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="Replace an existing SQLite database."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.exists():
            raise CommandError(f"No such archive: {archive}")
        data_dir = Path(settings.DATA_DIR)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")
            if connection.vendor == "sqlite":
                source = work / "hoshin.sqlite3"
                if not source.exists():
                    raise CommandError("This archive holds no SQLite database.")
                target = Path(settings.DATABASES["default"]["NAME"])
                if target.exists() and not options["force"]:
                    raise CommandError(f"{target} exists; use --force to replace it.")
                connection.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
                shutil.copy2(source, target)
            elif connection.vendor == "postgresql":
                dump = work / "database.dump"
                pg_restore = shutil.which("pg_restore")
                if not dump.exists() or pg_restore is None:
                    raise CommandError("Needs a PostgreSQL dump in the archive and pg_restore.")
                subprocess.run(  # noqa: S603
                    [pg_restore, "--no-owner", "--dbname", settings.DATABASE_URL, str(dump)],
                    check=True,
                )
            media = work / "media"
            if media.exists():
                shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
            key = work / "secret_key"
            if key.exists():
                shutil.copy2(key, data_dir / "secret_key")
        self.stdout.write(self.style.SUCCESS(f"Restored {archive} into {data_dir}"))
