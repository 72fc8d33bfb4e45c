"""Players: joining a live game by PIN and nickname.

Joining touches Redis only (one atomic script checks the game's state, its
capacity and the nickname's uniqueness); the flusher writes the Player rows
later. The player's token is returned once; Redis keeps its SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine import ops
from engine.auth import hash_token, new_token
from quiz.live import refusals
from quiz.nicknames import NicknameError, nickname_clean, nickname_key
from quiz.redis import async_engine

from . import ServiceError
from .games import game_live


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
        )
    )
    if not result.ok:
        no = refusals.for_http(result.status)
        raise ServiceError(no.code, no.message, status=no.status)
    return JoinedPlayer(game=state.game, player=result.player, token=token, nickname=name)
