"""The flusher's SQL, all of it (the Game row alone goes through the ORM).

The bulk writes of a flush: rows go by COPY into temporary tables, then
one INSERT ... SELECT ... ON CONFLICT moves them into the real tables. Two
statements per batch whatever its size, never one per row.

Every statement is idempotent, so a flush that died before its commit (all
rolled back) or after it (rows there, Redis not yet told) is simply run
again: players and answers ON CONFLICT DO NOTHING, scores upserted with
absolute values only over an older version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from engine.flush import PlayerRow
from engine.layout import LogEntry
from engine.teams import TeamStanding

from .errors import FlushError

# ON COMMIT DELETE ROWS: a temp table is empty at the start of every
# transaction, so a rolled-back flush leaves nothing for the next one.
_TEMP = """
CREATE TEMP TABLE IF NOT EXISTS flush_player (
  number int, nickname text, token_hash text, joined_ms bigint, kicked bool, team int
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS flush_score (
  number int, total int, rank int, correct int, streak int, streak_round int,
  best int, reached_ms bigint, version int, last_round int, last_points int
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS flush_answer (
  number int, question int, choices jsonb, points int, bonus int, correct bool,
  elapsed_ms int, total int, streak int, value jsonb
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS flush_rank (number int, rank int) ON COMMIT DELETE ROWS;
"""

_PLAYERS = """
INSERT INTO quiz_player (game_id, number, nickname, token_hash, joined_ms, kicked, team)
SELECT %(g)s, number, nickname, token_hash, joined_ms, kicked, team FROM flush_player
ON CONFLICT (game_id, number) DO NOTHING
"""

_SCORES = """
INSERT INTO quiz_score (game_id, player_id, total, rank, correct_count, streak,
  streak_round, best_streak, reached_ms, version, last_round, last_points)
SELECT %(g)s, p.id, s.total, s.rank, s.correct, s.streak, s.streak_round, s.best,
  s.reached_ms, s.version, s.last_round, s.last_points
FROM flush_score s JOIN quiz_player p ON p.game_id = %(g)s AND p.number = s.number
ON CONFLICT (player_id) DO UPDATE SET
  total = EXCLUDED.total, rank = EXCLUDED.rank, correct_count = EXCLUDED.correct_count,
  streak = EXCLUDED.streak, streak_round = EXCLUDED.streak_round,
  best_streak = EXCLUDED.best_streak, reached_ms = EXCLUDED.reached_ms,
  version = EXCLUDED.version, last_round = EXCLUDED.last_round,
  last_points = EXCLUDED.last_points
WHERE quiz_score.version < EXCLUDED.version
"""

_ANSWERS = """
INSERT INTO quiz_answer (game_id, player_id, question, choices, points, bonus, correct,
  elapsed_ms, total, streak, value)
SELECT %(g)s, p.id, a.question, a.choices, a.points, a.bonus, a.correct, a.elapsed_ms,
  a.total, a.streak, a.value
FROM flush_answer a JOIN quiz_player p ON p.game_id = %(g)s AND p.number = a.number
ON CONFLICT (player_id, question) DO NOTHING
"""

_ORPHANS = """
SELECT count(*) FROM flush_answer a
WHERE NOT EXISTS (SELECT 1 FROM quiz_player p WHERE p.game_id = %(g)s AND p.number = a.number)
"""

_RANKS = """
UPDATE quiz_score s SET rank = r.rank
FROM flush_rank r JOIN quiz_player p ON p.game_id = %(g)s AND p.number = r.number
WHERE s.player_id = p.id AND s.rank <> r.rank
"""

_OFF_BOARD = """
UPDATE quiz_score s SET rank = 0 FROM quiz_player p
WHERE s.player_id = p.id AND p.game_id = %(g)s AND p.kicked AND s.rank <> 0
"""


def cursor() -> Any:
    """The psycopg cursor under Django's connection, inside Django's
    transaction: psycopg's COPY is not reachable through the wrapper."""
    connection.ensure_connection()
    return connection.connection.cursor()


def temp_tables(cur: Any) -> None:
    cur.execute(_TEMP)


def lock_game(cur: Any, game_pk: int) -> None:
    """One flusher per game at a time (the loop and game_save may race);
    released with the transaction, so a killed flusher never holds it."""
    cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", (0x5F1A, game_pk % 2**31))


_NULL = "\\N"  # COPY text format's NULL


def _copy_escape(json_text: str) -> str:
    """A JSON value as a COPY text field: JSON already escapes tabs and
    newlines inside strings, so only its backslashes need doubling."""
    return json_text.replace("\\", "\\\\")


def _copy_text(cur: Any, table: str, cols: str, rows: Sequence[Sequence[Any]]) -> None:
    # Numbers, booleans and escaped JSON (_copy_escape): tab-separated text
    # is the fastest COPY input.
    body = "".join("\t".join(map(str, row)) + "\n" for row in rows)
    with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
        cp.write(body)


def _truncate(cur: Any, table: str) -> None:
    cur.execute(f"TRUNCATE {table}")


def versions_of(cur: Any, game_pk: int, numbers: set[int]) -> dict[int, int]:
    """The score versions PostgreSQL holds for these players."""
    cur.execute(
        "SELECT p.number, s.version FROM quiz_score s JOIN quiz_player p ON p.id = s.player_id "
        "WHERE p.game_id = %s AND p.number = ANY(%s)",
        (game_pk, list(numbers)),
    )
    return dict(cur.fetchall())


def numbers_new(cur: Any, game_pk: int) -> list[int]:
    """Players of the staged scores that have no Player row yet (a join
    against the temp table: cheap whatever the batch size)."""
    cur.execute(
        "SELECT s.number FROM flush_score s WHERE NOT EXISTS (SELECT 1 FROM quiz_player p "
        "WHERE p.game_id = %s AND p.number = s.number)",
        (game_pk,),
    )
    return [n for (n,) in cur.fetchall()]


def players_insert(
    cur: Any, game_pk: int, rows: Sequence[tuple[int, str, str, int, bool, int | None]]
) -> int:
    """New players: (number, nickname, token_hash, joined_ms, kicked, team)."""
    if not rows:
        return 0
    with cur.copy(
        "COPY flush_player (number, nickname, token_hash, joined_ms, kicked, team) FROM STDIN"
    ) as cp:
        for row in rows:
            cp.write_row(row)  # nicknames are free text: let psycopg escape
    cur.execute(_PLAYERS, {"g": game_pk})
    n = int(cur.rowcount)
    _truncate(cur, "flush_player")
    return n


def players_kicked(cur: Any, game_pk: int, numbers: Sequence[int]) -> None:
    if numbers:
        cur.execute(
            "UPDATE quiz_player SET kicked = true "
            "WHERE game_id = %s AND number = ANY(%s) AND NOT kicked",
            (game_pk, list(numbers)),
        )


def scores_stage(cur: Any, rows: Sequence[PlayerRow]) -> None:
    """COPY a batch of scores into the temp table (see scores_apply)."""
    cols = (
        "number, total, rank, correct, streak, streak_round, best, reached_ms, version, "
        "last_round, last_points"
    )
    _copy_text(
        cur,
        "flush_score",
        cols,
        [
            (
                p.number, p.stats.total, p.rank, p.stats.correct, p.stats.streak,
                p.stats.streak_round, p.stats.best, p.stats.reached_ms, p.stats.version,
                p.stats.last_round, p.stats.last_points,
            )
            for p in rows
        ],
    )  # fmt: skip


def scores_apply(cur: Any, game_pk: int) -> int:
    """Upsert the staged scores (their players must exist by now)."""
    cur.execute(_SCORES, {"g": game_pk})
    n = int(cur.rowcount)
    _truncate(cur, "flush_score")
    return n


def scores_upsert(cur: Any, game_pk: int, rows: Sequence[PlayerRow]) -> int:
    if not rows:
        return 0
    scores_stage(cur, rows)
    return scores_apply(cur, game_pk)


def answers_insert(cur: Any, game_pk: int, entries: Sequence[LogEntry]) -> int:
    if not entries:
        return 0
    cols = "number, question, choices, points, bonus, correct, elapsed_ms, total, streak, value"
    _copy_text(
        cur,
        "flush_answer",
        cols,
        [
            (
                e.player, e.question, e.choices_json(), e.points, e.bonus,
                _NULL if e.correct is None else "t" if e.correct else "f", e.elapsed_ms,
                e.total, e.streak, _copy_escape(e.value),
            )
            for e in entries
        ],
    )  # fmt: skip
    cur.execute(_ORPHANS, {"g": game_pk})
    orphans = cur.fetchone()[0]
    if orphans:
        # acknowledging these would lose them: roll back and retry instead
        raise FlushError(f"{orphans} answers of players not in PostgreSQL")
    cur.execute(_ANSWERS, {"g": game_pk})
    n = int(cur.rowcount)
    _truncate(cur, "flush_answer")
    return n


def ranks_update(cur: Any, game_pk: int, ranks: Sequence[tuple[int, int]]) -> int:
    """Final ranks of everyone on the board; kicked players (off it) get 0."""
    n = 0
    for i in range(0, len(ranks), 20_000):
        _copy_text(cur, "flush_rank", "number, rank", ranks[i : i + 20_000])
        cur.execute(_RANKS, {"g": game_pk})
        n += int(cur.rowcount)
        _truncate(cur, "flush_rank")
    cur.execute(_OFF_BOARD, {"g": game_pk})
    return n + int(cur.rowcount)


_TEAMS = """
INSERT INTO quiz_teamstanding (game_id, team, name, total, members, score, rank, version)
VALUES (%(g)s, %(team)s, %(name)s, %(total)s, %(members)s, %(score)s, %(rank)s, %(version)s)
ON CONFLICT (game_id, team) DO UPDATE SET
  name = EXCLUDED.name, total = EXCLUDED.total, members = EXCLUDED.members,
  score = EXCLUDED.score, rank = EXCLUDED.rank, version = EXCLUDED.version
WHERE quiz_teamstanding.version < EXCLUDED.version OR quiz_teamstanding.rank <> EXCLUDED.rank
"""


def teams_upsert(cur: Any, game_pk: int, standings: Sequence[TeamStanding]) -> int:
    """The team board as Redis holds it (at most 100 rows): a row changes
    where its version is newer (an older flush never overwrites a newer
    one) or its rank moved (another team's change moves it)."""
    n = 0
    for t in standings:
        cur.execute(
            _TEAMS,
            {
                "g": game_pk, "team": t.team, "name": t.name, "total": t.total,
                "members": t.members, "score": t.score, "rank": t.rank, "version": t.version,
            },
        )  # fmt: skip
        n += int(cur.rowcount)
    return n
