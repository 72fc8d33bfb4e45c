"""The host and screen keys of a game, for its owner on any tab or device.

A game's tokens are an HMAC, under the server's SECRET_KEY, of the game's
key and a random seed kept in its PostgreSQL row only (``Game.token_seed``:
never in Redis, never in an API answer). So the server can hand them to the
game's owner again without storing them: PostgreSQL and Redis still hold
only their SHA-256; a Redis dump opens nothing; a PostgreSQL dump opens
nothing without the SECRET_KEY; and the public development key alone derives
nothing (the seed is random). The host console of a new tab (or another
device) asks for them once the host is logged in (``GET
/api/games/<pin>/host-key``).

Games opened before the keys were derived (random tokens), or under a
SECRET_KEY that was since rotated away (not in SECRET_KEY_FALLBACKS),
cannot be given back: ``host_key_unavailable`` (409), and only the tab
that opened them holds their key.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.crypto import salted_hmac

from engine import ops
from engine.auth import token_matches
from quiz.models import Game
from quiz.redis import sync_engine

from . import ServiceError

_SALT = "stadium.game-key.v1"


def new_seed() -> str:
    return secrets.token_urlsafe(32)


def derived_token(game_key: str, seed: str, role: str, secret: str | None = None) -> str:
    """The ``role`` ("host" or "screen") token of game ``game_key`` with
    ``seed``: 32 bytes of HMAC-SHA256, URL-safe base64 (43 characters)."""
    value = f"{role}:{game_key}:{seed}"
    mac = salted_hmac(_SALT, value, secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _recovered(game: Game) -> tuple[str, str] | None:
    """The game's (host, screen) tokens if a current or fallback secret
    derives them, else None."""
    if not game.token_seed:  # opened before seeds: random tokens
        return None
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        host = derived_token(game.key, game.token_seed, "host", secret)
        if token_matches(host, game.host_token_hash):
            return host, derived_token(game.key, game.token_seed, "screen", secret)
    return None


def _game_of_pin(pin: str) -> Game | None:
    """The game a PIN names now: the live one in Redis, else the newest
    row with that PIN (a finished game whose PIN was freed)."""
    gid = sync_engine().run(ops.game_of_pin(pin)) if pin.isdigit() and len(pin) == 6 else None
    if gid is not None:
        game = Game.objects.filter(key=gid).first()
        if game is not None:
            return game
    return Game.objects.filter(pin=pin).order_by("-created", "-id").first() if pin else None


def host_key_get(*, host: User, pin: str) -> dict[str, Any]:
    """The owner's keys of the game behind ``pin``: 404 ``not_found`` (no
    such game), 403 ``forbidden`` (another host's game), 409
    ``host_key_unavailable`` (a key the server cannot derive)."""
    game = _game_of_pin(pin)
    if game is None:
        raise ServiceError("not_found", f"no game with PIN {pin}", status=404)
    if game.host_id != host.pk:
        raise ServiceError("forbidden", "this game belongs to another host", status=403)
    tokens = _recovered(game)
    if tokens is None:
        raise ServiceError(
            "host_key_unavailable",
            "this game's key is only in the browser tab that opened it",
            status=409,
        )
    return {"pin": game.pin, "game": game.key, "host_token": tokens[0], "screen_token": tokens[1]}
