"""Fault tests of the write-behind, with real processes: the flush worker
killed (SIGKILL) at each step of a flush, PostgreSQL stopped mid-game, Redis
restarted empty mid-game. Private servers on free ports (testkit), so
nothing shared is ever stopped or emptied."""

from __future__ import annotations

from typing import Any

import pytest

from engine import SyncEngine, keys, ops
from quiz.flush.faults import POINTS

from .harness import (
    Worker,
    game_create,
    game_end,
    manage,
    pg_rows,
    players_join,
    question_play,
    redis_totals,
)


def _answers(pg_url: str, gid: str) -> list[tuple[int, int, int]]:
    return pg_rows(
        pg_url,
        "SELECT p.number, a.question, a.points FROM quiz_answer a "
        "JOIN quiz_player p ON p.id = a.player_id JOIN quiz_game g ON g.id = a.game_id "
        "WHERE g.key = %s ORDER BY 1, 2",
        gid,
    )


def _duplicates(pg_url: str, gid: str) -> list[tuple[Any, ...]]:
    return pg_rows(
        pg_url,
        "SELECT a.player_id, a.question, count(*) FROM quiz_answer a "
        "JOIN quiz_game g ON g.id = a.game_id WHERE g.key = %s "
        "GROUP BY 1, 2 HAVING count(*) > 1",
        gid,
    )


def _pg_totals(pg_url: str, gid: str) -> dict[int, int]:
    rows = pg_rows(
        pg_url,
        "SELECT p.number, s.total FROM quiz_score s JOIN quiz_player p ON p.id = s.player_id "
        "JOIN quiz_game g ON g.id = p.game_id WHERE g.key = %s",
        gid,
    )
    return dict(rows)


def _record_totals(pg_url: str, gid: str) -> dict[int, int]:
    """Each player's points as the append-only record holds them: the sum
    of its Answer rows (Score rows are materialized only at a close)."""
    rows = pg_rows(
        pg_url,
        "SELECT p.number, coalesce(sum(a.points), 0) FROM quiz_player p "
        "JOIN quiz_game g ON g.id = p.game_id LEFT JOIN quiz_answer a ON a.player_id = p.id "
        "WHERE g.key = %s GROUP BY p.number",
        gid,
    )
    return {int(n): int(t) for n, t in rows}


def _verify(env: dict[str, str], ref: str) -> str:
    out = manage(env, "verify_game", ref, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().endswith("OK")
    return out.stdout


@pytest.mark.parametrize("point", POINTS)
def test_worker_killed_at_each_step_loses_and_doubles_nothing(
    env: dict[str, str], r: Any, servers: Any, point: str
) -> None:
    pg = servers[0]
    gid, pin = game_create(pg.url, r, n_questions=3)
    players = players_join(r, gid, 12)
    accepted = question_play(r, gid, 1, players)
    accepted += question_play(r, gid, 2, players[:7], close=False)

    worker = Worker({**env, "STADIUM_FLUSH_PAUSE_AT": point}, "--interval", "0.2", "--game", gid)
    try:
        worker.wait_for(f"PAUSED at {point}")
    finally:
        worker.kill()
    # the game goes on meanwhile
    eng = SyncEngine(r)
    for p in players[7:]:
        accepted += eng.run(ops.submit_answer(gid, p, 2, [p % 3])).ok

    # the next run finishes the work
    manage(env, "flush_scores", "--game", gid)
    assert len(_answers(pg.url, gid)) == accepted == 24
    assert _duplicates(pg.url, gid) == []
    assert _record_totals(pg.url, gid) == redis_totals(r, gid)
    assert r.xlen(keys.log(gid)) == 0  # trimmed once in PostgreSQL
    assert r.scard(keys.dirty(gid)) == 0
    _verify(env, pin)
    # question 2 still open: its answers are appended, the Score rows are
    # still question 1's; its close materializes them
    assert _pg_totals(pg.url, gid) != redis_totals(r, gid)
    assert SyncEngine(r).run(ops.close_question(gid, 2)).ok
    manage(env, "flush_scores", "--game", gid)
    assert _pg_totals(pg.url, gid) == redis_totals(r, gid)
    _verify(env, pin)

    # and the game saves with final ranks
    game_end(r, gid)
    manage(env, "flush_scores", "--game", gid)
    assert pg_rows(
        pg.url, "SELECT state, saved IS NOT NULL FROM quiz_game WHERE key = %s", gid
    ) == [("finished", True)]
    ranks = pg_rows(
        pg.url,
        "SELECT p.number, s.rank FROM quiz_score s JOIN quiz_player p ON p.id = s.player_id "
        "JOIN quiz_game g ON g.id = p.game_id WHERE g.key = %s",
        gid,
    )
    board = {int(p): i + 1 for i, p in enumerate(r.zrevrange(keys.board(gid), 0, -1))}
    assert dict(ranks) == board
    assert "ranks checked" in _verify(env, gid)
    assert 0 < r.ttl(keys.meta(gid)) <= 3600  # expiring now that it is saved
    assert r.get(keys.pin(pin)) is None  # PIN free for another game


def test_postgres_down_game_goes_on_and_worker_catches_up(
    env: dict[str, str], r: Any, servers: Any
) -> None:
    pg = servers[0]
    gid, pin = game_create(pg.url, r, n_questions=3)
    players = players_join(r, gid, 10)
    question_play(r, gid, 1, players)
    worker = Worker(env, "--interval", "0.2", "--game", gid)
    try:
        worker.wait_for("answers +10")
        pg.stop()
        # PostgreSQL is down: the game goes on in Redis alone
        late = players_join(r, gid, 5, start=10)
        accepted = question_play(r, gid, 2, players + late)
        assert accepted == 15
        worker.wait_for("retry 1 in 0.2s")
        worker.wait_for("retry 3 in 0.8s")  # backing off
        pg.start()
        worker.wait_for("players +5, answers +15")  # caught up in one pass
        worker.wait_for("flush recovered")
    finally:
        worker.kill()
    assert len(_answers(pg.url, gid)) == 25
    assert _pg_totals(pg.url, gid) == redis_totals(r, gid)  # question 2 closed: materialized
    assert len(_pg_totals(pg.url, gid)) == 15
    _verify(env, pin)


def test_redis_lost_rebuild_restores_last_flush(env: dict[str, str], r: Any, servers: Any) -> None:
    pg, rs = servers
    gid, pin = game_create(pg.url, r, n_questions=3)
    players = players_join(r, gid, 12)
    question_play(r, gid, 1, players)
    SyncEngine(r).run(ops.kick(gid, players[0]))
    manage(env, "flush_scores", "--game", gid)
    flushed_totals = redis_totals(r, gid)
    flushed_board = r.zrevrange(keys.board(gid), 0, -1, withscores=True)
    flushed_q1 = r.hgetall(keys.answers(gid, 1))
    # after the last flush: the window that cannot be recovered
    question_play(r, gid, 2, players[1:6], close=False)

    rs.kill()
    rs.start()  # empty
    r.connection_pool.disconnect()
    assert r.exists(keys.meta(gid)) == 0

    out = manage(env, "rebuild_game", pin).stdout
    assert "epoch now 2" in out
    assert "players 12 (1 kicked), scores 12, answers 12" in out
    assert "not recovered: changes after the last flush" in out

    totals = redis_totals(r, gid)
    assert totals == flushed_totals
    assert r.zrevrange(keys.board(gid), 0, -1, withscores=True) == flushed_board
    assert r.hgetall(keys.answers(gid, 1)) == flushed_q1
    state = SyncEngine(r).run(ops.game_state(gid))
    assert state is not None
    assert (state.epoch, state.state, state.question, state.players) == (2, "reveal", 1, 11)
    assert r.get(keys.pin(pin)).decode() == gid
    events = r.xrange(keys.events(gid))
    assert events[-1][1] == {b"t": b"resync", b"epoch": b"2"}  # clients resync on this
    # tokens work again; the restored answer guards are compared above, and
    # the closed question refuses another answer
    assert SyncEngine(r).run(ops.player_of_token(gid, _token_hash(gid, 3))) == players[3]
    again = SyncEngine(r).run(ops.submit_answer(gid, players[3], 1, [0]))
    assert again.status == "too_late"

    # the game goes on from there, and PostgreSQL follows
    assert question_play(r, gid, 2, players[1:]) == 11
    manage(env, "flush_scores", "--game", gid)
    _verify(env, pin)
    assert pg_rows(pg.url, "SELECT epoch FROM quiz_game WHERE key = %s", gid) == [(2,)]


def _token_hash(gid: str, i: int) -> str:
    from engine.auth import hash_token

    return hash_token(f"tok-{gid}-{i}")
