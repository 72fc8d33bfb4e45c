"""make bench-answer-cpu: the server's CPU per answer, from socket to ack.

Starts a private Redis and one uvicorn process (the production command),
connects N players over raw WebSockets, then for each of R questions opens
it and has every player answer at once (a stadium's burst), waiting for
every ``answer_ack``. The server process's CPU time from the first answer
to the last ack, divided by N, is the CPU one answer costs the server: the
frame read and parsed, validated, scored through the micro-batcher and the
batch script, acknowledged. Then the question closes, and the CPU until
every player has its personal ``question_closed`` frame, divided by N, is
a close's cost per player. Players' leaderboard ticks are set far apart
(``STADIUM_PLAYER_TICK_MS``) so no tick frame is counted in it; the
question frame is sent before the clock starts.

    python -m bench.bench_answer_cpu [--players 2000] [--questions 5]
"""

from __future__ import annotations

import argparse
import asyncio
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
from .rounds import print_rounds

GAME, PIN = "bench-answers", "434343"


class Players:
    def __init__(self, port: int) -> None:
        self.port = port
        self.conns: list[rawws.RawWs] = []
        self.acks = 0
        self.errors: list[str] = []
        self.all_acked = asyncio.Event()
        self.want = 0
        self.results = 0
        self.all_results = asyncio.Event()

    async def add(self, token: str) -> None:
        welcome: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def on_text(text: str) -> None:
            if text.startswith('{"type":"answer_ack"'):
                self.acks += 1
                if self.acks == self.want:
                    self.all_acked.set()
            elif text.startswith('{"type":"question_closed"'):
                self.results += 1
                if self.results == len(self.conns):
                    self.all_results.set()
            elif text.startswith('{"type":"welcome"') and not welcome.done():
                welcome.set_result(None)
            elif text.startswith('{"type":"error"'):
                self.errors.append(text)

        conn = await rawws.connect("127.0.0.1", self.port, f"/ws/play/{PIN}/", on_text)
        conn.send_json({"type": "hello", "token": token})
        self.conns.append(conn)
        await asyncio.wait_for(welcome, 30)

    async def answer_all(self, n: int, server: psutil.Process) -> float:
        """Every player answers question ``n`` at once; the server's CPU
        seconds until the last ack."""
        self.acks, self.want = 0, len(self.conns)
        self.all_acked.clear()
        cpu0 = sum(server.cpu_times()[:2])
        for i, c in enumerate(self.conns):
            c.send_json({"type": "answer", "question": n, "choices": [i % 4]})
        await asyncio.wait_for(self.all_acked.wait(), 60)
        return sum(server.cpu_times()[:2]) - cpu0

    async def close(self, eng: SyncEngine, n: int, server: psutil.Process) -> float:
        """Question ``n`` closes; the server's CPU seconds until every
        player has its personal ``question_closed`` frame."""
        self.results = 0
        self.all_results.clear()
        cpu0 = sum(server.cpu_times()[:2])
        eng.run(ops.close_question(GAME, n))
        await asyncio.wait_for(self.all_results.wait(), 60)
        return sum(server.cpu_times()[:2]) - cpu0


async def run(players: int, questions: int, url: str) -> list[tuple[float, float]]:
    eng = SyncEngine(redis.Redis.from_url(url))
    eng.redis.flushdb()  # the private bench Redis, never the shared one
    qs = [Question(f"Q{i}?", ["a", "b", "c", "d"], {i % 4}, 600) for i in range(questions)]
    eng.run(ops.create_game(GAME, qs, Settings(title="bench")))
    eng.run(ops.claim_pin(PIN, GAME))
    tokens = [f"bench-answer-{i}" for i in range(players)]
    for lo in range(0, players, 1000):
        eng.run(
            ops.combine(
                *(
                    ops.join(GAME, nickname=f"P{i}", nickname_key=f"p{i}", token_hash=hash_token(t))
                    for i, t in enumerate(tokens[lo : lo + 1000], lo)
                )
            )
        )
    env = {"REDIS_URL": url, "STADIUM_PLAYER_TICK_MS": "3600000"}
    server = Uvicorn(env, options={"--log-level": "warning", "--backlog": "8192"})
    server.start(accept=None)  # the probe needs no database
    assert server.proc is not None
    proc = psutil.Process(server.proc.pid)
    per_player: list[tuple[float, float]] = []
    try:
        clients = Players(server.port)
        for lo in range(0, players, 200):
            await asyncio.gather(*(clients.add(t) for t in tokens[lo : lo + 200]))
        for n in range(1, questions + 1):
            eng.run(ops.open_question(GAME, n))
            await asyncio.sleep(1.5)  # the question frame has reached everyone
            answering = await clients.answer_all(n, proc)
            closing = await clients.close(eng, n, proc)
            per_player.append((answering / players, closing / players))
            await asyncio.sleep(1.0)
        if clients.errors:
            raise RuntimeError(f"{len(clients.errors)} error frames, e.g. {clients.errors[0]}")
    finally:
        server.stop()
    return per_player


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--players", type=int, default=2000)
    ap.add_argument("--questions", type=int, default=5)
    args = ap.parse_args()
    with PrivateRedis() as r:
        t0 = time.perf_counter()
        per = uvloop.run(run(args.players, args.questions, r.url))
        took = time.perf_counter() - t0
    print()
    print(f"{args.players:,} players answer at once, {args.questions} questions ({took:.0f} s)")
    print_rounds("question", ("server CPU per answer", "at the close, per player"), per)
    print("(answer: from the answer frame to its ack; close: from the close to every")
    print(" player's question_closed frame, standings read and personal frame sent)")
    print(describe())


if __name__ == "__main__":
    main()
