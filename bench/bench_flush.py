"""``make bench-flush``: the append-only write-behind on 100,000 answers,
next to a raw COPY of the same rows in the same run.

Three games are laid down alike (untimed): 100,000 players in PostgreSQL
(Player rows, Score rows at version 1), and for game A, in Redis, every
player's stats after one answer (version 2), the answer log holding those
100,000 answers and every player marked dirty, with question 1 open. Each
round then times, alternating which goes first:

- ``flush_scores``, game A: exactly what the worker does while a question is
  open (the dirty set, the log after PostgreSQL's position, the stats with
  the log's newest id, the answers COPYed into quiz_answer, the position, the
  snapshot; the dirty marks released and the log trimmed after the commit);
- raw COPY, game B: the same 100,000 answer rows, already in memory with
  their player ids, COPYed into quiz_answer in one transaction: the floor;
- the close, game A: question 1 closed in Redis, the next flush
  materializes every Score row from the answers (one INSERT ... SELECT ...
  GROUP BY with the board's ranks);
- the previous record's PostgreSQL work, game C (for comparison, PostgreSQL
  side only, rows in memory, no Redis reads): what the earlier flusher did
  for the same answers, a Score upsert per player (COPY + INSERT ... ON
  CONFLICT DO UPDATE) and the answers through a temporary table with ON
  CONFLICT DO NOTHING.

Prints every round, the best of each, and last the line
``flush: N rows/s (R of raw COPY)`` (best flush against best raw COPY).

Usage: ``python -m bench.bench_flush [--players N] [--repeats R]`` against
REDIS_URL and DATABASE_URL; everything it creates is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from engine import Settings, flush, housekeeping, keys  # noqa: E402
from engine.flush import PlayerRow  # noqa: E402
from engine.layout import LogEntry, LogRow, Snapshot, Stats  # noqa: E402
from engine.restore import PlayerRecord, restore_game  # noqa: E402
from quiz.documents import engine_questions  # noqa: E402
from quiz.flush import game_flush, pg_side  # noqa: E402
from quiz.models import Game  # noqa: E402
from quiz.redis import sync_engine  # noqa: E402
from testkit.machine import describe  # noqa: E402

DOC = {
    "title": "bench-flush",
    "questions": [
        {"text": "q", "time_limit": 20, "multiplier": 1, "image": None,
         "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": False}]}
    ],
}  # fmt: skip
CREATED_MS = 1_700_000_000_000


def _answer(n: int) -> tuple[int, bool, int]:
    """Player n's answer: (points, right, elapsed_ms), a spread of them."""
    right = n % 3 != 0
    elapsed = 500 + (n * 7919) % 19_000
    return (round(1000 * (1 - elapsed / 40_000)) if right else 0), right, elapsed


def _stats(n: int) -> Stats:
    pts, right, elapsed = _answer(n)
    reached = 5_000 + elapsed if pts else 1_000 + n % 5_000
    return Stats(pts, int(right), 1 if right else 0, int(right), int(right), 2, reached, 1, pts)


def _entry(n: int) -> dict[str, Any]:
    """The log entry submit_answer.lua writes for player n's answer."""
    pts, right, elapsed = _answer(n)
    c = "0" if right else "1"
    return {
        "p": n, "q": 1, "c": c, "t": elapsed, "pts": pts, "b": 0, "ok": int(right), "tot": pts,
        "str": int(right), "v": 2, "val": f"[{c}]",
    }  # fmt: skip


def _game(host: Any) -> Game:
    return Game.objects.create(
        host=host, title="bench-flush", document=DOC, pin="", host_token_hash="x" * 64
    )


def _prepare_pg(game: Game, n: int) -> None:
    """Players and version-1 scores, by COPY (untimed)."""
    with transaction.atomic():
        cur = connection.connection.cursor()
        with cur.copy(
            "COPY quiz_player (game_id, number, nickname, token_hash, joined_ms, kicked) FROM STDIN"
        ) as cp:
            cp.write("".join(f"{game.pk}\t{i}\tP{i}\t\t0\tf\n" for i in range(1, n + 1)))
        cur.execute(
            "INSERT INTO quiz_score (game_id, player_id, total, rank, correct_count, streak, "
            "streak_round, best_streak, reached_ms, version, last_round, last_points) "
            "SELECT game_id, id, 0, 0, 0, 0, 0, 0, 1000 + number %% 5000, 1, 0, 0 "
            "FROM quiz_player WHERE game_id = %s",
            (game.pk,),
        )  # fmt: skip


def _reset_pg(games: list[Game]) -> None:
    """Back to before the answers (untimed): no Answer rows, scores at
    version 1, positions empty."""
    ids = [g.pk for g in games]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM quiz_answer WHERE game_id = ANY(%s)", (ids,))
        cur.execute(
            "UPDATE quiz_score SET total = 0, rank = 0, correct_count = 0, streak = 0, "
            "streak_round = 0, best_streak = 0, version = 1, last_round = 0, last_points = 0 "
            "WHERE game_id = ANY(%s)",
            (ids,),
        )
        cur.execute("UPDATE quiz_game SET log_pos = '', scored_pos = '' WHERE id = ANY(%s)", (ids,))
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE quiz_answer")
        cur.execute("VACUUM ANALYZE quiz_score")
        # the reset's dirty pages written out now, not during the first timed path
        cur.execute("CHECKPOINT")


def _prepare_redis(gid: str, n: int) -> None:
    """Game A with question 1 open and every player's answer to it done:
    stats, board and dirty marks by the engine's restore_game in one step,
    then the answer log (untimed)."""
    eng = sync_engine()
    players = [PlayerRecord(i, f"P{i}", f"p{i}", "", _stats(i)) for i in range(1, n + 1)]
    snap = Snapshot(
        {"state": "question", "q": "1", "round": "1", "sround": "1",
         "created_ms": str(CREATED_MS)},
        {1: {"state": "open", "round": "1", "opened_ms": str(CREATED_MS),
             "open_ms": str(CREATED_MS), "deadline_ms": str(CREATED_MS + 20_000)}},
    )  # fmt: skip
    done = eng.run(
        restore_game(gid, questions=engine_questions(DOC), settings=Settings(title="bench"),
                     snapshot=snap, players=players, answers=[], replace=True)
    )  # fmt: skip
    assert done.ok, done
    r = eng.redis
    for start in range(1, n + 1, 10_000):
        pipe = r.pipeline(transaction=False)
        for i in range(start, min(start + 10_000, n + 1)):
            pipe.xadd(keys.log(gid), _entry(i))
        pipe.execute()


def _close(gid: str) -> None:
    r = sync_engine().redis
    r.hset(keys.question(gid, 1), mapping={"state": "closed", "closed_ms": CREATED_MS + 20_000})
    r.hset(keys.meta(gid), "state", "reveal")


def _log_rows(n: int) -> list[LogEntry]:
    out = []
    for i in range(1, n + 1):
        f = {k: str(v) for k, v in _entry(i).items()}
        e = LogEntry.unpack(f"{CREATED_MS}-{i}", f)
        assert e is not None
        out.append(e)
    return out


def _raw_body(game: Game, n: int, ids: dict[int, int]) -> list[bytes]:
    """The COPY input of the same answers, built in advance (batches)."""
    rows = []
    for i in range(1, n + 1):
        row = LogRow.unpack(
            f"{CREATED_MS}-{i}", {k.encode(): str(v).encode() for k, v in _entry(i).items()}
        )
        assert row is not None
        rows.append(row)
    return [pg_side.answers_body(game.pk, rows[i : i + 5000], ids, {})
            for i in range(0, n, 5000)]  # fmt: skip


def _ids(game: Game) -> dict[int, int]:
    with connection.cursor() as cur:
        cur.execute("SELECT number, id FROM quiz_player WHERE game_id = %s", (game.pk,))
        return dict(cur.fetchall())


def _raw(bodies: list[bytes]) -> float:
    """The same answer rows, already COPY text in memory with their player
    ids, COPYed into quiz_answer in one transaction: the floor."""
    t0 = time.perf_counter()
    with transaction.atomic():
        cur = connection.connection.cursor()
        for body in bodies:
            pg_side.answers_copy_body(cur, body)
    return time.perf_counter() - t0


# The earlier flusher's answer statements (before the append-only record),
# kept here for the comparison row.
_PREVIOUS_TEMP = """
CREATE TEMP TABLE IF NOT EXISTS bench_answer (
  number int, question int, choices jsonb, points int, bonus int, correct bool,
  elapsed_ms int, total int, streak int, value jsonb
) ON COMMIT DELETE ROWS
"""
_PREVIOUS_ANSWERS = """
INSERT INTO quiz_answer (game_id, player_id, question, choices, points, bonus, correct,
  elapsed_ms, total, streak, value)
SELECT %(g)s, p.id, a.question, a.choices, a.points, a.bonus, a.correct, a.elapsed_ms,
  a.total, a.streak, a.value
FROM bench_answer a JOIN quiz_player p ON p.game_id = %(g)s AND p.number = a.number
ON CONFLICT (player_id, question) DO NOTHING
"""


def _previous_answers(cur: Any, game_pk: int, entries: list[LogEntry]) -> None:
    body = "".join(
        f"{e.player}\t{e.question}\t{e.choices_json()}\t{e.points}\t{e.bonus}\t"
        f"{'t' if e.correct else 'f'}\t{e.elapsed_ms}\t{e.total}\t{e.streak}\t"
        f"{e.value.replace(chr(92), chr(92) * 2)}\n"
        for e in entries
    )
    cols = "number, question, choices, points, bonus, correct, elapsed_ms, total, streak, value"
    with cur.copy(f"COPY bench_answer ({cols}) FROM STDIN") as cp:
        cp.write(body)
    cur.execute(_PREVIOUS_ANSWERS, {"g": game_pk})
    cur.execute("TRUNCATE bench_answer")


def _previous(game: Game, entries: list[LogEntry], batch: int) -> float:
    """What the earlier flusher did in PostgreSQL for the same answers (rows
    in memory, no Redis): each player's Score upserted in place, then the
    answers through a temporary table with ON CONFLICT DO NOTHING."""
    rows = [PlayerRow(e.player, _stats(e.player), 1) for e in entries]
    t0 = time.perf_counter()
    with transaction.atomic():
        cur = connection.connection.cursor()
        pg_side.temp_tables(cur)
        cur.execute(_PREVIOUS_TEMP)
        for i in range(0, len(entries), batch):
            pg_side.scores_upsert(cur, game.pk, rows[i : i + batch])
            _previous_answers(cur, game.pk, entries[i : i + batch])
    return time.perf_counter() - t0


def _counts(game: Game) -> tuple[int, int]:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM quiz_answer WHERE game_id = %s", (game.pk,))
        answers = cur.fetchone()[0]
        cur.execute(
            "SELECT count(*) FROM quiz_score WHERE game_id = %s AND version = 2", (game.pk,)
        )
        return int(answers), int(cur.fetchone()[0])


def _cleanup(games: list[Game]) -> None:
    eng = sync_engine()
    for g in games:
        eng.run(housekeeping.delete_game(g.key, 1))
    ids = [g.pk for g in games]
    with connection.cursor() as cur:
        for table in ("quiz_score", "quiz_answer", "quiz_player", "quiz_game"):
            col = "id" if table == "quiz_game" else "game_id"
            cur.execute(f"DELETE FROM {table} WHERE {col} = ANY(%s)", (ids,))


def _machine() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    return [describe(), f"PostgreSQL {pg}"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--players", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    n = args.players
    from django.conf import settings

    batch = settings.STADIUM["FLUSH_BATCH"]
    host, _ = get_user_model().objects.get_or_create(username="bench-flush-" + secrets.token_hex(3))
    a, b, c = _game(host), _game(host), _game(host)
    try:
        print(f"preparing {n:,} players in three games (untimed)...", flush=True)
        for g in (a, b, c):
            _prepare_pg(g, n)
        entries = _log_rows(n)
        bodies = _raw_body(b, n, _ids(b))
        eng = sync_engine()
        times: dict[str, list[float]] = {"flush": [], "raw": [], "close": [], "previous": []}
        for k in range(args.repeats):
            _prepare_redis(a.key, n)
            _reset_pg([a, b, c])
            first = ["flush", "raw", "previous"] if k % 2 == 0 else ["previous", "raw", "flush"]
            for path in first:
                if path == "flush":
                    res = game_flush(game_id=a.key)
                    assert res.answers == n and res.scores == 0, res
                    times["flush"].append(res.seconds)
                elif path == "raw":
                    times["raw"].append(_raw(bodies))
                else:
                    times["previous"].append(_previous(c, entries, batch))
            left = eng.run(flush.dirty_count(a.key)), eng.redis.xlen(keys.log(a.key))
            assert left == (0, 0), left  # marks released, log trimmed
            _close(a.key)
            res = game_flush(game_id=a.key)
            assert res.answers == 0 and res.scores == n, res
            times["close"].append(res.seconds)
            assert _counts(a) == (n, n) and _counts(b)[0] == n and _counts(c) == (n, n)
            ranks = json.dumps(sorted(flush.board_ranks(eng, a.key, batch=10_000))[:3])
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT p.number, s.rank FROM quiz_score s JOIN quiz_player p "
                    "ON p.id = s.player_id WHERE s.game_id = %s ORDER BY p.number LIMIT 3",
                    (a.pk,),
                )
                assert json.dumps([list(x) for x in cur.fetchall()]) == ranks

        rows_of = {"flush": n, "raw": n, "close": n, "previous": 2 * n}
        names = {
            "raw": "raw COPY into quiz_answer (in memory)",
            "flush": "flush_scores, question open (Redis->PG)",
            "close": "close: Score rows materialized",
            "previous": "previous record, PG side only",
        }
        print()
        print(
            f"{'path':<42} {'rows':>9} "
            + " ".join(f"{'run ' + str(k + 1):>8}" for k in range(args.repeats))
            + f" {'best s':>8} {'rows/s':>9}"
        )
        for key in ("raw", "flush", "close", "previous"):
            cells = " ".join(f"{t:>8.3f}" for t in times[key])
            best = min(times[key])
            print(
                f"{names[key]:<42} {rows_of[key]:>9,} {cells} {best:>8.3f} "
                f"{rows_of[key] / best:>9,.0f}"
            )
        raw_rate, flush_rate = n / min(times["raw"]), n / min(times["flush"])
        per_run = " ".join(
            f"{r_ / f_:>8.2f}" for r_, f_ in zip(times["raw"], times["flush"], strict=True)
        )
        print(
            f"{'ratio flush / raw rate':<42} {'':>9} {per_run} {'':>8} {flush_rate / raw_rate:>9.2f}"
        )
        print()
        print(
            f"rows: answers for flush and raw, Score rows for the close, Score + answer rows "
            f"for the previous record; batch {batch}; load average {os.getloadavg()[0]:.2f}"
        )
        ok_rate = "yes" if flush_rate >= 100_000 else "NO"
        ok_ratio = "yes" if flush_rate >= raw_rate / 2 else "NO"
        print(
            f"targets (best runs): >= 100,000 answer rows/s: {ok_rate}; "
            f">= half the raw COPY rate: {ok_ratio}"
        )
        for line in _machine():
            print(line)
        print(f"flush: {flush_rate:,.0f} rows/s ({flush_rate / raw_rate:.2f} of raw COPY)")
    finally:
        _cleanup([a, b, c])
        host.delete()


if __name__ == "__main__":
    main()
