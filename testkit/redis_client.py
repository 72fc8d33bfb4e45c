"""Redis clients for tests and benchmarks, from REDIS_URL and without Django
(``quiz.redis`` builds the application's own, with its retry policy).
``redis+cluster://host:port`` names a Redis Cluster, as in the application."""

from __future__ import annotations

import os
from typing import Any

import redis
import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster as AsyncRedisCluster
from redis.cluster import RedisCluster

DEFAULT_URL = "redis://127.0.0.1:6379/0"
CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}


def redis_url() -> str:
    return os.environ.get("REDIS_URL", DEFAULT_URL)


def redis_client(url: str, *, asyncio: bool = False, **kwargs: Any) -> Any:
    scheme, rest = url.split("://", 1)
    if scheme.lower() in CLUSTER_SCHEMES:
        # a cluster has only database 0: drop any /<db> path
        plain = f"{CLUSTER_SCHEMES[scheme.lower()]}://{rest.split('/', 1)[0]}"
        cls: Any = AsyncRedisCluster if asyncio else RedisCluster
        return cls.from_url(plain, **kwargs)
    return (aioredis.Redis if asyncio else redis.Redis).from_url(url, **kwargs)
