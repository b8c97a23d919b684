"""Backups and restores that cannot destroy data (issue 9).

The commands act on a whole installation (HOSHIN_DATA_DIR and its database), so each test
drives them in subprocesses, as an operator would, against throwaway installations: their
own data folders and, on the PostgreSQL run (HOSHIN_DATABASE_URL set), their own databases
on that server. A refused restore must leave the installation exactly as it was: the test
compares a fingerprint of the data folder (and the database) before and after.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.cookiejar
import io
import os
import re
import secrets
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from hoshin.core import backup

PG_URL = os.environ.get("HOSHIN_DATABASE_URL", "")
PASSWORD = "a-Long-demo-pass-1"
ON_POSTGRESQL = pytest.mark.skipif(not PG_URL, reason="runs on the PostgreSQL test run")
ON_SQLITE = pytest.mark.skipif(
    bool(PG_URL),
    reason="PostgreSQL keeps no database file in the data folder: its files are the server's",
)

pytestmark = pytest.mark.slow


def _pg_url(name: str) -> str:
    parts = urllib.parse.urlsplit(PG_URL)
    return urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path=f"/{name}"))


def _pg_admin(statement: sql.Composable) -> None:
    with psycopg.connect(_pg_url("postgres"), autocommit=True) as con:
        con.execute(statement)


@dataclass
class Installation:
    """A data folder and, on PostgreSQL, a database of its own."""

    data: Path
    database: str = ""

    @property
    def database_url(self) -> str:
        return _pg_url(self.database) if self.database else ""

    def env(self, **extra: str) -> dict[str, str]:
        env = {**os.environ, "HOSHIN_DATA_DIR": str(self.data), **extra}
        if self.database:
            env["HOSHIN_DATABASE_URL"] = self.database_url
        else:
            env.pop("HOSHIN_DATABASE_URL", None)
        return env

    def hoshin(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "hoshin", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if ok:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def query(self, statement: str) -> list[tuple[Any, ...]]:
        """Run SQL straight on the database, as someone with access to it would."""
        if self.database:
            with psycopg.connect(self.database_url, autocommit=True) as con:
                cursor = con.execute(statement.encode())
                return cursor.fetchall() if cursor.description else []
        con = sqlite3.connect(self.data / backup.SQLITE)
        try:
            rows = con.execute(statement).fetchall()
            con.commit()
            return rows
        finally:
            con.close()

    def fingerprint(self) -> list[Any]:
        """Every file of the data folder (path, mode, bytes) and, on PostgreSQL, the
        server's databases and this one's trail and migrations."""
        print_ = []
        for path in sorted(self.data.rglob("*")):
            info = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
            print_.append((str(path.relative_to(self.data)), stat.filemode(info.st_mode), digest))
        if self.database:
            with psycopg.connect(_pg_url("postgres")) as con:
                print_.append(con.execute("SELECT datname FROM pg_database ORDER BY 1").fetchall())
            print_.append(self.query("SELECT count(*), max(hash) FROM core_trailevent"))
            print_.append(self.query("SELECT app, name FROM django_migrations ORDER BY id"))
        return print_


class Installations:
    """Makes installations under one folder and drops their databases afterwards."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.databases: list[str] = []

    def new(self, name: str, *, copy_of: Installation | None = None) -> Installation:
        data = self.root / f"{name}-{secrets.token_hex(3)}"
        database = ""
        if PG_URL:
            database = f"hoshin_t_{secrets.token_hex(6)}"
            template = (
                sql.SQL(" TEMPLATE {}").format(sql.Identifier(copy_of.database))
                if copy_of
                else sql.SQL("")
            )
            _pg_admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)) + template)
            self.databases.append(database)
        if copy_of is not None:
            shutil.copytree(copy_of.data, data, symlinks=True)
        return Installation(data, database)

    def drop_all(self) -> None:
        if not PG_URL:
            return
        with psycopg.connect(_pg_url("postgres"), autocommit=True) as con:
            rows = con.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'hoshin_t_%'"
            ).fetchall()
            for (name,) in rows:
                if any(name.startswith(mine) for mine in self.databases):
                    con.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                            sql.Identifier(name)
                        )
                    )


@pytest.fixture(scope="module")
def installations(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installations]:
    made = Installations(tmp_path_factory.mktemp("installations"))
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def source(installations: Installations) -> Installation:
    """An installation in use: demo data, an attachment, and its backup archive beside it."""
    inst = installations.new("source")
    inst.hoshin("migrate", "-v0")
    inst.hoshin("demo", "--nonconformities", "3", "--password", PASSWORD)
    (inst.data / "media" / "attachments").mkdir(parents=True)
    (inst.data / "media" / "attachments" / "evidence.txt").write_text("evidence")
    inst.hoshin("backup", "--output", str(inst.data.parent / "source.tar.gz"))
    return inst


@pytest.fixture(scope="module")
def archive(source: Installation) -> Path:
    return source.data.parent / "source.tar.gz"


@pytest.fixture
def target(installations: Installations, source: Installation) -> Installation:
    """Another installation holding data: the one a bad archive must not damage."""
    return installations.new("target", copy_of=source)


def refused(target: Installation, archive: Path, message: str) -> str:
    """Restore with --force (the mode that used to delete the good database first) and
    check the refusal: exit status 1, the message, no traceback, nothing changed."""
    before = target.fingerprint()
    result = target.hoshin("restore", "--force", str(archive), ok=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert target.fingerprint() == before
    return result.stderr


def rebuilt(
    archive: Path,
    output: Path,
    *,
    replace: dict[str, bytes] | None = None,
    extra: list[tuple[tarfile.TarInfo, bytes]] | None = None,
) -> Path:
    """A copy of ``archive`` with members' bytes replaced (the manifest kept as it was)
    and extra members inserted before the manifest."""
    replace = replace or {}
    with tarfile.open(archive) as src, tarfile.open(output, "w:gz") as out:
        for member in src:
            if member.name == backup.MANIFEST:
                for info, data in extra or []:
                    out.addfile(info, io.BytesIO(data) if info.isreg() else None)
            data = src.extractfile(member).read() if member.isreg() else b""  # type: ignore[union-attr]
            if member.name in replace:
                data = replace[member.name]
                member.size = len(data)
            out.addfile(member, io.BytesIO(data) if member.isreg() else None)
    return output


def dump_of(inst: Installation, output: Path) -> Path:
    """The installation's database as `hoshin backup` would archive it."""
    if not inst.database:
        shutil.copy(inst.data / backup.SQLITE, output)
        return output
    pg_dump = shutil.which("pg_dump")
    assert pg_dump is not None
    url, env = backup.pg_client(inst.database_url)
    subprocess.run(  # noqa: S603
        [pg_dump, "--no-owner", "--format=custom", "--file", str(output), url], env=env, check=True
    )
    return output


# --- Refusals ------------------------------------------------------------------------------


def test_random_bytes_are_refused(target: Installation, tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(os.urandom(4096))
    refused(target, junk, "is not a readable Hoshin backup archive")


def test_a_truncated_archive_is_refused(
    target: Installation, archive: Path, tmp_path: Path
) -> None:
    half = tmp_path / "half.tar.gz"
    data = archive.read_bytes()
    half.write_bytes(data[: len(data) // 2])
    refused(target, half, "damaged or truncated")


def test_a_foreign_database_is_refused(
    target: Installation, installations: Installations, tmp_path: Path
) -> None:
    foreign = installations.new("foreign")
    foreign.data.mkdir()
    foreign.query("CREATE TABLE invoice (id integer PRIMARY KEY, total numeric)")
    foreign.query("INSERT INTO invoice VALUES (1, 99.5)")
    name = backup.PG_DUMP if foreign.database else backup.SQLITE
    database = dump_of(foreign, tmp_path / name)
    archive = tmp_path / "foreign.tar.gz"
    backup.write_archive(
        archive,
        database=database,
        vendor="postgresql" if foreign.database else "sqlite",
        migrations={},
        media=None,
        secret_key=None,
    )
    refused(target, archive, "is not a Hoshin database")


def test_a_member_escaping_the_folder_is_refused(
    target: Installation, archive: Path, tmp_path: Path
) -> None:
    escape = tarfile.TarInfo("media/../../escaped.txt")
    escape.size = 5
    bad = rebuilt(archive, tmp_path / "escape.tar.gz", extra=[(escape, b"owned")])
    refused(target, bad, "unsafe path")
    assert not list(target.data.parent.rglob("escaped.txt"))


def test_an_absolute_member_is_refused(target: Installation, archive: Path, tmp_path: Path) -> None:
    absolute = tarfile.TarInfo(str(tmp_path / "absolute.txt"))
    absolute.size = 5
    bad = rebuilt(archive, tmp_path / "absolute.tar.gz", extra=[(absolute, b"owned")])
    refused(target, bad, "unsafe path")
    assert not (tmp_path / "absolute.txt").exists()


def test_a_symlink_member_is_refused(target: Installation, archive: Path, tmp_path: Path) -> None:
    link = tarfile.TarInfo("media/attachments/passwd")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    bad = rebuilt(archive, tmp_path / "link.tar.gz", extra=[(link, b"")])
    refused(target, bad, "holds a link")


def test_a_device_member_is_refused(target: Installation, archive: Path, tmp_path: Path) -> None:
    device = tarfile.TarInfo("media/null")
    device.type = tarfile.CHRTYPE
    device.devmajor, device.devminor = 1, 3
    bad = rebuilt(archive, tmp_path / "device.tar.gz", extra=[(device, b"")])
    refused(target, bad, "special file")


def test_a_checksum_mismatch_is_refused(
    target: Installation, archive: Path, tmp_path: Path
) -> None:
    with tarfile.open(archive) as tar:
        key = tar.extractfile(backup.SECRET_KEY).read()  # type: ignore[union-attr]
    other = bytes([key[0] ^ 1]) + key[1:]  # same size, one bit flipped
    bad = rebuilt(archive, tmp_path / "flipped.tar.gz", replace={backup.SECRET_KEY: other})
    refused(target, bad, "does not match the checksum")


def test_an_archive_without_a_manifest_is_refused(
    target: Installation, archive: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "bare.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(bare, "w:gz") as out:
        for member in src:
            if member.name != backup.MANIFEST:
                out.addfile(member, src.extractfile(member) if member.isreg() else None)
    refused(target, bare, "holds no manifest.json")


def test_a_database_from_a_newer_hoshin_is_refused(
    target: Installation, installations: Installations, source: Installation, tmp_path: Path
) -> None:
    newer = installations.new("newer", copy_of=source)
    newer.query(
        "INSERT INTO django_migrations (app, name, applied) "
        "VALUES ('core', '9999_from_a_newer_hoshin', CURRENT_TIMESTAMP)"
    )
    newer.hoshin("backup", "--output", str(tmp_path / "newer.tar.gz"))
    message = refused(target, tmp_path / "newer.tar.gz", "migrated by a newer Hoshin")
    assert "core.9999_from_a_newer_hoshin" in message


def test_a_tampered_trail_is_refused(
    target: Installation, installations: Installations, source: Installation, tmp_path: Path
) -> None:
    tampered = installations.new("tampered", copy_of=source)
    # Someone with database access gets round the append-only triggers and edits an event.
    if tampered.database:
        tampered.query("ALTER TABLE core_trailevent DISABLE TRIGGER USER")
    else:
        for (trigger,) in tampered.query(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_trailevent'"
        ):
            tampered.query(f'DROP TRIGGER "{trigger}"')
    tampered.query(
        "UPDATE core_trailevent SET message = 'nothing happened' "
        "WHERE id = (SELECT max(id) FROM core_trailevent)"
    )
    tampered.hoshin("backup", "--output", str(tmp_path / "tampered.tar.gz"))
    refused(target, tmp_path / "tampered.tar.gz", "audit trail does not verify")


def test_an_archive_of_the_other_database_kind_is_refused(
    target: Installation, archive: Path, tmp_path: Path
) -> None:
    other = tmp_path / (backup.SQLITE if target.database else backup.PG_DUMP)
    other.write_bytes(b"not used: the kind is refused first")
    mixed = tmp_path / "mixed.tar.gz"
    backup.write_archive(
        mixed,
        database=other,
        vendor="sqlite" if target.database else "postgresql",
        migrations={},
        media=None,
        secret_key=None,
    )
    refused(target, mixed, "this installation uses")


def test_an_installation_holding_data_is_not_replaced_without_force(
    target: Installation, archive: Path
) -> None:
    before = target.fingerprint()
    result = target.hoshin("restore", str(archive), ok=False)
    assert result.returncode == 1
    assert "use --force" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.fingerprint() == before


def test_check_reports_a_good_archive_and_changes_nothing(
    target: Installation, archive: Path
) -> None:
    before = target.fingerprint()
    result = target.hoshin("restore", "--check", str(archive))
    assert "can be restored" in result.stdout
    assert "Audit trail intact" in result.stdout
    assert target.fingerprint() == before


# --- Restores -----------------------------------------------------------------------------


def test_a_forced_restore_keeps_what_it_replaces_in_a_safety_copy(
    target: Installation, source: Installation, archive: Path
) -> None:
    (target.data / "media" / "only-here.txt").write_text("made after the backup")
    (target.data / "secret_key").write_text("a key made after the backup")
    target.query(
        "INSERT INTO django_migrations (app, name, applied) "
        "VALUES ('marker', 'only_in_the_replaced_database', CURRENT_TIMESTAMP)"
    )
    old_db = (target.data / backup.SQLITE).read_bytes() if not target.database else b""

    result = target.hoshin("restore", "--force", str(archive))

    (safety,) = target.data.glob("before-restore-*")
    assert str(safety) in result.stdout
    assert (safety / "media" / "only-here.txt").read_text() == "made after the backup"
    assert (safety / "secret_key").read_text() == "a key made after the backup"
    assert not (target.data / "media" / "only-here.txt").exists()
    assert (target.data / "media" / "attachments" / "evidence.txt").read_text() == "evidence"
    assert (target.data / "secret_key").read_text() == (source.data / "secret_key").read_text()
    assert not target.query("SELECT name FROM django_migrations WHERE app = 'marker'")
    if target.database:
        (kept,) = [
            name
            for (name,) in Installation(target.data, "postgres").query(
                "SELECT datname FROM pg_database"
            )
            if name.startswith(f"{target.database}_before_restore_")
        ]
        assert kept in result.stdout
        kept_db = Installation(target.data, kept)
        assert kept_db.query("SELECT name FROM django_migrations WHERE app = 'marker'")
    else:
        assert (safety / backup.SQLITE).read_bytes() == old_db
    assert not list(target.data.glob(".restore-*"))
    assert "intact" in target.hoshin("verify-trail").stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(inst: Installation) -> Iterator[str]:
    """The installation served by gunicorn as in production: the manifest static storage
    (a missing manifest is a 500 on every page), plain HTTP on the loopback."""
    port = _free_port()
    env = inst.env(HOSHIN_HTTPS="false")
    env.pop("HOSHIN_STATICFILES_STORAGE", None)
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "hoshin", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=5)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, "the server exited"
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_wiped_installation_comes_back_whole_from_its_backup(
    source: Installation, installations: Installations, tmp_path: Path
) -> None:
    """GIVEN an installation in use and its backup, WHEN the installation is wiped (data
    folder and database) and restored from the backup, THEN people sign in, the home page,
    a register and the static files are served, and the trail verifies."""
    inst = installations.new("wiped", copy_of=source)
    archive = tmp_path / "backup.tar.gz"
    inst.hoshin("backup", "--output", str(archive))
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    database = backup.PG_DUMP if inst.database else backup.SQLITE
    assert {database, "secret_key", "manifest.json", "media/attachments/evidence.txt"} <= names

    shutil.rmtree(inst.data)
    if inst.database:
        _pg_admin(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(inst.database)))
        _pg_admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(inst.database)))

    restore = inst.env()
    restore.pop("HOSHIN_STATICFILES_STORAGE", None)  # collect as production does: a manifest
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "hoshin", "restore", str(archive)],
        env=restore,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    assert "intact" in inst.hoshin("verify-trail").stdout
    assert inst.query("SELECT count(*) FROM improvement_nonconformity") == [(3,)]
    assert (inst.data / "secret_key").read_text() == (source.data / "secret_key").read_text()
    assert (inst.data / "media" / "attachments" / "evidence.txt").read_text() == "evidence"

    with serving(inst) as base:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        login = opener.open(f"{base}/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
        assert token is not None
        form = {"username": "quality", "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
        home = opener.open(f"{base}/login/", urllib.parse.urlencode(form).encode())
        assert home.status == 200
        assert home.url == f"{base}/"
        page = home.read().decode()
        assert "/logout/" in page
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
        assert stylesheet is not None
        assert opener.open(f"{base}{stylesheet[1]}").status == 200
        register = opener.open(f"{base}/nonconformities/")
        assert register.status == 200
        assert "NC-" in register.read().decode()


# --- Modes ----------------------------------------------------------------------------------


def test_archives_and_the_secret_key_are_readable_by_their_owner_only(
    source: Installation, archive: Path
) -> None:
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE((source.data / "secret_key").stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        assert {m.mode for m in tar if m.isreg()} == {0o600}


@ON_SQLITE
def test_the_sqlite_database_is_readable_by_its_owner_only(
    source: Installation, target: Installation, archive: Path
) -> None:
    # Created by migrate in a new data folder, and put in place by a restore.
    assert stat.S_IMODE((source.data / backup.SQLITE).stat().st_mode) == 0o600
    target.hoshin("restore", "--force", str(archive))
    for path in target.data.glob(f"{backup.SQLITE}*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@ON_POSTGRESQL
def test_a_restore_waits_for_the_service_to_stop(target: Installation, archive: Path) -> None:
    before_sessions = psycopg.connect(target.database_url)  # the running service
    try:
        before = target.fingerprint()
        result = target.hoshin("restore", "--force", str(archive), ok=False)
        assert result.returncode == 1
        assert "other session(s) are connected" in result.stderr
        assert target.fingerprint() == before
    finally:
        before_sessions.close()
