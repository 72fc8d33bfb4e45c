"""Following a game's event stream: read, handle in order, retry, back off.

Contract:

- An event counts as read only once it was handled: :attr:`Cursor.last_id`
  moves past an event when its handler returned, so an event whose handling
  meets a lost Redis connection is handled again, with the same seq, once
  Redis answers. Handlers read Redis before they send, so a failed attempt
  has sent nothing and can be repeated.
- An event that fails ``HANDLE_TRIES`` times in a row is given up (the
  caller tells its clients to resync: their frames would have a gap).
- :func:`follow` runs a step function until told to stop, waiting between
  failed steps from ``BACKOFF_S[0]`` doubling up to ``BACKOFF_S[1]``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from engine import EngineUnavailable, Event
from engine.aio import Engine

log = logging.getLogger(__name__)

HANDLE_TRIES = 6  # attempts at one event before it is given up (and clients resync)
BACKOFF_S = (0.1, 2.0)  # first and longest wait between attempts after a failure


class Cursor:
    """Where a relay is in its game's stream, and what it read but has not
    handled yet (the head of ``pending`` is retried on failure)."""

    def __init__(self, game: str, engine: Engine) -> None:
        self.game = game
        self.engine = engine
        self.last_id = "0-0"
        self.pending: list[Event] = []
        self.failures = 0

    async def start(self) -> None:
        """From now on: events already in the stream are history."""
        self.last_id = await self.engine.last_event_id(game=self.game)

    async def read(self, block_ms: int, redis: Any) -> None:
        """Wait up to ``block_ms`` for new events, unless some are pending."""
        if not self.pending:
            self.pending = await self.engine.read_events(
                game=self.game, after=self.last_id, block_ms=block_ms, redis=redis
            )

    async def handle(self, handler: Callable[[Event], Awaitable[None]]) -> None:
        """Handle the pending events in order; ``last_id`` is each event's id
        while it is handled (the seq of the frames it sends)."""
        done = 0
        try:
            for ev in self.pending:
                prev = self.last_id
                self.last_id = ev.id
                try:
                    await handler(ev)
                except BaseException:
                    self.last_id = prev
                    raise
                done += 1
                self.failures = 0
        finally:
            del self.pending[:done]  # once per batch: a batch can hold thousands

    def failed(self) -> bool:
        """Handling the head of ``pending`` failed once more. True when it
        was given up: consumed unhandled, after ``HANDLE_TRIES`` failures."""
        self.failures += 1
        if self.failures < HANDLE_TRIES:
            return False
        ev = self.pending.pop(0)
        log.error("relay %s: gave up event %s (%s) after %d tries", self.game, ev.id, ev.type,
                  self.failures)  # fmt: skip
        self.last_id = ev.id
        self.failures = 0
        return True


async def follow(
    step: Callable[[], Awaitable[None]],
    running: Callable[[], bool],
    failed: Callable[[Exception], None],
    name: str,
) -> None:
    """``step()`` while ``running()``; a failed step is reported to
    ``failed`` and the next one waits (exponential backoff, capped)."""
    backoff = BACKOFF_S[0]
    while running():
        try:
            await step()
            backoff = BACKOFF_S[0]
        except Exception as e:
            if isinstance(e, EngineUnavailable):
                log.warning("relay %s: redis unavailable (%s); retrying", name, e)
            else:
                log.exception("relay %s: unexpected error", name)
            failed(e)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, BACKOFF_S[1])
