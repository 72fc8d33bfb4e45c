"""What the relay sends: one reaction per stream event, and the tick.

Contract: each reaction reads what it needs from Redis first and only then
sends (so an attempt that fails on Redis has sent nothing and can be
repeated by the stream loop), updates the cached state of
:class:`~sockets.view.RelayView` from what it read, and sends through the
game's :class:`~sockets.audience.Audience` the frames built by
:mod:`sockets.frames`, chained at the stream id being handled. Nothing here
closes a question (that is the clock's, in sockets.relay) or moves the
stream position.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.conf import settings

from engine import EngineUnavailable, Event, ops
from engine.aio import Engine
from quiz import metrics

from . import frames
from .audience import ROLES, Conn
from .messages import CLOSE_KICKED, dumps
from .stream import Cursor
from .view import RelayView

log = logging.getLogger(__name__)

# who gets the ``players`` frame
ROSTER = ("host", "screen")


class Broadcaster(RelayView):
    """A game's reactions and ticks; :class:`sockets.relay.GameRelay` runs them."""

    def __init__(self, game: str, pin: str, engine: Engine) -> None:
        cfg = settings.STADIUM
        super().__init__(game, pin, engine, cfg["TOP_N"], cfg["ALL_ANSWERED_GRACE_MS"] / 1000)
        self.tick_s = cfg["TICK_MS"] / 1000
        # Phones get the board less often than screens and hosts: at stadium
        # scale the per-player frames are most of a process's work.
        self.player_tick_s = max(self.tick_s, cfg["PLAYER_TICK_MS"] / 1000)
        self.last_player_tick = 0.0
        self.players_due = False
        self.dirty = False  # answers since the last tick
        self.last_tick = 0.0
        self.ticks = 0
        self.cursor = Cursor(game, engine)
        # the "players" frame (hosts and screens), gathered across events
        # until it is sent
        self.joined: list[int] = []
        self.kicked: list[int] = []
        self.roster_due = False
        # join_open as clients last learned it (their welcome or the last
        # roster frame); a question's opening that changes it sends a roster
        self.join_open_told: bool | None = None
        self.resync_due = False  # clients missed something: resync once Redis answers

    # The stream position (the seq of the frames the event being handled
    # sends) and the send registry, as the fault tests and the bench read them.
    @property
    def last_id(self) -> str:
        return self.cursor.last_id

    @last_id.setter
    def last_id(self, value: str) -> None:
        self.cursor.last_id = value

    @property
    def pending(self) -> list[Event]:
        return self.cursor.pending

    @pending.setter
    def pending(self, events: list[Event]) -> None:
        self.cursor.pending = events

    @property
    def conns(self) -> dict[str, set[Conn]]:
        return self.audience.conns

    async def refresh(self) -> None:
        n = self._state.question if self._state else 0
        st, _ = await self.engine.run(ops.snapshot(self.game, n))
        if st is not None and st.question != n:
            st, _ = await self.engine.run(ops.snapshot(self.game, st.question))
        self._state = st
        self.join_open_told = st.join_open if st is not None else None
        if st is not None and st.question:
            self._question = await self.engine.run(ops.question_state(self.game, st.question))
        else:
            self._question = None
        q = self._question
        if st is not None and not (st.reveal == "on_close" and q is not None and q.state == "open"):
            # the boards an on_close question holds still: a relay that has
            # not ticked yet (no event since its start) must not hold nothing
            top, counts = await self.engine.run(
                ops.combine(ops.top(self.game, self.top_n), ops.team_counts(self.game))
            )
            self._top = frames.entries(top)
            self._teams = frames.team_entries(st, counts)

    def add(self, conn: Conn) -> None:
        self.audience.add(conn)

    def remove(self, conn: Conn) -> None:
        self.audience.remove(conn)

    def broadcast(self, roles: Iterable[str], frame: Mapping[str, Any]) -> None:
        self.audience.broadcast(roles, frame, self.cursor.last_id)

    def send_each(self, role: str, each: Mapping[Conn, Mapping[str, Any]]) -> None:
        self.audience.send_each(role, each, self.cursor.last_id)

    def _lost_game(self) -> None:
        """Redis answers but no longer has the game (restarted without AOF,
        wiped): clients are told once, and a resync answers ``unavailable``
        until ``rebuild_game`` restores it (its resync event lifts this).
        The last state seen is kept, so a player's answer meanwhile is
        refused as ``unavailable``, not as if no question were open."""
        if self._lost or self._finished:
            return
        self._lost = True
        self.resync_due = False
        log.warning("relay %s: the game is not in Redis; waiting for rebuild_game", self.game)
        self.broadcast(ROLES, frames.resync("redis_lost"))

    # --- events -------------------------------------------------------------

    async def _event(self, ev: Event) -> None:
        t = ev.type
        if t == "ans":
            self.dirty = True
        elif t == "join":
            self.joined.append(int(ev.fields["p"]))
            self.roster_due = self.dirty = True
        elif t == "open":
            await self._opened(int(ev.fields["q"]))
        elif t == "close":
            await self._closed(int(ev.fields["q"]))
        elif t in ("pause", "resume", "extend"):
            await self._clock_changed(t, int(ev.fields["q"]), ev.fields)
        elif t == "board":
            self.broadcast(ROLES, frames.show_leaderboard(int(ev.fields["q"])))
        elif t == "end":
            await self._ended()
        elif t == "kick":
            pid = int(ev.fields["p"])
            self.kicked.append(pid)
            self._kick_local(pid)
            self.roster_due = self.dirty = True
        elif t == "lock":
            self.roster_due = True
        elif t == "resync":
            await self.refresh()
            # a rebuilt game: its clock starts afresh
            self._lost = self.resync_due = False
            self.clock.reset()
            self.broadcast(ROLES, frames.resync(ev.fields.get("reason") or "rebuilt"))

    async def _roster(self) -> None:
        """The ``players`` frame for the joins and kicks handled (and a
        change of ``join_open``), to hosts and screens: the console's roster
        and lock button, the big screen's lobby wall and late-join line."""
        if not self.roster_due:
            return
        if not (self.audience.conns["host"] or self.audience.conns["screen"]):
            self.joined, self.kicked, self.roster_due = [], [], False
            return
        joined, kicked = self.joined, self.kicked
        names, st = await self.engine.run(
            ops.combine(ops.nicknames(self.game, joined), ops.game_state(self.game))
        )
        self.joined, self.kicked, self.roster_due = [], [], False
        if st is not None:
            self._state = st
            self.join_open_told = st.join_open
        self.broadcast(ROSTER, frames.players(joined, names, kicked, st))

    async def _opened(self, n: int) -> None:
        was_open = self._state.join_open if self._state is not None else None
        self._state, self._question = await self.engine.run(ops.snapshot(self.game, n))
        if self._state is not None and self._state.join_open != self.join_open_told:
            # Late join off: the first question closes joining, and no join
            # or lock event says so. The roster frame carries the new
            # join_open, sent before the question so that no screen shows
            # "join with PIN" over the question for a moment.
            self.roster_due = True
            await self._roster()
        q = self._question
        if q is None:
            return
        self.broadcast(ROLES, frames.question(q, self.server_ms()))
        self.dirty = True
        # Late join off: the first question closes joining with no lock
        # event; the host's players frame says so now, not at a reload.
        st = self._state
        if st is not None and was_open is not None and st.join_open != was_open:
            self.roster_due = True

    async def _clock_changed(self, t: str, n: int, fields: Mapping[str, str]) -> None:
        """The host paused, resumed or extended question ``n``."""
        q = await self.engine.run(ops.question_state(self.game, n))
        if q is None:
            return
        if self._question is not None and self._question.number == n:
            self._question = q
        if t == "pause":
            left = int(fields.get("left") or max(0, q.deadline_ms - q.paused_at))
            self.broadcast(ROLES, frames.question_paused(n, left))
        elif t == "resume":
            self.broadcast(ROLES, frames.question_resumed(q))
        else:
            self.broadcast(ROLES, frames.question_extended(q))

    async def _closed(self, n: int) -> None:
        players = self.audience.players()
        (st, q), top, standings, texts, counts = await self.engine.run(
            ops.combine(
                ops.snapshot(self.game, n),
                ops.top(self.game, self.top_n),
                ops.standings(self.game, players, n),
                ops.top_texts(self.game, n),
                ops.team_counts(self.game),
            )
        )
        self._state, self._question = st, q
        if q is None or st is None:
            return
        self._top = frames.entries(top)
        self._teams = frames.team_entries(st, counts)
        common = frames.question_closed(q, st, texts, self._teams)
        self.broadcast(["host", "screen"], common)
        mine: dict[Conn, frames.QuestionClosedMine] = {}
        for pid, s in zip(players, standings, strict=True):
            if s is not None:
                f = frames.question_closed_mine(common, s, st, q)
                for c in self.audience.of_player(pid):
                    mine[c] = f
        self.send_each("player", mine)
        # The close was sent: a failed tick must not fail (and repeat) it;
        # the loop ticks again, players included.
        self.dirty = self.players_due = True
        self.last_player_tick = 0.0
        with contextlib.suppress(EngineUnavailable):
            await self.tick(players_now=True)

    async def _ended(self) -> None:
        players = self.audience.players()
        st, podium, standings, counts = await self.engine.run(
            ops.combine(
                ops.game_state(self.game),
                ops.top(self.game, 3),
                ops.standings(self.game, players),
                ops.team_counts(self.game),
            )
        )
        self._state = st
        if self._question is not None and self._question.state == "open":
            self._question = await self.engine.run(
                ops.question_state(self.game, self._question.number)
            )
        self._teams = frames.team_entries(st, counts)
        common = frames.game_over(podium, st, self._teams)
        self.broadcast(["host", "screen"], common)
        mine_over: dict[Conn, frames.GameOverMine] = {}
        for pid, s in zip(players, standings, strict=True):
            if s is not None:
                f_over = frames.game_over_mine(common, s)
                for c in self.audience.of_player(pid):
                    mine_over[c] = f_over
        self.send_each("player", mine_over)
        self._finished = True

    def _kick_local(self, pid: int) -> None:
        text = dumps(cast(dict[str, Any], frames.kicked(self.cursor.last_id)))
        for c in list(self.audience.of_player(pid)):
            c.push(text)
            c.close_soon(CLOSE_KICKED)

    # --- the leaderboard tick -----------------------------------------------

    async def tick(self, *, players_now: bool = False) -> None:
        """One leaderboard frame per audience, from a constant number of reads.
        Players get it at most every ``PLAYER_TICK_MS`` unless ``players_now``."""
        t0 = time.perf_counter()
        n = self._question.number if self._question else 0
        # the relay has not handled this question's close yet (Redis may
        # have closed it since the last read of the stream): an on_close
        # board still holds, so no board moves before question_closed
        was_open = self._question is not None and self._question.state == "open"
        (st, q), top, counts = await self.engine.run(
            ops.combine(
                ops.snapshot(self.game, n),
                ops.top(self.game, self.top_n),
                ops.team_counts(self.game),
            )
        )
        self.dirty = False
        self.last_tick = time.monotonic()
        self.ticks += 1
        if st is None:
            self._lost_game()
            return
        self._state = st
        if q is not None:
            self._question = q
        if not (st.reveal == "on_close" and q is not None and (q.state == "open" or was_open)):
            # on_close: players' and teams' boards hold still until the close
            self._top = frames.entries(top)
            self._teams = frames.team_entries(st, counts)
        frame = frames.leaderboard(n, self._top, st, q, self.server_ms(), self._teams)
        t1 = time.perf_counter()
        roles = ["screen"]
        if players_now or time.monotonic() - self.last_player_tick >= self.player_tick_s:
            roles.append("player")
            self.last_player_tick = time.monotonic()
            self.players_due = False
        else:
            self.players_due = True
        self.broadcast(roles, frame)
        if self.audience.conns["host"]:
            self.broadcast(["host"], frames.leaderboard_host(frame, q))
        t2 = time.perf_counter()
        metrics.TICK_BUILD.observe(t1 - t0)
        metrics.TICK_FANOUT.observe(t2 - t1)
        # lag: how old the newest event this tick reflects is (ids are ms-stamped)
        newest_ms = int(self.cursor.last_id.split("-", 1)[0])
        if newest_ms:
            metrics.RELAY_LAG.observe(max(0.0, (self.server_ms() - newest_ms) / 1000))
