"""A script that runs twice (a client retry after a lost reply) changes
nothing the second time (docs/engine.md, Scripts)."""

from __future__ import annotations

from typing import Any

from engine import Engine, Settings, SyncEngine, keys, ops
from engine.auth import hash_token

from .util import join, new_game, open_q, q


def _state(r: Any, game: str, players: list[int]) -> tuple[Any, ...]:
    """Everything an answer writes, to compare before and after a replay."""
    return (
        r.zrange(keys.board(game), 0, -1, withscores=True),
        r.hgetall(keys.stats(game)),
        r.hgetall(keys.answers(game, 1)),
        r.hgetall(keys.question(game, 1)),
        r.xlen(keys.log(game)),
        r.xlen(keys.events(game)),
        r.hgetall(keys.meta(game)),
        r.hgetall(keys.players(game)),
    )


def test_create_game_replay(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    created = sync_engine.run(ops.game_state(game_id))
    again = sync_engine.run(ops.create_game(game_id, [q(), q()], Settings(title="other")))
    assert (again.status, again.changed) == ("ok", False)
    after = sync_engine.run(ops.game_state(game_id))
    assert after == created and after is not None and after.n_questions == 1


def test_join_replay_returns_the_same_player(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q()])
    op = ops.join(game_id, nickname="Ana", nickname_key="ana", token_hash=hash_token("t1"))
    first = sync_engine.run(op)
    before = _state(sync_redis, game_id, [first.player])
    second = sync_engine.run(op)
    assert second.status == "ok" and second.player == first.player
    assert _state(sync_redis, game_id, [first.player]) == before
    gs = sync_engine.run(ops.game_state(game_id))
    assert gs is not None and gs.players == 1


def test_open_close_end_replays_report_unchanged(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(), q()])
    join(sync_engine, game_id, "a")
    o1 = sync_engine.run(ops.open_question(game_id, 1))
    before = _state(sync_redis, game_id, [])
    o2 = sync_engine.run(ops.open_question(game_id, 1))
    assert o1.changed and not o2.changed
    assert (o2.opened_ms, o2.deadline_ms, o2.round) == (o1.opened_ms, o1.deadline_ms, o1.round)
    assert _state(sync_redis, game_id, []) == before
    # Opening another question while one is open is refused, not a replay.
    assert sync_engine.run(ops.open_question(game_id, 2)).status == "question_open"

    c1 = sync_engine.run(ops.close_question(game_id, 1))
    before = _state(sync_redis, game_id, [])
    c2 = sync_engine.run(ops.close_question(game_id, 1))
    assert c1.changed and not c2.changed and c2.ms == c1.ms
    assert _state(sync_redis, game_id, []) == before
    assert sync_engine.run(ops.open_question(game_id, 1)).status == "already_played"

    e1 = sync_engine.end_game(game=game_id)
    before = _state(sync_redis, game_id, [])
    e2 = sync_engine.end_game(game=game_id)
    assert e1.changed and not e2.changed and e2.ms == e1.ms
    assert _state(sync_redis, game_id, []) == before
    assert sync_engine.run(ops.open_question(game_id, 2)).status == "game_finished"


def test_kick_and_lock_join_replays(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    p = join(sync_engine, game_id, "a")
    assert sync_engine.run(ops.kick(game_id, p)).changed
    assert not sync_engine.run(ops.kick(game_id, p)).changed
    assert sync_engine.run(ops.lock_join(game_id, True)).changed
    assert not sync_engine.run(ops.lock_join(game_id, True)).changed
    gs = sync_engine.run(ops.game_state(game_id))
    assert gs is not None and gs.players == 0 and gs.join_locked


async def test_submit_replay_changes_nothing(
    engine: Engine, sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q()])
    a, b = join(sync_engine, game_id, "a"), join(sync_engine, game_id, "b")
    open_q(sync_engine, game_id, 1)
    first = await engine.submit_answer(game=game_id, player=a, question=1, choices=[1])
    assert first.status == "ok" and first.points == 1000
    before = _state(sync_redis, game_id, [a, b])
    # The very same call again (a retry), and the same call twice in one
    # pipeline, as a lost reply would produce.
    again = await engine.submit_answer(game=game_id, player=a, question=1, choices=[1])
    twice = sync_engine.call_many([ops.submit_call(game_id, a, 1, [1])] * 2)
    assert again.status == "already_answered" and again.points == 1000
    assert [ops.decode_answer(x).status for x in twice] == ["already_answered"] * 2
    assert _state(sync_redis, game_id, [a, b]) == before
    top = sync_engine.run(ops.top(game_id, 5))
    assert [(e.player, e.score) for e in top] == [(a, 1000), (b, 0)]
    qs = sync_engine.run(ops.question_state(game_id, 1))
    assert qs is not None and qs.answered == 1 and qs.counts == [0, 1, 0, 0]
