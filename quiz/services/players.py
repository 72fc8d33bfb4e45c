"""Players: joining a live game by PIN and nickname.

Joining touches Redis only (one atomic script checks the game's state, its
capacity and the nickname's uniqueness); the flusher writes the Player rows
later. The player's token is returned once; Redis keeps its SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from engine import ops
from engine.auth import hash_token, new_token
from quiz.nicknames import NicknameError, nickname_clean, nickname_key
from quiz.redis import async_engine

from . import ServiceError
from .games import game_live

# The engine's refusals, as HTTP statuses and messages for a human.
JOIN_REFUSALS: dict[str, tuple[int, str]] = {
    "nickname_taken": (409, "this nickname is taken in this game"),
    "game_full": (409, "this game is full"),
    "join_locked": (403, "this game does not take new players now"),
    "game_finished": (410, "this game is over"),
    "unknown_game": (404, "no game with this PIN"),
}


@dataclass(frozen=True, slots=True)
class JoinedPlayer:
    game: str
    player: int
    token: str
    nickname: str


async def player_join(*, pin: str, nickname: str) -> JoinedPlayer:
    try:
        name = nickname_clean(nickname)
    except NicknameError as e:
        raise ServiceError("nickname_invalid", str(e), status=400) from e
    state = await game_live(pin=pin)
    token = new_token()
    result = await async_engine().run(
        ops.join(
            state.game,
            nickname=name,
            nickname_key=nickname_key(name),
            token_hash=hash_token(token),
            maxlen=settings.STADIUM["EVENTS_MAXLEN"],
        )
    )
    if not result.ok:
        status, message = JOIN_REFUSALS.get(result.status, (409, result.status))
        raise ServiceError(result.status, message, status=status)
    return JoinedPlayer(game=state.game, player=result.player, token=token, nickname=name)
