"""make bench-fanout: one leaderboard tick to 1,000 and 5,000 local sockets.

Starts a private Redis (a free port) and one uvicorn process (the
production command) with the bench hooks (sockets/bench.py), connects N WebSocket clients to it, and asks for
one leaderboard frame to reach all of them through four paths, in the same
run and to the same sockets: the relay, a bare send loop (the floor), and
channels-redis's core and pubsub layers (group_send). Prints, per path, the
time until every client received the frame and the p50/p99 of arrival, the
server's CPU per delivered frame, the speed-ups, and the server's RSS per
connected idle client.

    python -m bench.bench_fanout [--sizes 1000,5000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time

import psutil
import redis
import uvloop

from engine import Question, Settings, SyncEngine, ops
from engine.auth import hash_token
from testkit.machine import describe
from testkit.redis_server import PrivateRedis
from testkit.serve import Uvicorn

from . import rawws

PATHS = ("relay", "bare", "core", "pubsub")


# Compared with the production command (testkit.serve, as scripts/run.sh):
# only the WebSocket implementation differs.
SERVERS: dict[str, dict[str, str | None]] = {
    "uvicorn-stadium": {},
    "uvicorn-wsproto": {"--ws": "wsproto"},
    "uvicorn-websockets": {"--ws": "websockets"},
}
BENCH_OPTIONS = {"--log-level": "warning", "--backlog": "8192"}


def start_server(url: str, kind: str) -> Uvicorn:
    # every bench socket says hello with the one screen token: lift the
    # sockets-per-token cap, which would close all but the newest 50
    env = {"STADIUM_BENCH": "1", "REDIS_URL": url, "STADIUM_RATE_BURST": "1000",
           "STADIUM_MAX_SCREEN_SOCKETS_PER_TOKEN": "1000000"}  # fmt: skip
    server = Uvicorn(env, options={**BENCH_OPTIONS, **SERVERS[kind]})
    return server.start(accept=None)  # up: /healthz answers (the bench needs no database)


class Clients:
    """N raw WebSocket clients; records when each got the next leaderboard."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conns: list[rawws.RawWs] = []
        self.arrived: list[float] = []
        self.waiting = 0
        self.done = asyncio.Event()
        self.last_done = ""

    async def add(self, path: str, token: str) -> None:
        i = len(self.arrived)  # taken before any await: adds run concurrently
        self.arrived.append(1.0)  # not waiting until a trial starts
        welcome: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def on_text(text: str) -> None:
            if text.startswith('{"type":"leaderboard"'):
                if self.arrived[i] == 0.0:
                    self.arrived[i] = time.perf_counter()
                    self.waiting -= 1
                    if self.waiting == 0:
                        self.done.set()
            elif text.startswith('{"type":"welcome"') and not welcome.done():
                welcome.set_result(None)
            elif text.startswith('{"type":"bench_done"'):
                self.last_done = text

        conn = await rawws.connect("127.0.0.1", self.port, path, on_text)
        conn.send_json({"type": "hello", "token": token})
        self.conns.append(conn)
        await asyncio.wait_for(welcome, 30)

    async def trial(
        self, path: str, server: psutil.Process
    ) -> tuple[float, float, float, int, float]:
        """(time until the last client got it, p50, p99, clients that never
        got it within 10 s: channels-redis can lose messages under load, the
        server process's CPU seconds meanwhile)."""
        self.arrived = [0.0] * len(self.conns)
        self.waiting = len(self.conns)
        self.done.clear()
        cpu0 = sum(server.cpu_times()[:2])
        t0 = time.perf_counter()
        self.conns[0].send_json({"type": "bench", "path": path})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.done.wait(), 10)
        lost = self.waiting
        cpu = sum(server.cpu_times()[:2]) - cpu0
        lat = sorted(a - t0 for a in self.arrived if a > 0)
        if not lat:
            raise RuntimeError(f"{path}: no client got the frame ({self.last_done})")
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]  # noqa: E731
        return lat[-1], p(0.5), p(0.99), lost, cpu

    def close(self) -> None:
        for c in self.conns:
            c.transport.close()
        self.conns.clear()


async def run(sizes: list[int], repeats: int, kind: str, url: str) -> None:
    eng = SyncEngine(redis.Redis.from_url(url))
    game, pin, token = "bench-fanout", "424242", "bench-screen-token"
    eng.redis.flushdb()  # the private bench server, never the shared one
    eng.run(
        ops.create_game(
            game,
            [Question("Bench?", ["a", "b"], {0}, 60)],
            Settings(screen_token_hash=hash_token(token), title="bench"),
        )
    )
    eng.run(ops.claim_pin(pin, game))
    tokens = [f"bench-player-{i}" for i in range(max(sizes))]
    for lo in range(0, len(tokens), 1000):
        eng.run(
            ops.combine(
                *(
                    ops.join(game, nickname=f"P{i}", nickname_key=f"p{i}", token_hash=hash_token(t))
                    for i, t in enumerate(tokens[lo : lo + 1000], lo)
                )
            )
        )
    server = start_server(url, kind)
    port = server.port
    assert server.proc is not None
    proc = psutil.Process(server.proc.pid)
    rows = []
    memory: dict[int, float] = {}
    try:
        # Memory: N idle players on the normal play path (no bench hooks).
        probe = Clients(port)
        await probe.add(f"/ws/screen/{pin}/", token)
        await asyncio.sleep(1.0)
        base_rss = proc.memory_info().rss
        for n in sizes:
            while len(probe.conns) - 1 < n:
                lo = len(probe.conns) - 1
                batch = tokens[lo : min(n, lo + 200)]
                await asyncio.gather(*(probe.add(f"/ws/play/{pin}/", t) for t in batch))
            await asyncio.sleep(1.5)
            memory[n] = (proc.memory_info().rss - base_rss) / n
        probe.close()
        await asyncio.sleep(2.0)
        # Fan-out: the same sockets, four paths, interleaved.
        clients = Clients(port)
        for n in sizes:
            while len(clients.conns) < n:
                batch = min(100, n - len(clients.conns))
                await asyncio.gather(
                    *(clients.add(f"/ws/bench/{pin}/", token) for _ in range(batch))
                )
            await asyncio.sleep(1.0)
            for path in PATHS:  # warm each path once
                await clients.trial(path, proc)
            results: dict[str, list[tuple[float, float, float, int, float]]] = {
                p: [] for p in PATHS
            }
            for _ in range(repeats):
                for path in PATHS:  # interleaved, so drift hits every path alike
                    results[path].append(await clients.trial(path, proc))
                    await asyncio.sleep(0.05)
            med = {
                p: (
                    *(statistics.median(r[k] for r in results[p]) for k in range(3)),
                    sum(r[3] for r in results[p]),
                    sum(r[4] for r in results[p]) / repeats,
                )
                for p in PATHS
            }
            rows.append((n, med, memory[n]))
        clients.close()
    finally:
        server.stop()
    print()
    print("One leaderboard frame to N local WebSocket clients (median of", repeats, "trials)")
    print(
        f"{'N':>6} {'path':<8} {'all received':>13} {'p50':>9} {'p99':>9} {'vs relay':>9}"
        f" {'lost':>5} {'server CPU/frame':>17}"
    )
    for n, med, _ in rows:
        for p in PATHS:
            allr, p50, p99, lost, cpu = med[p]
            print(
                f"{n:>6} {p:<8} {allr * 1000:>10.1f} ms {p50 * 1000:>6.1f} ms {p99 * 1000:>6.1f} ms"
                f" {allr / med['relay'][0]:>8.2f}x {lost:>5} {cpu / n * 1e6:>14.1f} µs"
            )
    print("(lost: client-frames never delivered within 10 s, summed over the trials;")
    print(" server CPU/frame: the server process's CPU time during a trial, the mean")
    print(" over the trials, divided by N; the kernel counts CPU in 10 ms steps)")
    print()
    for n, med, per_client in rows:
        relay = med["relay"][0]
        print(
            f"N={n}: relay {med['core'][0] / relay:.1f}x faster than channels-redis core, "
            f"{med['pubsub'][0] / relay:.1f}x faster than pubsub; "
            f"relay/bare = {relay / med['bare'][0]:.2f}x; "
            f"server RSS per idle connected player {per_client / 1024:.1f} KB"
        )
    print(describe())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--server", choices=sorted(SERVERS), default="uvicorn-stadium")
    args = ap.parse_args()
    with PrivateRedis(args=["--maxclients", "20000"]) as r:
        uvloop.run(run([int(s) for s in args.sizes.split(",")], args.repeats, args.server, r.url))


if __name__ == "__main__":
    main()
