"""Answer ingest benchmark: the engine against the physical ceiling of one game.

``python -m bench.bench_engine`` (``make bench-engine``) starts a private
redis-server (a free port, or ``--port``), creates one game of 240 s questions with N
pre-joined players (default 100,000) and measures answers per second of:

1. the engine without micro-batching (``Engine(batching=False)``),
2. the engine over redis-py pipelines (the generic batcher, one
   ``submit_answer`` call per answer),
3. the engine micro-batched through the answer pipe, one ``submit_answer``
   call per answer (``Engine(batch_script=False)``: the path before
   ``submit_batch``, the reference of the last line),
4. the engine micro-batched through the answer pipe, one ``submit_batch``
   call per question per 64 answers (the default),

each from C concurrent asyncio callers, and 5. the single script's ceiling:
``redis-benchmark -c 50 -P 16`` running ``submit_answer`` by EVALSHA with
the same keys and arguments. The last line gives line 4 as a multiple of
line 3, both from this run: ``one game: N answers/s (X.Yx the single-answer
script, same run)``. Every run scores a fresh question, so an answer is
a first answer unless its (random) player already answered in that run.
redis-benchmark draws ids with ``-r N`` (uniform, with repeats), so the
engine runs draw theirs the same way: every run does the same mix of first
answers and ``already_answered`` replies, and the table shows that fraction.

After those four lines, two per scored kind besides choice (true_false,
slider, type_answer, ordering), each on a fresh question of that kind:

- ``engine, micro-batched, <kind>``: answers/s through the engine, set up
  as the submit_batch choice line (same callers, same ids), each answer a
  frame value checked by ``engine.kinds.answer_arg`` in the caller (as the
  consumer does) and sent with ``Engine.submit_answer(answer=...)``. The
  values vary, about half right: true_false [0] or [1]; slider values drawn
  uniformly from the whole grid (0..5000 step 0.5, answer 2500, tolerance
  1250); texts from a pool of right ones (case, spaces, punctuation) and
  wrong ones; orderings right or one adjacent swap off.
- ``redis-benchmark, <kind>, fixed``: ``submit_answer`` by redis-benchmark,
  as the ceiling line. redis-benchmark can only repeat one fixed argument,
  so every first answer there is the same right value (the full scoring
  path), while the engine line mixes values.

For every line the ``ceiling`` column is the share of the choice ceiling
(the ``redis-benchmark -c 50 -P 16`` line: the single script's, so the
submit_batch lines pass 100%); a line gives each kind's engine rate as a
share of its own fixed-value redis-benchmark line.
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
from collections.abc import Awaitable, Callable
from typing import Any

import redis
import redis.asyncio as aioredis

from engine import Engine, Question, Settings, SyncEngine, flush, keys, ops
from engine.batching import AnswerBatcher
from engine.kinds import TRUE_FALSE, AnswerArg, answer_arg, reveal
from engine.layout import Snapshot, Stats
from engine.restore import PlayerRecord, restore_game
from engine.scripts import SCRIPTS
from testkit.machine import describe
from testkit.ports import port_free
from testkit.redis_server import PrivateRedis

HOST = "127.0.0.1"
GAME = "bench"
CHOICE = 1  # the correct choice: every first answer takes the full scoring path
CEILING = "redis-benchmark -c 50 -P 16"  # the single script's ceiling, the column's base
SINGLE = "engine, micro-batched, submit_answer"  # the path before submit_batch
BATCHED = "engine, micro-batched, submit_batch"

# The scored kinds besides choice, one fresh question per run (240 s like the
# choice ones). Right answers: true_false 0; slider 2500 +- 1250 on a grid of
# 10,000 steps; the accepted texts; the items' right order.
KINDS = ("true_false", "slider", "type_answer", "ordering")
RIGHT_TEXTS = ["Wembley", "wembley stadium", "WEMBLEY STADIUM!", "  Wembley   Stadium ", "Wembley."]
WRONG_TEXTS = ["Old Trafford", "Anfield", "Camp Nou", "San Siro", "Wembly", "Wémbley"]


def kind_question(kind: str, i: int) -> Question:
    if kind == "true_false":
        return Question(f"TF{i}", list(TRUE_FALSE), {0}, 240, kind=kind)
    if kind == "slider":
        return Question(f"S{i}", [], set(), 240, kind=kind, min=0, max=5000, step=0.5,
                        answer=2500, tolerance=1250)  # fmt: skip
    if kind == "type_answer":
        return Question(f"T{i}", [], set(), 240, kind=kind, accepted=["Wembley Stadium", "Wembley"])
    assert kind == "ordering", kind
    items = ["1930 Montevideo", "1966 London", "1998 Paris", "2014 Rio de Janeiro"]
    return Question(f"O{i}", [], set(), 240, kind=kind, items=items)


def right_order(q: Question) -> list[int]:
    order: list[int] = reveal(q)["order"]
    return order


def value_drawer(q: Question, rng: random.Random) -> Callable[[], Any]:
    """Answer frame values for ``q`` (the field its kind sends), about half right."""
    if q.kind == "true_false":
        return lambda: [rng.randrange(2)]
    if q.kind == "slider":
        return lambda: rng.randrange(10_001) * 0.5  # the whole grid; right iff in 1250..3750
    if q.kind == "type_answer":
        return lambda: rng.choice(rng.choice((RIGHT_TEXTS, WRONG_TEXTS)))
    right = right_order(q)
    swaps = []  # one adjacent swap off
    for i in range(len(right) - 1):
        o = list(right)
        o[i], o[i + 1] = o[i + 1], o[i]
        swaps.append(o)
    return lambda: list(right) if rng.random() < 0.5 else list(rng.choice(swaps))


def fixed_value(q: Question) -> Any:
    """The one (right) value redis-benchmark repeats for ``q``."""
    if q.kind == "true_false":
        return [0]
    if q.kind == "slider":
        return 2500
    if q.kind == "type_answer":
        return "Wembley"
    return right_order(q)


def setup(r: redis.Redis, players: int, qs: list[Question], teams: int = 0) -> None:
    """One game and ``players`` new players with ids 0..N-1 (redis-benchmark's
    ``__rand_int__`` draws from [0, N)), laid down by the engine's own
    restore_game in one step: the bench needs 100,000 players in a second,
    not 100,000 joins. ``teams``: that many teams, player p in team p % teams
    (every scoring answer then also adds to its team's counters)."""
    eng = SyncEngine(r)
    eng.load_scripts()
    recs = [
        # what join writes for a new player
        PlayerRecord(
            p, f"p{p}", f"p{p}", f"tok{p}", Stats(version=1, team=p % teams if teams else -1)
        )
        for p in range(players)
    ]
    settings = Settings(team_names=[f"T{i}" for i in range(teams)], team_mode="choose")
    done = eng.run(
        restore_game(GAME, questions=qs, settings=settings, snapshot=Snapshot({}, {}),
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
    port: int,
    n: int,
    ids: list[int],
    callers: int,
    batching: bool | str,
    public: dict[str, Any] | None = None,
    values: list[Any] | None = None,
    per_call: int = 64,
    in_flight: int = 2,
) -> tuple[float, Counter[str], Counter[bool | None]]:
    """Choice answers, or (``public``: the question's public fields) the
    frame ``values``, one per id, each checked by answer_arg in the caller.
    Returns the time, the reply statuses and the ``correct`` of ok replies."""
    client = aioredis.Redis(host=HOST, port=port, max_connections=callers + 8)
    eng = Engine(
        client,
        batching=batching in (True, "single"),
        batch_script=batching is True,
        batch_per_call=per_call,
        batch_in_flight=in_flight,
    )
    if batching == "redis-py":
        eng.batcher = AnswerBatcher(eng.call_many)  # the generic path (cluster clients)
    statuses: Counter[str] = Counter()
    right: Counter[bool | None] = Counter()
    it = iter(ids)

    async def caller() -> None:
        for pid in it:
            res = await eng.submit_answer(game=GAME, player=pid, question=n, choices=[CHOICE])
            statuses[res.status] += 1
            if res.ok:
                right[res.correct] += 1

    def kind_caller(public: dict[str, Any], values: list[Any]) -> Callable[[], Awaitable[None]]:
        pairs = iter(zip(ids, values, strict=True))

        async def caller() -> None:
            for pid, value in pairs:
                a = answer_arg(public, value)
                res = await eng.submit_answer(game=GAME, player=pid, question=n, answer=a)
                statuses[res.status] += 1
                if res.ok:
                    right[res.correct] += 1

        return caller

    run: Callable[[], Awaitable[None]]
    if public is None:
        run = caller
        await eng.submit_answer(game=GAME, player=-1, question=n, choices=[CHOICE])  # warm up
    else:
        assert values is not None
        run = kind_caller(public, values)
        warm = answer_arg(public, values[0])
        await eng.submit_answer(game=GAME, player=-1, question=n, answer=warm)
    t0 = time.perf_counter()
    await asyncio.gather(*(run() for _ in range(callers)))
    dt = time.perf_counter() - t0
    await eng.aclose()
    await client.aclose()
    return dt, statuses, right


def ceiling_run(
    port: int, n: int, answers: int, players: int, answer: AnswerArg | None = None
) -> float:
    """redis-benchmark sending ``answer`` (default: the right choice) for
    random players: one fixed argument, the only kind it can send."""
    sha = SCRIPTS["submit_answer"].sha
    fixed: list[int] | AnswerArg = [CHOICE] if answer is None else answer
    call = ops.submit_call(GAME, 0, n, fixed, ops.DEFAULT_EVENTS_MAXLEN)
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
    ap.add_argument("--rounds", type=int, default=3, help="repeat each run, keep the best")
    ap.add_argument("--port", type=int, default=0, help="of the private Redis (default: free)")
    ap.add_argument("--no-uvloop", action="store_true")
    ap.add_argument("--teams", type=int, default=0, help="a game of N teams (default: none)")
    ap.add_argument("--per-call", type=int, default=64, help="answers per submit_batch call")
    ap.add_argument("--in-flight", type=int, default=2,
                    help="the pipe's batches (submit_batch: calls) on the wire at once")  # fmt: skip
    ap.add_argument("--only-choice", action="store_true", help="the choice lines only")
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

    # (name, kind, batching): batching None is redis-benchmark
    # batching: False one call per answer, "redis-py" the generic batcher,
    # "single" the answer pipe with one submit_answer call per answer (the
    # path before submit_batch), True the answer pipe with submit_batch
    runs: list[tuple[str, str, bool | str | None]] = [
        ("engine, no batching", "choice", False),
        ("engine, redis-py pipeline batch", "choice", "redis-py"),
        (SINGLE, "choice", "single"),
        (BATCHED, "choice", True),
        (CEILING, "choice", None),
    ]
    for kind in () if a.only_choice else KINDS:
        runs.append((f"engine, micro-batched, {kind}", kind, True))
        runs.append((f"redis-benchmark, {kind}, fixed", kind, None))
    qs = []  # one fresh question per run, numbered in run order
    for i in range(a.rounds * len(runs)):
        kind = runs[i % len(runs)][1]
        qs.append(
            Question(f"Q{i}", ["a", "b", "c", "d"], {CHOICE}, 240)
            if kind == "choice"
            else kind_question(kind, i)
        )
    server = PrivateRedis(a.port or None).start()
    atexit.register(server.destroy)
    r = server.client()
    t0 = time.perf_counter()
    setup(r, a.players, qs, a.teams)
    teams = f" in {a.teams} teams" if a.teams else ""
    print(f"setup: {a.players:,} players joined{teams} in {time.perf_counter() - t0:.1f} s")

    best: dict[str, tuple[float, int, int, float, float]] = {}
    rights: dict[str, Counter[bool | None]] = {}
    n = 0
    rng = random.Random(7)  # the choice runs' ids
    krng = random.Random(13)  # the other kinds' ids and values
    for _ in range(a.rounds):
        for name, kind, batching in runs:
            n += 1
            q = qs[n - 1]
            open_run(r, n)
            srv0, cli0 = redis_cpu(r), client_cpu(batching is None)
            if batching is None:
                fixed = None if kind == "choice" else answer_arg(q.public(n), fixed_value(q))
                assert fixed is None or fixed.ok, fixed
                dt = ceiling_run(server.port, n, answers, a.players, fixed)
            else:
                if kind == "choice":
                    ids = [rng.randrange(a.players) for _ in range(answers)]
                    coro = engine_run(
                        server.port, n, ids, a.callers, batching,
                        per_call=a.per_call, in_flight=a.in_flight,
                    )  # fmt: skip
                else:
                    ids = [krng.randrange(a.players) for _ in range(answers)]
                    draw = value_drawer(q, krng)
                    values = [draw() for _ in range(answers)]
                    coro = engine_run(
                        server.port, n, ids, a.callers, batching, q.public(n), values,
                        per_call=a.per_call, in_flight=a.in_flight,
                    )  # fmt: skip
                if use_uvloop:
                    dt, st, right = uvloop.run(coro)
                else:
                    dt, st, right = asyncio.run(coro)
                bad = {k: v for k, v in st.items() if k not in ("ok", "already_answered")}
                if bad or sum(st.values()) != answers:
                    sys.exit(f"{name}: unexpected replies {dict(st)}")
                if kind != "choice" and (not right[True] or not right[False]):
                    sys.exit(f"{name}: the values should mix right and wrong: {dict(right)}")
                rights[name] = right
            cpu = ((redis_cpu(r) - srv0) / answers, (client_cpu(batching is None) - cli0) / answers)
            first, again = close_run(r, n, answers)
            if batching is not None and first != st["ok"]:
                sys.exit(f"{name}: {st['ok']} ok replies but {first} answers recorded")
            if batching is None and first == 0:
                sys.exit(f"{name}: no answer recorded (the script refused the fixed argument?)")
            if name not in best or dt < best[name][0]:
                best[name] = (dt, first, again, *cpu)

    ceiling = answers / best[CEILING][0]
    width = max(31, *(len(name) for name, _, _ in runs))
    loop = "uvloop" if use_uvloop else "asyncio"
    print()
    print(f"answers per run: {answers:,} from random ids in [0, {a.players:,}); engine: "
          f"{a.callers} concurrent callers on {loop}; best of {a.rounds} rounds")  # fmt: skip
    head = (
        f"{'run':<{width}} {'answers':>7} {'repeats':>7} {'seconds':>7} {'answers/s':>9} "
        f"{'ceiling':>7} {'redis us/ans':>12} {'client us/ans':>13}"
    )
    print(head)
    print("-" * len(head))
    for name, _, _ in runs:
        dt, first, again, srv, cli = best[name]
        rate = answers / dt
        print(
            f"{name:<{width}} {answers:>7,} {again / answers:>7.1%} {dt:>7.2f} {rate:>9,.0f} "
            f"{rate / ceiling:>7.0%} {srv * 1e6:>12.1f} {cli * 1e6:>13.1f}"
        )
    print("repeats: share of answers refused as already_answered (a random id drawn twice)")
    print("us/ans: CPU microseconds per answer of redis-server and of the client process")
    print("(the engine's Python process; redis-benchmark for the ceiling)")
    shares, own = [], []
    for k in () if a.only_choice else KINDS:
        eng, ceil = f"engine, micro-batched, {k}", f"redis-benchmark, {k}, fixed"
        shares.append(f"{k} {rights[eng][True] / max(1, rights[eng].total()):.0%}")
        own.append(f"{k} {best[ceil][0] / best[eng][0]:.0%}")
    print(f"ceiling: share of the choice ceiling ({CEILING})")
    if shares:
        print("per kind: the engine sends varied values (right, of first answers: "
              f"{', '.join(shares)}); redis-benchmark repeats one fixed right value")  # fmt: skip
        print(f"per kind, engine as a share of its kind's fixed-value line: {', '.join(own)}")
    print(f"submit_batch: {a.per_call} answers per call at most, {a.in_flight} calls on the wire")
    if a.teams:
        # every scoring answer of every run added to its team: the team board
        # must hold exactly the players' totals
        eng = SyncEngine(r)
        counts = eng.run(ops.team_counts(GAME))
        totals = [st.total for st in eng.run(flush.stats_all(GAME)).values()]
        held = sum(counts.get(f"tot{i}", 0) for i in range(a.teams))
        ok = "yes" if held == sum(totals) else f"NO ({held:,} != {sum(totals):,})"
        print(f"teams: {a.teams}; the team board equals the sum of the players' totals: {ok}")
    print()
    for line in machine():
        print(line)
    single, batched = answers / best[SINGLE][0], answers / best[BATCHED][0]
    print(
        f"one game: {batched:,.0f} answers/s ({batched / single:.1f}x the single-answer script, "
        "same run)"
    )


if __name__ == "__main__":
    main()
