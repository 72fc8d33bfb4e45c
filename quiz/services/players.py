"""Players: joining a live game by PIN and nickname (typed or generated).

Joining touches Redis only (one atomic script checks the game's state, its
capacity and the nickname's uniqueness); the flusher writes the Player rows
later. The player's token is returned once; Redis keeps its SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine import GameState, ops
from engine.auth import hash_token, new_token
from quiz.friendly_names import language_pick, name_generate, name_is_generated
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
# draws of a generated name before a join gives up (each taken one is one
# more join call; at 50,000 players in 360,000+ names a draw is taken 1 in 7)
GENERATED_TRIES = 20


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


async def player_join(
    *, pin: str, nickname: str | None, team: Any = NO_TEAM, lang: str | None = None
) -> JoinedPlayer:
    """``nickname`` None: a generated name in ``lang`` (games whose names are
    offered or required, quiz.friendly_names); one taken is drawn again."""
    name = None
    if nickname is not None:
        try:
            name = nickname_clean(nickname)
        except NicknameError as e:
            raise ServiceError("nickname_invalid", str(e), status=400) from e
    state = await game_live(pin=pin)
    if name is None and state.names == "off":
        raise ServiceError("nickname_invalid", "a nickname is required", status=400)
    if name is not None and state.names == "required" and not name_is_generated(name):
        raise ServiceError(
            "names_generated",
            "this game gives every player a generated name: join without a nickname, "
            "or with the one it suggested",
            status=400,
        )
    chosen = _team_chosen(state, team)
    token = new_token()
    eng = async_engine()
    for _ in range(1 if name is not None else GENERATED_TRIES):
        candidate = name if name is not None else name_generate(lang=language_pick(lang))
        result = await eng.run(
            ops.join(
                state.game,
                nickname=candidate,
                nickname_key=nickname_key(candidate),
                token_hash=hash_token(token),
                team=chosen,
            )
        )
        if result.status != "nickname_taken":
            break
    if not result.ok:
        no = refusals.for_http(result.status)
        raise ServiceError(no.code, no.message, status=no.status)
    return JoinedPlayer(
        game=state.game, player=result.player, token=token, nickname=candidate,
        team=result.team if result.team >= 0 else None,
    )  # fmt: skip


async def name_suggest(*, pin: str, lang: str | None) -> str:
    """A generated name for the join page of a game that offers or requires
    them (not reserved: the join takes it, or draws another if taken)."""
    state = await game_live(pin=pin)
    if state.names == "off":
        raise ServiceError("names_off", "this game has no generated names", status=409)
    return name_generate(lang=language_pick(lang))
