"""Real ASGI servers (uvicorn subprocesses) and real WebSocket clients.

The servers use pytest-django's test database, so tests that need them use
``transactional_db`` (rows must be committed to be seen by the servers).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import websockets
from django.conf import settings

from testkit.postgres import url_of
from testkit.serve import ROOT, Uvicorn

__all__ = ["ROOT", "Server", "db_url", "start_server"]

Server = Uvicorn
# smaller than production's 65536, so the size tests stay small
WS_MAX_BYTES = "4096"


def db_url() -> str:
    return url_of(settings.DATABASES["default"])


def start_server(extra_env: dict[str, str] | None = None, log: Path | None = None) -> Server:
    env = {
        "DATABASE_URL": db_url(),
        "REDIS_URL": settings.REDIS_URL,
        "STADIUM_HELLO_TIMEOUT_S": "1.5",
        # tests refuse many hellos from 127.0.0.1 on purpose; the probe limit
        # has its own test (test_hostile.py) with addresses of its own
        "STADIUM_PIN_PROBES_PER_ADDR": "0",
        **(extra_env or {}),
    }
    server = Uvicorn(
        env, options={"--ws-max-size": WS_MAX_BYTES, "--log-level": "warning"}, log=log
    )
    # 503: up, with Redis unreachable (the Redis fault tests start it so)
    return server.start(accept=(200, 503))


@pytest.fixture(scope="session")
def servers(django_db_setup: Any) -> Iterator[list[Server]]:
    """Two server processes on the same Redis and database."""
    started = [start_server(), start_server()]
    yield started
    for s in started:
        s.stop()


@pytest.fixture
def server(servers: list[Server]) -> Server:
    return servers[0]


@pytest.fixture(scope="module")
def logged_server(django_db_setup: Any, tmp_path_factory: Any) -> Iterator[Server]:
    """A server of this module's own, its stderr in a file to scan for tracebacks."""
    s = start_server(log=tmp_path_factory.mktemp("server") / "stderr.log")
    yield s
    s.stop()


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

    async def next_of(self, *kinds: str, timeout: float = 10) -> dict[str, Any]:
        """The next frame of one of ``kinds`` (others are skipped)."""
        end = time.time() + timeout
        while (left := end - time.time()) > 0:
            try:
                f = await asyncio.wait_for(self.inbox.get(), left)
            except TimeoutError:
                break
            if f["type"] in kinds:
                return f
        seen = [f["type"] for f in self.frames]
        raise AssertionError(f"no {kinds} frame within {timeout}s; got {seen}")

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
