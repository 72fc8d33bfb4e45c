"""HTTP tests against real uvicorn processes started with the production
command (testkit.serve: the timed HTTP protocol included), on pytest-django's
test database (tests that need one use ``transactional_db``, so the server
sees committed rows)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from testkit.hosts import host_session
from testkit.ports import free_port
from testkit.postgres import url_of
from testkit.serve import ROOT, Uvicorn

__all__ = ["ROOT", "Server", "db_url", "free_port", "host_session", "start_server"]

Server = Uvicorn


def db_url() -> str:
    return url_of(settings.DATABASES["default"])


def start_server(env: dict[str, str] | None = None, *, wait_healthy: bool = True) -> Server:
    """One uvicorn worker, its output in a temporary file (``log_text()``)."""
    log = Path(tempfile.mkstemp(prefix="stadium-http-", suffix=".log")[1])
    server = Uvicorn(
        {"DATABASE_URL": db_url(), "REDIS_URL": settings.REDIS_URL, **(env or {})}, log=log
    )
    return server.start(accept=(200,) if wait_healthy else None)


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
