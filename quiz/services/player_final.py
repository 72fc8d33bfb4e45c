"""A player's own final place, from PostgreSQL, for a phone that comes
back after its game was saved and its PIN freed.

The live game answers a reconnecting phone with a ``welcome``; once the
final save let Redis forget the game, the PIN has no live game (close
4404) and only PostgreSQL knows the end. The phone still holds its player
token: ``Authorization: Player <token>`` shows that player's own row and
the podium, never anyone's token or answers.
"""

from __future__ import annotations

from typing import Any

from engine.auth import hash_token
from quiz.models import Player, Score

from . import NotFound, ServiceError
from .authorization import token_of
from .podium import podium_read

_SCHEME = "player"


def player_final(*, pin: str, authorization: str | None) -> dict[str, Any]:
    token = token_of(authorization, _SCHEME)
    if token is None:
        raise ServiceError(
            "unauthorized", "send your player token: Authorization: Player <token>", status=401
        )
    # A PIN is reused once its game is over: the token picks the game.
    player = (
        Player.objects.filter(game__pin=pin, token_hash=hash_token(token))
        .select_related("game")
        .order_by("-game__created", "-game__id")
        .first()
    )
    if player is None:
        raise NotFound(f"no player with that token in a game with PIN {pin}")
    game = player.game
    if game.saved is None:
        raise ServiceError("not_saved", "the final scores are being saved, retry", status=409)
    mine = Score.objects.filter(player=player).first()
    return {
        "pin": game.pin,
        "title": game.title,
        "player": player.number,
        "nickname": player.nickname,
        "kicked": player.kicked,
        # rank 0 in the results means off the board (kicked): null here
        "rank": mine.rank if mine is not None and mine.rank > 0 else None,
        "score": mine.total if mine is not None else 0,
        "players": Player.objects.filter(game=game, kicked=False).count(),
        "podium": podium_read(game=game),
    }
