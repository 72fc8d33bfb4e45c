"""Results of a finished game, from PostgreSQL once the flusher saved them.

A PIN is reused once its game is over, so the game is the newest of this
host's games with that PIN. Until ``Game.saved`` is set the final scores
may still be on their way from Redis: the answer is "retry", never a
partial ranking.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.models import User

from quiz.models import Answer, Game, Score, TeamStanding

from . import NotFound, ServiceError

# starts every CSV download: spreadsheets then read it as UTF-8
BOM = "\ufeff"


def _game_saved(*, host: User, pin: str) -> Game:
    game = Game.objects.filter(host=host, pin=pin).order_by("-created", "-id").first()
    if game is None:
        raise NotFound(f"no game of yours with PIN {pin}")
    if game.saved is None:
        raise ServiceError("not_saved", "results are being saved, retry in a moment", status=409)
    return game


def _ranking(game: Game) -> list[dict[str, Any]]:
    """Every player, kicked ones included (``kicked``: true, rank 0)."""
    scores = Score.objects.filter(game=game).select_related("player")
    # rank 0 means "off the board" (kicked): such rows go last, in join order
    ordered = sorted(scores, key=lambda s: (s.rank == 0, s.rank, s.player.number))
    return [
        {
            "rank": s.rank,
            "player": s.player.number,
            "nickname": s.player.nickname,
            "score": s.total,
            "correct": s.correct_count,
            "best_streak": s.best_streak,
            "team": s.player.team,
            "kicked": s.player.kicked,
        }
        for s in ordered
    ]


def _teams(game: Game) -> list[dict[str, Any]] | None:
    """The final team standings in rank order (null without teams)."""
    if not game.teams:
        return None
    return [
        {"team": t.team, "name": t.name, "score": t.score, "members": t.members, "rank": t.rank}
        for t in TeamStanding.objects.filter(game=game).order_by("rank", "team")
    ]


def _questions(game: Game) -> list[dict[str, Any]]:
    return [
        {"question": n, "kind": q.get("kind", "choice"), "text": q["text"]}
        for n, q in enumerate(game.document["questions"], 1)
    ]


def _answers(game: Game) -> dict[int, list[dict[str, Any]]]:
    """Each player's answers in question order: the value as given
    (choices, number, text, order), whether right (null for unscored
    kinds), points (bonus included), bonus and time from answers opening."""
    out: dict[int, list[dict[str, Any]]] = {}
    rows = Answer.objects.filter(game=game).order_by("question").values_list(
        "player__number", "question", "choices", "value", "correct", "points", "bonus",
        "elapsed_ms",
    )  # fmt: skip
    for player, question, choices, value, correct, points, bonus, elapsed in rows:
        out.setdefault(player, []).append(
            {
                "question": question, "value": choices if value is None else value,
                "correct": correct, "points": points, "bonus": bonus, "elapsed_ms": elapsed,
            }
        )  # fmt: skip
    return out


def results_get(*, host: User, pin: str) -> dict[str, Any]:
    game = _game_saved(host=host, pin=pin)
    ranking = _ranking(game)
    standings = _teams(game)
    answers = _answers(game)
    for row in ranking:
        row["answers"] = answers.get(row["player"], [])
    return {
        "game": game.key,
        "pin": game.pin,
        "title": game.title,
        "saved": True,
        "n_questions": len(game.document["questions"]),
        "questions": _questions(game),
        "ranking": ranking,
        "teams": standings,
        "teams_podium": standings[:3] if standings is not None else None,
    }


def _cell(value: Any) -> Any:
    # A nickname like "=HYPERLINK(...)" must stay text in a spreadsheet
    # (CSV injection): prefix the characters that start a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _value_cell(value: Any) -> Any:
    """An answer's value in one CSV cell: a text as given, a number, a list
    of indexes as "0;2" (choices, order), empty when not answered."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(map(str, value))
    return _cell(value)


def results_csv(*, host: User, pin: str) -> str:
    """rank,nickname,score,correct,best_streak, then q1..qN (points per
    question, bonus included; 0 where the player did not answer), then
    q1_kind_value..: each answer's value (its header names the kind, e.g.
    ``q3_slider``). Kicked players come last with rank 0. With teams, a
    ``team`` column (the team's name) after best_streak, and after a blank
    line a second table: team_rank,team,name,score,members. UTF-8 starting
    with a BOM: without it spreadsheet programs guess a legacy code page and
    garble non-Latin nicknames ("فاطمة", "たけし")."""
    game = _game_saved(host=host, pin=pin)
    questions = _questions(game)
    given: dict[tuple[int, int], tuple[int, Any]] = {
        (player, question): (pts, choices if value is None else value)
        for player, question, pts, choices, value in Answer.objects.filter(game=game).values_list(
            "player__number", "question", "points", "choices", "value"
        )
    }
    standings = _teams(game)
    names = (game.teams or {}).get("names", [])
    team_col = ["team"] if standings is not None else []
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "rank", "nickname", "score", "correct", "best_streak", *team_col,
            *(f"q{q['question']}" for q in questions),
            *(f"q{q['question']}_{q['kind']}" for q in questions),
        ]
    )  # fmt: skip
    for row in _ranking(game):
        mine = [given.get((row["player"], q["question"])) for q in questions]
        writer.writerow(
            [
                row["rank"],
                _cell(row["nickname"]),
                row["score"],
                row["correct"],
                row["best_streak"],
                *([_cell(names[row["team"]]) if row["team"] is not None else ""] * len(team_col)),
                *(a[0] if a else 0 for a in mine),
                *(_value_cell(a[1]) if a else "" for a in mine),
            ]
        )
    if standings is not None:
        writer.writerow([])
        writer.writerow(["team_rank", "team", "name", "score", "members"])
        for t in standings:
            writer.writerow([t["rank"], t["team"], _cell(t["name"]), t["score"], t["members"]])
    return out.getvalue()
