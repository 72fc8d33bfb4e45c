"""The read side: top N, a window around a player, standings, the snapshot
(game and question state with answered count and per-choice distribution),
and the effect of kick and lock_join on them."""

from __future__ import annotations

from typing import Any

from engine import Engine, Settings, SyncEngine, ops

from .util import age_game, close_q, join, new_game, open_q, q, submit_at


def _board_of_five(sync_engine: SyncEngine, sync_redis: Any, game: str) -> list[int]:
    """Players p1..p5 scoring 1000, 967, 950, 0 (wrong) and nothing."""
    new_game(sync_engine, game, [q(limit=30), q()], Settings(title="Quiz night"))
    ps = []
    for i in range(1, 6):
        ps.append(join(sync_engine, game, f"P{i}"))
        age_game(sync_redis, game, 10)  # joined 10 ms apart: a known order at 0
    open_q(sync_engine, game, 1)
    submit_at(sync_redis, game, ps[0], 1, [1], elapsed_ms=100)  # 1000
    submit_at(sync_redis, game, ps[1], 1, [1], elapsed_ms=2000)  # 967
    submit_at(sync_redis, game, ps[2], 1, [1], elapsed_ms=3000)  # 950
    submit_at(sync_redis, game, ps[3], 1, [3], elapsed_ms=100)  # wrong
    return ps


def test_top_and_offset(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    ps = _board_of_five(sync_engine, sync_redis, game_id)
    top = sync_engine.run(ops.top(game_id, 3))
    assert [(e.player, e.nickname, e.score, e.rank) for e in top] == [
        (ps[0], "P1", 1000, 1),
        (ps[1], "P2", 967, 2),
        (ps[2], "P3", 950, 3),
    ]
    rest = sync_engine.run(ops.top(game_id, 10, offset=3))
    # p4 and p5 both have 0 and reached it on joining: p4 joined first.
    assert [(e.player, e.score, e.rank) for e in rest] == [(ps[3], 0, 4), (ps[4], 0, 5)]
    assert sync_engine.run(ops.top(game_id + "x", 3)) == []


def test_window_around_a_player(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    ps = _board_of_five(sync_engine, sync_redis, game_id)
    win = sync_engine.run(ops.window(game_id, ps[2], 1))
    assert [(e.player, e.score, e.rank) for e in win] == [
        (ps[1], 967, 2),
        (ps[2], 950, 3),
        (ps[3], 0, 4),
    ]
    edge = sync_engine.run(ops.window(game_id, ps[0], 2))
    assert [e.rank for e in edge] == [1, 2, 3]
    assert sync_engine.run(ops.window(game_id, 999, 2)) == []


def test_standings_with_answers(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    ps = _board_of_five(sync_engine, sync_redis, game_id)
    st = sync_engine.run(ops.standings(game_id, [ps[1], ps[3], ps[4], 999], 1))
    s1, s3, s4, unknown = st
    assert unknown is None
    assert s1 is not None and s3 is not None and s4 is not None
    assert (s1.score, s1.rank, s1.stats.streak, s1.stats.correct) == (967, 2, 1, 1)
    assert s1.answer is not None
    assert (s1.answer.choices, s1.answer.points, s1.answer.correct) == ([1], 967, True)
    assert (s3.score, s3.rank, s3.stats.streak) == (0, 4, 0)
    assert s3.answer is not None and (s3.answer.choices, s3.answer.correct) == ([3], False)
    assert (s4.rank, s4.answer) == (5, None)


def test_snapshot_counts_and_distribution(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    _board_of_five(sync_engine, sync_redis, game_id)
    gs, qs = sync_engine.run(ops.snapshot(game_id, 1))
    assert gs is not None and qs is not None
    assert (gs.state, gs.question, gs.round, gs.n_questions, gs.players) == ("question", 1, 1, 2, 5)
    assert (gs.title, gs.reveal, gs.join_open) == ("Quiz night", "live", True)
    assert (qs.state, qs.answered, qs.counts, qs.correct) == ("open", 4, [0, 3, 0, 1], {1})
    assert qs.deadline_ms - qs.opened_ms == 30_000 == qs.limit_ms
    assert "correct" not in qs.public  # the public part never names the answer
    close_q(sync_engine, game_id, 1)
    gs, qs = sync_engine.run(ops.snapshot(game_id, 1))
    assert gs is not None and qs is not None
    assert (gs.state, qs.state) == ("reveal", "closed")
    gs, qs = sync_engine.run(ops.snapshot(game_id, 0))
    assert gs is not None and qs is None  # lobby-time snapshot: no question


async def test_kick_removes_from_board_and_moves_ranks(
    engine: Engine, sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    ps = _board_of_five(sync_engine, sync_redis, game_id)
    assert (await engine.run(ops.kick(game_id, ps[0]))).changed
    top = await engine.run(ops.top(game_id, 2))
    assert [(e.player, e.rank) for e in top] == [(ps[1], 1), (ps[2], 2)]
    st = (await engine.run(ops.standings(game_id, [ps[0]])))[0]
    assert st is not None and st.rank == 0 and st.stats.kicked and st.score == 1000
    assert await engine.run(ops.window(game_id, ps[0], 1)) == []
    events = await engine.read_events(game=game_id, after="0-0")
    assert [e.fields.get("p") for e in events if e.type == "kick"] == [str(ps[0])]


def test_lock_join(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    join(sync_engine, game_id, "a")
    assert sync_engine.run(ops.lock_join(game_id, True)).changed
    r = sync_engine.run(ops.join(game_id, nickname="b", nickname_key="b", token_hash="hb"))
    assert r.status == "join_locked"
    gs = sync_engine.run(ops.game_state(game_id))
    assert gs is not None and gs.join_locked and not gs.join_open
    assert sync_engine.run(ops.lock_join(game_id, False)).changed
    age_game(sync_redis, game_id, 10)
    r = sync_engine.run(ops.join(game_id, nickname="b", nickname_key="b", token_hash="hb"))
    assert r.status == "ok" and r.player == 2
    assert sync_engine.run(ops.lock_join(game_id + "x", True)).status == "unknown_game"
