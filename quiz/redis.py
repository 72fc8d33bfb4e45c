"""Redis clients and engines for this process, built from REDIS_URL.

One async engine per event loop (a redis.asyncio client is bound to the
loop that created it) and one blocking engine per process.

REDIS_URL names a single server (``redis://``, ``rediss://``, ``unix://``) or
a Redis Cluster: ``redis+cluster://host:port`` (``rediss+cluster://`` for
TLS), any one node as the seed; the client discovers the others. The engine
runs unchanged on a cluster because every key of a game shares one hash slot
(docs/engine.md, key schema). Use :func:`client_from_url` wherever a client is built
from a URL, so that code works on both.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any

import redis
import redis.asyncio as aioredis
from django.conf import settings
from redis.asyncio.cluster import RedisCluster as AsyncRedisCluster
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialBackoff
from redis.cluster import RedisCluster
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from engine import Engine, SyncEngine
from engine.replication import ReplicaWait

from . import metrics

CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}

_engines: dict[int, Engine] = {}

# A pooled connection outlives a Redis restart: without retries its next
# command fails ("Connection closed by server") although Redis is back.
# Retried on a fresh connection, a few times with a short backoff, it
# succeeds; a real outage still surfaces within about a second (0.1 + 0.2 +
# 0.4 s of waits). Re-sending after a lost reply is safe: every engine script
# is idempotent (a retried answer finds the one it recorded). The health
# check PINGs a connection idle that long before using it.
RETRIES = 3
HEALTH_CHECK_S = 10


def _resilient(aio: bool) -> dict[str, Any]:
    backoff = ExponentialBackoff(cap=0.5, base=0.05)
    return {
        "retry": (AsyncRetry if aio else Retry)(backoff, RETRIES),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
        "health_check_interval": HEALTH_CHECK_S,
    }


def is_cluster(url: str) -> bool:
    return url.split("://", 1)[0].lower() in CLUSTER_SCHEMES


def client_from_url(url: str, *, asyncio: bool = False, **kwargs: Any) -> Any:
    """A redis-py client for ``url``: a RedisCluster for ``redis+cluster://``,
    a plain Redis otherwise; ``asyncio`` picks the redis.asyncio flavour."""
    scheme, rest = url.split("://", 1)
    if scheme.lower() in CLUSTER_SCHEMES:
        # A cluster has only database 0: drop any /<db> path.
        plain = f"{CLUSTER_SCHEMES[scheme.lower()]}://{rest.split('/', 1)[0]}"
        # A cluster client retries on its own (and refreshes its slot map).
        cls: Any = AsyncRedisCluster if asyncio else RedisCluster
        return cls.from_url(plain, **kwargs)
    kwargs = {**_resilient(asyncio), **kwargs}
    return (aioredis.Redis if asyncio else redis.Redis).from_url(url, **kwargs)


@lru_cache(maxsize=1)
def redis_sync() -> Any:
    return client_from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=2)


@lru_cache(maxsize=1)
def sync_engine() -> SyncEngine:
    return SyncEngine(redis_sync(), events_maxlen=settings.STADIUM["EVENTS_MAXLEN"])


def redis_async() -> Any:
    """A new async client (on a cluster, ``max_connections`` is per node)."""
    url = settings.REDIS_URL
    if is_cluster(url):
        return client_from_url(url, asyncio=True, socket_connect_timeout=2, max_connections=64)
    # A burst of callers (a reconnect storm) waits for a free connection
    # instead of failing at once with "too many connections".
    pool = aioredis.BlockingConnectionPool.from_url(
        url, max_connections=64, timeout=10, socket_connect_timeout=2, **_resilient(True)
    )
    # The client owns its pool: closing it (a stopped relay) closes the
    # connections, instead of leaving them open to the server.
    return aioredis.Redis.from_pool(pool)


def async_engine() -> Engine:
    """The engine of the running event loop (created on first use)."""
    loop = asyncio.get_running_loop()
    eng = _engines.get(id(loop))
    if eng is None:
        eng = Engine(
            redis_async(),
            events_maxlen=settings.STADIUM["EVENTS_MAXLEN"],
            batch_max=settings.STADIUM["BATCH_MAX"],
            batch_observer=metrics.ANSWER_BATCH_SIZE.observe,
            replica_wait=ReplicaWait(
                settings.STADIUM["REDIS_WAIT_REPLICAS"], settings.STADIUM["REDIS_WAIT_TIMEOUT_MS"]
            ),
        )
        _engines.clear()  # one live loop per process; drop engines of closed loops
        _engines[id(loop)] = eng
    return eng
