"""A real 3-node Redis Cluster for the tests, started once per session.

Three primaries (testkit.redis_cluster) on free loopback ports (or
STADIUM_TEST_CLUSTER_PORTS="a,b,c"), stopped at the end. No replicas: these
tests need slots spread over several primaries; the failover test
(test_cluster_failover.py) starts a cluster with replicas of its own.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from redis.asyncio.cluster import RedisCluster as AsyncRedisCluster
from redis.cluster import RedisCluster

import quiz.redis as qr
from engine import keys
from quiz.redis import client_from_url
from testkit.redis_cluster import RedisClusterNodes

# free ports unless STADIUM_TEST_CLUSTER_PORTS="a,b,c" names them
PORTS = [int(p) for p in os.environ.get("STADIUM_TEST_CLUSTER_PORTS", "").split(",") if p]


@pytest.fixture(scope="session")
def cluster_url() -> Iterator[str]:
    """``redis+cluster://`` URL of a fresh 3-primary cluster."""
    if not (shutil.which("redis-server") and shutil.which("redis-cli")):
        pytest.skip("redis-server and redis-cli are needed for the Redis Cluster tests")
    nodes = RedisClusterNodes(primaries=3, ports=PORTS or None).start()
    yield nodes.url
    nodes.destroy()


@pytest.fixture
def cluster_sync(cluster_url: str) -> Iterator[RedisCluster]:
    r = client_from_url(cluster_url)
    yield r
    r.close()


@pytest.fixture
async def cluster_async(cluster_url: str) -> AsyncIterator[AsyncRedisCluster]:
    r = client_from_url(cluster_url, asyncio=True)
    yield r
    await r.aclose()


@pytest.fixture
def cluster_game(cluster_sync: RedisCluster) -> Iterator[str]:
    """A fresh game id whose keys are deleted from the cluster afterwards."""
    gid = "c" + uuid.uuid4().hex[:12]
    yield gid
    cluster_sync.delete(*keys.all_of(gid, 20))


@pytest.fixture
def redis_at(settings: Any) -> Iterator[Any]:
    """Point quiz.redis (and so the API, the flusher, rebuild) at another
    REDIS_URL for one test, then back."""

    def use(url: str) -> None:
        settings.REDIS_URL = url
        qr.redis_sync.cache_clear()
        qr.sync_engine.cache_clear()
        qr._engines.clear()

    yield use
    qr.redis_sync.cache_clear()
    qr.sync_engine.cache_clear()
    qr._engines.clear()
