"""Redis clients and engines for this process, built from REDIS_URL.

One async engine per event loop (a redis.asyncio client is bound to the
loop that created it) and one blocking engine per process.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any

import redis
import redis.asyncio as aioredis
from django.conf import settings

from engine import Engine, SyncEngine

_engines: dict[int, Engine] = {}


@lru_cache(maxsize=1)
def redis_sync() -> Any:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=2)


@lru_cache(maxsize=1)
def sync_engine() -> SyncEngine:
    return SyncEngine(redis_sync(), events_maxlen=settings.STADIUM["EVENTS_MAXLEN"])


def redis_async() -> Any:
    return aioredis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, max_connections=64)


def async_engine() -> Engine:
    """The engine of the running event loop (created on first use)."""
    loop = asyncio.get_running_loop()
    eng = _engines.get(id(loop))
    if eng is None:
        eng = Engine(
            redis_async(),
            events_maxlen=settings.STADIUM["EVENTS_MAXLEN"],
            batch_max=settings.STADIUM["BATCH_MAX"],
        )
        _engines.clear()  # one live loop per process; drop engines of closed loops
        _engines[id(loop)] = eng
    return eng
