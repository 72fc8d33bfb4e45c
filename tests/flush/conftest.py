"""The flush tests' private PostgreSQL and redis-server (one pair per test
module), the environment of the worker processes they start, and a Redis
client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import redis

from testkit.postgres import PrivatePostgres
from testkit.redis_server import PrivateRedis

from .harness import env_for, manage


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[PrivatePostgres, PrivateRedis]]:
    pg = PrivatePostgres()
    rs = PrivateRedis()
    try:
        pg.start()
        pg.create_db()
        rs.start()
        manage(env_for(pg.url, rs.url), "migrate", "--noinput", "-v0")
        yield pg, rs
    finally:
        rs.destroy()
        pg.destroy()


@pytest.fixture
def env(servers: tuple[PrivatePostgres, PrivateRedis]) -> dict[str, str]:
    pg, rs = servers
    # small batches: a flush of a dozen players runs in several
    return env_for(pg.url, rs.url, STADIUM_FLUSH_BATCH="5")


@pytest.fixture
def r(servers: tuple[PrivatePostgres, PrivateRedis]) -> Iterator[Any]:
    client = redis.Redis.from_url(servers[1].url)
    yield client
    client.close()
