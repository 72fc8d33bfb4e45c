"""The flusher's SQL, all of it (the Game row alone goes through the ORM).

The answers, the bulk of a running game, are appended: one COPY straight
into quiz_answer per batch, exactly once because the log position they end
at is written in the same transaction (docs/persistence.md). Players and the
few scores written during a question (joins, kicks) go by COPY into
temporary tables, then one INSERT ... SELECT ... ON CONFLICT. Score rows are
materialized from the answers by one INSERT ... SELECT ... GROUP BY
(:func:`scores_materialize`), and the same derivation gives rebuild_game and
verify_game a player's stats (:func:`stats_derived`).

Every statement but the answers' COPY is idempotent (players ON CONFLICT DO
NOTHING, scores only over an older version); the COPY never repeats because
it reads the log after the position committed with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from engine.flush import PlayerRow
from engine.layout import LogRow, Stats
from engine.teams import TeamStanding

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
CREATE TEMP TABLE IF NOT EXISTS flush_rank (number int, rank int) ON COMMIT DELETE ROWS;
"""

_PLAYERS = """
INSERT INTO quiz_player (game_id, number, nickname, token_hash, joined_ms, kicked, team)
SELECT %(g)s, number, nickname, token_hash, joined_ms, kicked, team FROM flush_player
ON CONFLICT (game_id, number) DO NOTHING
"""

# The Score row write shared by the flush of stats (_SCORES) and the
# materialization from answers (_MATERIALIZE): its columns and the update of
# an existing row (each statement adds its own WHERE).
_SCORE_INSERT = """INSERT INTO quiz_score (game_id, player_id, total, rank, correct_count, streak,
  streak_round, best_streak, reached_ms, version, last_round, last_points)
"""
_SCORE_UPDATE = """ON CONFLICT (player_id) DO UPDATE SET
  total = EXCLUDED.total, rank = EXCLUDED.rank, correct_count = EXCLUDED.correct_count,
  streak = EXCLUDED.streak, streak_round = EXCLUDED.streak_round,
  best_streak = EXCLUDED.best_streak, reached_ms = EXCLUDED.reached_ms,
  version = EXCLUDED.version, last_round = EXCLUDED.last_round,
  last_points = EXCLUDED.last_points
"""

_SCORES = (
    _SCORE_INSERT
    + """SELECT %(g)s, p.id, s.total, s.rank, s.correct, s.streak, s.streak_round, s.best,
  s.reached_ms, s.version, s.last_round, s.last_points
FROM flush_score s JOIN quiz_player p ON p.game_id = %(g)s AND p.number = s.number
"""
    + _SCORE_UPDATE
    + """WHERE quiz_score.version < EXCLUDED.version
"""
)

# The same for the few scores a running flush writes (joins, kicks, a
# rebuild's new versions): their rank stays the last materialized one.
_SCORES_KEEP_RANK = _SCORES.replace("rank = EXCLUDED.rank, ", "")

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
            "WHERE game_id = %s AND number = ANY(%s::int[]) AND NOT kicked",
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


def scores_apply(cur: Any, game_pk: int, *, ranks: bool = True) -> int:
    """Upsert the staged scores (their players must exist by now); without
    ``ranks`` a row keeps the rank it has (0 for a new one)."""
    cur.execute(_SCORES if ranks else _SCORES_KEEP_RANK, {"g": game_pk})
    n = int(cur.rowcount)
    _truncate(cur, "flush_score")
    return n


def scores_upsert(cur: Any, game_pk: int, rows: Sequence[PlayerRow], *, ranks: bool = True) -> int:
    if not rows:
        return 0
    scores_stage(cur, rows)
    return scores_apply(cur, game_pk, ranks=ranks)


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


# --- the append-only record ---------------------------------------------------


def positions(cur: Any, game_pk: int) -> tuple[str, str]:
    """The game's log position and the position its scores were last
    materialized at (under the game's lock: nothing moves them meanwhile)."""
    cur.execute("SELECT log_pos, scored_pos FROM quiz_game WHERE id = %s", (game_pk,))
    row = cur.fetchone()
    return str(row[0]), str(row[1])


def player_ids(cur: Any, game_pk: int, numbers: Sequence[int]) -> dict[int, int]:
    """Player row id of each of ``numbers`` that has one."""
    if not numbers:
        return {}
    cur.execute(
        "SELECT number, id FROM quiz_player WHERE game_id = %s AND number = ANY(%s::int[])",
        (game_pk, list(numbers)),
    )
    return dict(cur.fetchall())


_CORRECT = {b"1": b"t", b"0": b"f", b"2": b"\\N"}  # LogEntry's "ok": 2 is unscored


def answer_line(game: bytes, player_id: int, e: LogRow, reached: int | None) -> bytes:
    """One quiz_answer row in COPY text format, from the log entry's raw
    fields: choices "0,2" are a JSON array once bracketed, the value is JSON
    already (its tabs and newlines escaped by JSON; only backslashes need
    doubling for COPY). One bytes formatting: this runs once per answer."""
    f = e.fields
    val = f.get(b"val")
    return b"%s\t%d\t%s\t[%s]\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" % (
        game, player_id, f[b"q"], f[b"c"],
        val.replace(b"\\", b"\\\\") if val else b"[" + f[b"c"] + b"]",
        f[b"pts"], f[b"b"], _CORRECT[f[b"ok"]], f[b"t"], f[b"tot"], f[b"str"], f[b"v"],
        b"\\N" if reached is None else b"%d" % reached,
    )  # fmt: skip


ANSWER_COLUMNS = (
    "game_id, player_id, question, choices, value, points, bonus, correct, elapsed_ms, "
    "total, streak, version, reached_ms"
)


def answers_body(
    game_pk: int, entries: Sequence[LogRow], ids: dict[int, int], reached: dict[str, int]
) -> bytes:
    """The COPY input of these entries (``ids``: player number -> row id;
    ``reached``: log id -> the player's reached_ms after that answer)."""
    g = str(game_pk).encode()
    return b"".join(answer_line(g, ids[e.player], e, reached.get(e.id)) for e in entries)


def answers_copy_body(cur: Any, body: bytes) -> None:
    with cur.copy(f"COPY quiz_answer ({ANSWER_COLUMNS}) FROM STDIN") as cp:
        cp.write(body)


def answers_copy(
    cur: Any, game_pk: int, entries: Sequence[LogRow], ids: dict[int, int],
    reached: dict[str, int],
) -> int:  # fmt: skip
    """Append log entries to quiz_answer: one COPY, no staging, no conflict
    check (the position makes it exactly once; a duplicate would break the
    unique constraint and roll the flush back)."""
    if not entries:
        return 0
    answers_copy_body(cur, answers_body(game_pk, entries, ids, reached))
    return len(entries)


# A player's stats derived from the record: the Score row (or, without one,
# a joined player's: version 1, reached at the join) plus the answers after
# its version, in version order. Rounds come from the game's snapshot.
_DERIVED = """
WITH rounds AS (
  SELECT * FROM unnest(%(qs)s::int[], %(rs)s::int[]) AS r(question, round)
),
agg AS (
  SELECT a.player_id,
    sum(a.points) AS pts,
    count(*) FILTER (WHERE a.correct) AS ok,
    max(a.streak) AS best,
    max(a.version) AS version,
    (array_agg(a.streak ORDER BY a.version DESC))[1] AS streak,
    (array_agg(a.points ORDER BY a.version DESC))[1] AS last_points,
    (array_agg(a.question ORDER BY a.version DESC))[1] AS last_q,
    (array_agg(a.reached_ms ORDER BY a.version DESC) FILTER (WHERE a.points > 0))[1] AS reached,
    (array_agg(a.question ORDER BY a.version DESC) FILTER (WHERE a.correct))[1] AS right_q
  FROM quiz_answer a LEFT JOIN quiz_score s ON s.player_id = a.player_id
  WHERE a.game_id = %(g)s AND a.version > coalesce(s.version, 0)
  GROUP BY a.player_id
),
derived AS (
  SELECT p.id, p.number, p.kicked, p.team,
    coalesce(s.total, 0) + coalesce(g.pts, 0) AS total,
    coalesce(g.streak, s.streak, 0) AS streak,
    coalesce((SELECT r.round FROM rounds r WHERE r.question = g.right_q), s.streak_round, 0)
      AS streak_round,
    coalesce(s.correct_count, 0) + coalesce(g.ok, 0) AS correct,
    greatest(coalesce(s.best_streak, 0), coalesce(g.best, 0)) AS best,
    coalesce(g.version, s.version, 1) AS version,
    coalesce(g.reached, s.reached_ms, p.joined_ms) AS reached_ms,
    coalesce((SELECT r.round FROM rounds r WHERE r.question = g.last_q), s.last_round, 0)
      AS last_round,
    coalesce(g.last_points, s.last_points, 0) AS last_points
  FROM quiz_player p
  LEFT JOIN quiz_score s ON s.player_id = p.id
  LEFT JOIN agg g ON g.player_id = p.id
  WHERE p.game_id = %(g)s
)
"""

# The board's order (engine/lua/join.lua, submit_answer.lua): total desc,
# then reached_ms asc (the composite score), then ZREVRANGE's order of equal
# scores, the member (the id as text) in reverse byte order. Kicked players
# are off the board: rank 0.
_MATERIALIZE = (
    _DERIVED
    + """,
ranked AS (
  SELECT d.*, CASE WHEN d.kicked THEN 0 ELSE row_number() OVER (
    PARTITION BY d.kicked
    ORDER BY d.total DESC, d.reached_ms ASC, d.number::text COLLATE "C" DESC) END AS rank
  FROM derived d
)
"""
    + _SCORE_INSERT
    + """SELECT %(g)s, id, total, rank, correct, streak, streak_round, best, reached_ms, version,
  last_round, last_points
FROM ranked
"""
    + _SCORE_UPDATE
    + """WHERE quiz_score.version < EXCLUDED.version OR quiz_score.rank <> EXCLUDED.rank
"""
)


def _rounds(rounds: dict[int, int]) -> dict[str, list[int]]:
    qs = sorted(rounds)
    return {"qs": qs, "rs": [rounds[q] for q in qs]}


def scores_materialize(cur: Any, game_pk: int, rounds: dict[int, int]) -> int:
    """Every player's Score row from the record (one statement), with the
    board's ranks; rows already current are left alone. Returns the rows
    written. ``rounds``: question -> its round (the snapshot's)."""
    cur.execute(_MATERIALIZE, {"g": game_pk, **_rounds(rounds)})
    return int(cur.rowcount)


def stats_derived(cur: Any, game_pk: int, rounds: dict[int, int]) -> dict[int, Stats]:
    """Every player's stats as the record gives them (player number ->
    Stats): what the Score rows will say once materialized."""
    cur.execute(
        _DERIVED + "SELECT number, total, streak, streak_round, correct, best, version, "
        "reached_ms, last_round, last_points, kicked, team FROM derived",
        {"g": game_pk, **_rounds(rounds)},
    )
    return {
        int(n): Stats(
            int(tot), int(st), int(sr), int(ok), int(best), int(v), int(reached), int(lr),
            int(lp), bool(kicked), -1 if team is None else int(team),
        )
        for n, tot, st, sr, ok, best, v, reached, lr, lp, kicked, team in cur.fetchall()
    }  # fmt: skip
