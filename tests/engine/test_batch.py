"""submit_batch.lua against submit_answer.lua: a batch of answers gives
exactly what the same answers sent one by one give (docs/engine.md,
"submit_batch"), reply by reply and key by key.

Two identical games are laid down (restore_game, so both have the same
players, stats, teams and clock origin); one gets the answers one by one
through submit_answer, the other the same answers cut into random batches
through submit_batch. Both scripts read Redis time once per call; to make
the two runs comparable to the millisecond, both are run here as clock
variants whose ``redis.call('TIME')`` reads the time from their last
argument instead (every other line is the shipped script), and the answers
of one batch get that batch's time on the one-by-one side too: what one
Redis time per batch means. Everything else is real: real Redis, the
shipped scoring, the same argument builders as the engine.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from typing import Any

import pytest

from engine import Engine, Question, Settings, SyncEngine, keys, kinds, ops
from engine.batching import AnswerBatcher
from engine.calls import DEFAULT_EVENTS_MAXLEN, Call, bind, knobs
from engine.kinds import AnswerArg
from engine.layout import Snapshot, Stats
from engine.restore import PlayerRecord, restore_game
from engine.scripts import SCRIPTS

from .util import join, new_game, open_q, q

CLOCK = "redis.call('TIME')"
FROZEN = "{tostring(math.floor(tonumber(ARGV[#ARGV]) / 1000)), tostring((tonumber(ARGV[#ARGV]) % 1000) * 1000)}"  # noqa: E501


def _frozen(name: str) -> str:
    src = SCRIPTS[name].source
    assert src.count(CLOCK) == 1, name  # one Redis time per call
    return src.replace(CLOCK, FROZEN)


def _q(kind: str, **kw: Any) -> Question:
    base: dict[str, Any] = {"text": kind, "choices": [], "correct": set(), "time_limit": 20}
    return Question(**{**base, "kind": kind, **kw})


QUESTIONS = [
    _q("choice", choices=["a", "b", "c", "d"], correct={1}),
    _q("choice", choices=["a", "b", "c", "d"], correct={0, 2}, multiplier=2),
    _q("poll", choices=["x", "y", "z"], multiplier=0),
    _q("true_false", choices=["True", "False"], correct={0}),
    _q("info", multiplier=0),
    _q("slider", min=0, max=100, step=1, answer=50, tolerance=10),
    _q("type_answer", accepted=["Wembley Stadium", "Wembley"]),
    _q("word_cloud", max_length=20, multiplier=0),
    _q("ordering", items=["1930", "1950", "1966", "1970"]),
    _q("choice", choices=["a", "b"], correct={0}, multiplier=0),
]
TEXTS = ["Wembley", "wembley stadium!", "Anfield", "San Siro", "  WEMBLEY ", "Camp Nou", "x|y"]
T0 = 1_800_000_000_000  # the frozen clock's answers opening, ms


def _value(q: Question, n: int, rng: random.Random) -> AnswerArg:
    """A checked answer to ``q``, about half right, or now and then one the
    script itself refuses (built past answer_arg's checks)."""
    pub = q.public(n)
    bad = rng.random() < 0.1
    if q.kind in ("choice", "poll", "true_false"):
        if bad:
            return rng.choice([AnswerArg("ok", "9", [9]), AnswerArg("ok", "1,1", [1, 1]),
                               AnswerArg("ok", "", [])])  # fmt: skip
        k = 1 if q.kind != "choice" else rng.choice([1, 1, 2])
        picks = rng.sample(range(len(q.choices)), k)
        return AnswerArg("ok", ",".join(map(str, picks)), picks)
    if q.kind == "slider":
        if bad:
            return AnswerArg("ok", rng.choice(["101", "-1", "x", "2.5"]), 0)
        a = kinds.answer_arg(pub, rng.randrange(101))
    elif q.kind in ("type_answer", "word_cloud"):
        a = kinds.answer_arg(pub, rng.choice(TEXTS), may_show=lambda _t: rng.random() < 0.8)
    elif q.kind == "ordering":
        if bad:
            return AnswerArg("ok", "0,0,1,2", [0, 0, 1, 2])
        right = kinds.reveal(q)["order"]
        a = kinds.answer_arg(pub, right if rng.random() < 0.5 else rng.sample(right, len(right)))
    else:  # info
        return AnswerArg("ok", "0", [0])
    assert a.ok, a
    return a


def _lay(r: Any, game: str, players: int, teams: int) -> None:
    """``players`` players (ids 0..N-1) in ``teams`` teams, some of them
    kicked, some with a streak and points from before; the same for every
    game given the same arguments."""
    rng = random.Random(players * 31 + teams)
    recs = []
    for p in range(players):
        total = rng.choice([0, 0, 500, 967, 1400])
        st = Stats(
            total=total, streak=rng.choice([0, 1, 2]), streak_round=0, correct=1 if total else 0,
            best=2, version=3, reached_ms=rng.randrange(1, 5000), kicked=rng.random() < 0.08,
            team=p % teams if teams else -1,
        )  # fmt: skip
        recs.append(PlayerRecord(p, f"p{p}", f"p{p}", f"tok{p}", st))
    settings = Settings(team_names=[f"T{i}" for i in range(teams)], team_mode="choose")
    snap = Snapshot({"created_ms": str(T0 - 60_000)}, {})
    done = SyncEngine(r).run(
        restore_game(game, questions=QUESTIONS, settings=settings, snapshot=snap,
                     players=recs, answers=[])
    )  # fmt: skip
    assert done.ok, done


def _open(r: Any, game: str, n: int) -> None:
    eng = SyncEngine(r)
    opened = eng.question_start(game=game, question=n)
    assert opened.status == "ok", opened
    limit = QUESTIONS[n - 1].time_limit * 1000
    r.hset(keys.question(game, n), mapping={
        "opened_ms": T0, "open_ms": T0, "deadline_ms": T0 + limit})  # fmt: skip


def _args(call: Call) -> list[Any]:
    return list(bind(call.args, knobs()))


def _one_by_one(
    r: Any, game: str, n: int, answers: list[tuple[Any, AnswerArg]], now: int
) -> list[Any]:  # noqa: E501
    out = []
    src = _frozen("submit_answer")
    for player, a in answers:
        call = ops.submit_call(game, player, n, a)
        out.append(r.eval(src, call.nkeys, *_args(call), now))
    return out


def _batched(
    r: Any, game: str, n: int, answers: list[tuple[Any, AnswerArg]], now: int
) -> list[Any]:  # noqa: E501
    call = ops.submit_batch_call(game, n, answers)
    return list(r.eval(_frozen("submit_batch"), call.nkeys, *_args(call), now))


def _log(r: Any, game: str) -> list[dict[bytes, bytes]]:
    return [f for _, f in r.xrange(keys.log(game))]


def _state(r: Any, game: str) -> dict[str, Any]:
    """Every key an answer writes, comparable across two games."""
    out: dict[str, Any] = {
        "board": r.zrange(keys.board(game), 0, -1, withscores=True),
        "stats": r.hgetall(keys.stats(game)),
        "dirty": r.smembers(keys.dirty(game)),
        "teams": r.hgetall(keys.teams(game)),
        "log": _log(r, game),
    }
    for n in range(1, len(QUESTIONS) + 1):
        out[f"ans:{n}"] = r.hgetall(keys.answers(game, n))
        # closed_ms: the question_start of the next question closes it at Redis time
        out[f"q:{n}"] = {k: v for k, v in r.hgetall(keys.question(game, n)).items()
                         if k != b"closed_ms"}  # fmt: skip
        out[f"txt:{n}"] = r.zrange(keys.texts(game, n), 0, -1, withscores=True)
    return out


def _answers_taken(r: Any, game: str) -> int:
    """Answers the events stream says were taken: one per event of the
    one-by-one script, ``k`` per event of the batch script."""
    taken = 0
    for _, f in r.xrange(keys.events(game)):
        if f.get(b"t") == b"ans":
            taken += int(f.get(b"k", b"1"))
    return taken


@pytest.fixture
def two_games(sync_redis: Any, game_id: str) -> Iterator[tuple[str, str]]:
    other = game_id + "b"
    yield game_id, other
    sync_redis.delete(*keys.all_of(other, len(QUESTIONS)))


def _cuts(rng: random.Random, items: list[Any]) -> Iterator[list[Any]]:
    i = 0
    while i < len(items):
        k = rng.choice([1, 2, 3, 7, 20, 64])
        yield items[i : i + k]
        i += k


@pytest.mark.parametrize(("seed", "teams"), [(1, 0), (2, 3), (3, 0), (4, 5)])
def test_a_batch_gives_what_the_answers_one_by_one_give(
    sync_redis: Any, two_games: tuple[str, str], seed: int, teams: int
) -> None:
    r = sync_redis
    one, batch = two_games
    players = 60
    for g in two_games:
        _lay(r, g, players, teams)
    rng = random.Random(seed)
    seen: set[str] = set()
    for n, question in enumerate(QUESTIONS, 1):
        for g in two_games:
            _open(r, g, n)
        # answers from random players: repeats (the guard, also inside one
        # batch), kicked ones, unknown ids, zero-padded ids of known ones
        answers: list[tuple[Any, AnswerArg]] = []
        for _ in range(90):
            p: Any = rng.randrange(players)
            if rng.random() < 0.05:
                p = players + rng.randrange(5)
            elif rng.random() < 0.05:
                p = f"{p:04d}"
            answers.append((p, _value(question, n, rng)))
        # the batches, each at its own time (elapsed from 0 to past the limit)
        limit = question.time_limit * 1000
        cuts = list(_cuts(rng, answers))
        times = sorted(T0 + rng.randrange(0, limit) for _ in cuts)
        times[0] = T0 - 3  # the first batch before answers open: not_open
        if len(times) > 2:
            times[-1] = T0 + limit + 1  # the last after the deadline: too_late
        sent = []
        for part, now in zip(cuts, times, strict=True):
            paused = rng.random() < 0.1
            if paused:
                for g in two_games:
                    r.hset(keys.question(g, n), "paused_at", now - 1)
            got_one = _one_by_one(r, one, n, part, now)
            got_batch = _batched(r, batch, n, part, now)
            assert got_batch == got_one, (n, question.kind, part)
            seen.update(x[0].decode() for x in got_one)
            if paused:
                for g in two_games:
                    r.hset(keys.question(g, n), "paused_at", 0)
            else:
                sent.append((part, now))
        # every batch sent again as it was (a lost connection's retry): the
        # answers taken come back already_answered, nothing more is written
        before = _state(r, batch)
        for part, now in sent:
            again = _batched(r, batch, n, part, now)
            assert again == _one_by_one(r, one, n, part, now)
            assert all(x[0] != b"ok" for x in again)
        assert _state(r, batch) == before
    assert _state(r, batch) == _state(r, one)
    assert _answers_taken(r, batch) == _answers_taken(r, one) == len(_log(r, one)) > 0
    # the runs went through every reply the scripts have for these answers
    assert seen >= {"ok", "already_answered", "not_open", "too_late", "unknown_player", "kicked",
                    "bad_choice", "bad_value", "no_answers"}  # fmt: skip


def test_refusals_of_the_whole_game_or_question_refuse_each_answer(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(), q()])
    a, b = join(sync_engine, game_id, "a"), join(sync_engine, game_id, "b")

    def statuses(game: str, n: int) -> list[str]:
        got = sync_engine.run(ops.submit_batch(game, n, [(a, [1]), (b, [2])]))
        return [x.status for x in got]

    assert statuses(game_id + "x", 1) == ["unknown_game"] * 2
    assert statuses(game_id, 1) == ["not_open"] * 2  # not started
    assert statuses(game_id, 3) == ["wrong_question"] * 2
    open_q(sync_engine, game_id, 1)
    assert statuses(game_id, 1) == ["ok", "ok"]
    assert sync_engine.run(ops.pause_question(game_id, 1)).ok
    # the recorded answers come back first, as with submit_answer
    assert statuses(game_id, 1) == ["already_answered"] * 2
    sync_engine.run(ops.resume_question(game_id, 1))
    assert sync_engine.run(ops.end_game(game_id, 1)).ok
    assert statuses(game_id, 1) == ["game_finished"] * 2


def test_one_event_per_batch_and_one_log_entry_per_answer(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q()])
    ps = [join(sync_engine, game_id, f"p{i}") for i in range(5)]
    open_q(sync_engine, game_id, 1)
    before = sync_redis.xlen(keys.events(game_id))
    got = sync_engine.run(ops.submit_batch(game_id, 1, [(p, [1]) for p in ps] + [(ps[0], [2])]))
    assert [x.status for x in got] == ["ok"] * 5 + ["already_answered"]
    # ranks as acked: each the rank just after its own answer (equal totals
    # at one time: the greater id as a string first, docs/engine.md)
    assert [x.rank for x in got[:5]] == [1, 1, 1, 1, 1]
    assert [x.points for x in got[:5]] == [1000] * 5
    (ev,) = sync_redis.xrange(keys.events(game_id))[before:]
    assert ev[1] == {b"t": b"ans", b"q": b"1", b"k": b"5"}
    assert [int(f[b"p"]) for f in _log(sync_redis, game_id)] == ps
    assert sync_redis.smembers(keys.dirty(game_id)) >= {str(p).encode() for p in ps}
    with pytest.raises(ValueError):
        ops.submit_batch_call(game_id, 1, [])
    with pytest.raises(ValueError):
        ops.submit_batch_call(game_id, 1, [(1, ops.answer_of([1]))] * (ops.SUBMIT_BATCH_MAX + 1))


async def test_the_engine_sends_concurrent_answers_as_batches(
    async_redis: Any, sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    """Through Engine.submit_answer (the answer pipe): answers of one loop
    iteration go in one submit_batch call; every caller gets its own reply,
    a player's second answer is already_answered."""
    new_game(sync_engine, game_id, [q(), q()])
    ps = [join(sync_engine, game_id, f"p{i}") for i in range(300)]
    open_q(sync_engine, game_id, 1)
    eng = Engine(async_redis)
    try:
        assert eng.pipe is not None
        # connected first, so that every answer below is queued in one loop turn
        early = await eng.submit_answer(game=game_id, player=ps[0], question=2, choices=[1])
        assert early.status == "not_open"
        eng.pipe.submitted = eng.pipe.calls = 0
        res = await asyncio.gather(
            *(eng.submit_answer(game=game_id, player=p, question=1, choices=[1]) for p in ps),
            eng.submit_answer(game=game_id, player=ps[7], question=1, choices=[2]),
            eng.submit_answer(game=game_id, player=10_000, question=1, choices=[1]),
            eng.submit_answer(game=game_id, player=ps[8], question=2, choices=[1]),
        )
        assert [r.status for r in res] == ["ok"] * 300 + ["already_answered", "unknown_player",
                                                          "not_open"]  # fmt: skip
        assert res[300].points == res[7].points == 1000
        assert sorted(r.version for r in res[:300]) == [2] * 300
        # one loop turn's answers: question 1's 302 in calls of 64 (5), and
        # question 2's one in a call of its own (two calls at a time on the
        # wire, the next sent as one comes back)
        assert (eng.pipe.submitted, eng.pipe.calls, eng.pipe.calls_peak) == (303, 6, 2)
        assert sync_redis.hlen(keys.answers(game_id, 1)) == 300
        assert sync_redis.xlen(keys.log(game_id)) == 300
        taken = [int(f[b"k"]) for _, f in sync_redis.xrange(keys.events(game_id))
                 if f[b"t"] == b"ans"]  # fmt: skip
        assert sum(taken) == 300 and len(taken) < 300
    finally:
        await eng.aclose()


async def test_the_generic_batcher_regroups_answers_into_batch_calls(
    async_redis: Any, sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    """The path of Redis Cluster clients and replica waits: a redis-py
    pipeline, its submit_answer calls sent as one submit_batch call per
    question; every caller gets its own reply."""
    new_game(sync_engine, game_id, [q(), q()])
    ps = [join(sync_engine, game_id, f"p{i}") for i in range(40)]
    open_q(sync_engine, game_id, 1)
    eng = Engine(async_redis)
    sent: list[int] = []

    async def send(calls: Any) -> list[Any]:
        sent.append(len(calls))
        return await eng.call_many(calls)

    eng.batcher = AnswerBatcher(send, batch_script=True)
    try:
        res = await asyncio.gather(
            *(eng.submit_answer(game=game_id, player=p, question=1, choices=[p % 4]) for p in ps),
            eng.submit_answer(game=game_id, player=ps[3], question=2, choices=[1]),
            eng.submit_answer(game=game_id, player=ps[3], question=1, choices=[1]),
        )
    finally:
        await eng.aclose()
    assert [r.status for r in res] == ["ok"] * 40 + ["not_open", "already_answered"]
    assert [r.correct for r in res[:40]] == [p % 4 == 1 for p in ps]
    assert res[41].correct == res[3].correct
    assert sent == [2]  # one call per question
    assert sync_redis.hlen(keys.answers(game_id, 1)) == 40


def test_regrouping_keeps_other_calls_and_each_reply_in_place() -> None:
    a = ops.submit_call("g", 1, 1, [0])
    b = ops.submit_call("g", 2, 1, [1])
    c = ops.submit_call("g", 3, 2, [1])
    other = ops.cmd("GET", "x")
    out, split = ops.submit_regrouped([a, other, b, c])
    assert [x.script for x in out] == ["submit_batch", None, "submit_batch"]
    assert out[0].args[10:] == (1, ops.EVENTS_MAXLEN, 1, "0", "[0]", 1, 2, "1", "[1]", 1)
    assert split([["ra", "rb"], "rx", ["rc"]]) == ["ra", "rx", "rb", "rc"]


def test_the_events_maxlen_knob_reaches_the_batch() -> None:
    call = ops.submit_batch_call("g", 1, [(1, ops.answer_of([1]))])
    assert call.args[11] is ops.EVENTS_MAXLEN and DEFAULT_EVENTS_MAXLEN not in call.args
