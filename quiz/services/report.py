"""The report of a saved game (docs/reports.md): per question, per player
and per team, from PostgreSQL.

Every number is an SQL aggregate (quiz/report_sql.py): counts, shares,
mean and median (``percentile_cont``) response times, ``width_bucket``
histograms, per-choice and per-bucket distributions. Python shapes the few
aggregate rows and streams the per-player list (one row per player, its
answers a JSON array built by PostgreSQL). The same game as the results
(:mod:`quiz.services.results`): the newest of the host's games with the
PIN, 409 ``not_saved`` until saved.

Downloads: :func:`report_csv` (UTF-8 with a BOM, one table per view
separated by a blank line) and :func:`report_xlsx` (XlsxWriter, one sheet per
view).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connection

from engine import kinds
from engine.types import CHOICE_KINDS, SCORED, TEXT_KINDS
from quiz import report_sql as sql
from quiz.documents import engine_questions
from quiz.models import Game, TeamStanding
from quiz.nicknames import text_shown

from .results import BOM, _cell, _game_saved, _value_cell

TIME_BUCKETS = 10
EXTREMES = 3  # hardest / easiest
STREAM_ROWS = 2000


def _rows(query: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(query, params)
        return list(cur.fetchall())


def _limits_ms(game: Game, n_questions: int, doc_questions: list[dict[str, Any]]) -> list[int]:
    """T per question: the time limit plus the host's extensions (the
    snapshot of the game's last flush holds ``ext_ms``)."""
    snap = (game.snapshot or {}).get("questions", {})
    return [
        int(doc_questions[n - 1].get("time_limit", 20)) * 1000
        + int((snap.get(str(n)) or {}).get("ext_ms") or 0)
        for n in range(1, n_questions + 1)
    ]


def _times(limit_ms: int, counts: dict[int, int]) -> list[dict[str, int]]:
    step = limit_ms / TIME_BUCKETS
    return [
        {"from_ms": round(step * i), "to_ms": round(step * (i + 1)), "count": counts.get(i + 1, 0)}
        for i in range(TIME_BUCKETS)
    ]


def _top_texts(counts: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """Distinct texts as given -> the top 50 normalized texts, by count then
    text, the word filter's refusals left out (as question_closed)."""
    folded: dict[str, int] = {}
    for text, n in counts:
        stripped = text.strip()
        if not stripped or not text_shown(stripped):
            continue
        norm = kinds.normalize(stripped)
        if norm:
            folded[norm] = folded.get(norm, 0) + n
    top = sorted(folded.items(), key=lambda kv: (-kv[1], kv[0]))[: kinds.TOP_TEXTS]
    return [{"text": t, "count": n} for t, n in top]


def _questions(game: Game) -> list[dict[str, Any]]:
    g = game.pk
    doc_questions: list[dict[str, Any]] = game.document["questions"]
    eqs = engine_questions(game.document)
    numbers = list(range(1, len(eqs) + 1))
    limits = _limits_ms(game, len(eqs), doc_questions)

    stats = {row[0]: row[1:] for row in _rows(sql.QUESTION_STATS, {"g": g})}
    times: dict[int, dict[int, int]] = {}
    for q, bucket, n in _rows(
        sql.TIMES, {"g": g, "qs": numbers, "limits": limits, "nb": TIME_BUCKETS}
    ):
        times.setdefault(q, {})[bucket] = n

    choice_qs = [n for n, q in zip(numbers, eqs, strict=True) if q.kind in CHOICE_KINDS]
    per_choice: dict[int, dict[int, int]] = {}
    if choice_qs:
        for q, idx, n in _rows(sql.CHOICE_COUNTS, {"g": g, "qs": choice_qs}):
            per_choice.setdefault(q, {})[idx] = n

    sliders = [(n, q) for n, q in zip(numbers, eqs, strict=True) if q.kind == "slider"]
    per_bucket: dict[int, dict[int, int]] = {}
    if sliders:
        params = {
            "g": g,
            "qs": [n for n, _ in sliders],
            "lo": [Decimal(repr(q.min)) for _, q in sliders],
            "step": [Decimal(repr(q.step)) for _, q in sliders],
            "nsteps": [kinds.nsteps(q) for _, q in sliders],
            "nbs": [kinds.histogram_buckets(q) for _, q in sliders],
        }
        for q, bucket, n in _rows(sql.SLIDER_BUCKETS, params):
            per_bucket.setdefault(q, {})[bucket] = n

    text_qs = [n for n, q in zip(numbers, eqs, strict=True) if q.kind in TEXT_KINDS]
    per_text: dict[int, list[tuple[str, int]]] = {}
    if text_qs:
        for q, text, n in _rows(sql.TEXT_COUNTS, {"g": g, "qs": text_qs}):
            per_text.setdefault(q, []).append((text, n))

    out = []
    for n, q in zip(numbers, eqs, strict=True):
        answered, right, scored, mean, median, points = stats.get(n, (0, 0, 0, None, None, 0))
        is_scored = q.kind in SCORED
        dist: Any = None
        if q.kind in CHOICE_KINDS:
            counts = per_choice.get(n, {})
            dist = [counts.get(i, 0) for i in range(len(q.choices))]
        elif q.kind == "slider":
            buckets = per_bucket.get(n, {})
            nb = kinds.histogram_buckets(q)
            dist = kinds.histogram(q.public(n), [buckets.get(i, 0) for i in range(1, nb + 1)])
        elif q.kind in TEXT_KINDS:
            dist = _top_texts(per_text.get(n, []))
        elif q.kind == "ordering":
            dist = {"right": right, "wrong": scored - right}
        out.append(
            {
                "question": n,
                "kind": q.kind,
                "text": q.text,
                "answered": answered,
                "right": right if is_scored else None,
                "share_right": right / answered if is_scored and answered else None,
                "mean_ms": round(mean, 1) if mean is not None else None,
                "median_ms": float(median) if median is not None else None,
                "points": int(points),
                "distribution": dist,
                "times": _times(limits[n - 1], times.get(n, {})),
            }
        )
    return out


def _extremes(questions: list[dict[str, Any]]) -> tuple[list[int], list[int]]:
    """Scored questions with answers: lowest share right first (ties: the
    earlier question), and highest first."""
    rated = [(q["share_right"], q["question"]) for q in questions if q["share_right"] is not None]
    hardest = [n for _, n in sorted(rated, key=lambda r: (r[0], r[1]))[:EXTREMES]]
    easiest = [n for _, n in sorted(rated, key=lambda r: (-r[0], r[1]))[:EXTREMES]]
    return hardest, easiest


def _teams(game: Game) -> list[dict[str, Any]] | None:
    if not game.teams:
        return None
    shares = {
        team: (right, scored) for team, right, scored in _rows(sql.TEAM_SHARES, {"g": game.pk})
    }
    out = []
    for t in TeamStanding.objects.filter(game=game).order_by("rank", "team"):
        right, scored = shares.get(t.team, (0, 0))
        out.append(
            {
                "team": t.team,
                "name": t.name,
                "rank": t.rank,
                "score": t.score,
                "members": t.members,
                "total": t.total,
                "share_right": right / scored if scored else None,
            }
        )
    return out


def players_stream(game: Game) -> Iterator[dict[str, Any]]:
    """Every player, ranked (kicked ones last, rank 0), with the answers:
    streamed from a server-side cursor, one player at a time."""
    with connection.chunked_cursor() as cur:
        cur.execute(sql.PLAYERS, {"g": game.pk})
        while rows := cur.fetchmany(STREAM_ROWS):
            for number, nickname, team, rank, score, kicked, answers in rows:
                yield {
                    "player": number,
                    "nickname": nickname,
                    "team": team,
                    "rank": rank,
                    "score": score,
                    "kicked": kicked,
                    "answers": json.loads(answers),
                }


def _summary(game: Game) -> dict[str, Any]:
    ((players, answers),) = _rows(sql.COUNTS, {"g": game.pk})
    questions = _questions(game)
    hardest, easiest = _extremes(questions)
    return {
        "game": game.key,
        "pin": game.pin,
        "title": game.title,
        "players": players,
        "answers": answers,
        "teams": bool(game.teams),
        "questions": questions,
        "hardest": hardest,
        "easiest": easiest,
        "teams_detail": _teams(game),
    }


def report_get(*, host: User, pin: str) -> dict[str, Any]:
    game = _game_saved(host=host, pin=pin)
    out = _summary(game)
    out["players_detail"] = list(players_stream(game))
    return out


# --- downloads ------------------------------------------------------------------

QUESTION_COLS = [
    "question", "kind", "text", "answered", "right", "share_right", "mean_ms", "median_ms",
    "points", "distribution", "times",
]  # fmt: skip
TEAM_COLS = ["rank", "team", "name", "score", "members", "total", "share_right"]
ANSWER_COLS = ["player", "nickname", "question", "value", "correct", "points", "elapsed_ms"]


def _json_cell(v: Any) -> str:
    return "" if v is None else json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def _question_row(q: dict[str, Any]) -> list[Any]:
    return [
        q["question"], q["kind"], _cell(q["text"]), q["answered"],
        "" if q["right"] is None else q["right"],
        "" if q["share_right"] is None else q["share_right"],
        "" if q["mean_ms"] is None else q["mean_ms"],
        "" if q["median_ms"] is None else q["median_ms"],
        q["points"], _json_cell(q["distribution"]), _json_cell(q["times"]),
    ]  # fmt: skip


def _player_cols(n_questions: int, teams: bool) -> list[str]:
    return [
        "rank", "player", "nickname", *(["team"] if teams else []), "score", "kicked",
        *(f"q{n}_points" for n in range(1, n_questions + 1)),
        *(f"q{n}_value" for n in range(1, n_questions + 1)),
        *(f"q{n}_ms" for n in range(1, n_questions + 1)),
    ]  # fmt: skip


def _player_row(p: dict[str, Any], n_questions: int, names: list[str] | None) -> list[Any]:
    mine: dict[int, dict[str, Any]] = {a["question"]: a for a in p["answers"]}
    given = [mine.get(n) for n in range(1, n_questions + 1)]
    team = []
    if names is not None:
        team = [_cell(names[p["team"]]) if p["team"] is not None else ""]
    return [
        p["rank"], p["player"], _cell(p["nickname"]), *team, p["score"], p["kicked"],
        *(a["points"] if a else 0 for a in given),
        *(_value_cell(a["value"]) if a else "" for a in given),
        *(a["elapsed_ms"] if a else "" for a in given),
    ]  # fmt: skip


def _team_row(t: dict[str, Any]) -> list[Any]:
    return [
        t["rank"], t["team"], _cell(t["name"]), t["score"], t["members"], t["total"],
        "" if t["share_right"] is None else t["share_right"],
    ]  # fmt: skip


def _names(game: Game) -> list[str] | None:
    return list((game.teams or {}).get("names", [])) if game.teams else None


def report_csv(*, host: User, pin: str) -> str:
    """UTF-8 text starting with a BOM (spreadsheets then read it as UTF-8):
    the questions table, a blank line, the players table (points, values and
    times per question), and with teams a blank line and the teams table."""
    game = _game_saved(host=host, pin=pin)
    summary = _summary(game)
    nq = len(summary["questions"])
    names = _names(game)
    out = io.StringIO()
    out.write(BOM)
    w = csv.writer(out, lineterminator="\n")
    w.writerow(QUESTION_COLS)
    w.writerows(_question_row(q) for q in summary["questions"])
    w.writerow([])
    w.writerow(_player_cols(nq, names is not None))
    w.writerows(_player_row(p, nq, names) for p in players_stream(game))
    if summary["teams_detail"] is not None:
        w.writerow([])
        w.writerow(TEAM_COLS)
        w.writerows(_team_row(t) for t in summary["teams_detail"])
    return out.getvalue()


class _Sheet:
    """A worksheet written row after row (XlsxWriter's constant-memory
    mode: a row is flushed to a temporary file once the next one starts)."""

    def __init__(self, wb: Any, name: str) -> None:
        self.ws = wb.add_worksheet(name)
        self.row = 0

    def append(self, values: list[Any]) -> None:
        self.ws.write_row(self.row, 0, values)
        self.row += 1


def report_xlsx(*, host: User, pin: str) -> bytes:
    """An .xlsx workbook (XlsxWriter, constant memory): sheets Questions,
    Players, Answers (one row per answer) and, with teams, Teams."""
    import xlsxwriter

    game = _game_saved(host=host, pin=pin)
    summary = _summary(game)
    nq = len(summary["questions"])
    names = _names(game)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_formulas": False})
    qs = _Sheet(wb, "Questions")
    qs.append(QUESTION_COLS)
    for q in summary["questions"]:
        qs.append(_question_row(q))
    players = _Sheet(wb, "Players")
    players.append(_player_cols(nq, names is not None))
    answers = _Sheet(wb, "Answers")
    answers.append(ANSWER_COLS)
    for p in players_stream(game):
        players.append(_player_row(p, nq, names))
        nick = _cell(p["nickname"])
        for a in p["answers"]:
            answers.append(
                [
                    p["player"], nick, a["question"], _value_cell(a["value"]),
                    "" if a["correct"] is None else a["correct"], a["points"], a["elapsed_ms"],
                ]
            )  # fmt: skip
    if summary["teams_detail"] is not None:
        teams = _Sheet(wb, "Teams")
        teams.append(TEAM_COLS)
        for t in summary["teams_detail"]:
            teams.append(_team_row(t))
    wb.close()
    return buf.getvalue()
