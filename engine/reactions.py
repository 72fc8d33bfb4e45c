"""Reactions: the crowd's emoji taps, counted per game per second.

A tap is never an event of its own: each server process adds up its
players' taps and writes the sums about once a second (one HINCRBY per
reaction kind into the bucket of that second, and an EXPIRE), and a process
with big screens reads each finished second once (HGETALL) and sends the
screens one frame for it. So Redis sees O(processes) calls a second however
hard the crowd taps, and no phone receives anything.

The buckets ``g:{id}:rx:<second>`` (engine.keys.reactions) live
``TTL_S``; they are not part of a game's state (not in keys.all_of: they
expire by themselves, and rebuild_game has nothing to restore).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import keys
from .calls import Op, cmd

# The reactions a player may send (the front end draws each as an emoji).
REACTIONS = ("clap", "fire", "laugh", "wow", "heart", "party")
TTL_S = 60


def _s(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


def reactions_add(game: str, second: int, counts: Mapping[str, int]) -> Op[None]:
    """Add a process's sums to the bucket of ``second`` (Unix time)."""
    key = keys.reactions(game, second)
    calls = [cmd("HINCRBY", key, r, n) for r, n in counts.items() if n > 0]
    calls.append(cmd("EXPIRE", key, TTL_S))
    return Op(calls, lambda _r: None)


def reactions_read(game: str, seconds: list[int]) -> Op[list[dict[str, int]]]:
    """The sums of each of ``seconds`` (empty dicts for quiet ones)."""

    def dec(r: list[Any]) -> list[dict[str, int]]:
        return [{_s(k): int(v) for k, v in (h or {}).items()} for h in r]

    return Op([cmd("HGETALL", keys.reactions(game, s)) for s in seconds], dec)
