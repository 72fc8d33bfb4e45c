"""Real ASGI servers (uvicorn subprocesses) and real WebSocket clients.

The servers use pytest-django's test database, so tests that need them use
``transactional_db`` (rows must be committed to be seen by the servers).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# the protocol class production runs (scripts/run.sh): uvicorn's wsproto one,
# closing oversize fragmented messages with 1009
WS_IMPL = "sockets.ws_server:WSProtocol"
# and its HTTP protocol, with request read deadlines (config/http_protocol.py)
HTTP_IMPL = "config.http_protocol:TimedHttpToolsProtocol"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _db_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Server:
    port: int
    proc: subprocess.Popen[bytes]
    log: Path | None = None  # its stderr, when start_server was given a log path

    def tracebacks(self) -> str:
        """The server's log when it holds a traceback, else ''."""
        assert self.log is not None
        text = self.log.read_text(errors="replace")
        return text if "Traceback" in text else ""

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"


def start_server(extra_env: dict[str, str] | None = None, log: Path | None = None) -> Server:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _db_url(),
        "REDIS_URL": settings.REDIS_URL,
        "STADIUM_HELLO_TIMEOUT_S": "1.5",
        # tests refuse many hellos from 127.0.0.1 on purpose; the probe limit
        # has its own test (test_hostile.py) with addresses of its own
        "STADIUM_PIN_PROBES_PER_ADDR": "0",
        **(extra_env or {}),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port),
         "--http", HTTP_IMPL, "--ws", WS_IMPL, "--ws-max-size", "4096", "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env=env, stderr=log.open("wb") if log else None,
    )  # fmt: skip
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code in (200, 503):
                return Server(port, proc, log)
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("uvicorn did not start")


@pytest.fixture(scope="session")
def servers(django_db_setup: Any) -> Iterator[list[Server]]:
    """Two server processes on the same Redis and database."""
    started = [start_server(), start_server()]
    yield started
    for s in started:
        s.proc.terminate()
    for s in started:
        s.proc.wait(10)


@pytest.fixture
def server(servers: list[Server]) -> Server:
    return servers[0]


@pytest.fixture(scope="module")
def logged_server(django_db_setup: Any, tmp_path_factory: Any) -> Iterator[Server]:
    """A server of this module's own, its stderr in a file to scan for tracebacks."""
    s = start_server(log=tmp_path_factory.mktemp("server") / "stderr.log")
    yield s
    s.proc.terminate()
    s.proc.wait(10)


@dataclass
class Client:
    """A WebSocket client that records every frame it receives."""

    ws: Any
    frames: list[dict[str, Any]] = field(default_factory=list)
    inbox: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None
    close_code: int | None = None

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                f = json.loads(raw)
                f["_t"] = time.time()
                self.frames.append(f)
                await self.inbox.put(f)
        except websockets.ConnectionClosed:
            pass
        self.close_code = self.ws.close_code

    async def send(self, obj: Any) -> None:
        await self.ws.send(obj if isinstance(obj, str) else json.dumps(obj))

    async def expect(self, kind: str, timeout: float = 10, **match: Any) -> dict[str, Any]:
        end = time.time() + timeout
        while True:
            left = end - time.time()
            if left <= 0:
                raise AssertionError(f"no {kind} frame {match} within {timeout}s")
            try:
                f = await asyncio.wait_for(self.inbox.get(), left)
            except TimeoutError:
                continue
            if f["type"] == kind and all(f.get(k) == v for k, v in match.items()):
                return f

    async def closed(self, timeout: float = 10) -> int | None:
        assert self.task is not None
        await asyncio.wait_for(asyncio.shield(self.task), timeout)
        return self.close_code

    async def close(self) -> None:
        await self.ws.close()
        if self.task:
            await asyncio.wait_for(self.task, 5)


async def connect(
    server: Server, path: str, token: str | None, origin: str | None = "default"
) -> Client:
    headers = {"Origin": server.http if origin == "default" else origin} if origin else {}
    ws = await websockets.connect(
        f"{server.ws}{path}", additional_headers=headers, ping_interval=None, max_size=2**22
    )
    c = Client(ws)
    c.task = asyncio.ensure_future(c._read())
    if token is not None:
        await c.send({"type": "hello", "token": token})
    return c


async def seat(server: Server, g: Any) -> tuple[Client, list[Client]]:
    """The host and every player of ``g`` connected and welcomed."""
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    players = [await connect(server, f"/ws/play/{g.pin}/", t) for t in g.tokens]
    for c in (host, *players):
        await c.expect("welcome")
    return host, players
