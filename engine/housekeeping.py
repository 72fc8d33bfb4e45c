"""Operations on a game's keys as a whole, and Redis's clock: what callers
outside play need (game creation's rollback, the save's expiry, the
flusher's discovery of live games) without naming a key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import keys
from .calls import Op, cmd


def delete_game(game: str, n_questions: int) -> Op[int]:
    """Every key of the game (a half-created or replaced game)."""
    return Op([cmd("DEL", *keys.all_of(game, n_questions))], lambda r: int(r[0]))


def expire_game(game: str, n_questions: int, ttl_s: int) -> Op[int]:
    """A time to live on every key of the game; the number of keys that exist."""
    calls = [cmd("EXPIRE", k, ttl_s) for k in keys.all_of(game, n_questions)]
    return Op(calls, lambda r: sum(int(x) for x in r))


def games_present(games: Sequence[str]) -> Op[list[bool]]:
    """Whether each game's meta is in Redis, in one round trip."""
    calls = [cmd("EXISTS", keys.meta(g)) for g in games]
    return Op(calls, lambda r: [bool(int(x)) for x in r])


def _ms(r: list[Any]) -> int:
    sec, usec = r[0]
    return int(sec) * 1000 + int(usec) // 1000


def clock() -> Op[int]:
    """Redis time in milliseconds: the clock every script scores against."""
    return Op([cmd("TIME")], _ms)
