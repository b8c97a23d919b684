"""The ``hoshin`` command line: deploy checks, command spelling (backups and restores:
tests/test_backup_restore.py)."""

from __future__ import annotations

import os
import subprocess
import sys
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
