"""The Score rows of the append-only record (docs/persistence.md): while a
question is open only answers are appended; its close and the game's end
materialize every Score row from the answers, equal to the engine's stats
field by field, ranked in the board's order, tie-break included. Real
processes on a private PostgreSQL and redis-server (tests/flush/harness.py)."""

from __future__ import annotations

from typing import Any

from engine import SyncEngine, keys, ops
from engine.layout import Stats

from .harness import game_create, game_end, manage, pg_rows, players_join, question_play

_SCORE_COLS = (
    "total, streak, streak_round, correct_count, best_streak, version, reached_ms, "
    "last_round, last_points"
)


def _scores(pg_url: str, gid: str) -> dict[int, tuple[int, ...]]:
    rows = pg_rows(
        pg_url,
        f"SELECT p.number, {_SCORE_COLS} FROM quiz_score s JOIN quiz_player p "
        "ON p.id = s.player_id JOIN quiz_game g ON g.id = p.game_id WHERE g.key = %s",
        gid,
    )
    return {int(r[0]): tuple(int(x) for x in r[1:]) for r in rows}


def _ranks(pg_url: str, gid: str) -> dict[int, int]:
    rows = pg_rows(
        pg_url,
        "SELECT p.number, s.rank FROM quiz_score s JOIN quiz_player p ON p.id = s.player_id "
        "JOIN quiz_game g ON g.id = p.game_id WHERE g.key = %s",
        gid,
    )
    return {int(n): int(k) for n, k in rows}


def _answer_sums(pg_url: str, gid: str) -> dict[int, int]:
    rows = pg_rows(
        pg_url,
        "SELECT p.number, coalesce(sum(a.points), 0) FROM quiz_player p "
        "JOIN quiz_game g ON g.id = p.game_id LEFT JOIN quiz_answer a ON a.player_id = p.id "
        "WHERE g.key = %s GROUP BY p.number",
        gid,
    )
    return {int(n): int(t) for n, t in rows}


def _redis_stats(r: Any, gid: str) -> dict[int, tuple[int, ...]]:
    out = {}
    for k, v in r.hgetall(keys.stats(gid)).items():
        s = Stats.unpack(v)
        assert s is not None
        out[int(k)] = (
            s.total, s.streak, s.streak_round, s.correct, s.best, s.version, s.reached_ms,
            s.last_round, s.last_points,
        )  # fmt: skip
    return out


def _board(r: Any, gid: str) -> dict[int, int]:
    """The engine's ranks: ZREVRANGE of the board, kicked players off it (0)."""
    ranks = {int(p): i + 1 for i, p in enumerate(r.zrevrange(keys.board(gid), 0, -1))}
    return {int(p): ranks.get(int(p), 0) for p in r.hkeys(keys.stats(gid))}


def _positions(pg_url: str, gid: str) -> tuple[str, str]:
    ((log_pos, scored_pos),) = pg_rows(
        pg_url, "SELECT log_pos, scored_pos FROM quiz_game WHERE key = %s", gid
    )
    return str(log_pos), str(scored_pos)


def _verify(env: dict[str, str], ref: str) -> str:
    out = manage(env, "verify_game", ref, check=False)
    assert out.returncode == 0 and out.stdout.strip().endswith("OK"), out.stdout + out.stderr
    return out.stdout


def test_scores_are_materialized_at_each_close_and_at_the_end(
    env: dict[str, str], r: Any, servers: Any
) -> None:
    pg = servers[0]
    gid, pin = game_create(pg.url, r, n_questions=3)
    eng = SyncEngine(r)
    players = players_join(r, gid, 11)
    manage(env, "flush_scores", "--game", gid)  # the lobby: joined players, version 1
    assert _scores(pg.url, gid) == _redis_stats(r, gid)

    question_play(r, gid, 1, players)
    manage(env, "flush_scores", "--game", gid)
    # closed: every Score row is the engine's stats, field by field, and
    # the sum of the player's answers; ranks are the board's
    assert _scores(pg.url, gid) == _redis_stats(r, gid)
    assert {p: s[0] for p, s in _scores(pg.url, gid).items()} == _answer_sums(pg.url, gid)
    assert _ranks(pg.url, gid) == _board(r, gid)
    after_q1 = _scores(pg.url, gid)
    log_pos, scored_pos = _positions(pg.url, gid)
    assert log_pos and scored_pos == log_pos

    # question 2 open: its answers are appended, no Score row moves
    question_play(r, gid, 2, players[:8], close=False)
    assert eng.run(ops.kick(gid, players[9])).ok  # a change beyond any answer
    manage(env, "flush_scores", "--game", gid)
    assert len(pg_rows(pg.url, "SELECT 1 FROM quiz_answer a JOIN quiz_game g "
                       "ON g.id = a.game_id WHERE g.key = %s", gid)) == 19  # fmt: skip
    now = _scores(pg.url, gid)
    moved = {p for p in players if now[p] != after_q1[p]}
    assert moved == {players[9]}  # the kicked player's row alone, at its new version
    assert now[players[9]] == _redis_stats(r, gid)[players[9]]
    log_pos2, scored_pos2 = _positions(pg.url, gid)
    assert scored_pos2 == scored_pos and log_pos2 != log_pos
    _verify(env, pin)  # the stats derived from the record equal Redis's

    assert eng.run(ops.close_question(gid, 2)).ok
    manage(env, "flush_scores", "--game", gid)
    assert _scores(pg.url, gid) == _redis_stats(r, gid)
    assert _ranks(pg.url, gid) == _board(r, gid)
    assert _ranks(pg.url, gid)[players[9]] == 0  # kicked: off the board

    question_play(r, gid, 3, players[:9])
    game_end(r, gid)
    manage(env, "flush_scores", "--game", gid)  # saves it
    assert _scores(pg.url, gid) == _redis_stats(r, gid)
    assert {p: s[0] for p, s in _scores(pg.url, gid).items()} == _answer_sums(pg.url, gid)
    assert _ranks(pg.url, gid) == _board(r, gid)
    assert "ranks checked" in _verify(env, gid)


def test_materialized_ranks_break_ties_as_the_board_does(
    env: dict[str, str], r: Any, servers: Any
) -> None:
    """Equal totals and equal reached_ms: the board orders equal scores by
    member, in reverse byte order ("9" before "12" before "10" before "1");
    the materialized ranks must be the same. The ties are laid down through
    rebuild_game from PostgreSQL rows given equal reached_ms."""
    pg = servers[0]
    gid, pin = game_create(pg.url, r, n_questions=2)
    players = players_join(r, gid, 12)
    manage(env, "flush_scores", "--game", gid)
    pg_rows(
        pg.url,
        "UPDATE quiz_score s SET reached_ms = 7 FROM quiz_player p JOIN quiz_game g "
        "ON g.id = p.game_id WHERE s.player_id = p.id AND g.key = %s RETURNING 1",
        gid,
    )
    r.delete(*keys.all_of(gid, 2), keys.pin(pin))
    manage(env, "rebuild_game", pin)
    manage(env, "flush_scores", "--game", gid)  # the rebuild's new versions written back
    # a question where only some score: the others stay tied at 0 points, 7 ms
    eng = SyncEngine(r)
    assert eng.run(ops.open_question(gid, 1)).ok
    scorers = [players[0], players[10]]
    for p in players:
        assert eng.run(ops.submit_answer(gid, p, 1, [0 if p in scorers else 1])).ok
    assert eng.run(ops.close_question(gid, 1)).ok
    manage(env, "flush_scores", "--game", gid)
    board = _board(r, gid)
    tied = sorted((p for p in players if p not in scorers), key=lambda p: board[p])
    assert tied == sorted(tied, key=str, reverse=True)  # the engine's order of a tie
    assert [board[p] for p in tied] == list(range(3, 13))
    assert _ranks(pg.url, gid) == board
    assert _scores(pg.url, gid) == _redis_stats(r, gid)
    _verify(env, pin)
