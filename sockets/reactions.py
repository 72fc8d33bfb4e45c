"""A relay's share of the crowd's reactions (engine/reactions.py).

The consumers add their players' taps here; on each step (at least once a
second) the relay writes the sums into the current second's bucket and, if
this process serves big screens, reads each second once it is over (two
seconds behind, so every process has written into it) and sends the
screens one ``reactions`` frame per second that had any, outside the seq
chain (a lost one needs no resync). Phones receive nothing: a tap is
counted, never fanned out.
"""

from __future__ import annotations

import time
from collections import Counter

from engine import reactions as rx
from engine.aio import Engine

LAG_S = 2  # a second is read once every process has flushed into it
CATCH_UP_S = 10  # after a stall, at most this many past seconds are sent


class ReactionFeed:
    def __init__(self, game: str, engine: Engine) -> None:
        self.game = game
        self.engine = engine
        self.pending: Counter[str] = Counter()
        self.read_upto: int | None = None  # last second read; None: not reading

    def add(self, reaction: str) -> None:
        self.pending[reaction] += 1

    async def step(self, *, screens: bool) -> list[tuple[int, dict[str, int]]]:
        """Write this process's taps; with ``screens``, the sums of the
        seconds newly over, (second, counts) for those that had any."""
        now = int(time.time())
        if self.pending:
            sums, self.pending = dict(self.pending), Counter()
            try:
                await self.engine.run(rx.reactions_add(self.game, now, sums))
            except Exception:
                self.pending.update(sums)  # not lost: written on the next step
                raise
        if not screens:
            self.read_upto = None
            return []
        upto = now - LAG_S
        if self.read_upto is None:  # a screen just came: from now on
            self.read_upto = upto
            return []
        if upto <= self.read_upto:
            return []
        seconds = list(range(max(self.read_upto + 1, upto - CATCH_UP_S + 1), upto + 1))
        got = await self.engine.run(rx.reactions_read(self.game, seconds))
        self.read_upto = upto
        return [(s, c) for s, c in zip(seconds, got, strict=True) if c]
