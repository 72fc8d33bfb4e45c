"""Exact decoding of the composite board score at its limits: totals near
2^23 and times near 2^30 ms (docs/engine.md, Scoring)."""

from __future__ import annotations

from typing import Any

import pytest

from engine import SyncEngine, keys, ops, scoring

from .util import join, new_game, open_q, q

T_MAX = scoring.MAX_TOTAL - 1  # 8,388,607
MS_MAX = scoring.TIME_SPAN - 1  # 1,073,741,823 ms, about 12.4 days

EDGES = [(t, ms) for t in (0, 1, T_MAX - 1, T_MAX) for ms in (0, 1, MS_MAX - 1, MS_MAX)]


@pytest.mark.parametrize(("total", "ms"), EDGES)
def test_composite_round_trip_is_exact(total: int, ms: int) -> None:
    c = scoring.composite(total, ms)
    assert c < 2**53  # exact in a double
    assert float(c) == c
    assert scoring.decode(c) == (total, ms)
    assert scoring.decode(float(c)) == (total, ms)
    assert scoring.decode(repr(float(c)).encode()) == (total, ms)  # as Redis may send it
    assert scoring.decode(b"%d" % c) == (total, ms)


def test_order_at_the_limits() -> None:
    c = scoring.composite
    assert c(T_MAX, 0) > c(T_MAX, 1) > c(T_MAX, MS_MAX) > c(T_MAX - 1, 0)
    assert c(1, MS_MAX) > c(0, 0)
    assert c(T_MAX, MS_MAX) == 2**53 - 2**30


def test_board_entries_written_in_redis_decode_exactly(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q()])
    a, b, c, d = (join(sync_engine, game_id, n) for n in "abcd")
    want = {a: (T_MAX, 0), b: (T_MAX, MS_MAX), c: (T_MAX - 1, 0), d: (1, MS_MAX)}
    sync_redis.zadd(keys.board(game_id), {p: scoring.composite(*v) for p, v in want.items()})
    for p, v in want.items():
        assert scoring.decode(sync_redis.zscore(keys.board(game_id), p)) == v
    top = sync_engine.run(ops.top(game_id, 4))
    assert [(e.player, e.score) for e in top] == [(a, T_MAX), (b, T_MAX), (c, T_MAX - 1), (d, 1)]
    win = sync_engine.run(ops.window(game_id, c, 1))
    assert [(e.player, e.score, e.rank) for e in win] == [
        (b, T_MAX, 2),
        (c, T_MAX - 1, 3),
        (d, 1, 4),
    ]
    st = sync_engine.run(ops.standings(game_id, [a, b, c, d]))
    assert [(s.score, s.rank) for s in st if s] == [(T_MAX, 1), (T_MAX, 2), (T_MAX - 1, 3), (1, 4)]


def test_submit_near_both_limits_writes_an_exact_score(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    """A player 1,000 points short of 2^23 - 1, in a game 12.4 days old
    (minus 5 s), scores 1,000: the script's own ZADD must stay exact."""
    new_game(sync_engine, game_id, [q()])
    p, other = join(sync_engine, game_id, "a"), join(sync_engine, game_id, "b")
    sync_redis.hset(keys.stats(game_id), p, f"{T_MAX - 1000},0,0,0,0,1,0,0,0,0")
    sec, usec = sync_redis.time()
    now_ms = int(sec) * 1000 + int(usec) // 1000
    sync_redis.hset(keys.meta(game_id), "created_ms", now_ms - (MS_MAX - 5000))
    open_q(sync_engine, game_id, 1)
    r = sync_engine.run(ops.submit_answer(game_id, p, 1, [1]))
    assert (r.status, r.points, r.total, r.rank) == ("ok", 1000, T_MAX, 1)
    st = sync_engine.run(ops.standings(game_id, [p]))[0]
    assert st is not None
    reached = st.stats.reached_ms
    assert MS_MAX - 5000 <= reached < MS_MAX
    assert scoring.decode(sync_redis.zscore(keys.board(game_id), p)) == (T_MAX, reached)
    assert st.score == T_MAX
    top = sync_engine.run(ops.top(game_id, 2))
    assert [(e.player, e.score) for e in top] == [(p, T_MAX), (other, 0)]
