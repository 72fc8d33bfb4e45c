"""What the rest of the process may know of a game's relay: a read-only view.

consumers.py and snapshot.py read a relay only through these names; the
relay alone changes them (from the stream's events and its ticks). The
cached state is what the relay saw last, never the truth (Redis is): it is
good for cheap decisions on the hot path (which question is current, is the
reveal ``on_close``) and the engine refuses what it got wrong.

- ``game``, ``pin``, ``engine``, ``top_n``: fixed for the relay's life.
- ``state`` / ``question``: the game and its current question, or None.
- ``top``, ``teams``: the last leaderboard and team board sent (held still
  while an ``on_close`` question is open, so a welcome shows what the
  screens show).
- ``finished``: the game was seen to end (nothing follows).
- ``lost``: Redis answers but no longer has the game; it comes back with
  ``rebuild_game`` (a resync event lifts this).
- ``seq[role]``: the seq of the last broadcast frame to that role, where a
  welcome chains.
- ``server_ms()``: now on the Redis clock.
- ``reactions``: where consumers add their players' taps (the one thing
  they write: the relay sends them on, :mod:`sockets.reactions`).
"""

from __future__ import annotations

from collections.abc import Mapping

from engine import GameState, QuestionState
from engine.aio import Engine

from .audience import Audience
from .clock import RelayClock
from .frames import Entry, TeamEntry
from .reactions import ReactionFeed


class RelayView:
    def __init__(self, game: str, pin: str, engine: Engine, top_n: int, grace_s: float) -> None:
        self.game = game
        self.pin = pin
        self.engine = engine
        self.top_n = top_n
        self.audience = Audience()
        self.clock = RelayClock(grace_s)
        self._state: GameState | None = None
        self._question: QuestionState | None = None
        self._top: list[Entry] = []
        self._teams: list[TeamEntry] | None = None
        self._finished = False
        self._lost = False
        self.reactions = ReactionFeed(game, engine)

    @property
    def state(self) -> GameState | None:
        return self._state

    @property
    def question(self) -> QuestionState | None:
        return self._question

    @property
    def top(self) -> list[Entry]:
        return self._top

    @property
    def teams(self) -> list[TeamEntry] | None:
        return self._teams

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def lost(self) -> bool:
        return self._lost

    @property
    def seq(self) -> Mapping[str, str]:
        return self.audience.seq

    def server_ms(self) -> int:
        return self.clock.server_ms()
