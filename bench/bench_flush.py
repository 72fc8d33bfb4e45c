"""``make bench-flush``: flush 100,000 changed players from Redis to
PostgreSQL, next to a raw COPY + upsert of the same rows in the same run.

Two games are laid down alike (untimed): every player is in PostgreSQL at
version 1 and changed in Redis (version 2, dirty). The flusher then flushes
game A exactly as the worker does (SSCAN of the dirty set, stats and ranks
from Redis, COPY + version-guarded upsert, dirty marks cleaned after the
commit); the reference writes the same rows to game B with nothing but a
COPY into a temporary table and the same INSERT ... ON CONFLICT, with the
rows already in memory. Both move 100,000 Score rows to a new version.

Usage: ``python -m bench.bench_flush [--players N]`` against REDIS_URL
and DATABASE_URL; everything it creates is deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from engine import Settings, flush, housekeeping  # noqa: E402
from engine.flush import PlayerRow  # noqa: E402
from engine.layout import Snapshot, Stats  # noqa: E402
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


def _stats(n: int, version: int = 2) -> Stats:
    # a spread of totals so the board has real ranks
    total = (n * 7919) % 30_000
    return Stats(total, 1, 1, 1, 1, version, 1_000 + n % 5_000, 1, total % 1_000, False)


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
            "SELECT game_id, id, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 FROM quiz_player WHERE game_id = %s",
            (game.pk,),
        )  # fmt: skip


def _prepare_redis(gid: str, n: int, version: int) -> None:
    """The game changed for every player: stats at ``version``, board and
    dirty marks, laid down (again) by the engine's restore_game in one step."""
    players = [PlayerRecord(i, f"P{i}", f"p{i}", "", _stats(i, version)) for i in range(1, n + 1)]
    done = sync_engine().run(
        restore_game(gid, questions=engine_questions(DOC), settings=Settings(title="bench"),
                     snapshot=Snapshot({}, {}), players=players, answers=[], replace=True)
    )  # fmt: skip
    assert done.ok, done


def _raw(game: Game, rows: list[PlayerRow], batch: int) -> float:
    """COPY + upsert of the same rows, already in memory: the floor."""
    t0 = time.perf_counter()
    with transaction.atomic():
        cur = connection.connection.cursor()
        pg_side.temp_tables(cur)
        for i in range(0, len(rows), batch):
            pg_side.scores_upsert(cur, game.pk, rows[i : i + batch])
    return time.perf_counter() - t0


def _written(a: Game, b: Game, version: int) -> dict[int, int]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT game_id, count(*) FROM quiz_score WHERE game_id = ANY(%s) AND version = %s "
            "GROUP BY 1",
            ([a.pk, b.pk], version),
        )
        return dict(cur.fetchall())


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
    a, b = _game(host), _game(host)
    try:
        print(f"preparing {n:,} changed players in two games (untimed)...", flush=True)
        for g in (a, b):
            _prepare_pg(g, n)
        eng = sync_engine()
        raws, flushes = [], []
        # Rounds alternate which path goes first; each round moves every row
        # of both games to a new version (prepared untimed).
        for k in range(args.repeats):
            version = 2 + k
            _prepare_redis(a.key, n, version)
            board = dict(flush.board_ranks(eng, a.key, batch=batch))
            rows = [PlayerRow(i, _stats(i, version), board[i]) for i in range(1, n + 1)]
            if k % 2:
                res = game_flush(game_id=a.key)
                raw_s = _raw(b, rows, batch)
            else:
                raw_s = _raw(b, rows, batch)
                res = game_flush(game_id=a.key)
            written = _written(a, b, version)
            left = eng.run(flush.dirty_count(a.key))
            assert written.get(a.pk) == n and written.get(b.pk) == n, written
            assert res.scores == n and left == 0, (res.scores, left)
            raws.append(raw_s)
            flushes.append(res.seconds)

        print()
        print(
            f"{'path':<40} {'rows':>9} "
            + " ".join(f"{'run ' + str(k + 1):>8}" for k in range(args.repeats))
            + f" {'best s':>8} {'rows/s':>9}"
        )
        for name, times in (
            ("raw COPY + upsert (rows in memory)", raws),
            ("flush_scores (Redis -> PostgreSQL)", flushes),
        ):
            cells = " ".join(f"{t:>8.3f}" for t in times)
            print(f"{name:<40} {n:>9,} {cells} {min(times):>8.3f} {n / min(times):>9,.0f}")
        raw_rate, flush_rate = n / min(raws), n / min(flushes)
        per_run = " ".join(f"{r_ / f_:>8.2f}" for r_, f_ in zip(raws, flushes, strict=True))
        print(
            f"{'ratio flush / raw rate':<40} {'':>9} {per_run} {'':>8} {flush_rate / raw_rate:>9.2f}"
        )
        print()
        ok_rate = "yes" if flush_rate >= 100_000 else "NO"
        ok_ratio = "yes" if flush_rate >= raw_rate / 2 else "NO"
        print(
            f"targets (best runs): >= 100,000 rows/s: {ok_rate}; >= half the raw rate: {ok_ratio}"
        )
        print(
            f"batch {batch} rows; dirty marks left after each flush: 0; load average {os.getloadavg()[0]:.2f}"
        )
        for line in _machine():
            print(line)
    finally:
        _cleanup([a, b])
        host.delete()


if __name__ == "__main__":
    main()
