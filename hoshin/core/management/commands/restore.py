"""``hoshin restore``: put a backup archive back, after checking all of it.

Nothing of the installation changes until the archive has passed every check: its members
against the manifest (no unsafe paths, links or devices), the database (a Hoshin database
this code can migrate; on SQLite an intact file), then migrate and verify-trail run on the
unpacked copy. Only then is the current database, media and secret key moved aside into a
dated safety folder (and on PostgreSQL the current database renamed), and the new ones put
in their place. The restore ends with migrate and collectstatic, so the instance serves pages.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hoshin.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive written by `hoshin backup`. The archive is checked "
        "completely first; what it replaces is kept in a dated safety folder."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace an installation that holds data (it is kept in a safety folder).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Check the archive as a restore would, then stop: nothing is replaced.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"]).resolve()
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        vendor = connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise CommandError(f"Restores into {vendor} are not supported.")
        check_only = options["check"]
        if not check_only and not options["force"] and self._holds_data():
            raise CommandError(
                "This installation already holds data; use --force to replace it (the current "
                "database, media and secret key are then kept in a safety folder)."
            )
        postgres = self._postgres(check_only) if vendor == "postgresql" else None

        data_dir = Path(settings.DATA_DIR)
        when = backup.stamp()
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
        try:
            candidate = backup.extract(archive, staging / "archive")
            if candidate.vendor != vendor:
                raise CommandError(
                    f"{archive} holds a {candidate.vendor} database; this installation uses "
                    f"{vendor}. To move between them, see the operator guide."
                )
            if postgres is None:
                backup.check_sqlite(candidate.database, candidate.manifest)
                report = backup.migrate_and_verify(candidate.folder)
                if not check_only:
                    safety = self._swap_sqlite(candidate, when)
            else:
                report, scratch = self._check_postgresql(postgres, candidate, when)
                if check_only:
                    postgres.drop(scratch)
                else:
                    safety = self._swap_postgresql(postgres, candidate, scratch, when)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

        if check_only:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{archive} ({candidate.describe()}) can be restored: {report} "
                    "Nothing was changed."
                )
            )
            return
        self._finish()
        self.stdout.write(
            self.style.SUCCESS(f"Restored {archive} ({candidate.describe()}) into {data_dir}.")
        )
        self.stdout.write(report)
        self.stdout.write(safety)
        self.stdout.write(
            "Restart the service and the task worker. Everyone signs in again if the secret "
            "key changed."
        )

    def _holds_data(self) -> bool:
        if connection.vendor == "sqlite":
            path = Path(settings.DATABASES["default"]["NAME"])
            return path.exists() and path.stat().st_size > 0
        return "django_migrations" in connection.introspection.table_names()

    # --- PostgreSQL -------------------------------------------------------------------------

    def _postgres(self, check_only: bool) -> backup.Postgres:
        if not settings.DATABASE_URL:
            raise CommandError("A PostgreSQL restore reads the database from HOSHIN_DATABASE_URL.")
        postgres = backup.Postgres(settings.DATABASE_URL)
        postgres.check_privileges()
        connection.close()
        if not check_only and (sessions := postgres.other_sessions()):
            raise CommandError(
                f"{sessions} other session(s) are connected to the database {postgres.name}: "
                "stop the service and the task worker, then restore."
            )
        return postgres

    def _check_postgresql(
        self, postgres: backup.Postgres, candidate: backup.Candidate, when: str
    ) -> tuple[str, str]:
        scratch = postgres.side_name("restore", when)
        postgres.create(scratch)
        try:
            postgres.restore_dump(candidate.database, scratch)
            backup.check_postgresql(postgres.url(scratch), candidate.manifest)
            report = backup.migrate_and_verify(candidate.folder, postgres.url(scratch))
        except BaseException:
            postgres.drop(scratch)
            raise
        return report, scratch

    def _swap_postgresql(
        self, postgres: backup.Postgres, candidate: backup.Candidate, scratch: str, when: str
    ) -> str:
        safety_db = postgres.side_name("before_restore", when)
        folder, swap = self._swap_files(candidate, when)
        connection.close()
        try:
            postgres.rename(postgres.name, safety_db)
        except Exception as exc:
            swap.undo()
            postgres.drop(scratch)
            raise CommandError(f"Could not rename the database {postgres.name}: {exc}") from exc
        try:
            postgres.rename(scratch, postgres.name)
        except Exception as exc:
            postgres.rename(safety_db, postgres.name)
            swap.undo()
            postgres.drop(scratch)
            raise CommandError(f"Could not rename the restored database: {exc}") from exc
        kept = f"The database it replaced is kept as {safety_db}"
        return f"{kept}; its media and secret key in {folder}." if folder else f"{kept}."

    # --- Files and SQLite -------------------------------------------------------------------

    def _swap_files(
        self, candidate: backup.Candidate, when: str, database: Path | None = None
    ) -> tuple[Path | None, backup.Swap]:
        """Move the current files aside into the safety folder and the candidate's in."""
        data_dir = Path(settings.DATA_DIR)
        key = data_dir / backup.SECRET_KEY
        media = Path(settings.MEDIA_ROOT)
        incoming: list[tuple[Path, Path]] = []
        outgoing: list[Path] = []
        if database is not None:
            incoming.append((candidate.database, database))
            outgoing += [Path(f"{database}{suffix}") for suffix in ("", "-wal", "-shm")]
        if candidate.has_media:
            incoming.append((candidate.folder / backup.MEDIA, media))
        outgoing.append(media)  # also when the archive has none: they are other records' files
        if candidate.has_secret_key:
            incoming.append((candidate.folder / backup.SECRET_KEY, key))
            outgoing.append(key)
        outgoing = [path for path in outgoing if os.path.lexists(path)]

        folder = None
        swap = backup.Swap()
        try:
            if outgoing:
                folder = data_dir / f"before-restore-{when}"
                folder.mkdir(mode=0o700)
                for path in outgoing:
                    swap.move(path, folder / path.name)
            for source, target in incoming:
                swap.move(source, target)
        except OSError as exc:
            problems = swap.undo()
            if folder is not None and not problems:
                shutil.rmtree(folder, ignore_errors=True)
            raise CommandError(
                f"Could not put the restored files in place ({exc}); "
                + (
                    "the installation is as it was."
                    if not problems
                    else f"some could not be put back, see {folder}: " + "; ".join(problems)
                )
            ) from exc
        return folder, swap

    def _swap_sqlite(self, candidate: backup.Candidate, when: str) -> str:
        database = Path(settings.DATABASES["default"]["NAME"])
        connection.close()
        folder, _ = self._swap_files(candidate, when, database)
        database.chmod(0o600)
        if folder is None:
            return "Nothing was replaced."
        return f"What it replaced is kept in {folder}."

    def _finish(self) -> None:
        """Bring the schema up to date (done already on the checked copy: a no-op unless a
        migration came in meanwhile) and collect the static files the pages name."""
        call_command("migrate", interactive=False, verbosity=0)
        try:
            call_command("collectstatic", interactive=False, verbosity=0)
        except Exception as exc:
            raise CommandError(
                f"Restored, but collectstatic failed ({exc}): pages will fail until "
                "`hoshin collectstatic --noinput` succeeds."
            ) from exc
