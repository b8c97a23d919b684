"""Browser journeys against the real application, served by gunicorn in a subprocess.

The audit trail refuses DELETE at the database level, so pytest-django's ``live_server``
(which flushes tables between tests) cannot be used. Instead one session-scoped server
runs on a fresh data folder: ``hoshin migrate``, ``hoshin demo``, ``hoshin collectstatic``
with the production (manifest) storage, then ``gunicorn``. Tests talk to it only through
Chromium. A missing Chromium or a failing step fails the journeys: they never skip.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = REPO / "test-results" / "screenshots"
STATIC_CACHE = REPO / "test-results" / "static-cache"
PASSWORD = "Journey-through-Hoshin-42"
DESKTOP = {"width": 1280, "height": 900}

# username -> (group, first name, last name); the demo may already have created them.
CAST = {
    "ceo": ("top_management", "Carla", "Executive"),
    "quality": ("quality_manager", "Quinn", "Quality"),
    "owner": ("process_owner", "Olivia", "Owner"),
    "auditor": ("internal_auditor", "Aaron", "Auditor"),
    "employee": ("employee", "Emil", "Employee"),
    "extaudit": ("external_auditor", "Eva", "External"),
}
PROCESS_CODE = "BT-01"

# Run inside ``hoshin shell``: make sure the cast and a process owned by ``owner`` exist
# (creating only what is missing, so the demo's own data stays as it is), then print the
# names the pages will show for them.
ENSURE_CAST = """
import datetime, json
from django.contrib.auth.models import Group
from django.utils import timezone
from hoshin.context.models import Process
from hoshin.core.models import User

cast = json.loads({cast!r})
names = {{}}
for username, (group, first, last) in cast.items():
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last,
                    email=username + "@example.com")
        user.set_password({password!r})
        if group == "external_auditor":
            user.access_expires_on = timezone.localdate() + datetime.timedelta(days=30)
        user.save()
    user.groups.add(Group.objects.get(name=group))
    names[username] = str(user)
process = Process.objects.filter(code={code!r}).first()
if process is None:
    process = Process.objects.create(
        code={code!r}, name="Browser journeys", owner=User.objects.get(username="owner")
    )
print("HOSHIN-CAST " + json.dumps({{"people": names, "process": str(process)}}))
"""


@dataclass
class App:
    """The running application: where it is and who is in it."""

    url: str
    data_dir: Path
    log: Path
    people: dict[str, str] = field(default_factory=dict)
    process: str = ""
    password: str = PASSWORD


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _app_env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # SQLite and the production static storage, whatever the test process uses.
        if k not in {"HOSHIN_DATABASE_URL", "HOSHIN_STATICFILES_STORAGE", "HOSHIN_SECRET_KEY"}
    }
    env.update(
        HOSHIN_DATA_DIR=str(data_dir),
        HOSHIN_HTTPS="false",
        HOSHIN_DEBUG="false",
        HOSHIN_ALLOWED_HOSTS="127.0.0.1,localhost",
        HOSHIN_DEMO_PASSWORD=PASSWORD,
        # No task worker beside this gunicorn: tasks (mail, copies) run in the request.
        HOSHIN_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        DJANGO_SETTINGS_MODULE="hoshin.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        args, env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )


def _check(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        pytest.fail(
            f"{what} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )


def _wait_until_up(
    url: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/login/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer on {url} within {timeout} s:\n{log.read_text()[-4000:]}")


def _static_key() -> str:
    """What ``collectstatic`` output depends on: every source file found (path, size and
    modification time), the settings (storage) and the versions of Django and WhiteNoise."""
    from importlib.metadata import version

    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    digest.update(f"{version('django')} {version('whitenoise')}".encode())
    digest.update((REPO / "hoshin" / "settings.py").read_bytes())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{storage.path(path)}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()[:20]


def _collectstatic(
    hoshin: str, env: dict[str, str], data_dir: Path
) -> subprocess.Popen[bytes] | None:
    """Start ``hoshin collectstatic`` (compression takes 15-30 s here), or reuse what an
    earlier session collected from exactly the same files."""
    key = _static_key()
    cached = STATIC_CACHE / key
    if (cached / "staticfiles.json").exists():
        shutil.copytree(cached, data_dir / "static")
        return None
    with (data_dir / "collectstatic.log").open("w") as log:
        return subprocess.Popen(  # noqa: S603
            [hoshin, "collectstatic", "--noinput", "--verbosity", "0"],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _keep_static(data_dir: Path) -> None:
    """Keep this session's collected files for the next one (only the latest set)."""
    key = _static_key()
    shutil.rmtree(STATIC_CACHE, ignore_errors=True)
    partial = STATIC_CACHE / f"{key}.partial"
    try:
        shutil.copytree(data_dir / "static", partial)
        partial.rename(STATIC_CACHE / key)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)  # a cache, not a requirement


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """A freshly set-up Hoshin served by gunicorn on a free loopback port."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium`", pytrace=False)
    for old in SCREENSHOTS.glob("FAILED-*.png"):
        old.unlink()  # from an earlier session
    data_dir = tmp_path_factory.mktemp("hoshin-data")
    env = _app_env(data_dir)
    hoshin = str(BIN / "hoshin")

    # collectstatic (the slow part: compression) runs beside migrate and the demo data.
    static = _collectstatic(hoshin, env, data_dir)
    try:
        _check(_run([hoshin, "migrate", "--noinput", "--verbosity", "0"], env), "hoshin migrate")
        demo = _run([hoshin, "demo", "--nonconformities", "20", "--password", PASSWORD], env)
        _check(demo, "hoshin demo")
        cast = _run(
            [
                hoshin,
                "shell",
                "-c",
                ENSURE_CAST.format(cast=json.dumps(CAST), password=PASSWORD, code=PROCESS_CODE),
            ],
            env,
        )
        _check(cast, "setting up the cast")
        line = next(x for x in cast.stdout.splitlines() if x.startswith("HOSHIN-CAST "))
        found = json.loads(line.removeprefix("HOSHIN-CAST "))
        if static is not None:
            if static.wait(timeout=180) != 0:
                log = (data_dir / "collectstatic.log").read_text()
                pytest.fail(f"hoshin collectstatic failed:\n{log[-4000:]}")
            _keep_static(data_dir)
    finally:
        if static is not None and static.poll() is None:
            static.kill()
            static.wait()

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = data_dir / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "hoshin.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "3",
            ],
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url, server, log)
        yield App(
            url=url,
            data_dir=data_dir,
            log=log,
            people=found["people"],
            process=found["process"],
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def browser(app: App) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


class BrowserLog:
    """What the browser complained about: script errors, and Content-Security-Policy
    refusals kept apart so that one test can name them without failing every journey."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.csp: list[str] = []

    def listen(self, page: Any) -> None:
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.on("console", lambda msg: self._console(page, msg))
        page.on("response", self._response)

    def _console(self, page: Any, msg: Any) -> None:
        if msg.type != "error" or msg.text.startswith("Failed to load resource"):
            return  # failed loads are judged by _response, which knows what was loaded
        text = f"{page.url}: {msg.text}"
        if "Content Security Policy" in msg.text:
            self.csp.append(text)
        else:
            self.errors.append(text)

    def _response(self, response: Any) -> None:
        # A page may answer 400 on purpose (a refused step); its assets never may.
        is_page = response.request.resource_type == "document"
        if response.status >= 500 or (response.status >= 400 and not is_page):
            self.errors.append(f"{response.status} {response.request.method} {response.url}")


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def new_page(
    browser: Any, app: App, browser_log: BrowserLog, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (own cookies); script errors fail the test.
    When the test fails, each of its pages is kept as test-results/screenshots/FAILED-*.png."""
    contexts: list[Any] = []

    def open_page(**options: Any) -> Any:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("accept_downloads", True)
        context = browser.new_context(base_url=app.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        browser_log.listen(page)
        return page

    yield open_page
    if request.node.stash.get(CALL_FAILED, False):
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                screenshot(page, f"FAILED-{request.node.name}-{i}{j}")
    for context in contexts:
        context.close()
    assert not browser_log.errors, "The browser reported errors:\n" + "\n".join(browser_log.errors)


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
