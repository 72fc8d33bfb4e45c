"""make bench-fanout: one leaderboard tick to 1,000 and 5,000 local sockets.

Starts a private Redis (port 6392) and one uvicorn process with the bench
hooks (sockets/bench.py), connects N WebSocket clients to it, and asks for
one leaderboard frame to reach all of them through four paths, in the same
run and to the same sockets: the relay, a bare send loop (the floor), and
channels-redis's core and pubsub layers (group_send). Prints, per path, the
time until every client received the frame and the p50/p99 of arrival, the
speed-ups, and the server's RSS per connected idle client.

    python -m loadtest.bench_fanout [--sizes 1000,5000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import redis
import websockets

from engine import Question, Settings, SyncEngine, ops
from engine.auth import hash_token

from .machine import describe

ROOT = Path(__file__).resolve().parents[1]
REDIS_PORT = 6392
PATHS = ("relay", "bare", "core", "pubsub")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_redis(tmp: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", tmp, "--maxclients", "20000"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    r = redis.Redis(port=REDIS_PORT)
    for _ in range(100):
        try:
            r.ping()
            return proc
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("private redis did not start")


def start_server(port: int, url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "STADIUM_BENCH": "1", "REDIS_URL": url, "STADIUM_RATE_BURST": "1000"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port),
         "--ws", "wsproto", "--loop", "uvloop", "--no-access-log", "--log-level", "warning",
         "--backlog", "8192"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


class Clients:
    def __init__(self) -> None:
        self.ws: list[websockets.ClientConnection] = []
        self.arrived: list[float] = []
        self.waiting = 0
        self.done = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    async def add(self, url: str, token: str) -> None:
        ws = await websockets.connect(url, ping_interval=None, max_size=2**22, compression=None)
        await ws.send(json.dumps({"type": "hello", "token": token}))
        first = json.loads(await ws.recv())
        assert first["type"] == "welcome", first
        i = len(self.ws)
        self.ws.append(ws)
        self.arrived.append(0.0)
        self.tasks.append(asyncio.ensure_future(self.read(i, ws)))

    async def read(self, i: int, ws: websockets.ClientConnection) -> None:
        try:
            async for msg in ws:
                if i == 0 and isinstance(msg, str) and msg.startswith('{"type":"bench_done"'):
                    self.last_done = msg
                if isinstance(msg, str) and msg.startswith('{"type":"leaderboard"'):
                    if self.arrived[i] == 0.0:
                        self.arrived[i] = time.perf_counter()
                        self.waiting -= 1
                        if self.waiting == 0:
                            self.done.set()
        except websockets.ConnectionClosed:
            pass

    async def trial(self, path: str) -> tuple[float, float, float]:
        self.arrived = [0.0] * len(self.ws)
        self.waiting = len(self.ws)
        self.done.clear()
        t0 = time.perf_counter()
        await self.ws[0].send(json.dumps({"type": "bench", "path": path}, separators=(",", ":")))
        try:
            await asyncio.wait_for(self.done.wait(), 60)
        except TimeoutError:
            raise RuntimeError(
                f"{path}: only {len(self.ws) - self.waiting} of {len(self.ws)} clients got the frame"
                f" ({getattr(self, 'last_done', '')})"
            ) from None
        lat = sorted(a - t0 for a in self.arrived)
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]  # noqa: E731
        return lat[-1], p(0.5), p(0.99)

    async def close(self) -> None:
        for t in self.tasks:
            t.cancel()
        await asyncio.gather(*(w.close() for w in self.ws), return_exceptions=True)


async def run(sizes: list[int], repeats: int) -> None:
    url = f"redis://127.0.0.1:{REDIS_PORT}/0"
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
    for i in range(10):
        eng.run(ops.join(game, nickname=f"P{i}", nickname_key=f"p{i}", token_hash=f"h{i}"))
    port = free_port()
    server = start_server(port, url)
    proc = psutil.Process(server.pid)
    ws_url = f"ws://127.0.0.1:{port}/ws/bench/{pin}/"
    rows = []
    try:
        clients = Clients()
        await clients.add(ws_url, token)
        await asyncio.sleep(0.5)
        base_rss = proc.memory_info().rss
        base_n = 1
        for n in sizes:
            while len(clients.ws) < n:
                batch = min(200, n - len(clients.ws))
                await asyncio.gather(*(clients.add(ws_url, token) for _ in range(batch)))
            await asyncio.sleep(1.0)
            rss = proc.memory_info().rss
            per_client = (rss - base_rss) / (n - base_n)
            for path in PATHS:  # warm each path once
                await clients.trial(path)
            results: dict[str, list[tuple[float, float, float]]] = {p: [] for p in PATHS}
            for _ in range(repeats):
                for path in PATHS:  # interleaved, so drift hits every path alike
                    results[path].append(await clients.trial(path))
                    await asyncio.sleep(0.05)
            med = {
                p: tuple(statistics.median(r[k] for r in results[p]) for k in range(3))
                for p in PATHS
            }
            rows.append((n, med, per_client))
        await clients.close()
    finally:
        server.terminate()
        server.wait(10)
    print()
    print("One leaderboard frame to N local WebSocket clients (median of", repeats, "trials)")
    print(f"{'N':>6} {'path':<8} {'all received':>13} {'p50':>9} {'p99':>9} {'vs relay':>9}")
    for n, med, _ in rows:
        for p in PATHS:
            allr, p50, p99 = med[p]
            print(
                f"{n:>6} {p:<8} {allr * 1000:>10.1f} ms {p50 * 1000:>6.1f} ms {p99 * 1000:>6.1f} ms"
                f" {allr / med['relay'][0]:>8.2f}x"
            )
    print()
    for n, med, per_client in rows:
        relay = med["relay"][0]
        print(
            f"N={n}: relay {med['core'][0] / relay:.1f}x faster than channels-redis core, "
            f"{med['pubsub'][0] / relay:.1f}x faster than pubsub; "
            f"relay/bare = {relay / med['bare'][0]:.2f}x; "
            f"server RSS per idle client {per_client / 1024:.1f} KB"
        )
    print(describe())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rproc = start_redis(tmp)
        try:
            asyncio.run(run([int(s) for s in args.sizes.split(",")], args.repeats))
        finally:
            rproc.terminate()
            rproc.wait(10)


if __name__ == "__main__":
    main()
