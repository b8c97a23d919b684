"""Serve a benchmark data set with gunicorn, as an organisation would, and measure memory.

    from bench.serve import Server, pss_mib
    with Server(data_dir, database_url=None, port=8100, workers=5, preload=True) as server:
        token = server.token("quality")
        ...  # HTTP requests to server.base
        print(pss_mib(server.pids()))

Used by the side-by-side run against ERPNext (``bench.peer``) and the load test
(``bench.load``). The server runs DEBUG off, without HTTPS, with the same middleware as
production; logs go to ``<data_dir>/gunicorn-<port>.log``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import bench_env  # noqa: E402

BIN = Path(sys.executable).parent


def children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (gunicorn's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the ppid follows it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time these processes have used so far (a worker replaced
    meanwhile takes its share with it)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def pss_mib(pids: list[int]) -> float:
    """Proportional set size of these processes together (shared pages counted once)."""
    total_kib = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return total_kib / 1024


class Server:
    def __init__(
        self,
        data_dir: str | Path,
        *,
        database_url: str | None = None,
        port: int = 8100,
        workers: int = 5,
        preload: bool = True,
        threads: int = 1,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.port = port
        self.workers = workers
        self.preload = preload
        self.threads = threads
        self.env = bench_env(str(self.data_dir), database_url)
        self.env["HOSHIN_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def hoshin(self, *args: str) -> str:
        out = subprocess.run(
            [str(BIN / "hoshin"), *args], env=self.env, check=True, capture_output=True, text=True
        )
        return out.stdout

    def token(self, username: str) -> str:
        """An API token for ``username`` (created once, kept in the database)."""
        code = (
            "from rest_framework.authtoken.models import Token;"
            "from hoshin.core.models import User;"
            f"print(Token.objects.get_or_create(user=User.objects.get(username={username!r}))[0].key)"
        )
        return self.hoshin("shell", "-c", code).strip().splitlines()[-1]

    def start(self) -> Server:
        log = open(self.data_dir / f"gunicorn-{self.port}.log", "ab")  # noqa: SIM115
        cmd = [
            str(BIN / "gunicorn"),
            "--config",
            "python:hoshin.gunicorn_conf",  # the warm-up; the options below win
            "hoshin.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--max-requests",
            "5000",
            "--max-requests-jitter",
            "500",
            "--timeout",
            "120",
        ]
        if self.preload:
            cmd.append("--preload")
        self.process = subprocess.Popen(
            cmd, env=self.env, stdout=log, stderr=log, cwd=ROOT, start_new_session=True
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/login/", timeout=2).read()  # noqa: S310
                if len(children(self.process.pid)) >= self.workers:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {log.name}")
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def pids(self) -> list[int]:
        """The served process set: the master and its workers."""
        if self.process is None:
            return []
        return [self.process.pid, *children(self.process.pid)]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
