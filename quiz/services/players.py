"""Players: joining a live game by PIN and nickname.

Joining touches Redis only (one atomic script checks the game's state, its
capacity and the nickname's uniqueness); the flusher writes the Player rows
later. The player's token is returned once; Redis keeps its SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine import GameState, ops
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
    team: int | None = None


NO_TEAM: Any = object()  # the join body has no "team" field at all


def _team_chosen(state: GameState, team: Any) -> int | None:
    """The index to send to the engine (None: auto or no teams), or
    ``bad_team``: a team given where the game assigns it or has none, or a
    choose-mode join without an integer index (the range is the engine's)."""
    if not state.teams or state.team_mode == "auto":
        if team is not NO_TEAM:
            no = refusals.for_http("bad_team")
            raise ServiceError(no.code, "this game assigns teams itself", status=no.status)
        return None
    if team is NO_TEAM or type(team) is not int:
        no = refusals.for_http("bad_team")
        raise ServiceError(
            no.code,
            f"choose a team: an index from 0 to {len(state.team_names) - 1}",
            status=no.status,
        )
    return team


async def player_join(*, pin: str, nickname: str, team: Any = NO_TEAM) -> JoinedPlayer:
    try:
        name = nickname_clean(nickname)
    except NicknameError as e:
        raise ServiceError("nickname_invalid", str(e), status=400) from e
    state = await game_live(pin=pin)
    chosen = _team_chosen(state, team)
    token = new_token()
    result = await async_engine().run(
        ops.join(
            state.game,
            nickname=name,
            nickname_key=nickname_key(name),
            token_hash=hash_token(token),
            team=chosen,
        )
    )
    if not result.ok:
        no = refusals.for_http(result.status)
        raise ServiceError(no.code, no.message, status=no.status)
    return JoinedPlayer(
        game=state.game, player=result.player, token=token, nickname=name,
        team=result.team if result.team >= 0 else None,
    )  # fmt: skip
