"""Answer ingest benchmark: the engine against the physical ceiling of one game.

``python -m bench.bench_engine`` (``make bench-engine``) starts a private
redis-server (a free port, or ``--port``), creates one game of 240 s questions with N
pre-joined players (default 100,000) and measures answers per second of:

1. the engine without micro-batching (``Engine(batching=False)``),
2. the engine with micro-batching,

each from C concurrent asyncio callers, and 3. the ceiling: ``redis-benchmark
-c 50 -P 16`` running the same ``submit_answer`` script by EVALSHA with the
same keys and arguments. Every run scores a fresh question, so an answer is
a first answer unless its (random) player already answered in that run.
redis-benchmark draws ids with ``-r N`` (uniform, with repeats), so the
engine runs draw theirs the same way: every run does the same mix of first
answers and ``already_answered`` replies, and the table shows that fraction.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter

import redis
import redis.asyncio as aioredis

from engine import Engine, Question, Settings, SyncEngine, keys, ops
from engine.batching import AnswerBatcher
from engine.layout import Snapshot, Stats
from engine.restore import PlayerRecord, restore_game
from engine.scripts import SCRIPTS
from testkit.machine import describe
from testkit.ports import port_free
from testkit.redis_server import PrivateRedis

HOST = "127.0.0.1"
GAME = "bench"
CHOICE = 1  # the correct choice: every first answer takes the full scoring path


def setup(r: redis.Redis, players: int, questions: int) -> None:
    """One game and ``players`` new players with ids 0..N-1 (redis-benchmark's
    ``__rand_int__`` draws from [0, N)), laid down by the engine's own
    restore_game in one step: the bench needs 100,000 players in a second,
    not 100,000 joins."""
    eng = SyncEngine(r)
    eng.load_scripts()
    qs = [Question(f"Q{i}", ["a", "b", "c", "d"], {CHOICE}, 240) for i in range(questions)]
    joined = Stats(version=1)  # what join writes for a new player
    recs = [PlayerRecord(p, f"p{p}", f"p{p}", f"tok{p}", joined) for p in range(players)]
    done = eng.run(
        restore_game(GAME, questions=qs, settings=Settings(), snapshot=Snapshot({}, {}),
                     players=recs, answers=[])
    )  # fmt: skip
    assert done.ok, done
    state = eng.run(ops.game_state(GAME))
    assert state is not None and state.players == players


def open_run(r: redis.Redis, n: int) -> None:
    r.delete(keys.log(GAME))  # the flusher would have drained it: same stream size per run
    assert SyncEngine(r).run(ops.open_question(GAME, n)).changed


def close_run(r: redis.Redis, n: int, answers: int) -> tuple[int, int]:
    """Close question n; return (first answers, already_answered replies)."""
    eng = SyncEngine(r)
    eng.run(ops.close_question(GAME, n))
    q = eng.run(ops.question_state(GAME, n))
    accepted = q.answered if q else 0
    return accepted, answers - accepted


async def engine_run(
    port: int, n: int, ids: list[int], callers: int, batching: bool | str
) -> tuple[float, Counter[str]]:
    client = aioredis.Redis(host=HOST, port=port, max_connections=callers + 8)
    eng = Engine(client, batching=batching is True)
    if batching == "redis-py":
        eng.batcher = AnswerBatcher(eng.call_many)  # the generic path (cluster clients)
    statuses: Counter[str] = Counter()
    it = iter(ids)

    async def caller() -> None:
        for pid in it:
            res = await eng.submit_answer(game=GAME, player=pid, question=n, choices=[CHOICE])
            statuses[res.status] += 1

    await eng.submit_answer(game=GAME, player=-1, question=n, choices=[CHOICE])  # warm up
    t0 = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(callers)))
    dt = time.perf_counter() - t0
    await eng.aclose()
    await client.aclose()
    return dt, statuses


def ceiling_run(port: int, n: int, answers: int, players: int) -> float:
    sha = SCRIPTS["submit_answer"].sha
    call = ops.submit_call(GAME, 0, n, [CHOICE], ops.DEFAULT_EVENTS_MAXLEN)
    ks = [str(k) for k in call.args[: call.nkeys]]
    cmd = ["redis-benchmark", "-h", HOST, "-p", str(port), "-c", "50", "-P", "16"]
    cmd += ["-n", str(answers), "-r", str(players), "-q", "EVALSHA", sha, str(call.nkeys), *ks]
    cmd += ["__rand_int__", *(str(a) for a in call.args[call.nkeys + 1 :])]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    dt = time.perf_counter() - t0
    m = re.search(r"([\d.]+) requests per second", out.replace("\r", "\n"))
    if not m:
        sys.exit(f"cannot read redis-benchmark output: {out!r}")
    # redis-benchmark's own clock excludes its start-up; use it.
    return answers / float(m.group(1)) if m else dt


def redis_cpu(r: redis.Redis) -> float:
    info = r.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def client_cpu(children: bool) -> float:
    if children:
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        return ru.ru_utime + ru.ru_stime
    return time.process_time()


def machine() -> list[str]:
    return [describe(), f"redis-py {redis.__version__}"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--players", type=int, default=100_000)
    ap.add_argument("--answers", type=int, default=0, help="per run (default players / 3)")
    ap.add_argument("--callers", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=2, help="repeat each run, keep the best")
    ap.add_argument("--port", type=int, default=0, help="of the private Redis (default: free)")
    ap.add_argument("--no-uvloop", action="store_true")
    a = ap.parse_args()
    if not shutil.which("redis-server") or not shutil.which("redis-benchmark"):
        sys.exit("redis-server and redis-benchmark are needed (apt-get install redis-server)")
    if a.port and not port_free(a.port):
        sys.exit(f"port {a.port} is in use: pick another --port or leave it out")
    answers = a.answers or a.players // 3
    use_uvloop = not a.no_uvloop
    if use_uvloop:
        try:
            import uvloop
        except ImportError:
            use_uvloop = False

    runs = [
        ("engine, no batching", False),
        ("engine, redis-py pipeline batch", "redis-py"),
        ("engine, micro-batched", True),
        ("redis-benchmark -c 50 -P 16", None),
    ]
    server = PrivateRedis(a.port or None).start()
    atexit.register(server.destroy)
    r = server.client()
    t0 = time.perf_counter()
    setup(r, a.players, len(runs) * a.rounds)
    print(f"setup: {a.players:,} players joined in {time.perf_counter() - t0:.1f} s")

    best: dict[str, tuple[float, int, int, float, float]] = {}
    n = 0
    rng = random.Random(7)
    for _ in range(a.rounds):
        for name, batching in runs:
            n += 1
            open_run(r, n)
            srv0, cli0 = redis_cpu(r), client_cpu(batching is None)
            if batching is None:
                dt = ceiling_run(server.port, n, answers, a.players)
            else:
                ids = [rng.randrange(a.players) for _ in range(answers)]
                coro = engine_run(server.port, n, ids, a.callers, batching)
                if use_uvloop:
                    dt, st = uvloop.run(coro)
                else:
                    dt, st = asyncio.run(coro)
                bad = {k: v for k, v in st.items() if k not in ("ok", "already_answered")}
                if bad or sum(st.values()) != answers:
                    sys.exit(f"{name}: unexpected replies {dict(st)}")
            cpu = ((redis_cpu(r) - srv0) / answers, (client_cpu(batching is None) - cli0) / answers)
            first, again = close_run(r, n, answers)
            if batching is not None and first != st["ok"]:
                sys.exit(f"{name}: {st['ok']} ok replies but {first} answers recorded")
            if name not in best or dt < best[name][0]:
                best[name] = (dt, first, again, *cpu)

    ceiling = answers / best[runs[-1][0]][0]
    loop = "uvloop" if use_uvloop else "asyncio"
    print()
    print(f"answers per run: {answers:,} from random ids in [0, {a.players:,}); engine: "
          f"{a.callers} concurrent callers on {loop}; best of {a.rounds} rounds")  # fmt: skip
    head = (
        f"{'run':<31} {'answers':>7} {'repeats':>7} {'seconds':>7} {'answers/s':>9} "
        f"{'ceiling':>7} {'redis us/ans':>12} {'client us/ans':>13}"
    )
    print(head)
    print("-" * len(head))
    for name, _ in runs:
        dt, first, again, srv, cli = best[name]
        rate = answers / dt
        print(
            f"{name:<31} {answers:>7,} {again / answers:>7.1%} {dt:>7.2f} {rate:>9,.0f} "
            f"{rate / ceiling:>7.0%} {srv * 1e6:>12.1f} {cli * 1e6:>13.1f}"
        )
    print("repeats: share of answers refused as already_answered (a random id drawn twice)")
    print("us/ans: CPU microseconds per answer of redis-server and of the client process")
    print("(the engine's Python process; redis-benchmark for the ceiling)")
    print()
    for line in machine():
        print(line)


if __name__ == "__main__":
    main()
