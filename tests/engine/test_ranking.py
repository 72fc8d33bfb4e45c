"""Strict ranking with the time tie-break (docs/engine.md, Ranking and ties).

Equal totals rank by who reached the total first. To make "first" certain
without sleeping, the game's clock origin (meta created_ms) is moved back
between the two events (:func:`tests.engine.util.age_game`): everything after
it happened "5 s later". Players are chosen so that the id order (the fixed
order of same-millisecond ties) would give the opposite result: a pass shows
the time part decides.
"""

from __future__ import annotations

from typing import Any

from engine import Engine, SyncEngine, keys, ops, scoring

from .util import age_game, close_q, join, new_game, open_q, q, submit_at


def test_equal_totals_the_player_who_got_there_first_ranks_higher(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(), q()])
    a, b = join(sync_engine, game_id, "a"), join(sync_engine, game_id, "b")
    assert a < b  # with equal composite scores, b ("2") would come first
    open_q(sync_engine, game_id, 1)
    ra = submit_at(sync_redis, game_id, a, 1, [1], elapsed_ms=100)
    submit_at(sync_redis, game_id, b, 1, [0], elapsed_ms=100)
    close_q(sync_engine, game_id, 1)
    age_game(sync_redis, game_id, 5000)
    open_q(sync_engine, game_id, 2)
    submit_at(sync_redis, game_id, a, 2, [0], elapsed_ms=100)
    rb = submit_at(sync_redis, game_id, b, 2, [1], elapsed_ms=100)
    assert ra.total == rb.total == 1000
    assert rb.rank == 2  # b reached 1000 five seconds after a
    top = sync_engine.run(ops.top(game_id, 10))
    assert [(e.player, e.score, e.rank) for e in top] == [(a, 1000, 1), (b, 1000, 2)]
    st = sync_engine.run(ops.standings(game_id, [a, b]))
    assert [(s.rank, s.score) for s in st if s] == [(1, 1000), (2, 1000)]
    # The board's time part is the ms since game open at which each got there.
    ta = scoring.decode(sync_redis.zscore(keys.board(game_id), a))
    tb = scoring.decode(sync_redis.zscore(keys.board(game_id), b))
    assert ta[0] == tb[0] == 1000 and tb[1] - ta[1] >= 5000


def test_players_at_zero_rank_by_join_time(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q()])
    a = join(sync_engine, game_id, "a")
    age_game(sync_redis, game_id, 3000)
    b = join(sync_engine, game_id, "b")
    top = sync_engine.run(ops.top(game_id, 10))
    assert [(e.player, e.score, e.rank) for e in top] == [(a, 0, 1), (b, 0, 2)]


def test_higher_total_beats_earlier_time(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q()])
    a, b = join(sync_engine, game_id, "a"), join(sync_engine, game_id, "b")
    open_q(sync_engine, game_id, 1)
    submit_at(sync_redis, game_id, a, 1, [1], elapsed_ms=3000)  # 950
    age_game(sync_redis, game_id, 5000)
    rb = submit_at(sync_redis, game_id, b, 1, [1], elapsed_ms=2000)  # 967, later
    assert rb.rank == 1
    top = sync_engine.run(ops.top(game_id, 2))
    assert [(e.player, e.score) for e in top] == [(b, 967), (a, 950)]


def test_same_millisecond_ties_follow_the_documented_order(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    """engine/scoring.py: exact ties (same total, same ms) list the greater
    player id, compared as a string, first (Redis orders equal scores by
    member; ZREVRANGE reverses). "9" > "10" > "1" as strings."""
    new_game(sync_engine, game_id, [q()])
    same = scoring.composite(700, 1234)
    sync_redis.zadd(keys.board(game_id), {"1": same, "9": same, "10": same})
    top = sync_engine.run(ops.top(game_id, 3))
    assert [(e.player, e.score, e.rank) for e in top] == [(9, 700, 1), (10, 700, 2), (1, 700, 3)]
    ranks = [sync_redis.zrevrank(keys.board(game_id), p) for p in (9, 10, 1)]
    assert ranks == [0, 1, 2]


async def test_ranks_are_strict_for_many_players(
    engine: Engine, sync_engine: SyncEngine, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(correct=(0, 1, 2, 3))])
    players = [join(sync_engine, game_id, f"p{i}") for i in range(30)]
    open_q(sync_engine, game_id, 1)
    for p in players:
        await engine.submit_answer(game=game_id, player=p, question=1, choices=[p % 4])
    top = await engine.run(ops.top(game_id, 30))
    assert [e.rank for e in top] == list(range(1, 31))
    assert sorted(e.player for e in top) == sorted(players)
    assert len({(e.score, e.rank) for e in top}) == 30
