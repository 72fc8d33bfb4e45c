"""``manage.py webhook_worker``: deliver the events of ``webhooks:out``.

One consumer group (``webhooks``) over the global stream; run one worker
or several (each its own consumer name). Each entry is handled in its own
task (up to ``concurrency`` at once), so a receiver that hangs holds one
task for the timeout, never the others and never a game:

1. the event's row (``WebhookEvent``, unique event id) is created or found:
   an id already done (delivered or given up) is acknowledged and skipped;
2. its body is built once and stored (quiz/webhooks/payloads.py);
3. POST with ``STADIUM_WEBHOOK_TIMEOUT_S``, headers X-Stadium-Event,
   X-Stadium-Id, X-Stadium-Signature ``sha256=<hex HMAC-SHA256 of the body
   with the secret>``; every attempt is a ``WebhookDelivery`` row;
4. a 2xx: the row is marked delivered and the entry acknowledged (XACK).
   Anything else: retried after 1, 2, 4, ... s (capped at ``BACKOFF_CAP_S``)
   until ``STADIUM_WEBHOOK_RETRY_WINDOW_S`` (an hour) after the event was
   first seen, then given up (marked, acknowledged, logged).

At-least-once: the entry is acknowledged only after that, so a worker
killed mid-way leaves it pending; the next worker start reads its own
pending entries, and XAUTOCLAIM takes over another consumer's entries idle
for ``claim_idle_s`` (a live worker touches its in-flight entries with
XCLAIM every ``heartbeat_s``, so they never look idle). The re-delivery
carries the same id and body: receivers de-duplicate by X-Stadium-Id.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import socket
import sys
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from redis.exceptions import ResponseError

from quiz.models import Game, WebhookDelivery, WebhookEvent

from . import STREAM, payloads
from .urls import address_refused

log = logging.getLogger(__name__)

GROUP = "webhooks"
BACKOFF_CAP_S = 300.0
BUILD_POLL_S = 1.0
USER_AGENT = "Stadium-Webhooks/1"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff_s(attempt: int) -> float:
    """The wait after failed attempt ``attempt`` (1-based): 1, 2, 4, ... s, capped."""
    return float(min(2 ** (attempt - 1), BACKOFF_CAP_S))


def _pause_at(point: str) -> None:
    """Crash tests: ``STADIUM_WEBHOOK_PAUSE_AT=<point>`` says so on stdout
    and sleeps until killed (like quiz/flush/faults.py)."""
    if os.environ.get("STADIUM_WEBHOOK_PAUSE_AT") != point:
        return
    sys.stdout.write(f"PAUSED at {point}\n")
    sys.stdout.flush()
    while True:
        time.sleep(3600)


def _s(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


# --- database steps (blocking; run in the one sync thread) ------------------


def _db(fn: Any) -> Any:
    def run(*a: Any, **kw: Any) -> Any:
        close_old_connections()
        return fn(*a, **kw)

    return sync_to_async(run)


@_db
def _event_get(fields: dict[str, str]) -> WebhookEvent | None:
    """The event's row (created on first sight, with what Redis says now);
    None for a game that is gone or has no webhook."""
    eid = fields["id"]
    ev = WebhookEvent.objects.select_related("game").filter(event_id=eid).first()
    if ev is not None:
        return ev
    game = Game.objects.filter(key=fields["game"]).first()
    if game is None or not game.webhook_url:
        return None
    ev = WebhookEvent(event_id=eid, game=game, event=fields["event"], url=game.webhook_url)
    try:
        ev.data = payloads.first_sight(ev, int(fields.get("q") or 0))
    except Exception:
        log.exception("webhook %s: reading Redis failed; built from PostgreSQL", eid)
    obj, _ = WebhookEvent.objects.select_related("game").get_or_create(
        event_id=eid,
        defaults={"game": game, "event": ev.event, "url": ev.url, "data": ev.data},
    )
    return obj


@_db
def _body_of(ev: WebhookEvent) -> str | None:
    if ev.body:
        return ev.body
    body = payloads.build(ev)
    if body is not None:
        WebhookEvent.objects.filter(pk=ev.pk, body="").update(body=body)
        ev.refresh_from_db(fields=["body"])
        return ev.body
    return None


@_db
def _record(ev: WebhookEvent, status: int | None, error: str, ms: int, ok: bool) -> int:
    WebhookEvent.objects.filter(pk=ev.pk).update(attempts=ev.attempts + 1)
    ev.attempts += 1
    WebhookDelivery.objects.create(
        event_id=ev.event_id,
        game_id=ev.game_id,
        url=ev.url,
        event=ev.event,
        attempt=ev.attempts,
        status_code=status,
        error=error[:2000],
        delivered=ok,
        ms=ms,
    )
    return ev.attempts


@_db
def _finish(ev: WebhookEvent, delivered: bool) -> None:
    WebhookEvent.objects.filter(pk=ev.pk).update(done=timezone.now(), delivered=delivered)


# --- the worker --------------------------------------------------------------


class Worker:
    def __init__(
        self,
        redis: Any,
        *,
        consumer: str | None = None,
        concurrency: int = 64,
        block_ms: int = 1000,
        claim_idle_s: float = 120.0,
        heartbeat_s: float = 30.0,
        timeout_s: float | None = None,
        retry_window_s: float | None = None,
        say: Any = None,
    ) -> None:
        self.redis = redis
        self.consumer = consumer or f"{socket.gethostname()}-{os.getpid()}"
        self.concurrency = concurrency
        self.block_ms = block_ms
        self.claim_idle_ms = int(claim_idle_s * 1000)
        self.heartbeat_s = heartbeat_s
        self.timeout_s = timeout_s or settings.STADIUM["WEBHOOK_TIMEOUT_S"]
        self.window_s = retry_window_s or settings.STADIUM["WEBHOOK_RETRY_WINDOW_S"]
        self.say = say or (lambda line: log.info("%s", line))
        self.inflight: dict[str, asyncio.Task[None]] = {}  # stream entry id -> task
        self.active: set[str] = set()  # event ids being handled here
        self.http = httpx.AsyncClient(
            timeout=self.timeout_s, follow_redirects=False, headers={"User-Agent": USER_AGENT}
        )

    async def group_ensure(self) -> None:
        try:
            await self.redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        except ResponseError as e:
            if "BUSYGROUP" not in str(e):
                raise

    def _spawn(self, entries: list[Any]) -> None:
        for raw_id, fields in entries:
            sid = _s(raw_id)
            if sid in self.inflight or not fields:
                continue
            f = {_s(k): _s(v) for k, v in fields.items()}
            task = asyncio.get_running_loop().create_task(self.handle(sid, f))
            self.inflight[sid] = task
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        for sid, t in list(self.inflight.items()):
            if t is task:
                del self.inflight[sid]

    async def _read(self, start: str, block: int | None) -> list[Any]:
        room = max(1, self.concurrency - len(self.inflight))
        reply = await self.redis.xreadgroup(
            GROUP, self.consumer, {STREAM: start}, count=room, block=block
        )
        if not reply:
            return []
        streams = reply.items() if isinstance(reply, dict) else reply
        out: list[Any] = []
        for _name, entries in streams:
            out.extend(entries)
        return out

    async def _claim(self) -> None:
        """Entries of other consumers idle too long (their worker died)."""
        start = "0-0"
        while True:
            r = await self.redis.xautoclaim(
                STREAM, GROUP, self.consumer, self.claim_idle_ms, start_id=start, count=100
            )
            start, entries = _s(r[0]), r[1]
            self._spawn([e for e in entries if e and e[1]])
            # entries deleted (trimmed) while pending: nothing to deliver
            if len(r) > 2 and r[2]:
                await self.redis.xack(STREAM, GROUP, *r[2])
            if start == "0-0":
                return

    async def _heartbeat(self) -> None:
        if self.inflight:
            await self.redis.xclaim(
                STREAM, GROUP, self.consumer, 0, list(self.inflight), justid=True
            )

    async def run(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        await self.group_ensure()
        # this consumer's own pending entries first (a restart after a crash)
        self._spawn(await self._read("0", None))
        await self._claim()
        last_claim = last_beat = time.monotonic()
        self.say(f"webhook worker {self.consumer}: reading {STREAM}")
        while not stop.is_set():
            try:
                if len(self.inflight) < self.concurrency:
                    self._spawn(await self._read(">", self.block_ms))
                else:
                    await asyncio.sleep(self.block_ms / 1000)
                now = time.monotonic()
                if now - last_beat >= self.heartbeat_s:
                    await self._heartbeat()
                    last_beat = now
                if now - last_claim >= max(self.claim_idle_ms / 2000, 1.0):
                    await self._claim()
                    last_claim = now
            except Exception:
                log.exception("webhook worker: Redis read failed; retrying in 1 s")
                await asyncio.sleep(1)
        for t in list(self.inflight.values()):
            t.cancel()
        await asyncio.gather(*self.inflight.values(), return_exceptions=True)
        await self.http.aclose()

    async def handle(self, sid: str, fields: dict[str, str]) -> None:
        try:
            await self._handle(sid, fields)
        except asyncio.CancelledError:
            raise
        except Exception:
            # left pending: a later claim (or restart) retries it
            log.exception("webhook entry %s: failed; left pending", sid)

    async def _handle(self, sid: str, fields: dict[str, str]) -> None:
        eid = fields.get("id", "")
        if eid in self.active:
            # the same event queued twice (a close seen by two paths): the
            # entry in hand delivers it; this one is done
            await self.redis.xack(STREAM, GROUP, sid)
            return
        self.active.add(eid)
        try:
            await self._deliver(sid, fields)
        finally:
            self.active.discard(eid)

    async def _deliver(self, sid: str, fields: dict[str, str]) -> None:
        ev = await _event_get(fields)
        if ev is None or ev.done is not None:
            await self.redis.xack(STREAM, GROUP, sid)
            return
        first = ev.created.timestamp()
        body: str | None = None
        while body is None:
            body = await _body_of(ev)
            if body is None:
                await asyncio.sleep(BUILD_POLL_S)
        raw = body.encode()
        secret = ev.game.webhook_secret
        while True:
            status, error, ok, ms = await self.post(ev, raw, secret)
            attempt = await _record(ev, status, error, ms, ok)
            self.say(
                f"webhook {ev.event_id} attempt {attempt}: "
                + ("delivered" if ok else f"failed ({status or error})")
                + f" in {ms} ms"
            )
            if ok:
                _pause_at("before_ack")
                await _finish(ev, True)
                await self.redis.xack(STREAM, GROUP, sid)
                return
            wait = backoff_s(attempt)
            if time.time() + wait - first > self.window_s:
                await _finish(ev, False)
                await self.redis.xack(STREAM, GROUP, sid)
                log.warning("webhook %s: given up after %d attempts", ev.event_id, attempt)
                return
            await asyncio.sleep(wait)

    async def post(
        self, ev: WebhookEvent, raw: bytes, secret: str
    ) -> tuple[int | None, str, bool, int]:
        t0 = time.monotonic()
        try:
            await self._recheck(ev.url)
            r = await self.http.post(
                ev.url,
                content=raw,
                headers={
                    "Content-Type": "application/json",
                    "X-Stadium-Event": ev.event,
                    "X-Stadium-Id": ev.event_id,
                    "X-Stadium-Signature": sign(secret, raw),
                },
            )
            ms = int((time.monotonic() - t0) * 1000)
            ok = 200 <= r.status_code < 300
            return r.status_code, "" if ok else r.text[:300], ok, ms
        except Exception as e:
            ms = int((time.monotonic() - t0) * 1000)
            return None, f"{type(e).__name__}: {e}"[:500], False, ms

    async def _recheck(self, url: str) -> None:
        """The URL's host must still resolve to allowed addresses (a name
        checked when the game opened may point elsewhere now)."""
        if settings.STADIUM["WEBHOOKS_ALLOW_PRIVATE"]:
            return
        parts = urlsplit(url)
        infos = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        )
        for info in infos:
            if address_refused(str(info[4][0])):
                raise PermissionError(f"{parts.hostname} resolves to {info[4][0]} (refused)")
