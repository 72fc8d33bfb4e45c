"""HTTP tests against real uvicorn processes started with the production
command's options (the timed HTTP protocol included), on pytest-django's
test database (tests that need one use ``transactional_db``, so the
server sees committed rows)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
HTTP_PROTOCOL = "config.http_protocol:TimedHttpToolsProtocol"
START_S = 30  # a safety net against a server that never comes up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def db_url() -> str:
    db = settings.DATABASES["default"]
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Server:
    port: int
    proc: subprocess.Popen[bytes]
    log: IO[bytes]

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def start_server(env: dict[str, str] | None = None, *, wait_healthy: bool = True) -> Server:
    """One uvicorn worker, started as scripts/run.sh starts them."""
    port = free_port()
    full_env = {
        **os.environ,
        "DATABASE_URL": db_url(),
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    log = tempfile.NamedTemporaryFile(prefix="stadium-http-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--loop", "uvloop", "--http", HTTP_PROTOCOL, "--ws", "sockets.ws_server:WSProtocol",
         "--ws-max-size", "65536", "--ws-per-message-deflate", "false", "--no-access-log",
         "--proxy-headers"],
        cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    server = Server(port, proc, log)
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            r = httpx.get(f"{server.http}/healthz", timeout=2)
            if not wait_healthy or r.status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    text = server.log_text()
    server.stop()
    raise RuntimeError(f"uvicorn did not start:\n{text}")


@pytest.fixture
def server_factory(django_db_setup: Any) -> Iterator[Any]:
    started: list[Server] = []

    def _start(env: dict[str, str] | None = None, **kw: Any) -> Server:
        s = start_server(env, **kw)
        started.append(s)
        return s

    yield _start
    for s in started:
        s.stop()


def host_session(base: str, username: str, password: str) -> httpx.Client:
    """An httpx client logged in as a host, sending the CSRF token."""
    c = httpx.Client(base_url=base, timeout=30)
    token = c.get("/api/auth/csrf").json()["csrftoken"]
    c.headers["X-CSRFToken"] = token
    c.headers["Referer"] = base + "/"
    r = c.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    c.headers["X-CSRFToken"] = c.cookies["csrftoken"]
    return c
