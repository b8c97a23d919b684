"""Backup archives: what ``hoshin backup`` writes and what ``hoshin restore`` accepts.

An archive is a gzip-compressed tar of the database (``hoshin.sqlite3``, or ``database.dump``
written by pg_dump), the data folder's ``secret_key`` and ``media/``, and ``manifest.json``:
the format, the Hoshin version, the latest applied migration of each app, and the SHA-256
and size of every other member. The manifest catches a damaged, truncated or mixed-up
archive, not a forger (anyone can recompute it); the checks on the database itself (a
Hoshin schema this code can migrate, SQLite's integrity check, the audit trail) do the rest.

A restore unpacks into a private folder inside the data folder (the same file system, so
the swap is a rename), checks everything there, and only then moves the installation it
replaces aside into a dated safety folder. Every refusal is a CommandError.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tarfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import psycopg
from django.core.management.base import CommandError
from psycopg import sql

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE = "hoshin.sqlite3"
PG_DUMP = "database.dump"
SECRET_KEY = "secret_key"  # noqa: S105 - the file's name, not a key
MEDIA = "media"
DATABASE_FILES = {SQLITE: "sqlite", PG_DUMP: "postgresql"}
TOP_LEVEL = {MANIFEST, SECRET_KEY, MEDIA, *DATABASE_FILES}
# A Hoshin database has at least these tables; anything else is someone else's database.
CORE_TABLES = ("django_migrations", "core_user", "core_trailevent")
CHUNK = 1024 * 1024


def hoshin_version() -> str:
    try:
        return importlib.metadata.version("hoshin")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def stamp() -> str:
    """The UTC time, for the names of archives and safety copies."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")


def latest_migrations(applied: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The last applied migration of each app, from (app, name) rows in the order applied."""
    latest: dict[str, str] = {}
    for app, name in applied:
        latest[app] = name
    return dict(sorted(latest.items()))


# --- Writing ------------------------------------------------------------------------------


class _Hashing:
    """A file read by tarfile, hashing exactly the bytes that go into the archive."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.sha = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.sha.update(data)
        return data


def _tarinfo(name: str, *, size: int = 0, directory: bool = False) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if directory else tarfile.REGTYPE
    info.mode = 0o700 if directory else 0o600
    info.size = size
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    return info


def _add_file(tar: tarfile.TarFile, path: Path, name: str, files: dict[str, Any]) -> None:
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        reader = _Hashing(file)
        tar.addfile(_tarinfo(name, size=size), cast(IO[bytes], reader))
    files[name] = {"sha256": reader.sha.hexdigest(), "size": size}


def _add_media(tar: tarfile.TarFile, media: Path, files: dict[str, Any]) -> list[Path]:
    """Add the media tree (folders and regular files); return what was left out."""
    skipped: list[Path] = []
    tar.addfile(_tarinfo(MEDIA, directory=True))
    for folder, dirnames, filenames in os.walk(media):
        dirnames.sort()
        base = Path(folder)
        for name in list(dirnames):
            if not stat.S_ISDIR(os.lstat(base / name).st_mode):  # a link to a folder
                skipped.append(base / name)
                dirnames.remove(name)
                continue
            arcname = (base / name).relative_to(media.parent).as_posix()
            tar.addfile(_tarinfo(arcname, directory=True))
        for name in sorted(filenames):
            path = base / name
            if not stat.S_ISREG(os.lstat(path).st_mode):  # links, sockets, devices
                skipped.append(path)
                continue
            _add_file(tar, path, (MEDIA / path.relative_to(media)).as_posix(), files)
    return skipped


def write_archive(
    output: Path,
    *,
    database: Path,
    vendor: str,
    migrations: dict[str, str],
    media: Path | None,
    secret_key: Path | None,
) -> tuple[dict[str, Any], list[Path]]:
    """Write an archive readable by its owner only, replacing ``output`` in one rename.
    Returns the manifest and the media entries left out (links, devices): a restore would
    refuse an archive holding them."""
    files: dict[str, Any] = {}
    skipped: list[Path] = []
    partial = output.with_name(f".{output.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a partial file left by an earlier run keeps its mode
    try:
        with os.fdopen(descriptor, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                _add_file(tar, database, database.name, files)
                if secret_key is not None and secret_key.is_file():
                    _add_file(tar, secret_key, SECRET_KEY, files)
                if media is not None and media.is_dir():
                    skipped = _add_media(tar, media, files)
                # Last, so that it holds the checksums of the bytes actually archived.
                manifest = {
                    "format": FORMAT,
                    "hoshin_version": hoshin_version(),
                    "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                    "database": vendor,
                    "migrations": migrations,
                    "files": files,
                }
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                tar.addfile(_tarinfo(MANIFEST, size=len(data)), io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest, skipped


# --- Reading ------------------------------------------------------------------------------


@dataclass
class Candidate:
    """An archive unpacked and checked against its manifest, not yet the installation."""

    folder: Path
    manifest: dict[str, Any]
    database: Path
    has_secret_key: bool
    has_media: bool

    @property
    def vendor(self) -> str:
        return DATABASE_FILES[self.database.name]

    def describe(self) -> str:
        made = self.manifest.get("created_at", "?")
        return f"made {made} by Hoshin {self.manifest.get('hoshin_version', '?')}"


def _checked_name(archive: Path, member: tarfile.TarInfo) -> str:
    name = member.name
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in parts)
        or PurePosixPath(name).is_absolute()
    ):
        raise CommandError(f"{archive} holds an unsafe path, {name!r}: refused.")
    if member.issym() or member.islnk():
        raise CommandError(f"{archive} holds a link, {name!r} -> {member.linkname!r}: refused.")
    if not (member.isreg() or member.isdir()):
        raise CommandError(f"{archive} holds a device or other special file, {name!r}: refused.")
    if parts[0] not in TOP_LEVEL or (len(parts) > 1 and parts[0] != MEDIA):
        raise CommandError(f"{archive} holds {name!r}, which no Hoshin backup holds: refused.")
    if (name == MEDIA) != member.isdir() and len(parts) == 1:
        raise CommandError(f"{archive} holds {name!r} as the wrong kind of entry: refused.")
    return name


def _copy_out(source: IO[bytes], target: Path) -> dict[str, Any]:
    sha = hashlib.sha256()
    size = 0
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise CommandError(f"Could not unpack {target.name}: {exc}.") from exc
    with os.fdopen(descriptor, "wb") as out:
        while chunk := source.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
            try:
                out.write(chunk)
            except OSError as exc:
                raise CommandError(f"Could not unpack {target.name}: {exc}.") from exc
    return {"sha256": sha.hexdigest(), "size": size}


def _manifest(archive: Path, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"The manifest of {archive} is not readable JSON: {exc}.") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format"), int):
        raise CommandError(f"The manifest of {archive} names no archive format.")
    if manifest["format"] > FORMAT:
        raise CommandError(
            f"{archive} was written by a newer Hoshin (archive format {manifest['format']}; "
            f"this version reads format {FORMAT}). Restore it with that Hoshin version."
        )
    if manifest["format"] != FORMAT:
        raise CommandError(f"{archive} has an unknown archive format, {manifest['format']}.")
    files, migrations = manifest.get("files"), manifest.get("migrations")
    if (
        not isinstance(files, dict)
        or not all(
            isinstance(v, dict)
            and isinstance(v.get("sha256"), str)
            and isinstance(v.get("size"), int)
            for v in files.values()
        )
        or not isinstance(migrations, dict)
        or manifest.get("database") not in DATABASE_FILES.values()
    ):
        raise CommandError(f"The manifest of {archive} is incomplete or malformed.")
    return manifest


def extract(archive: Path, into: Path) -> Candidate:
    """Unpack ``archive`` into the new folder ``into`` and check every member against the
    manifest. Paths are checked before anything is written; links and devices are refused."""
    if not archive.is_file():
        raise CommandError(f"No such archive: {archive}")
    into.mkdir(mode=0o700)
    unpacked: dict[str, dict[str, Any]] = {}
    folders: set[str] = set()
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                name = _checked_name(archive, member)
                if name in unpacked or name in folders:
                    raise CommandError(f"{archive} holds {name!r} twice: refused.")
                target = into.joinpath(*name.split("/"))
                if member.isdir():
                    target.mkdir(mode=0o700, parents=True, exist_ok=True)
                    folders.add(name)
                    continue
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                source = tar.extractfile(member)
                if source is None:  # pragma: no cover - a regular member always has data
                    raise CommandError(f"{archive}: {name!r} has no data.")
                unpacked[name] = _copy_out(source, target)
    except CommandError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise CommandError(
            f"{archive} is not a readable Hoshin backup archive ({exc or type(exc).__name__}): "
            "it is not a gzip-compressed tar file, or it is damaged or truncated."
        ) from exc

    if unpacked.pop(MANIFEST, None) is None:
        raise CommandError(
            f"{archive} holds no {MANIFEST}, so its contents cannot be checked: it was not "
            "written by `hoshin backup` (or by a version before backups carried a manifest)."
        )
    manifest = _manifest(archive, into / MANIFEST)
    listed: dict[str, Any] = manifest["files"]
    for name, actual in sorted(unpacked.items()):
        expected = listed.get(name)
        if expected is None:
            raise CommandError(f"{archive} holds {name}, which its manifest does not list.")
        if (expected["sha256"], expected["size"]) != (actual["sha256"], actual["size"]):
            raise CommandError(
                f"{name} in {archive} does not match the checksum in its manifest: "
                "the archive is damaged or was altered."
            )
    missing = sorted(set(listed) - set(unpacked))
    if missing:
        raise CommandError(
            f"{archive} lacks {', '.join(missing[:5])}, listed in its manifest: "
            "the archive is incomplete."
        )
    databases = [name for name in DATABASE_FILES if name in unpacked]
    if len(databases) != 1 or DATABASE_FILES[databases[0]] != manifest["database"]:
        raise CommandError(f"{archive} does not hold the one database its manifest names.")
    return Candidate(
        folder=into,
        manifest=manifest,
        database=into / databases[0],
        has_secret_key=SECRET_KEY in unpacked,
        has_media=MEDIA in folders or any(n.startswith(f"{MEDIA}/") for n in unpacked),
    )


# --- Checking the candidate database -------------------------------------------------------


def check_migrations(applied: list[tuple[str, str]], manifest: dict[str, Any]) -> None:
    """Refuse a database migrated further than this code knows (a newer Hoshin made it:
    migrate cannot bring it back, and this code would not know its tables)."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in applied if (app, name) not in known]
    if unknown:
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise CommandError(
            "The archive's database was migrated by a newer Hoshin than this one, which does "
            f"not know {', '.join(unknown[:5])}{more}. Install that Hoshin version (or a later "
            "one) and restore with it."
        )
    if latest_migrations(applied) != manifest["migrations"]:
        raise CommandError(
            "The archive's manifest names other migrations than its database holds: "
            "the archive was altered or mixed up."
        )


def _check_tables(tables: set[str]) -> None:
    missing = [table for table in CORE_TABLES if table not in tables]
    if missing:
        raise CommandError(
            f"The archive's database is not a Hoshin database (it has no {', '.join(missing)} "
            "table)."
        )


def check_sqlite(path: Path, manifest: dict[str, Any]) -> None:
    """Open the candidate read-only: a Hoshin schema, intact pages, known migrations."""
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise CommandError(f"The archive's {SQLITE} cannot be opened: {exc}.") from exc
    try:
        rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        _check_tables({row[0] for row in rows})
        problems = [row[0] for row in con.execute("PRAGMA integrity_check(20)")]
        if problems != ["ok"]:
            raise CommandError(
                f"The archive's SQLite database is damaged: {'; '.join(problems[:3])}."
            )
        applied = con.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    except sqlite3.DatabaseError as exc:
        raise CommandError(
            f"The archive's {SQLITE} is not a readable SQLite database ({exc})."
        ) from exc
    finally:
        con.close()
    check_migrations([(str(a), str(n)) for a, n in applied], manifest)


def check_postgresql(url: str, manifest: dict[str, Any]) -> None:
    """The same checks on a dump restored into a scratch database."""
    with psycopg.connect(url) as con:
        rows = con.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
        _check_tables({str(row[0]) for row in rows})
        applied = con.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    check_migrations([(str(a), str(n)) for a, n in applied], manifest)


def _hoshin(
    *args: str, data_dir: Path, database_url: str | None
) -> subprocess.CompletedProcess[str]:
    """Run a hoshin command against the candidate (its own data folder and database), so
    that the candidate is checked by exactly the code that will serve it."""
    env = {**os.environ, "HOSHIN_DATA_DIR": str(data_dir)}
    if database_url:
        env["HOSHIN_DATABASE_URL"] = database_url
    else:
        env.pop("HOSHIN_DATABASE_URL", None)
    return subprocess.run(  # noqa: S603 - our own interpreter and command line
        [sys.executable, "-m", "hoshin", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (result.stderr or result.stdout).splitlines() if line.strip()]
    return lines[-1].removeprefix("CommandError: ").strip() if lines else "no output"


def migrate_and_verify(data_dir: Path, database_url: str | None = None) -> str:
    """Migrate the candidate to this code's schema, then verify its whole audit trail.
    Returns verify-trail's report."""
    result = _hoshin("migrate", "--noinput", "-v0", data_dir=data_dir, database_url=database_url)
    if result.returncode != 0:
        raise CommandError(
            f"The archive's database cannot be migrated by this Hoshin: {_last_line(result)}"
        )
    result = _hoshin("verify-trail", data_dir=data_dir, database_url=database_url)
    if result.returncode != 0:
        raise CommandError(f"The archive's audit trail does not verify: {_last_line(result)}")
    return result.stdout.strip()


# --- Swapping -------------------------------------------------------------------------------


class Swap:
    """Moves that can be undone, in reverse, if a later one fails."""

    def __init__(self) -> None:
        self.done: list[tuple[Path, Path]] = []

    def move(self, source: Path, target: Path) -> None:
        shutil.move(source, target)
        self.done.append((source, target))

    def undo(self) -> list[str]:
        problems = []
        for source, target in reversed(self.done):
            try:
                shutil.move(target, source)
            except OSError as exc:  # keep going: put back as much as possible
                problems.append(f"{target} -> {source}: {exc}")
        self.done.clear()
        return problems


# --- PostgreSQL ----------------------------------------------------------------------------


def pg_client(url: str) -> tuple[str, dict[str, str]]:
    """A database URL without its password, and an environment carrying it, so that the
    password does not show in the process list while pg_dump or pg_restore runs."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = quote(unquote(parts.username or ""), safe="") + "@" + host
        if parts.port:
            netloc += f":{parts.port}"
        parts = parts._replace(netloc=netloc)
    scheme = "postgresql" if parts.scheme in ("postgres", "postgresql", "pgsql") else parts.scheme
    return urlunsplit(parts._replace(scheme=scheme)), env


class Postgres:
    """What a restore does beside the installation's database, as its own role: a scratch
    database to check the dump in, then two renames."""

    def __init__(self, url: str) -> None:
        self.parts = urlsplit(url)
        self.name = unquote(self.parts.path.lstrip("/"))

    def url(self, name: str) -> str:
        scheme = "postgresql" if self.parts.scheme in ("postgres", "pgsql") else self.parts.scheme
        return urlunsplit(self.parts._replace(scheme=scheme, path="/" + quote(name)))

    def _admin(self) -> psycopg.Connection[Any]:
        # Renaming a database needs a connection to another one.
        error: psycopg.Error | None = None
        for maintenance in ("postgres", "template1"):
            try:
                return psycopg.connect(self.url(maintenance), autocommit=True)
            except psycopg.Error as exc:
                error = exc
        raise CommandError(
            f"Cannot connect to the PostgreSQL server's maintenance database: {error}"
        )

    def check_privileges(self) -> None:
        with self._admin() as con:
            row = con.execute(
                "SELECT r.rolsuper OR r.rolcreatedb, pg_has_role(current_user, d.datdba, 'MEMBER')"
                " FROM pg_roles r, pg_database d"
                " WHERE r.rolname = current_user AND d.datname = %s",
                [self.name],
            ).fetchone()
        if row is None or not row[0] or not row[1]:
            raise CommandError(
                f"A restore checks the dump in a scratch database, then renames it to "
                f"{self.name}: the database role needs CREATEDB and must own {self.name} "
                "(ALTER ROLE ... CREATEDB), or restore by hand with pg_restore "
                "(see the operator guide)."
            )

    def other_sessions(self) -> int:
        with self._admin() as con:
            row = con.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [self.name]
            ).fetchone()
        return int(row[0]) if row else 0

    def create(self, name: str) -> None:
        with self._admin() as con:
            con.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
            )

    def drop(self, name: str) -> None:
        with self._admin() as con:
            con.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))

    def rename(self, old: str, new: str) -> None:
        with self._admin() as con:
            con.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(old), sql.Identifier(new)
                )
            )

    def side_name(self, purpose: str, when: str) -> str:
        # PostgreSQL names stop at 63 bytes.
        suffix = f"_{purpose}_{when.replace('-', '_')}"
        return self.name.encode()[: 63 - len(suffix)].decode(errors="ignore") + suffix

    def restore_dump(self, dump: Path, name: str) -> None:
        pg_restore = shutil.which("pg_restore")
        if pg_restore is None:
            raise CommandError("pg_restore is not installed (it comes with the PostgreSQL client).")
        url, env = pg_client(self.url(name))
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                url,
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(
                f"The archive's PostgreSQL dump cannot be restored: {_last_line(result)}"
            )
