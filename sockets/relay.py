"""The per-process relay: one reader of a game's event stream per process.

Each server process runs ONE relay task per live game it serves. It reads
the game's stream (XREAD BLOCK from its last id), reacts to lifecycle events
at once (question opened or closed, game ended, player kicked) and coalesces
answer deltas into a leaderboard tick (every ``TICK_MS``, only when something
changed). Each frame is serialized once per audience and pushed to every
local connection of that audience through its :class:`~sockets.outbox.Outbox`
(no slow client stalls a tick). A tick costs a constant number of Redis calls
per process, whatever the number of players.

Frames carry ``seq`` (the last stream id the frame reflects) and ``prev``
(the seq of the previous broadcast frame to that audience), so a client that
misses a frame sees the gap and resyncs (docs/protocol.md).

The relay is also the game clock: it closes the open question at its
deadline, or when every player has answered (close is idempotent, so every
process may try).

Redis faults: an event counts as read only once it was handled, so an event
whose handling meets a lost connection is handled again (with backoff, a
bounded number of times) instead of being skipped. When the relay had to
give an event up, or finds after an outage that Redis lost the game (a
restart without AOF), it tells its clients to resync instead of going
silent. A finished game's relay stops reading: nothing follows the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings

from engine import EngineUnavailable, Event, GameState, QuestionState, ops
from engine.aio import Engine
from quiz import metrics
from quiz.redis import async_engine, redis_async

from .messages import CLOSE_KICKED, dumps

log = logging.getLogger(__name__)

ROLES = ("player", "host", "screen")
IDLE_S = 10  # a relay with no connection stops after this long
HANDLE_TRIES = 6  # attempts at one event before it is given up (and clients resync)
BACKOFF_S = (0.1, 2.0)  # first and longest wait between attempts after a failure


class Conn(Protocol):
    role: str
    player: int | None

    def push(self, frame: str) -> None: ...

    def close_soon(self, code: int) -> None: ...


class GameRelay:
    def __init__(self, game: str, pin: str, engine: Engine) -> None:
        self.game = game
        self.pin = pin
        self.engine = engine
        cfg = settings.STADIUM
        self.tick_s = cfg["TICK_MS"] / 1000
        # Phones get the board less often than screens and hosts: at stadium
        # scale the per-player frames are most of a process's work.
        self.player_tick_s = max(self.tick_s, cfg["PLAYER_TICK_MS"] / 1000)
        self.last_player_tick = 0.0
        self.players_due = False
        self.all_in_grace_s = cfg["ALL_ANSWERED_GRACE_MS"] / 1000
        self.all_in_since: float | None = None
        self.top_n = cfg["TOP_N"]
        self.conns: dict[str, set[Conn]] = {r: set() for r in ROLES}
        self.by_player: dict[int, set[Conn]] = {}
        self.last_id = "0-0"
        self.seq: dict[str, str] = dict.fromkeys(ROLES, "0-0")
        self.state: GameState | None = None
        self.question: QuestionState | None = None
        self.top: list[dict[str, Any]] = []
        self.dirty = False
        self.last_tick = 0.0
        self.close_tried: set[int] = set()
        self.clock_offset_ms = 0.0
        self.task: asyncio.Task[None] | None = None
        self.idle_since: float | None = None
        self.stopped = False
        self.ticks = 0
        # read from the stream, not handled yet; the head is retried on failure
        self.pending: list[Event] = []
        self.failures = 0
        # the host's "players" frame, gathered across events until it is sent
        self.joined: list[int] = []
        self.kicked: list[int] = []
        self.roster_due = False
        self.finished = False
        self.lost = False  # Redis no longer has the game: waiting for rebuild_game
        self.check_due = False  # Redis failed us: look at the game once it answers
        self.resync_due = False  # clients missed something: resync once Redis answers

    # --- lifecycle ----------------------------------------------------------

    async def start(self) -> None:
        t = await self.engine.redis.time()
        self.clock_offset_ms = t[0] * 1000 + t[1] / 1000 - time.time() * 1000
        self.last_id = await self.engine.last_event_id(game=self.game)
        for r in ROLES:
            self.seq[r] = self.last_id
        await self.refresh()
        self.finished = self.state is not None and self.state.state == "finished"
        self.task = asyncio.ensure_future(self._run())

    async def refresh(self) -> None:
        n = self.state.question if self.state else 0
        st, _ = await self.engine.run(ops.snapshot(self.game, n))
        if st is not None and st.question != n:
            st, _ = await self.engine.run(ops.snapshot(self.game, st.question))
        self.state = st
        if st is not None and st.question:
            self.question = await self.engine.run(ops.question_state(self.game, st.question))
        else:
            self.question = None

    def add(self, conn: Conn) -> None:
        self.conns[conn.role].add(conn)
        if conn.player is not None:
            self.by_player.setdefault(conn.player, set()).add(conn)
        self.idle_since = None

    def remove(self, conn: Conn) -> None:
        self.conns[conn.role].discard(conn)
        if conn.player is not None:
            group = self.by_player.get(conn.player)
            if group is not None:
                group.discard(conn)
                if not group:
                    del self.by_player[conn.player]
        if not any(self.conns.values()):
            self.idle_since = time.monotonic()

    def server_ms(self) -> int:
        return int(time.time() * 1000 + self.clock_offset_ms)

    # --- sending ------------------------------------------------------------

    def next_seq(self, role: str) -> tuple[str, str]:
        """(seq, prev) of the next broadcast frame to ``role``. Several frames
        can reflect the same stream event (a question and the tick after it),
        so those get a ``.k`` suffix: every frame of a chain is distinct and a
        lost one is always seen."""
        prev = self.seq[role]
        base = prev.split(".", 1)[0]
        if base == self.last_id:
            k = int(prev.split(".", 1)[1]) + 1 if "." in prev else 1
            seq = f"{base}.{k}"
        else:
            seq = self.last_id
        self.seq[role] = seq
        return seq, prev

    def broadcast(self, roles: Iterable[str], frame: dict[str, Any]) -> None:
        """Serialize once per audience and push to every local connection."""
        for role in roles:
            frame["seq"], frame["prev"] = self.next_seq(role)
            conns = self.conns[role]
            if not conns:
                continue
            text = dumps(frame)
            for c in conns:
                c.push(text)

    def send_each(self, role: str, frames: dict[Conn, dict[str, Any]]) -> None:
        """Personal frames (one per connection) that still chain by seq."""
        seq, prev = self.next_seq(role)
        for c, f in frames.items():
            f["seq"] = seq
            f["prev"] = prev
            c.push(dumps(f))

    # --- the loop -----------------------------------------------------------

    async def _run(self) -> None:
        blocking = redis_async()
        backoff = BACKOFF_S[0]
        try:
            while not self.stopped and not self._done():
                try:
                    await self._step(blocking)
                    backoff = BACKOFF_S[0]
                except Exception as e:
                    if isinstance(e, EngineUnavailable):
                        log.warning("relay %s: redis unavailable (%s); retrying", self.game, e)
                        self.check_due = True
                    else:
                        log.exception("relay %s: unexpected error", self.game)
                    if self.pending:
                        self._failed(self.pending[0])
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, BACKOFF_S[1])
        finally:
            self.stopped = True
            if RELAYS.get(self.game) is self:
                del RELAYS[self.game]
            with contextlib.suppress(Exception):
                await blocking.aclose()

    def _done(self) -> bool:
        if self.finished and not self.pending:
            return True
        return self.idle_since is not None and time.monotonic() - self.idle_since > IDLE_S

    async def _step(self, blocking: Any) -> None:
        if self.check_due:
            await self._check()
        if not self.pending:
            self.pending = await self.engine.read_events(
                game=self.game, after=self.last_id, block_ms=self._wait_ms(), redis=blocking
            )
        await self._handle_pending()
        await self._roster()
        if self.finished:
            return
        await self._clock()
        await self._close_when_all_in()
        now = time.monotonic()
        if (self.dirty and now - self.last_tick >= self.tick_s) or (
            self.players_due and now - self.last_player_tick >= self.player_tick_s
        ):
            await self.tick()

    def _failed(self, ev: Event) -> None:
        """Handling ``ev`` failed: it stays at the head of ``pending`` and is
        tried again, up to HANDLE_TRIES times; then it is given up and the
        clients are told to resync (their frames would have a gap)."""
        self.failures += 1
        if self.failures < HANDLE_TRIES:
            return
        log.error("relay %s: gave up event %s (%s) after %d tries", self.game, ev.id, ev.type,
                  self.failures)  # fmt: skip
        self.pending.pop(0)
        self.last_id = ev.id
        self.failures = 0
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
            self.broadcast(ROLES, {"type": "resync", "reason": "missed_events"})

    def _lost_game(self) -> None:
        """Redis answers but no longer has the game (restarted without AOF,
        wiped): clients are told once, and a resync answers ``unavailable``
        until ``rebuild_game`` restores it (its resync event lifts this).
        The last state seen is kept, so a player's answer meanwhile is
        refused as ``unavailable``, not as if no question were open."""
        if self.lost or self.finished:
            return
        self.lost = True
        self.resync_due = False
        log.warning("relay %s: the game is not in Redis; waiting for rebuild_game", self.game)
        self.broadcast(ROLES, {"type": "resync", "reason": "redis_lost"})

    def _wait_ms(self) -> int:
        wait = 1.0
        if self.dirty:
            wait = min(wait, max(0.0, self.tick_s - (time.monotonic() - self.last_tick)))
        if self.players_due:
            since = time.monotonic() - self.last_player_tick
            wait = min(wait, max(0.0, self.player_tick_s - since))
        q = self.question
        if q is not None and q.state == "open" and not self.lost:
            wait = min(wait, max(0.0, (q.deadline_ms - self.server_ms()) / 1000))
        if self.all_in_since is not None:
            left = self.all_in_grace_s - (time.monotonic() - self.all_in_since)
            wait = min(wait, max(0.0, left))
        return max(1, int(wait * 1000))

    async def _handle_pending(self) -> None:
        """Handle the read events in order; each is consumed (``last_id``
        moves past it) only once handled. Handlers read Redis before they
        send, so a failed attempt has sent nothing and can be repeated."""
        done = 0
        try:
            for ev in self.pending:
                prev = self.last_id
                self.last_id = ev.id  # the seq of the frames this event sends
                try:
                    await self._event(ev)
                except BaseException:
                    self.last_id = prev
                    raise
                done += 1
                self.failures = 0
        finally:
            del self.pending[:done]  # once per batch: a batch can hold thousands

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
            self.lost = self.resync_due = False
            self.close_tried.clear()
            self.all_in_since = None
            reason = ev.fields.get("reason") or "rebuilt"
            self.broadcast(ROLES, {"type": "resync", "reason": reason})

    async def _roster(self) -> None:
        """The host's ``players`` frame for the joins and kicks handled."""
        if not self.roster_due:
            return
        if not self.conns["host"]:
            self.joined, self.kicked, self.roster_due = [], [], False
            return
        joined, kicked = self.joined, self.kicked
        names, st = await self.engine.run(
            ops.combine(ops.nicknames(self.game, joined), ops.game_state(self.game))
        )
        self.joined, self.kicked, self.roster_due = [], [], False
        if st is not None:
            self.state = st
        self.broadcast(
            ["host"],
            {
                "type": "players",
                "joined": [
                    {"player": p, "nickname": n} for p, n in zip(joined, names, strict=True)
                ],
                "kicked": kicked,
                "players": st.players if st else 0,
                "join_open": st.join_open if st else False,
            },
        )

    def _question_frame(self, q: QuestionState) -> dict[str, Any]:
        f = {"type": "question", **q.public}
        f.update(opened_ms=q.opened_ms, deadline_ms=q.deadline_ms, server_ms=self.server_ms())
        return f

    async def _opened(self, n: int) -> None:
        self.state, self.question = await self.engine.run(ops.snapshot(self.game, n))
        q = self.question
        if q is None:
            return
        self.broadcast(ROLES, self._question_frame(q))
        self.dirty = True

    async def _closed(self, n: int) -> None:
        players = list(self.by_player)
        (st, q), top, standings = await self.engine.run(
            ops.combine(
                ops.snapshot(self.game, n),
                ops.top(self.game, self.top_n),
                ops.standings(self.game, players, n),
            )
        )
        self.state, self.question = st, q
        if q is None or st is None:
            return
        self.top = [_entry(e) for e in top]
        common = {
            "type": "question_closed",
            "question": n,
            "correct": sorted(q.correct),
            "distribution": q.counts,
            "answered": q.answered,
            "players": st.players,
        }
        self.broadcast(["host", "screen"], dict(common))
        frames: dict[Conn, dict[str, Any]] = {}
        for pid, s in zip(players, standings, strict=True):
            if s is None:
                continue
            a = s.answer
            mine = {
                **common,
                "choices": a.choices if a else None,
                "points": a.points if a else 0,
                "bonus": a.bonus if a else 0,
                "total": s.score,
                "rank": s.rank,
                "streak": st.streak_of(s.stats, q),
            }
            for c in self.by_player.get(pid, ()):
                frames[c] = dict(mine)
        self.send_each("player", frames)
        # The close was sent: a failed tick must not fail (and repeat) it;
        # the loop ticks again, players included.
        self.dirty = self.players_due = True
        self.last_player_tick = 0.0
        with contextlib.suppress(EngineUnavailable):
            await self.tick(players_now=True)

    async def _ended(self) -> None:
        players = list(self.by_player)
        st, podium, standings = await self.engine.run(
            ops.combine(
                ops.game_state(self.game),
                ops.top(self.game, 3),
                ops.standings(self.game, players),
            )
        )
        self.state = st
        if self.question is not None and self.question.state == "open":
            self.question = await self.engine.run(
                ops.question_state(self.game, self.question.number)
            )
        common = {
            "type": "game_over",
            "podium": [_entry(e) for e in podium],
            "players": st.players if st else 0,
        }
        self.broadcast(["host", "screen"], dict(common))
        frames: dict[Conn, dict[str, Any]] = {}
        for pid, s in zip(players, standings, strict=True):
            if s is None:
                continue
            for c in self.by_player.get(pid, ()):
                frames[c] = {**common, "rank": s.rank, "score": s.score}
        self.send_each("player", frames)
        self.finished = True

    def _kick_local(self, pid: int) -> None:
        for c in list(self.by_player.get(pid, ())):
            c.push(dumps({"type": "kicked", "seq": self.last_id}))
            c.close_soon(CLOSE_KICKED)

    async def _clock(self) -> None:
        """Close the open question at its deadline (any process may)."""
        q = self.question
        if q is None or q.state != "open" or q.number in self.close_tried or self.lost:
            return
        if self.server_ms() >= q.deadline_ms:
            await self._close(q.number)

    async def _close(self, n: int) -> None:
        # Marked as tried only once Redis answered: a close lost to an outage
        # is tried again, and one refused because Redis lost the game is
        # tried again after rebuild_game.
        r = await self.engine.run(ops.close_question(self.game, n))
        if r.status == "unknown_game":
            self._lost_game()
            return
        self.close_tried.add(n)

    async def tick(self, *, players_now: bool = False) -> None:
        """One leaderboard frame per audience, from a constant number of reads.
        Players get it at most every ``PLAYER_TICK_MS`` unless ``players_now``."""
        t0 = time.perf_counter()
        n = self.question.number if self.question else 0
        (st, q), top = await self.engine.run(
            ops.combine(ops.snapshot(self.game, n), ops.top(self.game, self.top_n))
        )
        self.dirty = False
        self.last_tick = time.monotonic()
        self.ticks += 1
        if st is None:
            self._lost_game()
            return
        self.state = st
        if q is not None:
            self.question = q
        hide = st.reveal == "on_close" and q is not None and q.state == "open"
        if not hide:
            self.top = [_entry(e) for e in top]
        frame = {
            "type": "leaderboard",
            "question": n,
            "top": self.top,
            "players": st.players,
            "answered": q.answered if q else 0,
            "server_ms": self.server_ms(),
        }
        t1 = time.perf_counter()
        roles = ["screen"]
        if players_now or time.monotonic() - self.last_player_tick >= self.player_tick_s:
            roles.append("player")
            self.last_player_tick = time.monotonic()
            self.players_due = False
        else:
            self.players_due = True
        self.broadcast(roles, frame)
        if self.conns["host"]:
            self.broadcast(["host"], {**frame, "distribution": q.counts if q else []})
        t2 = time.perf_counter()
        metrics.TICK_BUILD.observe(t1 - t0)
        metrics.TICK_FANOUT.observe(t2 - t1)
        # lag: how old the newest event this tick reflects is (ids are ms-stamped)
        newest_ms = int(self.last_id.split("-", 1)[0])
        if newest_ms:
            metrics.RELAY_LAG.observe(max(0.0, (self.server_ms() - newest_ms) / 1000))
        all_in = q is not None and q.state == "open" and 0 < st.players <= q.answered
        if not all_in:
            self.all_in_since = None
        elif self.all_in_since is None:
            # Everyone answered: close after a short grace, so the last
            # player's ack and the "all answers in" moment reach the screens
            # before the reveal does.
            self.all_in_since = time.monotonic()
        await self._close_when_all_in()

    async def _close_when_all_in(self) -> None:
        q = self.question
        if self.all_in_since is None or q is None or q.number in self.close_tried or self.lost:
            return
        if time.monotonic() - self.all_in_since >= self.all_in_grace_s:
            await self._close(q.number)
            self.all_in_since = None


def _entry(e: Any) -> dict[str, Any]:
    return {"player": e.player, "nickname": e.nickname, "score": e.score, "rank": e.rank}


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
