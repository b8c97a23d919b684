"""The ``hoshin`` command line: deploy checks, backups."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path


def test_production_settings_pass_the_deploy_checks(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HOSHIN_")
        and k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env["HOSHIN_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "hoshin", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert (tmp_path / "secret_key").exists()


def test_hyphenated_commands_are_accepted(tmp_path: Path) -> None:
    env = {**os.environ, "HOSHIN_DATA_DIR": str(tmp_path)}
    env.pop("HOSHIN_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "hoshin", "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [sys.executable, "-m", "hoshin", "verify-trail"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "intact" in result.stdout


def test_a_backup_restores_into_a_new_installation_with_an_intact_trail(tmp_path: Path) -> None:
    env = {**os.environ, "HOSHIN_DATA_DIR": str(tmp_path / "a")}
    env.pop("HOSHIN_DATABASE_URL", None)

    def hoshin(*args: str, data: str = "a") -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "hoshin", *args],
            env={**env, "HOSHIN_DATA_DIR": str(tmp_path / data)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    hoshin("migrate", "-v0")
    hoshin("demo", "--nonconformities", "3", "--password", "a-Long-demo-pass-1")
    archive = tmp_path / "backup.tar.gz"
    hoshin("backup", "--output", str(archive))
    with tarfile.open(archive) as tar:
        assert {"hoshin.sqlite3", "secret_key"} <= set(tar.getnames())
    hoshin("restore", str(archive), data="b")
    assert "intact" in hoshin("verify-trail", data="b")
    db = sqlite3.connect(tmp_path / "b" / "hoshin.sqlite3")
    (count,) = db.execute("SELECT count(*) FROM improvement_nonconformity").fetchone()
    assert count == 3
    assert (tmp_path / "b" / "secret_key").read_text() == (
        tmp_path / "a" / "secret_key"
    ).read_text()
