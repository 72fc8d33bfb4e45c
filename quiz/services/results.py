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

from quiz.models import Answer, Game, Score

from . import NotFound, ServiceError


def _game_saved(*, host: User, pin: str) -> Game:
    game = Game.objects.filter(host=host, pin=pin).order_by("-created", "-id").first()
    if game is None:
        raise NotFound(f"no game of yours with PIN {pin}")
    if game.saved is None:
        raise ServiceError("not_saved", "results are being saved, retry in a moment", status=409)
    return game


def _ranking(game: Game) -> list[dict[str, Any]]:
    scores = Score.objects.filter(game=game, player__kicked=False).select_related("player")
    # rank 0 means "off the board": such rows go last, in join order
    ordered = sorted(scores, key=lambda s: (s.rank == 0, s.rank, s.player.number))
    return [
        {
            "rank": s.rank,
            "player": s.player.number,
            "nickname": s.player.nickname,
            "score": s.total,
            "correct": s.correct_count,
            "best_streak": s.best_streak,
        }
        for s in ordered
    ]


def results_get(*, host: User, pin: str) -> dict[str, Any]:
    game = _game_saved(host=host, pin=pin)
    return {
        "game": game.key,
        "pin": game.pin,
        "title": game.title,
        "saved": True,
        "n_questions": len(game.document["questions"]),
        "ranking": _ranking(game),
    }


def _cell(value: Any) -> Any:
    # A nickname like "=HYPERLINK(...)" must stay text in a spreadsheet
    # (CSV injection): prefix the characters that start a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def results_csv(*, host: User, pin: str) -> str:
    """rank,nickname,score,correct,best_streak,q1..qN (points per question,
    bonus included; 0 where the player did not answer)."""
    game = _game_saved(host=host, pin=pin)
    n = len(game.document["questions"])
    points: dict[tuple[int, int], int] = {
        (player, question): pts
        for player, question, pts in Answer.objects.filter(game=game).values_list(
            "player__number", "question", "points"
        )
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["rank", "nickname", "score", "correct", "best_streak", *(f"q{q}" for q in range(1, n + 1))]
    )
    for row in _ranking(game):
        writer.writerow(
            [
                row["rank"],
                _cell(row["nickname"]),
                row["score"],
                row["correct"],
                row["best_streak"],
                *(points.get((row["player"], q), 0) for q in range(1, n + 1)),
            ]
        )
    return out.getvalue()
