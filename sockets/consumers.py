"""The WebSocket consumers: ``/ws/play/<pin>/``, ``/ws/host/<pin>/`` and
``/ws/screen/<pin>/`` (docs/protocol.md).

A consumer authenticates its first frame (hello), joins the process's relay
of the game, and then turns client frames into engine operations. Every frame
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

from asgiref.sync import sync_to_async
from channels.consumer import AsyncConsumer, get_handler_name
from channels.exceptions import StopConsumer
from django import db
from django.conf import settings

from engine import EngineUnavailable, ops
from engine.auth import hash_token, token_matches
from quiz import metrics, ratelimit
from quiz.redis import async_engine

from . import messages as m
from .limits import TokenBucket
from .outbox import Outbox
from .relay import RELAYS, GameRelay, relay_for
from .seats import SEATS, Key
from .snapshot import welcome

log = logging.getLogger(__name__)

KINDS = {"player": "play", "host": "host", "screen": "screen"}  # metric label per role
SEAT_CAPS = {  # settings.STADIUM keys: sockets per token, per role
    "player": "MAX_SOCKETS_PER_TOKEN",
    "host": "MAX_HOST_SOCKETS_PER_TOKEN",
    "screen": "MAX_SCREEN_SOCKETS_PER_TOKEN",
}
ENGINE_CODES = {
    "unknown_player": "not_allowed",
    "question_open": "bad_request",
}


def gone_code(relay: GameRelay) -> str:
    """The code for a game Redis does not have: a game this socket saw live
    was lost by Redis (restarted empty) and comes back with rebuild_game, so
    ``unavailable``; only a game seen to finish is ``game_finished``."""
    return "game_finished" if relay.finished else "unavailable"


class GameConsumer(AsyncConsumer):
    role = "player"
    channel_layer_alias = None  # type: ignore[assignment]
    # set once hello succeeds; class defaults so cleanup works whatever failed
    relay: GameRelay | None = None
    registered = False
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
        self.resync_gap_s: float = cfg["RESYNC_INTERVAL_S"]
        self.resync_busy = False  # a resync is being built or waits its turn
        self.resync_later: asyncio.Future[None] | None = None
        self.last_resync = float("-inf")
        self.outbox = Outbox(self.base_send, cfg["SEND_QUEUE_MAX"])
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

    def push(self, frame: str) -> None:
        self.outbox.push(frame)

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

    # --- frames in ----------------------------------------------------------

    async def websocket_receive(self, message: dict[str, Any]) -> None:
        if self.closing:
            return
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
                return await self.hello(msg)
            await self.dispatch_frame(kind, msg)
        except EngineUnavailable:
            if self.relay is None:  # the token could not be checked: not a refusal
                self.hello_timer.cancel()
                return self.close_soon(m.CLOSE_TRY_AGAIN)
            self.error("unavailable", "the game store is unreachable; retry", kind)
        except Exception:
            # A bug, not the client's fault: say so in the log, and close
            # with a code the client reconnects on rather than leave it
            # waiting for a reply that will never come.
            log.exception("%s socket of game pin %s: %s frame failed", self.role, self.pin, kind)
            self.close_soon(m.CLOSE_SERVER_ERROR)

    async def dispatch_frame(self, kind: str, msg: Any) -> None:
        if kind == "ping":
            return self.push(
                m.dumps(
                    {"type": "pong", "ts": msg.ts, "server_ms": self.relay_ms(), "seq": self.seq()}
                )
            )
        if kind == "resync":
            return await self.resync()
        if kind == "hello":
            return self.error("bad_request", "already authenticated", kind)
        if kind in m.HOST_COMMANDS:
            if self.role != "host":
                return self.error("not_host", "only the host can do that", kind)
            return await self.host_command(kind, msg)
        if kind == "answer":
            if self.role != "player":
                return self.error("not_allowed", "only players answer", kind)
            return await self.answer(msg)
        self.error("unknown_type", f"unknown message type {kind!r}", kind)

    def relay_ms(self) -> int:
        assert self.relay is not None
        return self.relay.server_ms()

    # --- hello --------------------------------------------------------------

    async def hello(self, msg: m.Hello) -> None:
        eng = async_engine()
        game = await eng.run(ops.game_of_pin(self.pin))
        if game is None:
            # A PIN whose game Redis lost (restart without AOF) is back after
            # rebuild_game: a phone of it must retry, not give up.
            lost = any(r.lost and r.pin == self.pin for r in RELAYS.values())
            if lost:
                return self.close_soon(m.CLOSE_TRY_AGAIN)
            return await self.refuse_hello(m.CLOSE_NO_GAME)
        if not await self.authenticate(game, msg.token):
            return await self.refuse_hello(m.CLOSE_NO_HELLO)
        self.hello_timer.cancel()
        relay = await relay_for(game, self.pin)
        self.outbox.hold()  # broadcasts from now on wait behind the welcome
        who = self.player if self.player is not None else hash_token(msg.token)
        self.register(relay, (game, self.role, who))
        await self.send_welcome()

    async def refuse_hello(self, code: int) -> None:
        """A hello with an unknown PIN or a wrong token counts as a PIN probe
        of the client's address, like an HTTP join with an unknown PIN. Past
        the limit every refused hello closes with 4429, so a prober can no
        longer tell a live PIN (4401) from a dead one (4404); a valid token
        is never refused, so a stadium's phones behind one address keep
        reconnecting whatever strangers there mistype."""
        limit, addr = ratelimit.pin_probe(), self.client_addr()
        try:
            await ratelimit.acheck(limit, addr)
        except ratelimit.RateLimited:
            return self.close_soon(m.CLOSE_FLOOD)
        await ratelimit.afail(limit, addr)
        self.close_soon(code)

    def client_addr(self) -> str:
        # uvicorn puts a trusted proxy's X-Forwarded-For here (--proxy-headers)
        client = self.scope.get("client")
        return str(client[0]) if client else "unknown"

    async def authenticate(self, game: str, token: str) -> bool:
        eng = async_engine()
        if self.role == "player":
            pid = await eng.run(ops.player_of_token(game, hash_token(token)))
            if pid is None:
                return False
            standing = (await eng.run(ops.standings(game, [pid])))[0]
            if standing is None or standing.stats.kicked:
                return False
            self.player = pid
            return True
        st = await eng.run(ops.game_state(game))
        if st is None:
            return False
        if token_matches(token, st.host_token_hash):
            return True
        return self.role == "screen" and token_matches(token, st.screen_token_hash)

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
            self.error("unavailable", "the game store is unreachable; retry", "resync")
        except Exception:
            log.exception("%s socket of game pin %s: resync failed", self.role, self.pin)
            self.close_soon(m.CLOSE_SERVER_ERROR)
        finally:
            self.resync_busy = False
            self.resync_later = None

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

    # --- players ------------------------------------------------------------

    def refuse_answer(self, code: str, message: str) -> None:
        metrics.ANSWERS_REFUSED.labels(code).inc()
        self.error(code, message, "answer")

    async def answer(self, msg: m.Answer) -> None:
        relay = self.relay
        assert relay is not None and self.player is not None
        current = relay.question.number if relay.question else 0
        if current == 0:
            return self.refuse_answer("not_open", "no question is open")
        if msg.question != current:
            return self.refuse_answer("wrong_question", f"question {current} is the current one")
        if len(set(msg.choices)) != len(msg.choices):
            return self.refuse_answer("bad_choice", "a choice is repeated")
        res = await async_engine().submit_answer(
            game=relay.game, player=self.player, question=msg.question, choices=msg.choices
        )
        if res.status == "kicked":
            metrics.ANSWERS_REFUSED.labels("kicked").inc()
            self.push(m.dumps({"type": "kicked", "seq": self.seq()}))
            return self.close_soon(m.CLOSE_KICKED)
        if not res.ok:
            code = gone_code(relay) if res.status == "unknown_game" else res.status
            code = ENGINE_CODES.get(code, code)
            return self.refuse_answer(code, _MESSAGES.get(code, code.replace("_", " ")))
        metrics.ANSWERS_ACCEPTED.inc()
        ack: dict[str, Any] = {
            "type": "answer_ack",
            "seq": self.seq(),
            "question": msg.question,
            "choices": msg.choices,
        }
        if msg.ts is not None:
            ack["ts"] = msg.ts
        if relay.state is not None and relay.state.reveal == "on_close":
            ack["locked"] = True
        else:
            ack.update(
                points=res.points,
                bonus=res.bonus,
                total=res.total,
                rank=res.rank,
                streak=res.streak,
            )
        self.push(m.dumps(ack))

    # --- host ---------------------------------------------------------------

    async def host_command(self, kind: str, msg: Any) -> None:
        relay = self.relay
        assert relay is not None
        eng = async_engine()
        game = relay.game
        if kind == "start_question":
            st = await eng.run(ops.game_state(game))
            if st is None or st.state == "finished":
                code = "game_finished" if st else gone_code(relay)
                return self.error(code, _MESSAGES[code], kind)
            n = msg.question or st.question + 1
            if n > st.n_questions:
                return self.error("no_more_questions", "that was the last question", kind)
            if st.state == "question" and st.question != n:
                await eng.run(ops.close_question(game, st.question))
            r = await eng.run(ops.open_question(game, n))
            if not r.ok:
                code = gone_code(relay) if r.status == "unknown_game" else r.status
                code = ENGINE_CODES.get(code, code)
                self.error(code, _MESSAGES.get(code, code.replace("_", " ")), kind)
        elif kind == "close_question":
            st = await eng.run(ops.game_state(game))
            if st is None or not st.question:
                return self.error("not_open", "no question is open", kind)
            r = await eng.run(ops.close_question(game, st.question))
            if not r.ok:
                self.error(r.status, r.status.replace("_", " "), kind)
        elif kind == "end_game":
            r = await eng.end_game(game=game)
            if not r.ok:
                code = gone_code(relay) if r.status == "unknown_game" else "game_finished"
                return self.error(code, _MESSAGES[code], kind)
            await self.save_results(game)
        elif kind == "kick":
            r = await eng.run(ops.kick(game, msg.player))
            if not r.ok:
                self.error("unknown_player", "no such player in this game", kind)
        elif kind == "lock_join":
            await eng.run(ops.lock_join(game, msg.locked))

    async def save_results(self, game: str) -> None:
        """Flush the final scores to PostgreSQL, then tell the host they are saved."""
        try:
            await sync_to_async(_save_and_release, thread_sensitive=False)(game)
        except Exception:
            log.exception("game %s: saving results failed; the flusher will retry", game)
            return self.error(
                "unavailable", "results not saved yet; the flusher retries", "end_game"
            )
        self.push(
            m.dumps(
                {"type": "saved", "results": f"/api/games/{self.pin}/results", "seq": self.seq()}
            )
        )


def _save_and_release(game: str) -> None:
    """game_save in a worker thread, then its database connection goes back
    to the pool: executor threads outlive the request, and a connection
    kept by each of them would starve the host's HTTP requests."""
    from quiz.flush import game_save

    try:
        game_save(game_id=game)
    finally:
        db.connections.close_all()


_MESSAGES = {
    "not_open": "the question is not open",
    "too_late": "too late: the question has closed",
    "already_answered": "you already answered this question",
    "wrong_question": "that is not the current question",
    "bad_choice": "a choice is out of range, repeated, or missing",
    "game_finished": "the game has ended",
    "already_played": "that question was already played",
    "not_allowed": "you are not a player of this game",
    "unavailable": "the game store lost this game for now; retry",
}


class PlayConsumer(GameConsumer):
    role = "player"


class HostConsumer(GameConsumer):
    role = "host"


class ScreenConsumer(GameConsumer):
    role = "screen"
