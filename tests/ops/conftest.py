"""A real 3-node Redis Cluster for the tests, started once per session.

Three ``redis-server --cluster-enabled yes`` processes (testkit's private
Redis) on free loopback ports (or STADIUM_TEST_CLUSTER_PORTS="a,b,c"), each
in a temporary directory, joined with ``redis-cli --cluster create`` and stopped (by their own process
handles) at the end. No replicas: the tests need slots spread over several
primaries, not failover.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from redis.asyncio.cluster import RedisCluster as AsyncRedisCluster
from redis.cluster import RedisCluster

import quiz.redis as qr
from engine import keys
from quiz.redis import client_from_url
from testkit.ports import free_cluster_port
from testkit.redis_server import PrivateRedis

# free ports unless STADIUM_TEST_CLUSTER_PORTS="a,b,c" names them
PORTS = [int(p) for p in os.environ.get("STADIUM_TEST_CLUSTER_PORTS", "").split(",") if p]


def _cli(port: int, *args: str) -> str:
    out = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", str(port), *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return out.stdout


def _wait(what: str, ready: Any, bound_s: float = 30.0) -> None:
    """Poll until ``ready()``; the bound only stops a hung start, it is not a
    measured figure."""
    end = time.monotonic() + bound_s
    while not ready():
        if time.monotonic() > end:
            raise RuntimeError(f"Redis Cluster: {what} not ready after {bound_s} s")
        time.sleep(0.05)


@pytest.fixture(scope="session")
def cluster_url() -> Iterator[str]:
    """``redis+cluster://`` URL of a fresh 3-primary cluster."""
    if not (shutil.which("redis-server") and shutil.which("redis-cli")):
        pytest.skip("redis-server and redis-cli are needed for the Redis Cluster tests")
    nodes: list[PrivateRedis] = []
    try:
        for port in PORTS or [free_cluster_port() for _ in range(3)]:
            node = PrivateRedis(port)
            node.args = ["--cluster-enabled", "yes", "--cluster-config-file",
                         f"{node.dir}/nodes.conf", "--logfile", f"{node.dir}/redis.log"]  # fmt: skip
            nodes.append(node.start())
        subprocess.run(
            ["redis-cli", "--cluster", "create", *(f"127.0.0.1:{n.port}" for n in nodes)]
            + ["--cluster-replicas", "0", "--cluster-yes"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        for n in nodes:
            _wait(
                "cluster_state:ok",
                lambda p=n.port: "cluster_state:ok" in _cli(p, "CLUSTER", "INFO"),
            )
        yield f"redis+cluster://127.0.0.1:{nodes[0].port}"
    finally:
        for n in nodes:
            n.stop()
            n.destroy()


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
