"""The saved podium of a finished game (PostgreSQL), as the phone's and the
big screen's "final" endpoints both show it (player_final, screen_final)."""

from __future__ import annotations

from typing import Any

from quiz.models import Game, Score


def podium_read(*, game: Game) -> list[dict[str, Any]]:
    """The first three of the saved ranks (rank 0 is off the board)."""
    top = Score.objects.filter(game=game, rank__gte=1).select_related("player").order_by("rank")
    return [
        {"player": s.player.number, "nickname": s.player.nickname, "score": s.total, "rank": s.rank}
        for s in top[:3]
    ]
