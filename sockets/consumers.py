"""The WebSocket consumers: ``/ws/play/<pin>/``, ``/ws/host/<pin>/`` and
``/ws/screen/<pin>/`` (docs/protocol.md).

A consumer authenticates its first frame (hello, :mod:`sockets.hello`),
joins the process's relay of the game, and then turns client frames into
calls through one table (:mod:`sockets.commands`). Every frame
to the client goes through the connection's outbox, so replies and relay
broadcasts keep their order. Players use no Channels layer: broadcasts come
from the relay, replies go straight back, and a channel per player would cost
memory and a Redis reader for nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from channels.consumer import AsyncConsumer, get_handler_name
from channels.exceptions import StopConsumer
from django.conf import settings

from engine import EngineUnavailable
from quiz import metrics
from quiz.live.refusals import SOCKET, Refusal

from . import messages as m
from .commands import dispatch
from .hello import hello
from .limits import TokenBucket
from .outbox import Outbox
from .relay import GameRelay
from .seats import SEATS, Key
from .snapshot import welcome
from .wire import EXTENSION, RECEIVED_AT

log = logging.getLogger(__name__)

KINDS = {"player": "play", "host": "host", "screen": "screen"}  # metric label per role
SEAT_CAPS = {  # settings.STADIUM keys: sockets per token, per role
    "player": "MAX_SOCKETS_PER_TOKEN",
    "host": "MAX_HOST_SOCKETS_PER_TOKEN",
    "screen": "MAX_SCREEN_SOCKETS_PER_TOKEN",
}


# channels ships no type hints, so its base class is Any to mypy
class GameConsumer(AsyncConsumer):  # type: ignore[misc]
    role = "player"
    channel_layer_alias = None
    # set once hello succeeds; class defaults so cleanup works whatever failed
    relay: GameRelay | None = None
    registered = False
    # when the frame being handled was read off the socket (sockets.wire.RECEIVED_AT)
    frame_read_at: float | None = None
    seat: Key | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # websocket_disconnect does not run when a handler raised or the task
        # was cancelled; the relay and the gauge must forget this socket anyway.
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.unregister()

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels' own dispatch first hops to a thread to close stale
        # database connections, for every frame: a profile at 5,000 players
        # put 18% of the server's CPU there. These consumers never touch the
        # database on the hot path (saving results runs in its own thread).
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    # --- connection ---------------------------------------------------------

    async def websocket_connect(self, message: dict[str, Any]) -> None:
        cfg = settings.STADIUM
        self.pin: str = self.scope["url_route"]["kwargs"]["pin"]
        self.player: int | None = None
        self.relay: GameRelay | None = None
        self.closing = False
        self.max_bytes: int = cfg["MAX_FRAME_BYTES"]
        self.bucket = TokenBucket(cfg["RATE_PER_S"], cfg["RATE_BURST"])
        self.reaction_bucket = TokenBucket(cfg["REACTIONS_PER_S"], cfg["REACTIONS_BURST"])
        self.resync_gap_s: float = cfg["RESYNC_INTERVAL_S"]
        self.resync_busy = False  # a resync is being built or waits its turn
        self.resync_later: asyncio.Future[None] | None = None
        self.last_resync = float("-inf")
        write = self.scope.get("extensions", {}).get(EXTENSION)  # sockets.ws_server
        self.outbox = Outbox(self.base_send, cfg["SEND_QUEUE_MAX"], write)
        await self.base_send({"type": "websocket.accept"})
        loop = asyncio.get_running_loop()
        self.hello_timer = loop.call_later(
            cfg["HELLO_TIMEOUT_S"], self.close_soon, m.CLOSE_NO_HELLO
        )

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        self.unregister()
        raise StopConsumer()

    def register(self, relay: GameRelay, seat: Key) -> None:
        relay.add(self)
        self.relay = relay
        self.registered = True
        metrics.CONNECTIONS.labels(KINDS[self.role]).inc()
        self.seat = seat
        cap = settings.STADIUM[SEAT_CAPS[self.role]]
        for old in SEATS.take(seat, self, cap):
            old.close_soon(m.CLOSE_REPLACED)

    def unregister(self) -> None:
        """Forget this socket everywhere; safe to call on every exit path."""
        # getattr: websocket_connect may not have run, or not to its end
        for pending in (getattr(self, "hello_timer", None), getattr(self, "resync_later", None)):
            if pending is not None:
                pending.cancel()
        outbox = getattr(self, "outbox", None)
        if outbox is not None:
            outbox.closed = True
        if self.seat is not None:
            SEATS.leave(self.seat, self)
            self.seat = None
        if self.registered:
            self.registered = False
            assert self.relay is not None
            self.relay.remove(self)
            metrics.CONNECTIONS.labels(KINDS[self.role]).dec()

    def push(self, frame: str, wire: bytes | None = None) -> None:
        self.outbox.push(frame, wire)

    def close_soon(self, code: int) -> None:
        if not self.closing:
            self.closing = True
            asyncio.ensure_future(self._close(code))

    async def _close(self, code: int) -> None:
        self.outbox.closed = True
        with contextlib.suppress(Exception):  # the client may be gone already
            await self.base_send({"type": "websocket.close", "code": code})

    def seq(self) -> str:
        return self.relay.seq[self.role] if self.relay else "0-0"

    def error(self, code: str, message: str, ref: str | None = None) -> None:
        self.push(m.error_frame(code, message, self.seq(), ref))

    def refuse(self, refusal: Refusal, ref: str | None = None) -> None:
        self.error(refusal.code, refusal.message, ref)

    # --- frames in ----------------------------------------------------------

    async def websocket_receive(self, message: dict[str, Any]) -> None:
        if self.closing:
            return
        # frames are handled one at a time: the answer handler reads it
        self.frame_read_at = message.get(RECEIVED_AT)
        text = message.get("text")
        if text is None:
            raw = message.get("bytes") or b""
            if len(raw) > self.max_bytes:
                return self.close_soon(m.CLOSE_TOO_LARGE)
            if self.relay is None:
                return self.close_soon(m.CLOSE_NO_HELLO)
            return self.error("bad_json", "send JSON text frames, not binary")
        if len(text) > self.max_bytes and len(text.encode()) > self.max_bytes:
            return self.close_soon(m.CLOSE_TOO_LARGE)
        verdict = self.bucket.take()
        if verdict == "flood":
            return self.close_soon(m.CLOSE_FLOOD)
        if verdict == "limited":
            return self.error("rate_limited", "too many frames; this one was dropped")
        try:
            kind, msg = m.parse(text)
        except m.Refusal as r:
            if self.relay is None:
                return self.close_soon(m.CLOSE_NO_HELLO)
            return self.error(r.code, r.message, r.ref)
        try:
            if self.relay is None:
                if kind != "hello":
                    return self.close_soon(m.CLOSE_NO_HELLO)
                # The deadline is for sending a hello: checking it takes
                # Redis round trips, which queue in a reconnect storm
                # (refused, it closes anyway).
                self.hello_timer.cancel()
                return await self.hello(msg)
            await dispatch(self, kind, msg)
        except EngineUnavailable:
            if self.relay is None:  # the token could not be checked: not a refusal
                self.hello_timer.cancel()
                return self.close_soon(m.CLOSE_TRY_AGAIN)
            self.refuse(SOCKET["unreachable"], kind)
        except Exception:
            # A bug, not the client's fault: say so in the log, and close
            # with a code the client reconnects on rather than leave it
            # waiting for a reply that will never come.
            log.exception("%s socket of game pin %s: %s frame failed", self.role, self.pin, kind)
            self.close_soon(m.CLOSE_SERVER_ERROR)

    def relay_ms(self) -> int:
        assert self.relay is not None
        return self.relay.server_ms()

    # --- resync -------------------------------------------------------------

    async def resync(self) -> None:
        """A fresh welcome, built at most once per ``RESYNC_INTERVAL_S``: each
        is a full read of the game. One early request waits its turn (an
        honest client that saw two gaps in a second still gets its welcome);
        any more while it waits are refused with ``rate_limited``."""
        if self.resync_busy:
            return self.error("rate_limited", "a resync is already on its way", "resync")
        wait = self.last_resync + self.resync_gap_s - time.monotonic()
        self.resync_busy = True
        if wait > 0:
            # not in this handler: the socket's answers must not wait behind it
            self.resync_later = asyncio.ensure_future(self._resync_after(wait))
            return
        try:
            await self._resync_now()
        finally:
            self.resync_busy = False

    async def _resync_now(self) -> None:
        self.last_resync = time.monotonic()
        await self.send_welcome()

    async def _resync_after(self, wait: float) -> None:
        try:
            await asyncio.sleep(wait)
            if not self.closing and self.registered:
                await self._resync_now()
        except EngineUnavailable:
            self.refuse(SOCKET["unreachable"], "resync")
        except Exception:
            log.exception("%s socket of game pin %s: resync failed", self.role, self.pin)
            self.close_soon(m.CLOSE_SERVER_ERROR)
        finally:
            self.resync_busy = False
            self.resync_later = None

    async def hello(self, msg: m.Hello) -> None:
        # a method, so a subclass (sockets/bench.py) can add to a seating
        await hello(self, msg)

    async def send_welcome(self) -> None:
        """The snapshot, chained at the seq this connection had when it was
        taken: frames broadcast while Redis is read are held, then follow it."""
        assert self.relay is not None
        seq = self.relay.seq[self.role]
        self.outbox.hold()
        try:
            frame = await welcome(self.relay, role=self.role, player=self.player, seq=seq)
        except BaseException:
            self.outbox.release(None)  # the caller reports the failure
            raise
        self.outbox.release(m.dumps(frame))


class PlayConsumer(GameConsumer):
    role = "player"


class HostConsumer(GameConsumer):
    role = "host"


class ScreenConsumer(GameConsumer):
    role = "screen"
