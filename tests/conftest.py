"""Shared fixtures: real Redis (REDIS_URL) and real PostgreSQL (DATABASE_URL).

Tests never flush the whole Redis database: each one works in games with
fresh random ids, so they can share a server with a running demo.

Nothing here needs Django at import: tests/engine runs without it (its
conftest gives ``redis_url`` from the environment instead of the settings).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from engine import Engine, SyncEngine, keys
from testkit.redis_client import redis_client


@pytest.fixture
def redis_url() -> str:
    from django.conf import settings

    return str(settings.REDIS_URL)


@pytest.fixture
def game_id(redis_url: str) -> Iterator[str]:
    gid = "t" + uuid.uuid4().hex[:12]
    yield gid
    r = redis_client(redis_url)
    r.delete(*keys.all_of(gid, 20))
    r.close()


@pytest.fixture
def sync_redis(redis_url: str) -> Iterator[Any]:
    r = redis_client(redis_url)
    yield r
    r.close()


@pytest.fixture
def sync_engine(sync_redis: Any) -> SyncEngine:
    return SyncEngine(sync_redis)


@pytest.fixture
async def async_redis(redis_url: str) -> AsyncIterator[Any]:
    r = redis_client(redis_url, asyncio=True, max_connections=64)
    yield r
    await r.aclose()


@pytest.fixture
async def engine(async_redis: Any) -> Engine:
    return Engine(async_redis)
