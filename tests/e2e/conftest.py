"""Browser end-to-end fixtures: a real server (uvicorn + the flusher) on its
own port and database, real Redis, and Debian's chromium driven by
Playwright.

The server runs in subprocesses with DATABASE_URL pointing at a private
database (``stadium_e2e``, created and dropped here), so the tests never touch
the demo's data. Screenshots go to test-artifacts/e2e/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testkit.postgres import admin_sql
from testkit.serve import ROOT, Uvicorn

ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST_USER = "e2e-host"
HOST_PASSWORD = "e2e-password-123"
E2E_DB = os.environ.get("STADIUM_E2E_DB", "stadium_e2e")


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (scripts/frontend.sh --for-tests installs Debian's chromium)"
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        return "frontend/dist is not built (scripts/frontend.sh)"
    return None


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    reason = _missing()
    if reason:
        skip = pytest.mark.skip(reason=f"e2e: {reason}")
        for item in items:
            if "browser" in getattr(item, "fixturenames", ()):
                item.add_marker(skip)


class Server:
    """uvicorn (one process, the production command) and the flusher, on a
    port and a database of their own. ``restart()`` stops and starts uvicorn
    on the same port, as a deploy or a crash would: clients must reconnect
    and resume."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.web = Uvicorn(env, log=log)
        self.port = self.web.port
        self.url = self.web.http
        with log.open("ab") as out:
            self.flusher = subprocess.Popen(
                [sys.executable, "manage.py", "flush_scores", "--loop", "--interval", "0.5"],
                cwd=ROOT, env=env, stdout=out, stderr=out,
            )  # fmt: skip

    def start(self) -> None:
        try:
            self.web.start()
        except RuntimeError as e:
            raise RuntimeError(
                f"the e2e server did not start: see {ARTIFACTS / 'server.log'}"
            ) from e

    def stop_web(self) -> None:
        self.web.stop()

    def restart(self) -> None:
        self.web.restart()

    def stop(self) -> None:
        self.stop_web()
        self.flusher.terminate()
        try:
            self.flusher.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.flusher.kill()


# package scope: the server and the browser stop once tests/e2e is done
@pytest.fixture(scope="package")
def e2e_server() -> Iterator[Server]:
    """A Stadium server of its own (uvicorn and the flusher)."""
    base_db = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stadium")
    db_url = urllib.parse.urlparse(base_db)._replace(path=f"/{E2E_DB}").geturl()
    admin_sql(base_db, f'DROP DATABASE IF EXISTS "{E2E_DB}" WITH (FORCE)')
    admin_sql(base_db, f'CREATE DATABASE "{E2E_DB}"')
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STADIUM_FLUSH_INTERVAL_S": "0.5",
        "PYTHONUNBUFFERED": "1",
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "server.log"
    log_path.write_bytes(b"")
    log = log_path.open("ab")  # noqa: SIM115 (closed at teardown)

    def manage(*args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=log,
            stderr=log,
        )

    server: Server | None = None
    try:
        manage("migrate", "--noinput")
        manage(
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model as g; "
            f"g().objects.create_user({HOST_USER!r}, password={HOST_PASSWORD!r}, is_staff=True)",
        )
        server = Server(env, log_path)
        server.start()
        yield server
    finally:
        if server is not None:
            server.stop()
        log.close()
        with contextlib.suppress(Exception):
            admin_sql(base_db, f'DROP DATABASE IF EXISTS "{E2E_DB}" WITH (FORCE)')


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Shots:
    """Screenshots under test-artifacts/e2e/<test>/, numbered in order."""

    def __init__(self, name: str) -> None:
        self.dir = ARTIFACTS / name
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("*.png"):
            old.unlink()
        self.n = 0

    def __call__(self, page: Any, label: str) -> None:
        self.n += 1
        page.screenshot(path=str(self.dir / f"{self.n:02d}-{label}.png"), full_page=True)


@pytest.fixture
def shots(request: Any) -> Shots:
    return Shots(request.node.name)
