"""The ASGI handler (config/asgi_handler.py) serves a request that never
leaves the event loop without starting a thread, and a request that does
go to a thread (a synchronous view reading PostgreSQL) the way Django does:
its database connection is given back from that thread when it ends.

The application is driven in-process with ASGI messages (asgiref's
communicator), on the real Redis and the test database, so the threads it
starts can be counted."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.core import signals
from django.db.backends.signals import connection_created
from django.test import override_settings

from config.asgi_handler import LoopASGIHandler
from config.asgi_middleware import for_asgi
from engine import Question, Settings, SyncEngine, ops


def scope(method: str, path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
        "client": ("10.9.8.7", 40000),  # its own address: no other test's rate limit
        "server": ("testserver", 80),
    }


def application() -> LoopASGIHandler:
    """Built as config/asgi.py builds it (importing that module here would
    swap the middleware in these tests' settings for good)."""
    with override_settings(MIDDLEWARE=for_asgi(settings.MIDDLEWARE)):
        return LoopASGIHandler()


async def call(method: str, path: str, body: bytes = b"") -> tuple[int, Any]:
    comm = ApplicationCommunicator(application(), scope(method, path))
    await comm.send_input({"type": "http.request", "body": body, "more_body": False})
    start = await comm.receive_output(10)
    chunks = [start]
    while chunks[-1].get("type") != "http.response.body" or chunks[-1].get("more_body"):
        chunks.append(await comm.receive_output(10))
    await comm.wait(10)
    payload = b"".join(c.get("body", b"") for c in chunks[1:])
    return start["status"], json.loads(payload)


@pytest.fixture
def threads_started(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    started: list[str] = []
    real_start = threading.Thread.start

    def start(self: threading.Thread) -> None:
        started.append(self.name)
        real_start(self)

    monkeypatch.setattr(threading.Thread, "start", start)
    yield started


@pytest.fixture
def live_pin(sync_engine: SyncEngine, game_id: str) -> Iterator[str]:
    """A game in Redis only (a live game's public page and its join read
    nothing else)."""
    sync_engine.run(ops.create_game(game_id, [Question("Q?", ["a", "b"], {0}, 20)], Settings()))
    while True:
        pin = str(100_000 + secrets.randbelow(900_000))
        if sync_engine.run(ops.claim_pin(pin, game_id)):
            break
    yield pin
    sync_engine.run(ops.release_pin(pin, game_id))


def test_the_application_uses_this_handler() -> None:
    check = (
        "import config.asgi as a; from config.asgi_handler import LoopASGIHandler; "
        "assert isinstance(a.django_asgi, LoopASGIHandler), type(a.django_asgi)"
    )
    r = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]


async def test_an_async_view_on_redis_starts_no_thread(
    live_pin: str, threads_started: list[str]
) -> None:
    status, body = await call("GET", f"/api/games/{live_pin}")
    assert status == 200 and body["state"] == "lobby", body
    for name in ("Ann", "Bob"):
        status, body = await call(
            "POST", f"/api/games/{live_pin}/players", json.dumps({"nickname": name}).encode()
        )
        assert status == 201 and body["nickname"] == name, body
    assert threads_started == []


@pytest.mark.django_db(transaction=True)
async def test_a_request_in_a_thread_gives_its_connection_back(
    threads_started: list[str],
) -> None:
    opened: list[Any] = []

    def record(sender: Any, connection: Any, **kwargs: Any) -> None:
        opened.append((threading.get_ident(), connection))

    connection_created.connect(record)
    try:
        status, body = await call("GET", "/healthz")  # a synchronous view: SELECT 1
    finally:
        connection_created.disconnect(record)
    assert status == 200 and body["database"] == "ok", body
    assert threads_started, "a synchronous view runs in the request's own thread"
    assert len(opened) == 1
    thread, conn = opened[0]
    assert thread != threading.get_ident()  # opened in that thread, not on the loop
    assert conn.connection is None  # and closed (given back to the pool) there


async def test_another_receiver_keeps_djangos_path(
    live_pin: str, threads_started: list[str]
) -> None:
    seen: list[str] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        seen.append(threading.current_thread().name)

    signals.request_finished.connect(receiver)
    try:
        status, _ = await call("GET", f"/api/games/{live_pin}")
    finally:
        signals.request_finished.disconnect(receiver)
    assert status == 200
    # a receiver Stadium does not know is never run on the event loop
    assert len(seen) == 1 and seen[0] != threading.current_thread().name, seen
    assert threads_started
