"""Shared fixtures: real Redis (REDIS_URL) and real PostgreSQL (DATABASE_URL).

Tests never flush the whole Redis database: each one works in games with
fresh random ids, so they can share a server with a running demo.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from django.conf import settings

from engine import Engine, SyncEngine, keys
from quiz.redis import client_from_url  # a RedisCluster for redis+cluster:// URLs


@pytest.fixture
def game_id() -> Iterator[str]:
    gid = "t" + uuid.uuid4().hex[:12]
    yield gid
    r = client_from_url(settings.REDIS_URL)
    r.delete(*keys.all_of(gid, 20))
    r.close()


@pytest.fixture
def sync_redis() -> Iterator[Any]:
    r = client_from_url(settings.REDIS_URL)
    yield r
    r.close()


@pytest.fixture
def sync_engine(sync_redis: Any) -> SyncEngine:
    return SyncEngine(sync_redis)


@pytest.fixture
async def async_redis() -> AsyncIterator[Any]:
    r = client_from_url(settings.REDIS_URL, asyncio=True, max_connections=64)
    yield r
    await r.aclose()


@pytest.fixture
async def engine(async_redis: Any) -> Engine:
    return Engine(async_redis)
