"""What it costs to acknowledge answers only once a replica has them (WAIT).

``python -m bench.bench_replicas`` (``make bench-replicas``) starts a Redis
Cluster of 3 primaries with a replica each (private redis-server processes
on free loopback ports), lays down one game with N pre-joined players
(default 20,000) and runs, alternating, R rounds (default 3) of each line:

- ``WAIT off``: the engine's cluster path (answers micro-batched over
  redis-py cluster pipelines), as with ``STADIUM_REDIS_WAIT_REPLICAS=0``;
- ``WAIT 1``: the same, each batch followed by ``WAIT 1`` on its primary
  (engine/replication.py), as with ``STADIUM_REDIS_WAIT_REPLICAS=1``;

once under load (C concurrent callers, default 200, the answer burst of a
question) and once with a single caller (a lone answer: its acknowledgement
latency). Every run scores a fresh question with ids drawn uniformly from
the players (repeats give ``already_answered``, as in bench_engine). Each
answer is timed from submit to reply: answers/s, p50 and p99; the best round
by answers/s is shown, and the ratio to ``WAIT off`` of the same load.

A last line times the flusher's guard (``confirm_replicated``: INFO and
CLUSTER NODES, then INCR + WAIT on the game's primary), once per game per
flush: its median over 200 calls.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from dataclasses import dataclass

from redis.asyncio.cluster import RedisCluster as AsyncRedisCluster
from redis.cluster import RedisCluster

from bench.bench_engine import CHOICE, GAME, close_run, open_run, setup
from engine import Engine, Question, SyncEngine
from engine.replication import ReplicaWait
from testkit.machine import describe
from testkit.redis_cluster import RedisClusterNodes


@dataclass
class Line:
    name: str
    callers: int
    answers: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.answers / self.seconds


async def run_once(
    url: str, n: int, ids: list[int], callers: int, wait: ReplicaWait | None
) -> tuple[float, list[float]]:
    client = AsyncRedisCluster.from_url(url, max_connections=callers + 8)
    eng = Engine(client, replica_wait=wait)
    await eng.submit_answer(game=GAME, player=-1, question=n, choices=[CHOICE])  # warm up
    it = iter(ids)
    took: list[float] = []

    async def caller() -> None:
        for pid in it:
            t = time.perf_counter()
            await eng.submit_answer(game=GAME, player=pid, question=n, choices=[CHOICE])
            took.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(callers)))
    dt = time.perf_counter() - t0
    await client.aclose()
    return dt, took


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--players", type=int, default=20_000)
    ap.add_argument("--answers", type=int, default=20_000, help="answers per loaded run")
    ap.add_argument("--lone", type=int, default=2_000, help="answers of the single caller")
    ap.add_argument("--callers", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--timeout-ms", type=int, default=1000, help="WAIT's timeout")
    args = ap.parse_args()

    print(describe())
    cluster = RedisClusterNodes(primaries=3, replicas=1, node_timeout_ms=15_000).start()
    try:
        seed = cluster.url.replace("redis+cluster://", "redis://")
        sync = RedisCluster.from_url(seed)
        rounds = args.rounds
        # a question per run: 2 loads x 2 modes x rounds
        qs = [Question(f"Q{i}", ["a", "b", "c", "d"], {CHOICE}, 240) for i in range(4 * rounds + 1)]
        setup(sync, args.players, qs)
        rng = random.Random(7)
        best: dict[tuple[str, int], Line] = {}
        n = 0
        modes = [("WAIT off", None), ("WAIT 1", ReplicaWait(1, args.timeout_ms))]
        for _ in range(rounds):
            for callers, count in ((args.callers, args.answers), (1, args.lone)):
                for name, wait in modes:
                    n += 1
                    ids = [rng.randrange(args.players) for _ in range(count)]
                    open_run(sync, n)
                    dt, took = asyncio.run(run_once(seed, n, ids, callers, wait))
                    close_run(sync, n, count)
                    line = Line(name, callers, count, dt, pct(took, 0.5), pct(took, 0.99))
                    key = (name, callers)
                    if key not in best or line.rate > best[key].rate:
                        best[key] = line
        eng = SyncEngine(sync)
        guard = []
        for _ in range(200):
            t = time.perf_counter()
            eng.confirm_replicated(game=GAME, timeout_ms=args.timeout_ms)
            guard.append(time.perf_counter() - t)
        sync.close()
    finally:
        cluster.destroy()

    print(
        f"Redis Cluster 3 primaries + 3 replicas on loopback; one game, {args.players:,} players;"
        f" best of {rounds} rounds"
    )
    head = f"{'line':<10} {'callers':>7} {'answers':>8} {'seconds':>8} {'answers/s':>10}"
    head += f" {'p50 ms':>7} {'p99 ms':>7} {'vs off':>7}"
    print(head)
    print("-" * len(head))
    for callers in (args.callers, 1):
        off = best[("WAIT off", callers)]
        for name, _ in modes:
            ln = best[(name, callers)]
            print(
                f"{ln.name:<10} {ln.callers:>7} {ln.answers:>8,} {ln.seconds:>8.2f}"
                f" {ln.rate:>10,.0f} {ln.p50_ms:>7.2f} {ln.p99_ms:>7.2f}"
                f" {ln.rate / off.rate:>6.2f}x"
            )
    print(f"flusher guard (confirm_replicated), per game per flush: median "
          f"{statistics.median(guard) * 1000:.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
