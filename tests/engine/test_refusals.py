"""Every refusal of submit_answer has its own status, and a refused answer
changes nothing (docs/engine.md: callers never guess)."""

from __future__ import annotations

from typing import Any

import pytest

from engine import Engine, SyncEngine, keys, ops

from .util import close_q, join, new_game, open_q, q, submit_at


def _untouched(sync_redis: Any, game: str, n: int) -> None:
    assert sync_redis.hlen(keys.answers(game, n)) == 0
    assert sync_redis.exists(keys.log(game)) == 0


async def test_not_open(engine: Engine, sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q(), q()])
    p = join(sync_engine, game_id, "a")
    r = await engine.submit_answer(game=game_id, player=p, question=1, choices=[1])
    assert r.status == "not_open"
    open_q(sync_engine, game_id, 1)
    r = await engine.submit_answer(game=game_id, player=p, question=2, choices=[1])
    assert r.status == "not_open"  # question 2 exists but is not the open one


async def test_wrong_question(engine: Engine, sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q(), q()])
    p = join(sync_engine, game_id, "a")
    open_q(sync_engine, game_id, 1)
    for n in (0, 3, 99):
        r = await engine.submit_answer(game=game_id, player=p, question=n, choices=[1])
        assert r.status == "wrong_question"


async def test_already_answered_returns_the_recorded_answer(
    engine: Engine, sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q()])
    p = join(sync_engine, game_id, "a")
    open_q(sync_engine, game_id, 1)
    first = submit_at(sync_redis, game_id, p, 1, [1], elapsed_ms=2000)
    again = await engine.submit_answer(game=game_id, player=p, question=1, choices=[0])
    assert again.status == "already_answered"
    assert (again.points, again.correct, again.elapsed_ms) == (967, True, first.elapsed_ms)


async def test_too_late_after_the_deadline_and_after_close(
    engine: Engine, sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(limit=30), q()])
    a, b = join(sync_engine, game_id, "a"), join(sync_engine, game_id, "b")
    open_q(sync_engine, game_id, 1)
    # 30.001 s after opening a 30 s question: the deadline has passed.
    r = submit_at(sync_redis, game_id, a, 1, [1], elapsed_ms=30_001)
    assert r.status == "too_late"
    _untouched(sync_redis, game_id, 1)
    # Just inside the deadline still counts, for half the points.
    r = submit_at(sync_redis, game_id, b, 1, [1], elapsed_ms=29_990)
    assert (r.status, r.points) == ("ok", 500)
    close_q(sync_engine, game_id, 1)
    r = await engine.submit_answer(game=game_id, player=a, question=1, choices=[1])
    assert r.status == "too_late"


async def test_unknown_player_and_unknown_game(
    engine: Engine, sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q()])
    join(sync_engine, game_id, "a")
    open_q(sync_engine, game_id, 1)
    r = await engine.submit_answer(game=game_id, player=999, question=1, choices=[1])
    assert r.status == "unknown_player"
    _untouched(sync_redis, game_id, 1)
    r = await engine.submit_answer(game=game_id + "x", player=1, question=1, choices=[1])
    assert r.status == "unknown_game"


async def test_game_finished(engine: Engine, sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    p = join(sync_engine, game_id, "a")
    open_q(sync_engine, game_id, 1)
    assert (await engine.end_game(game=game_id)).changed
    r = await engine.submit_answer(game=game_id, player=p, question=1, choices=[1])
    assert r.status == "game_finished"
    qs = sync_engine.run(ops.question_state(game_id, 1))
    assert qs is not None and qs.state == "closed"  # end_game closed it


@pytest.mark.parametrize(
    "choices",
    [[4], [-1], [9, 1], [1, 1], [], [0, 2, 0]],
    ids=["past-last", "negative", "one-out-of-range", "duplicate", "empty", "dup-in-multi"],
)
async def test_bad_choice(
    engine: Engine, sync_engine: SyncEngine, sync_redis: Any, game_id: str, choices: list[int]
) -> None:
    new_game(sync_engine, game_id, [q(n_choices=4)])
    p = join(sync_engine, game_id, "a")
    open_q(sync_engine, game_id, 1)
    r = await engine.submit_answer(game=game_id, player=p, question=1, choices=choices)
    assert r.status == "bad_choice"
    _untouched(sync_redis, game_id, 1)
    # A refused answer is not an answer: the player can still answer.
    r = await engine.submit_answer(game=game_id, player=p, question=1, choices=[3])
    assert r.status == "ok"


async def test_kicked(
    engine: Engine, sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q()])
    a, b = join(sync_engine, game_id, "a"), join(sync_engine, game_id, "b")
    assert sync_engine.run(ops.kick(game_id, a)).changed
    open_q(sync_engine, game_id, 1)
    r = await engine.submit_answer(game=game_id, player=a, question=1, choices=[1])
    assert r.status == "kicked"
    _untouched(sync_redis, game_id, 1)
    # Off the board, out of the count; the others are unaffected.
    assert [e.player for e in sync_engine.run(ops.top(game_id, 10))] == [b]
    gs = sync_engine.run(ops.game_state(game_id))
    assert gs is not None and gs.players == 1
    st = sync_engine.run(ops.standings(game_id, [a]))[0]
    assert st is not None and st.stats.kicked and st.rank == 0
    assert sync_engine.run(ops.kick(game_id, 999)).status == "unknown_player"
