"""``hoshin backup``: one archive holding the database, uploaded files and the secret key.

The archive carries a manifest (see hoshin.core.backup) and, like the database it copies,
holds password hashes, API tokens and the secret key: it is written readable by its owner
only.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hoshin.core import backup


class Command(BaseCommand):
    help = "Write a backup archive (.tar.gz) of the database, attachments and secret key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default=f"hoshin-backup-{backup.stamp()}.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]).resolve()
        if not output.parent.is_dir():
            raise CommandError(f"No such folder: {output.parent}")
        # The copy of the database is as large as the database: make it beside the archive
        # rather than in a /tmp that may be small.
        with tempfile.TemporaryDirectory(prefix=".hoshin-backup-", dir=output.parent) as tmp:
            work = Path(tmp)
            if connection.vendor == "sqlite":
                database = work / backup.SQLITE
                migrations = self._copy_sqlite(database)
            elif connection.vendor == "postgresql":
                database = work / backup.PG_DUMP
                migrations = self._dump_postgresql(database)
            else:
                raise CommandError(f"Backups of {connection.vendor} are not supported.")
            try:
                manifest, skipped = backup.write_archive(
                    output,
                    database=database,
                    vendor=connection.vendor,
                    migrations=migrations,
                    media=Path(settings.MEDIA_ROOT),
                    secret_key=Path(settings.DATA_DIR) / "secret_key",
                )
            except OSError as exc:
                raise CommandError(f"Could not write {output}: {exc}") from exc
        for path in skipped:
            self.stderr.write(f"Left out {path}: not a regular file or folder.")
        size = output.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output} ({len(manifest['files'])} files, "
                f"{size / 1_000_000:.1f} MB). Check it with: hoshin restore --check {output}"
            )
        )

    def _copy_sqlite(self, target_path: Path) -> dict[str, str]:
        # The SQLite online backup API gives a consistent copy while the app runs.
        target_path.touch(mode=0o600)
        target = sqlite3.connect(target_path)
        try:
            connection.ensure_connection()
            connection.connection.backup(target)
            # One self-contained file: no -wal needed beside it to read it.
            target.execute("PRAGMA journal_mode=DELETE")
            rows = target.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
        except sqlite3.Error as exc:
            raise CommandError(f"Could not copy the database: {exc}") from exc
        finally:
            target.close()
        return backup.latest_migrations(rows)

    def _dump_postgresql(self, target: Path) -> dict[str, str]:
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise CommandError("pg_dump is not installed (it comes with the PostgreSQL client).")
        if not settings.DATABASE_URL:
            raise CommandError("A PostgreSQL backup reads the database from HOSHIN_DATABASE_URL.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            migrations = backup.latest_migrations(cursor.fetchall())
        url, env = backup.pg_client(settings.DATABASE_URL)
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [pg_dump, "--no-owner", "--format=custom", "--file", str(target), url],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        return migrations
