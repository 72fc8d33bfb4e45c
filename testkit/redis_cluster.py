"""A real Redis Cluster of private ``redis-server`` processes on loopback
ports, for the tests and the failover benchmark.

``primaries`` primaries, each with ``replicas`` replicas, every node its own
:class:`PrivateRedis` (directory, process handle), joined with
``redis-cli --cluster create``. ``node_timeout_ms`` is Redis's
``cluster-node-timeout``: how long a primary may be silent before the others
mark it failed and its replica takes over; production keeps Redis's 15 s
default, the tests use one second so that a failover happens within a test.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from .ports import HOST, free_cluster_port
from .redis_server import PrivateRedis

READY_S = 60.0  # a safety net against a cluster that never forms, not a measure


def cli(port: int, *args: str) -> str:
    out = subprocess.run(
        ["redis-cli", "-h", HOST, "-p", str(port), *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return out.stdout


def wait_for(what: str, ready: Callable[[], bool], bound_s: float = READY_S) -> None:
    end = time.monotonic() + bound_s
    while not ready():
        if time.monotonic() > end:
            raise RuntimeError(f"Redis Cluster: {what} not ready after {bound_s} s")
        time.sleep(0.05)


@dataclass(frozen=True)
class Slot:
    """Who serves one hash slot now."""

    primary: PrivateRedis
    replicas: list[PrivateRedis]


class RedisClusterNodes:
    def __init__(
        self,
        *,
        primaries: int = 3,
        replicas: int = 0,
        node_timeout_ms: int = 1000,
        ports: list[int] | None = None,
    ) -> None:
        self.n_primaries = primaries
        self.n_replicas = replicas
        self.node_timeout_ms = node_timeout_ms
        count = primaries * (1 + replicas)
        self.ports = ports or [free_cluster_port() for _ in range(count)]
        if len(self.ports) != count:
            raise ValueError(f"{count} ports needed, {len(self.ports)} given")
        self.nodes: list[PrivateRedis] = []

    @property
    def url(self) -> str:
        """A ``redis+cluster://`` seed URL (the first node)."""
        return f"redis+cluster://{HOST}:{self.ports[0]}"

    def start(self) -> RedisClusterNodes:
        if not (shutil.which("redis-server") and shutil.which("redis-cli")):
            raise RuntimeError(
                "redis-server and redis-cli are needed (apt-get install redis-server)"
            )
        try:
            for port in self.ports:
                node = PrivateRedis(port)
                node.args = [
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", f"{node.dir}/nodes.conf",
                    "--cluster-node-timeout", str(self.node_timeout_ms),
                    # a replica (re)joining gets its copy at once instead of
                    # after Redis's 5 s wait for other replicas to share it
                    "--repl-diskless-sync-delay", "0",
                    "--logfile", f"{node.dir}/redis.log",
                ]  # fmt: skip
                self.nodes.append(node.start())
            # --cluster create makes the first `primaries` nodes primaries and
            # gives each of them `replicas` of the rest
            subprocess.run(
                ["redis-cli", "--cluster", "create", *(f"{HOST}:{p}" for p in self.ports)]
                + ["--cluster-replicas", str(self.n_replicas), "--cluster-yes"],
                check=True,
                capture_output=True,
                timeout=60,
            )
            wait_for("cluster_state:ok", self._state_ok)
            if self.n_replicas:
                wait_for("replicas in sync", self._replicas_linked)
        except BaseException:
            self.destroy()
            raise
        return self

    def _state_ok(self) -> bool:
        return all("cluster_state:ok" in cli(n.port, "CLUSTER", "INFO") for n in self.alive())

    def _replicas_linked(self) -> bool:
        """Every replica streams from its primary, and every node's slot map
        lists it (gossip takes a moment after CLUSTER REPLICATE)."""
        linked = sum(
            "master_link_status:up" in cli(n.port, "INFO", "replication") for n in self.alive()
        )
        if linked != self.n_primaries * self.n_replicas:
            return False
        for n in self.alive():
            with redis.Redis(host=HOST, port=n.port, socket_timeout=2) as r:
                ranges = r.execute_command("CLUSTER", "SLOTS")
            if any(len(nodes) != 1 + self.n_replicas for _, _, *nodes in ranges):
                return False
        return True

    def alive(self) -> list[PrivateRedis]:
        return [n for n in self.nodes if n.proc is not None and n.proc.poll() is None]

    def node_at(self, port: int) -> PrivateRedis:
        return next(n for n in self.nodes if n.port == port)

    def slot(self, slot: int) -> Slot:
        """The primary serving ``slot`` and its replicas, as the first live
        node that answers sees the cluster now (CLUSTER SLOTS)."""
        for n in self.alive():
            try:
                with redis.Redis(host=HOST, port=n.port, socket_timeout=2) as r:
                    ranges = r.execute_command("CLUSTER", "SLOTS")
            except redis.RedisError:
                continue
            for start, end, *nodes in ranges:
                if start <= slot <= end:
                    ports = [int(x[1]) for x in nodes]
                    return Slot(self.node_at(ports[0]), [self.node_at(p) for p in ports[1:]])
            raise RuntimeError(f"slot {slot} is served by no node")
        raise RuntimeError("no live cluster node")

    def wait_promoted(self, slot: int, dead: PrivateRedis, bound_s: float = READY_S) -> Slot:
        """Wait until a live node serves ``slot`` and the cluster says ok."""

        def done() -> bool:
            try:
                s = self.slot(slot)
            except Exception:
                return False
            return s.primary is not dead and self._state_ok()

        wait_for(f"a new primary for slot {slot}", done, bound_s)
        return self.slot(slot)

    def destroy(self) -> None:
        for n in self.nodes:
            n.stop()
            n.destroy()
        self.nodes = []
