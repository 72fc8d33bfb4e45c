"""The big screen's final podium, from PostgreSQL, for a screen reloaded
after its game was saved and its PIN freed.

While the game is in Redis a reloaded screen gets a ``welcome`` with the
final board; the final save frees the PIN (its socket then closes 4404), so
only PostgreSQL knows the end. The screen still holds its token:
``Authorization: Screen <screen token>`` (the host token works too) shows
the podium, as the phone's ``players/me`` shows a player's place.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from engine.auth import hash_token
from quiz.models import Game, Player

from . import NotFound, ServiceError
from .authorization import token_of
from .brand import brand_of
from .podium import podium_read
from .results import _teams

_SCHEME = "screen"


def screen_final(*, pin: str, authorization: str | None) -> dict[str, Any]:
    token = token_of(authorization, _SCHEME)
    if token is None:
        raise ServiceError(
            "unauthorized", "send the game's screen token: Authorization: Screen <token>",
            status=401,
        )  # fmt: skip
    h = hash_token(token)
    # A PIN is reused once its game is over: the token picks the game.
    game = (
        Game.objects.filter(Q(screen_token_hash=h) | Q(host_token_hash=h), pin=pin)
        .order_by("-created", "-id")
        .first()
    )
    if game is None:
        raise NotFound(f"no game with PIN {pin} for that token")
    if game.saved is None:
        raise ServiceError("not_saved", "the final scores are being saved, retry", status=409)
    standings = _teams(game)
    return {
        "pin": game.pin,
        "title": game.title,
        "players": Player.objects.filter(game=game, kicked=False).count(),
        "podium": podium_read(game=game),
        "teams_podium": standings[:3] if standings is not None else None,
        "brand": brand_of(accent=game.accent, logo=game.logo),
    }
