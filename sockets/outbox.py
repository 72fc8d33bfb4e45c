"""Per-connection sending that never lets one slow client stall a tick.

The relay hands one pre-serialized frame to thousands of connections in a
loop. On a healthy connection the ASGI server's send completes without
suspending (the transport takes the bytes), so :meth:`Outbox.push` steps the
send coroutine once, inline, and is done: no task, no queue, close to a bare
``for ws in sockets: send(frame)`` loop. Only when a send really suspends
(the client's TCP window is full, the server paused writing) is the rest of
that send moved to a task, and later frames wait in a small bounded queue.
When that queue is full the oldest frame is dropped: the client then sees a
``prev`` that does not match its last ``seq`` and resyncs from Redis, so a
dropped frame costs a resync, never a wrong screen.

Where the server offers it (``sockets.wire``), a frame is not even a send:
its bytes, framed once per broadcast, go to the transport in one
synchronous call. The queue and the ASGI send stay for everything that call
refuses (a paused transport, a closing socket), so flow control and the
bounded queue behave as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from .wire import WriteFramed, framed

log = logging.getLogger(__name__)

Send = Callable[[dict[str, Any]], Awaitable[None]]


class Outbox:
    __slots__ = ("_send", "_write", "_queue", "_busy", "_held", "limit", "closed", "dropped")

    def __init__(self, send: Send, limit: int = 8, write: WriteFramed | None = None) -> None:
        self._send = send
        self._write = write
        self._queue: deque[str] = deque()
        self._busy = False
        self._held: list[str] | None = None
        self.limit = limit
        self.closed = False
        self.dropped = 0

    def hold(self) -> None:
        """Keep frames back until :meth:`release` (while a welcome is built)."""
        if self._held is None:
            self._held = []

    def release(self, first: str | None) -> None:
        """Send ``first`` (the welcome), then the frames held meanwhile, so a
        client never sees a broadcast before the snapshot it follows."""
        held, self._held = self._held or [], None
        if first is not None:
            self.push(first)
        for frame in held[-self.limit :]:  # older ones: the client resyncs on the gap
            self.push(frame)

    def push(self, frame: str, wire: bytes | None = None) -> None:
        """Send ``frame``; ``wire``, when given, is ``framed(frame)``, built
        once by a broadcast for all its sockets."""
        if self.closed:
            return
        if self._held is not None:
            self._held.append(frame)
            return
        if self._busy:
            if len(self._queue) >= self.limit:
                self._queue.popleft()
                self.dropped += 1
            self._queue.append(frame)
            return
        if self._write is not None and self._write(framed(frame) if wire is None else wire):
            return  # the common case: the transport took the bytes
        coro = self._send({"type": "websocket.send", "text": frame})
        try:
            blocked_on = coro.send(None)  # type: ignore[attr-defined]
        except StopIteration:
            return  # sent without suspending: the common case
        except Exception as e:
            log.warning("outbox send failed: %r", e)
            self.closed = True  # the client is gone; its consumer cleans up
            return
        self._busy = True
        asyncio.ensure_future(self._finish(coro, blocked_on))  # type: ignore[arg-type]

    async def _finish(self, coro: Coroutine[Any, Any, None], blocked_on: Any) -> None:
        try:
            while True:
                # Wait for what the send is blocked on, then resume it where it
                # stopped (what a Task would do, had it started the send).
                if blocked_on is None:
                    await asyncio.sleep(0)
                else:
                    # the send itself sees the outcome when resumed
                    with contextlib.suppress(Exception):
                        await blocked_on
                try:
                    blocked_on = coro.send(None)
                except StopIteration:
                    break
            while self._queue and not self.closed:
                await self._send({"type": "websocket.send", "text": self._queue.popleft()})
        except Exception:
            self.closed = True
        finally:
            self._busy = False
            if self.closed:
                self._queue.clear()
