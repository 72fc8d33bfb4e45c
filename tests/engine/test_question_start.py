"""question_start: closing the open question and opening the next is one
atomic step (engine/lua/question_start.lua), with the replies and refusals
the host's start_question had when it was two calls."""

from __future__ import annotations

from typing import Any

from engine import Engine, SyncEngine, keys, ops

from .util import close_q, join, new_game, q


def _events(r: Any, game: str) -> list[tuple[str, str]]:
    """The stream's lifecycle events, oldest first, as (type, question)."""
    out = []
    for _id, f in r.xrange(keys.events(game)):
        t = f[b"t"].decode()
        if t in ("open", "close"):
            out.append((t, f[b"q"].decode()))
    return out


def _written(r: Any, game: str, n: int) -> tuple[Any, ...]:
    return (
        r.hgetall(keys.meta(game)),
        *(r.hgetall(keys.question(game, i)) for i in range(1, n + 1)),
        r.xlen(keys.events(game)),
    )


def test_opens_the_first_question_from_the_lobby(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q(limit=20), q()])
    r = sync_engine.question_start(game=game_id)
    assert r.status == "ok" and r.changed and r.round == 1
    assert r.deadline_ms - r.opened_ms == 20_000
    st = sync_engine.run(ops.game_state(game_id))
    assert st is not None and (st.state, st.question, st.round) == ("question", 1, 1)
    qs = sync_engine.run(ops.question_state(game_id, 1))
    assert qs is not None and (qs.state, qs.opened_ms) == ("open", r.opened_ms)


def test_closes_the_open_question_and_opens_the_next_with_both_events_in_order(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(), q(), q()])
    join(sync_engine, game_id, "a")
    assert sync_engine.question_start(game=game_id, question=1).changed
    second = sync_engine.question_start(game=game_id)  # the next one: 2
    assert second.status == "ok" and second.changed and second.round == 2
    q1 = sync_engine.run(ops.question_state(game_id, 1))
    q2 = sync_engine.run(ops.question_state(game_id, 2))
    assert q1 is not None and q2 is not None
    assert (q1.state, q2.state) == ("closed", "open")
    assert q1.closed_ms == q2.opened_ms == second.opened_ms  # one step, one clock reading
    st = sync_engine.run(ops.game_state(game_id))
    assert st is not None and (st.state, st.question) == ("question", 2)
    # the close of 1 then the open of 2, next to each other at the stream's end
    assert _events(sync_redis, game_id) == [("open", "1"), ("close", "1"), ("open", "2")]
    last = sync_redis.xrevrange(keys.events(game_id), count=2)[::-1]
    assert [(f[b"t"], f[b"q"]) for _, f in last] == [(b"close", b"1"), (b"open", b"2")]
    # skipping ahead to 3 also closes 2 first
    assert sync_engine.question_start(game=game_id, question=3).changed
    assert _events(sync_redis, game_id)[-2:] == [("close", "2"), ("open", "3")]


def test_a_closed_question_is_not_closed_again(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(), q()])
    sync_engine.question_start(game=game_id)
    close_q(sync_engine, game_id, 1)
    assert sync_engine.question_start(game=game_id).changed
    assert _events(sync_redis, game_id) == [("open", "1"), ("close", "1"), ("open", "2")]


def test_a_replay_of_the_open_question_changes_nothing(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(), q()])
    first = sync_engine.question_start(game=game_id, question=1)
    before = _written(sync_redis, game_id, 2)
    again = sync_engine.question_start(game=game_id, question=1)
    assert again.status == "ok" and not again.changed
    assert (again.opened_ms, again.deadline_ms, again.round) == (
        first.opened_ms,
        first.deadline_ms,
        first.round,
    )
    assert _written(sync_redis, game_id, 2) == before


def test_refusals_change_nothing(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    new_game(sync_engine, game_id, [q(), q()])
    sync_engine.question_start(game=game_id, question=1)
    sync_engine.question_start(game=game_id, question=2)
    before = _written(sync_redis, game_id, 2)
    # question 1 was played: refused, and question 2 stays open
    assert sync_engine.question_start(game=game_id, question=1).status == "already_played"
    # past the last question, by default or by number
    assert sync_engine.question_start(game=game_id).status == "no_more_questions"
    assert sync_engine.question_start(game=game_id, question=9).status == "no_more_questions"
    assert _written(sync_redis, game_id, 2) == before
    sync_engine.end_game(game=game_id)
    assert sync_engine.question_start(game=game_id, question=2).status == "game_finished"
    assert sync_engine.question_start(game="nosuchgame" + game_id).status == "unknown_game"


def test_a_stale_read_is_refused_with_retry(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    """The caller names the question it read as current (its key must be
    given to the script); if another start moved the game on, nothing is
    written and the engine reads again."""
    new_game(sync_engine, game_id, [q(), q(), q()])
    sync_engine.question_start(game=game_id, question=1)
    before = _written(sync_redis, game_id, 3)
    assert sync_engine.run(ops.question_start(game_id, 0, 2)).status == "retry"
    assert _written(sync_redis, game_id, 3) == before
    assert sync_engine.run(ops.question_start(game_id, 1, 2)).changed


async def test_async_engine_starts_questions(
    engine: Engine, sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(), q()])
    assert (await engine.question_start(game=game_id)).changed
    r = await engine.question_start(game=game_id)
    assert r.status == "ok" and r.round == 2
    assert (await engine.question_start(game=game_id)).status == "no_more_questions"
    assert _events(sync_redis, game_id) == [("open", "1"), ("close", "1"), ("open", "2")]
