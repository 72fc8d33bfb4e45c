"""restore_game lays a game down from plain values, as play left it: a game
played through the scripts, read back by the flusher's reads, deleted and
restored, reads the same (the epoch one up, a resync event last)."""

from __future__ import annotations

from typing import Any

from engine import (
    Settings,
    SyncEngine,
    answer_log,
    flush,
    housekeeping,
    keys,
    ops,
    restore,
)
from engine.auth import hash_token
from engine.layout import Snapshot, Stats

from .util import close_q, join, new_game, open_q, q, submit_at

QUESTIONS = [q(), q(correct=(0, 2)), q()]
SETTINGS = Settings(title="Restored", max_players=20, late_join=False)


def _played(eng: SyncEngine, redis: Any, game: str) -> list[int]:
    """Four players; one kicked; question 1 closed, question 2 open."""
    new_game(eng, game, QUESTIONS, SETTINGS)
    ps = [join(eng, game, name) for name in ("Ann", "Bob", "Cy", "Dee")]
    open_q(eng, game, 1)
    submit_at(redis, game, ps[0], 1, [1], elapsed_ms=1000)
    submit_at(redis, game, ps[1], 1, [1], elapsed_ms=3000)
    submit_at(redis, game, ps[2], 1, [0], elapsed_ms=500)
    close_q(eng, game, 1)
    assert eng.run(ops.kick(game, ps[3])).changed
    open_q(eng, game, 2)
    submit_at(redis, game, ps[1], 2, [0, 2], elapsed_ms=2000)
    return ps


def _record(eng: SyncEngine, game: str, ps: list[int]) -> dict[str, Any]:
    """What the flusher would have kept of the game."""
    snap = flush.snapshot(eng, game)
    assert snap is not None
    names = dict(zip(ps, eng.run(ops.nicknames(game, ps)), strict=True))
    stats = eng.run(flush.stats_all(game))
    return {
        "snapshot": snap,
        "players": [
            restore.PlayerRecord(
                p, names[p], names[p].casefold(), hash_token(f"tok-{names[p]}"), stats[p]
            )
            for p in ps
        ],
        "answers": [
            restore.AnswerRecord(n, p, a)
            for n, per in eng.run(flush.answers_all(game, 3)).items()
            for p, a in per.items()
        ],
    }


def _view(eng: SyncEngine, redis: Any, game: str) -> dict[str, Any]:
    meta = eng.run(flush.meta_all(game))
    return {
        "meta": {k: v for k, v in meta.items() if k != "epoch"},
        "questions": [eng.run(ops.question_state(game, n)) for n in (1, 2, 3)],
        "stats": eng.run(flush.stats_all(game)),
        "answers": eng.run(flush.answers_all(game, 3)),
        "board": redis.zrange(keys.board(game), 0, -1, withscores=True),
        "players": eng.run(ops.all_players(game)),
        "nicks": redis.hgetall(keys.nicks(game)),
        "tokens": redis.hgetall(keys.tokens(game)),
    }


def test_a_restored_game_reads_as_it_was_played(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    ps = _played(sync_engine, sync_redis, game_id)
    was = _view(sync_engine, sync_redis, game_id)
    record = _record(sync_engine, game_id, ps)
    sync_engine.run(housekeeping.delete_game(game_id, 3))

    done = sync_engine.run(
        restore.restore_game(
            game_id, questions=QUESTIONS, settings=SETTINGS, durable_epoch=1, **record
        )
    )
    assert done.ok and done.epoch == 2
    assert _view(sync_engine, sync_redis, game_id) == was
    state = sync_engine.run(ops.game_state(game_id))
    assert state is not None
    assert (state.epoch, state.state, state.question, state.players) == (2, "question", 2, 3)
    last = sync_redis.xrevrange(keys.events(game_id), count=1)[0]
    assert last[0].decode() == done.event
    assert last[1] == {b"t": b"resync", b"epoch": b"2"}
    # every player is marked for the next flush; the flusher's group is there
    assert sync_engine.run(flush.dirty_count(game_id)) == 4
    assert sync_engine.run(answer_log.position(game_id)).delivered == "0-0"

    # play goes on from there: one answer each, the next player id is new
    assert sync_engine.run(ops.submit_answer(game_id, ps[1], 2, [0])).status == "already_answered"
    assert sync_engine.run(ops.submit_answer(game_id, ps[3], 2, [0])).status == "kicked"
    assert sync_engine.run(ops.submit_answer(game_id, ps[0], 2, [0])).ok
    assert sync_engine.run(ops.lock_join(game_id, False)).ok
    close_q(sync_engine, game_id, 2)
    assert sync_engine.run(ops.open_question(game_id, 3)).round == 3


def test_restore_refuses_a_game_still_there_unless_replacing(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, QUESTIONS, SETTINGS)
    stray = join(sync_engine, game_id, "Stray")
    record = {
        "snapshot": Snapshot({}, {}),
        "players": [restore.PlayerRecord(9, "Ann", "ann", "", Stats(version=2))],
        "answers": [],
    }

    def again(replace: bool) -> restore.Restored:
        op = restore.restore_game(
            game_id, questions=QUESTIONS, settings=SETTINGS, replace=replace, **record
        )
        return sync_engine.run(op)

    assert again(False).status == "game_exists"
    assert sync_engine.run(ops.all_players(game_id)) == {stray: "Stray"}  # untouched
    assert again(True).ok
    assert sync_engine.run(ops.all_players(game_id)) == {9: "Ann"}  # the stray is gone
    assert sync_redis.hlen(keys.tokens(game_id)) == 0  # no token hash: none restored
    assert sync_engine.run(flush.stats_all(game_id)) == {9: Stats(version=2)}
