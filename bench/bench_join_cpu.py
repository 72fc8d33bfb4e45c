"""make bench-join-cpu: the server's CPU per join and per socket connect.

Starts a private Redis and one uvicorn process (the production command),
opens a game in Redis, and then, for each of R rounds, has N new phones
join it the way the join page does: ``POST /api/games/<pin>/players`` on a
connection of its own (a phone has no keep-alive connection to reuse), then
the WebSocket, its ``hello`` with the token and the ``welcome``. The
phones come W at a time (a storm, not a queue). The server process's CPU
time over the joins, divided by N, is what one join costs the server (the
connection, Django's request handling and middleware, the view, the Lua
join); over the connects, what a socket costs until its ``welcome``.

The join path touches Redis only, so the server runs without a database.

    python -m bench.bench_join_cpu [--players 1000] [--rounds 3] [--wave 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import psutil
import redis
import uvloop

from engine import Question, Settings, SyncEngine, ops
from testkit.machine import describe
from testkit.redis_server import PrivateRedis
from testkit.serve import Uvicorn

from . import rawws
from .rounds import print_rounds

GAME, PIN = "bench-joins", "454545"
T = TypeVar("T")


async def join(port: int, nickname: str) -> str:
    """One phone's join on a fresh connection; its player token. A name the
    nickname filter refuses (digits read as letters can spell a word) is
    tried again with a letter added."""
    while True:
        status, payload = await post_join(port, nickname)
        if status == 201:
            return str(json.loads(payload)["token"])
        if b'"nickname_invalid"' not in payload:
            raise RuntimeError(f"join refused: {status} {payload[:300]!r}")
        nickname += "x"


async def post_join(port: int, nickname: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = json.dumps({"nickname": nickname}).encode()
    writer.write(
        f"POST /api/games/{PIN}/players HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n".encode()
        + body
    )
    reply = await reader.read()  # the server closes after the response
    writer.close()
    head, _, payload = reply.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), payload


async def connect(port: int, token: str, sockets: list[rawws.RawWs]) -> None:
    """The phone's socket, until its ``welcome``."""
    welcome: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_text(text: str) -> None:
        if welcome.done():
            return
        if text.startswith('{"type":"welcome"'):
            welcome.set_result(None)
        elif text.startswith('{"type":"error"'):
            welcome.set_exception(RuntimeError(f"hello refused: {text[:300]}"))

    conn = await rawws.connect("127.0.0.1", port, f"/ws/play/{PIN}/", on_text)
    conn.send_json({"type": "hello", "token": token})
    sockets.append(conn)
    await asyncio.wait_for(welcome, 60)


async def waves(jobs: list[Callable[[], Awaitable[T]]], wave: int) -> list[T]:
    """Every job, ``wave`` at a time; their results in order."""
    out: list[T] = []
    for lo in range(0, len(jobs), wave):
        out += await asyncio.gather(*(j() for j in jobs[lo : lo + wave]))
    return out


def cpu(server: psutil.Process) -> float:
    return float(sum(server.cpu_times()[:2]))


async def run(players: int, rounds: int, wave: int, url: str) -> list[tuple[float, float]]:
    eng = SyncEngine(redis.Redis.from_url(url))
    eng.redis.flushdb()  # the private bench Redis, never the shared one
    qs = [Question("Q?", ["a", "b", "c", "d"], {0}, 600)]
    max_players = players * rounds + 10
    eng.run(ops.create_game(GAME, qs, Settings(title="bench", max_players=max_players)))
    eng.run(ops.claim_pin(PIN, GAME))
    server = Uvicorn({"REDIS_URL": url}, options={"--log-level": "warning", "--backlog": "8192"})
    server.start(accept=None)  # the probe needs no database
    assert server.proc is not None
    proc = psutil.Process(server.proc.pid)
    per: list[tuple[float, float]] = []
    sockets: list[rawws.RawWs] = []
    try:
        for r in range(rounds):
            names = [f"J{r}-{i}" for i in range(players)]
            c0 = cpu(proc)
            tokens = await waves([lambda n=n: join(server.port, n) for n in names], wave)
            c1 = cpu(proc)
            await waves([lambda t=t: connect(server.port, t, sockets) for t in tokens], wave)
            c2 = cpu(proc)
            per.append(((c1 - c0) / players, (c2 - c1) / players))
            await asyncio.sleep(0.5)
    finally:
        for s in sockets:
            if s.transport is not None:
                s.transport.abort()
        server.stop()
    return per


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--players", type=int, default=1000, help="new players per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--wave", type=int, default=50, help="phones joining at once")
    args = ap.parse_args()
    with PrivateRedis() as r:
        t0 = time.perf_counter()
        per = uvloop.run(run(args.players, args.rounds, args.wave, r.url))
        took = time.perf_counter() - t0
    print()
    print(f"{args.players:,} players join per round, {args.wave} at a time ({took:.0f} s)")
    print_rounds("round", ("server CPU per join", "per connect (to welcome)"), per)
    print("(join: POST /api/games/<pin>/players on a new connection, to its 201;")
    print(" connect: the WebSocket, its hello and the welcome)")
    print(describe())


if __name__ == "__main__":
    main()
