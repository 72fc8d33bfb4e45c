"""nginx with the shipped config (testkit.nginx) in front of two real Stadium
servers (uvicorn with the production command, one worker each, on their own
loopback ports), on pytest-django's test database.

nginx connects to the servers from 127.0.0.2 (``proxy_bind``), the one
address they trust forwarded headers from (``FORWARDED_ALLOW_IPS``), so the
tests can tell a forwarded address from a forged one. Clients that must be
told apart connect from addresses of their own in 127.0.0.0/8.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from testkit.nginx import PROXY_ADDR, Nginx, nginx_binary
from testkit.ports import HOST
from testkit.postgres import url_of
from testkit.serve import Uvicorn


@pytest.fixture(scope="session")
def nginx_bin() -> str:
    binary = nginx_binary()
    if binary is None:
        pytest.skip("nginx is not installed: scripts/nginx.sh installs it (make test runs it)")
    return binary


@pytest.fixture(scope="session")
def static_dir(nginx_bin: str) -> Iterator[Path]:
    """``manage.py collectstatic`` (as the image runs it) into a directory
    of the tests' own that nginx's workers can read."""
    d = Path(tempfile.mkdtemp(prefix="stadium-static-"))
    d.chmod(0o755)
    with override_settings(STATIC_ROOT=d):
        call_command("collectstatic", interactive=False, verbosity=0)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def upstreams(django_db_setup: Any, tmp_path_factory: Any) -> Iterator[list[Uvicorn]]:
    """Two servers, each its own process, trusting forwarded headers from
    the proxy's address only."""
    logs = tmp_path_factory.mktemp("upstreams")
    env = {
        "DATABASE_URL": url_of(settings.DATABASES["default"]),
        "REDIS_URL": settings.REDIS_URL,
        "FORWARDED_ALLOW_IPS": PROXY_ADDR,
    }
    started: list[Uvicorn] = []
    try:
        for i in range(2):
            server = Uvicorn(env, options={"--log-level": "warning"}, log=logs / f"server{i}.log")
            started.append(server.start())
        yield started
    finally:
        for s in started:
            s.stop()


@pytest.fixture(scope="session")
def proxy(upstreams: list[Uvicorn], static_dir: Path) -> Iterator[Nginx]:
    """nginx over both servers, with the production values."""
    n = Nginx([f"{HOST}:{s.port}" for s in upstreams], static_dir)
    try:
        yield n.start()
    finally:
        n.destroy()


@pytest.fixture
def nginx_factory(static_dir: Path) -> Iterator[Callable[..., Nginx]]:
    """Started nginx processes of one test's own (``Nginx``'s arguments)."""
    made: list[Nginx] = []

    def make(upstreams: Sequence[str], **options: Any) -> Nginx:
        n = Nginx(upstreams, static_dir, **options)
        made.append(n)
        return n.start()

    yield make
    for n in made:
        n.destroy()


def loopback() -> str:
    """A client address of its own (not 127.0.0.1 or the proxy's), so that
    counters keyed by address start from nothing."""
    return f"127.{random.randint(3, 254)}.{random.randint(1, 254)}.{random.randint(1, 254)}"


def client_from(addr: str, base: str) -> httpx.Client:
    """An HTTP client whose connections come from ``addr``."""
    return httpx.Client(
        base_url=base, transport=httpx.HTTPTransport(local_address=addr), timeout=30
    )
