"""``make bench-report``: the game report (docs/reports.md) of a saved game
of 100,000 players and 10 questions of every answerable kind, in 20 teams.

The game is laid down directly in PostgreSQL (untimed): players and answers
by COPY (about 90% of the players answer each question, response times
spread over the time limit, a share of them right), then scores, ranks and
team standings by SQL from those answers. Then, timed: the SQL aggregates
alone (per question, per team), the whole JSON report (``report_get`` plus
``json.dumps``, as GET /api/games/<pin>/report sends it), the CSV and the
XLSX downloads.

Usage: ``python -m bench.bench_report [--players N] [--repeats R]`` against
DATABASE_URL; everything it creates is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from engine import kinds  # noqa: E402
from quiz.documents import engine_questions  # noqa: E402
from quiz.models import Game  # noqa: E402
from quiz.services import report  # noqa: E402
from testkit.machine import describe  # noqa: E402

LIMIT = 20
ITEMS = ["Kick-off", "Half time", "Second half", "Extra time", "Penalties"]
DOC: dict[str, Any] = {
    "title": "bench-report",
    "questions": [
        {"text": "Largest ocean?", "time_limit": LIMIT, "multiplier": 1, "image": None,
         "choices": [{"text": t, "correct": i == 2}
                     for i, t in enumerate(["Atlantic", "Indian", "Pacific", "Arctic"])]},
        {"text": "Which are even?", "time_limit": LIMIT, "multiplier": 2, "image": None,
         "choices": [{"text": t, "correct": i in (1, 3)} for i, t in enumerate(["3", "8", "5", "12"])]},
        {"kind": "true_false", "text": "The ball is round.", "time_limit": LIMIT,
         "multiplier": 1, "image": None, "answer": True},
        {"kind": "poll", "text": "Best kit?", "time_limit": LIMIT, "multiplier": 0, "image": None,
         "choices": [{"text": "Home"}, {"text": "Away"}, {"text": "Third"}]},
        {"kind": "slider", "text": "Attendance (thousands)?", "time_limit": LIMIT,
         "multiplier": 1, "image": None, "min": 0, "max": 100, "step": 1, "answer": 62,
         "tolerance": 5, "unit": "k"},
        {"kind": "type_answer", "text": "Name the stadium", "time_limit": LIMIT, "multiplier": 1,
         "image": None, "accepted": ["Maracanã"], "max_length": 40},
        {"kind": "ordering", "text": "Put these in order", "time_limit": LIMIT, "multiplier": 1,
         "image": None, "items": ITEMS},
        {"kind": "word_cloud", "text": "One word for tonight", "time_limit": LIMIT,
         "multiplier": 0, "image": None, "max_length": 40},
        {"kind": "slider", "text": "Share of away fans?", "time_limit": LIMIT, "multiplier": 2,
         "image": None, "min": 0, "max": 1, "step": 0.05, "answer": 0.3, "tolerance": 0.05,
         "unit": None},
        {"text": "Red planet?", "time_limit": LIMIT, "multiplier": 1, "image": None,
         "choices": [{"text": "Mars", "correct": True}, {"text": "Venus", "correct": False}]},
    ],
}  # fmt: skip
N_TEAMS = 20
ANSWER_SHARE = 0.9
STADIUMS = ["Maracanã", "maracana", "MARACANÃ!", "Wembley", "Camp Nou", "Azteca", "San Siro"]
WORDS = [f"word{i}" for i in range(400)] + ["Pizza", "pizza!", "Tacos", "Goal", "GOAL"]


def _answer(rng: random.Random, q: Any, n: int) -> tuple[Any, bool | None, int]:
    """A random valid answer: (value as recorded, correct, points before speed)."""
    if q.kind in ("choice", "true_false", "poll"):
        if len(q.correct) > 1 and rng.random() < 0.5:
            pick = sorted(q.correct)
        else:
            pick = [rng.randrange(len(q.choices))]
        if q.kind == "poll":
            return pick, None, 0
        return pick, set(pick) == q.correct, 1
    if q.kind == "slider":
        steps = kinds.nsteps(q)
        k = min(steps, max(0, round(rng.gauss(0.6, 0.2) * steps)))
        value = kinds._num(q.min + k * q.step)
        return value, abs(value - q.answer) <= q.tolerance + 1e-9, 1
    if q.kind == "type_answer":
        text = rng.choice(STADIUMS)
        return text, kinds.normalize(text) in {kinds.normalize(a) for a in q.accepted}, 1
    if q.kind == "word_cloud":
        return rng.choice(WORDS), None, 0
    if q.kind == "ordering":
        order = kinds.reveal(q)["order"]
        if rng.random() < 0.4:
            return order, True, 1
        wrong = list(order)
        wrong[0], wrong[1] = wrong[1], wrong[0]
        return wrong, False, 1
    raise AssertionError(q.kind)


def _copy(cur: Any, sql: str, lines: list[str]) -> None:
    with cur.copy(sql) as cp:
        for i in range(0, len(lines), 50_000):
            cp.write("".join(lines[i : i + 50_000]))


def lay_down(host: Any, n: int) -> Game:
    names = [f"Team {i + 1}" for i in range(N_TEAMS)]
    game = Game.objects.create(
        host=host, title=DOC["title"], document=DOC, pin=f"{secrets.randbelow(10**6):06d}",
        host_token_hash="x" * 64, state=Game.State.FINISHED,
        teams={"mode": "auto", "score": "average", "names": names},
        finished=timezone.now(), saved=timezone.now(),
    )  # fmt: skip
    eqs = engine_questions(DOC)
    rng = random.Random(16)
    g = game.pk
    with transaction.atomic():
        cur = connection.connection.cursor()
        _copy(
            cur,
            "COPY quiz_player (game_id, number, nickname, token_hash, joined_ms, kicked, team) "
            "FROM STDIN",
            [
                f"{g}\t{i}\tFan{i}\t\t{i}\t{'t' if i % 997 == 0 else 'f'}\t{i % N_TEAMS}\n"
                for i in range(1, n + 1)
            ],
        )
        cur.execute(
            "CREATE TEMP TABLE bench_answer (number int, question int, choices jsonb, "
            "value jsonb, points int, correct bool, elapsed_ms int) ON COMMIT DROP"
        )
        lines = []
        for qn, q in enumerate(eqs, 1):
            for i in range(1, n + 1):
                if rng.random() > ANSWER_SHARE:
                    continue
                value, correct, base = _answer(rng, q, qn)
                elapsed = min(LIMIT * 1000, int(rng.expovariate(1 / 6000)))
                points = (
                    round(1000 * q.multiplier * (1 - elapsed / (LIMIT * 2000))) if correct else 0
                ) * base
                choices = value if q.kind in ("choice", "true_false", "poll") else []
                corr = "\\N" if correct is None else ("t" if correct else "f")
                lines.append(
                    f"{i}\t{qn}\t{json.dumps(choices)}\t"
                    f"{json.dumps(value, ensure_ascii=False).replace(chr(92), chr(92) * 2)}\t"
                    f"{points}\t{corr}\t{elapsed}\n"
                )
        _copy(
            cur,
            "COPY bench_answer (number, question, choices, value, points, correct, elapsed_ms) "
            "FROM STDIN",
            lines,
        )
        cur.execute("ANALYZE bench_answer; ANALYZE quiz_player")
        cur.execute(
            "INSERT INTO quiz_answer (game_id, player_id, question, choices, value, points, bonus, "
            "correct, elapsed_ms, total, streak) "
            "SELECT %(g)s, p.id, a.question, a.choices, a.value, a.points, 0, a.correct, "
            "a.elapsed_ms, 0, 0 FROM bench_answer a "
            "JOIN quiz_player p ON p.game_id = %(g)s AND p.number = a.number",
            {"g": g},
        )
    # fresh statistics before the joins below (else nested loops over 100,000 rows)
    with connection.cursor() as c:
        c.execute("ANALYZE quiz_answer; ANALYZE quiz_player; ANALYZE quiz_score")
    with transaction.atomic():
        cur = connection.connection.cursor()
        cur.execute(
            "INSERT INTO quiz_score (game_id, player_id, total, rank, correct_count, streak, "
            "streak_round, best_streak, reached_ms, version, last_round, last_points) "
            "SELECT %(g)s, p.id, t.total, "
            "CASE WHEN p.kicked THEN 0 ELSE row_number() OVER "
            "(PARTITION BY p.kicked ORDER BY t.total DESC, p.number) END, "
            "t.right_, 0, 0, 0, 0, 1, 0, 0 FROM quiz_player p "
            "JOIN (SELECT player_id, coalesce(sum(points), 0) AS total, "
            "count(*) FILTER (WHERE correct) AS right_ FROM quiz_answer "
            "WHERE game_id = %(g)s GROUP BY player_id) t ON t.player_id = p.id "
            "WHERE p.game_id = %(g)s",
            {"g": g},
        )
        cur.execute(
            "INSERT INTO quiz_score (game_id, player_id, total, rank, correct_count, streak, "
            "streak_round, best_streak, reached_ms, version, last_round, last_points) "
            "SELECT %(g)s, p.id, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 FROM quiz_player p "
            "WHERE p.game_id = %(g)s AND NOT EXISTS "
            "(SELECT 1 FROM quiz_score s WHERE s.player_id = p.id)",
            {"g": g},
        )
        cur.execute(
            "INSERT INTO quiz_teamstanding (game_id, team, name, total, members, score, rank, "
            "version) SELECT %(g)s, t.team, 'Team ' || (t.team + 1), t.total, t.members, "
            "t.total / greatest(t.members, 1), row_number() OVER "
            "(ORDER BY t.total / greatest(t.members, 1) DESC, t.team), 1 FROM "
            "(SELECT p.team, sum(s.total) AS total, count(*) AS members FROM quiz_player p "
            "JOIN quiz_score s ON s.player_id = p.id WHERE p.game_id = %(g)s AND NOT p.kicked "
            "GROUP BY p.team) t",
            {"g": g},
        )
    with connection.cursor() as c:
        c.execute("ANALYZE quiz_answer; ANALYZE quiz_player; ANALYZE quiz_score")
    return game


def _cleanup(game: Game) -> None:
    with connection.cursor() as cur:
        for table in ("quiz_teamstanding", "quiz_score", "quiz_answer", "quiz_player"):
            cur.execute(f"DELETE FROM {table} WHERE game_id = %s", (game.pk,))
        cur.execute("DELETE FROM quiz_game WHERE id = %s", (game.pk,))


def _timed(fn: Callable[[], Any], repeats: int) -> tuple[list[float], Any]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--players", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    host = get_user_model().objects.create_user("bench-report-" + secrets.token_hex(3))
    game = None
    try:
        print(f"laying down {args.players:,} players x 10 questions (untimed)...", flush=True)
        t0 = time.perf_counter()
        game = lay_down(host, args.players)
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM quiz_answer WHERE game_id = %s", (game.pk,))
            n_answers = cur.fetchone()[0]
        print(f"laid down {n_answers:,} answers in {time.perf_counter() - t0:.1f} s", flush=True)
        pin, r = game.pin, args.repeats
        rows: list[tuple[str, list[float], int]] = []

        t, _ = _timed(lambda: report._summary(game), r)
        rows.append(("SQL aggregates (questions, teams)", t, 0))
        t, body = _timed(lambda: json.dumps(report.report_get(host=host, pin=pin)), r)
        rows.append(("report JSON (report_get + dumps)", t, len(body.encode())))
        t, body = _timed(lambda: report.report_csv(host=host, pin=pin), r)
        rows.append(("report CSV", t, len(body.encode())))
        t, body = _timed(lambda: report.report_xlsx(host=host, pin=pin), 1)
        rows.append(("report XLSX (XlsxWriter, constant memory)", t, len(body)))

        print()
        print(
            f"{'step':<36} "
            + " ".join(f"{'run ' + str(k + 1):>8}" for k in range(r))
            + f" {'best s':>8} {'MB':>7}"
        )
        for name, times, size in rows:
            cells = " ".join(f"{x:>8.3f}" for x in times) + " " * 9 * (r - len(times))
            mb = f"{size / 2**20:>7.1f}" if size else f"{'':>7}"
            print(f"{name:<36} {cells} {min(times):>8.3f} {mb}")
        print()
        print(
            f"{args.players:,} players, 10 questions, {n_answers:,} answers, {N_TEAMS} teams; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            pg = cur.fetchone()[0]
        print(describe())
        print(f"PostgreSQL {pg}")
    finally:
        if game is not None:
            _cleanup(game)
        host.delete()


if __name__ == "__main__":
    main()
