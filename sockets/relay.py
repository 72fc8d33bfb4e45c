"""The per-process relay: one reader of a game's event stream per process.

Each server process runs ONE relay task per live game it serves. It follows
the game's stream (:mod:`sockets.stream`), reacts to lifecycle events at
once (question opened or closed, game ended, player kicked) and coalesces
answer deltas into a leaderboard tick (every ``TICK_MS``, only when
something changed): :mod:`sockets.broadcasts`. Frames are built by
:mod:`sockets.frames` and sent by the game's :mod:`sockets.audience`
(serialized once per audience, pushed to every local connection through its
outbox; seq chains so a lost frame is seen). A tick costs a constant number
of Redis calls per process, whatever the number of players.

The relay is also the game clock (:mod:`sockets.clock`, with the rules of
:mod:`quiz.live.clock`): after each step it closes the open question at its
deadline, or once everyone answered and the grace is over (close is
idempotent, so every process may try). Ticks only read and send.

Redis faults: an event counts as read only once it was handled (retried
with backoff, a bounded number of times). When the relay had to give an
event up, or finds after an outage that Redis lost the game (a restart
without AOF), it tells its clients to resync instead of going silent. A
finished game's relay stops reading: nothing follows the end.

What consumers may read of a relay is :class:`sockets.view.RelayView`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from engine import EngineUnavailable, Event, ops
from engine.aio import Engine
from quiz.live import actions
from quiz.redis import async_engine, redis_async

from . import frames
from .audience import ROLES
from .broadcasts import Broadcaster
from .messages import dumps
from .stream import HANDLE_TRIES, follow

__all__ = ["HANDLE_TRIES", "RELAYS", "GameRelay", "relay_for"]

IDLE_S = 10  # a relay with no connection stops after this long


class GameRelay(Broadcaster):
    """A game's relay in this process: :class:`Broadcaster`'s reactions run
    by the stream loop, plus the clock and the recovery from Redis faults."""

    def __init__(self, game: str, pin: str, engine: Engine) -> None:
        super().__init__(game, pin, engine)
        self.task: asyncio.Task[None] | None = None
        self.stopped = False
        self.check_due = False  # Redis failed us: look at the game once it answers

    # --- lifecycle ----------------------------------------------------------

    async def start(self) -> None:
        self.clock.synced(await self.engine.redis.time())
        await self.cursor.start()
        self.audience.restart(self.cursor.last_id)
        await self.refresh()
        self._finished = self._state is not None and self._state.state == "finished"
        self.task = asyncio.ensure_future(self._run())

    # --- the loop -----------------------------------------------------------

    async def _run(self) -> None:
        blocking = redis_async()
        try:
            await follow(lambda: self._step(blocking), self._running, self._step_failed, self.game)
        finally:
            self.stopped = True
            if RELAYS.get(self.game) is self:
                del RELAYS[self.game]
            with contextlib.suppress(Exception):
                await blocking.aclose()

    def _running(self) -> bool:
        if self.stopped or (self._finished and not self.cursor.pending):
            return False
        idle = self.audience.idle_since
        return idle is None or time.monotonic() - idle <= IDLE_S

    def _step_failed(self, e: Exception) -> None:
        if isinstance(e, EngineUnavailable):
            self.check_due = True
        if self.cursor.pending:
            self._failed(self.cursor.pending[0])

    async def _step(self, blocking: Any) -> None:
        if self.check_due:
            await self._check()
        await self.cursor.read(self._wait_ms(), blocking)
        await self._handle_pending()
        await self._roster()
        await self._reactions()
        if self._finished:
            return
        now = time.monotonic()
        if (self.dirty and now - self.last_tick >= self.tick_s) or (
            self.players_due and now - self.last_player_tick >= self.player_tick_s
        ):
            await self.tick()
        await self._clock()

    async def _reactions(self) -> None:
        """The taps of this process written; each second that is over sent
        to this process's big screens (one frame, never to phones)."""
        screens = bool(self.audience.conns["screen"])
        for second, counts in await self.reactions.step(screens=screens):
            self.audience.send_loose("screen", frames.reactions(second, counts))

    def _failed(self, ev: Event) -> None:
        """Handling ``ev`` (the head of ``pending``) failed: it is tried
        again, or given up after HANDLE_TRIES, and then the clients are told
        to resync once Redis answers (their frames would have a gap)."""
        if self.cursor.failed():
            self.resync_due = True
            self.check_due = True

    async def _check(self) -> None:
        """Redis answers again after failing: is the game still there?"""
        st = await self.engine.run(ops.game_state(self.game))
        self.check_due = False
        if st is None:
            self._lost_game()
            return
        if self.resync_due:
            await self.refresh()
            self.resync_due = False
            self.broadcast(ROLES, frames.resync("missed_events"))

    def _wait_ms(self) -> int:
        wait = 1.0
        now = time.monotonic()
        if self.dirty:
            wait = min(wait, max(0.0, self.tick_s - (now - self.last_tick)))
        if self.players_due:
            wait = min(wait, max(0.0, self.player_tick_s - (now - self.last_player_tick)))
        clock = self.clock.wait_s(None if self._lost else self._question, self._state)
        if clock is not None:
            wait = min(wait, clock)
        return max(1, int(wait * 1000))

    async def _handle_pending(self) -> None:
        await self.cursor.handle(self._event)

    # --- the clock ----------------------------------------------------------

    async def _clock(self) -> None:
        """Close the open question when the clock's rules say so."""
        self.clock.observe(self._state, self._question)
        if self._lost:
            return
        due = self.clock.due(self._question)
        if due is not None:
            await self._close(*due)
        await self._advance()

    async def _close(self, n: int, by: str) -> None:
        # The relay's one close. Marked as done only once Redis answered: a
        # close lost to an outage is tried again, and one refused because
        # Redis lost the game is tried again after rebuild_game.
        r = await actions.question_close(game=self.game, question=n, engine=self.engine, by=by)
        if r.status == "unknown_game":
            self._lost_game()
            return
        if r.status == "not_due":
            # paused or extended under us: the event is on its way; read now
            # so the clock waits for the new deadline, not in a tight loop
            self._question = await self.engine.run(ops.question_state(self.game, n))
            return
        self.clock.done(n)

    async def _advance(self) -> None:
        """Auto-advance: the step that is due after a close, if any. Every
        process's relay may take it; the engine makes each step happen once,
        and the events it writes move every relay's cached state on."""
        st, q = self._state, self._question
        step, at = self.clock.auto(st, q)
        if not step or at > self.server_ms() or q is None:
            return
        r = await actions.advance_auto(
            game=self.game, question=q.number, step=step, engine=self.engine
        )
        if r.status == "unknown_game":
            self._lost_game()
            return
        if step == "end" and r.ok and r.changed:
            # this process ended and saved the game: its host consoles get
            # ``saved`` as after their own end_game (hosts on other processes
            # find the results saved by asking GET /api/games/<pin>/results)
            for c in list(self.audience.conns["host"]):
                c.push(dumps(dict(frames.saved(self.pin, self.cursor.last_id))))
        if step == "board" and r.ok:
            # the board event updates board_ms too; until it is handled,
            # do not ask again
            self._question = await self.engine.run(ops.question_state(self.game, q.number))
        elif step != "board" or not r.ok:
            self._state = await self.engine.run(ops.game_state(self.game))


RELAYS: dict[str, GameRelay] = {}
_starting: dict[str, asyncio.Future[GameRelay]] = {}


async def relay_for(game: str, pin: str) -> GameRelay:
    """The relay of ``game`` in this process, started on first use."""
    relay = RELAYS.get(game)
    if relay is not None and not relay.stopped:
        return relay
    pending = _starting.get(game)
    if pending is not None:
        return await asyncio.shield(pending)
    fut: asyncio.Future[GameRelay] = asyncio.get_running_loop().create_future()
    _starting[game] = fut
    try:
        relay = GameRelay(game, pin, async_engine())
        await relay.start()
        RELAYS[game] = relay
        fut.set_result(relay)
        return relay
    except BaseException as e:
        fut.set_exception(e)
        fut.exception()  # retrieved: waiters get it through shield
        raise
    finally:
        _starting.pop(game, None)
