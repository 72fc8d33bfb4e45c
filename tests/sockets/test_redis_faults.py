"""Redis killed and restarted under a live game (issue 11, findings 2 and 3).

Each test runs its own redis-server on a free loopback port (killed with
SIGKILL and restarted on the same port and directory, with or without AOF),
a uvicorn server on it and the test database, and real WebSocket clients.
The shared Redis is never touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import redis.asyncio as aioredis
from django.test import override_settings

from engine import Engine, EngineUnavailable, SyncEngine, ops
from quiz import redis as quiz_redis
from testkit.redis_server import PrivateRedis
from tests.flush.harness import env_for, manage, redis_totals

from .conftest import Client, Server, connect, db_url, seat, start_server
from .helpers import CORRECT, Opened, open_game

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]

DEADLINE_S = 15  # a safety net for a frame that should come, never a measured time


@contextlib.contextmanager
def redis_at(url: str) -> Iterator[None]:
    """Point this test process's services (game set-up) at ``url``."""

    def reset() -> None:
        quiz_redis.redis_sync.cache_clear()
        quiz_redis.sync_engine.cache_clear()
        quiz_redis._engines.clear()

    with override_settings(REDIS_URL=url):
        reset()
        try:
            yield
        finally:
            reset()


@contextlib.asynccontextmanager
async def stack(*, aof: bool) -> AsyncIterator[tuple[PrivateRedis, Server]]:
    r = PrivateRedis(aof=aof)
    r.start()
    server = start_server({"REDIS_URL": r.url})
    try:
        yield r, server
    finally:
        server.stop()
        r.destroy()


async def game_on(r: PrivateRedis, n_players: int) -> Opened:
    with redis_at(r.url):
        return await open_game(n_players, reveal="live")  # the acks carry the points checked


async def next_of(c: Client, *kinds: str, timeout: float = DEADLINE_S) -> dict[str, Any]:
    return await c.next_of(*kinds, timeout=timeout)


def choice_for(i: int, n: int) -> list[int]:
    """Even players right, odd players wrong."""
    right = sorted(CORRECT[n - 1])
    wrong = [c for c in range(4) if c not in CORRECT[n - 1]][:1]
    return right if i % 2 == 0 else wrong


async def play_question(host: Client, players: list[Client], n: int) -> dict[int, dict[str, Any]]:
    """Host opens question n, every player answers and is acked, host closes
    it; every client sees the question and its question_closed. Returns each
    player's question_closed."""
    await host.send({"type": "start_question", "question": n})
    for c in (host, *players):
        f = await next_of(c, "question", "error")
        assert f["type"] == "question" and f["question"] == n, f
    acks = []
    for i, c in enumerate(players):
        await c.send({"type": "answer", "question": n, "choices": choice_for(i, n)})
    for i, c in enumerate(players):
        ack = await next_of(c, "answer_ack", "error")
        assert ack["type"] == "answer_ack", ack
        assert (ack["points"] > 0) == (i % 2 == 0), ack
        acks.append(ack)
    await host.send({"type": "close_question"})
    f = await next_of(host, "question_closed", "error")
    assert f["type"] == "question_closed" and f["question"] == n, f
    closed = {}
    for i, c in enumerate(players):
        f = await next_of(c, "question_closed", "error")
        assert f["type"] == "question_closed" and f["question"] == n, f
        assert (f["points"], f["total"]) == (acks[i]["points"], acks[i]["total"]), (f, acks[i])
        closed[i] = f
    return closed


async def close_all(*clients: Client) -> None:
    for c in clients:
        with contextlib.suppress(Exception):
            await c.close()


async def test_restart_with_aof_every_client_sees_every_question() -> None:
    async with stack(aof=True) as (r, server):
        g = await game_on(r, 20)
        host, players = await seat(server, g)
        try:
            await play_question(host, players, 1)
            r.kill()
            await asyncio.sleep(1)  # the relay and the pools meet the dead server
            r.start()
            await play_question(host, players, 2)
            last = await play_question(host, players, 3)
            want = redis_totals(r.client(), g.game)
            for i, p in enumerate(g.players):
                assert last[i]["total"] == want[p] and (want[p] > 0) == (i % 2 == 0)
        finally:
            await close_all(host, *players)


async def test_restart_without_aof_resync_then_rebuild_game_continues() -> None:
    async with stack(aof=False) as (r, server):
        g = await game_on(r, 8)
        host, players = await seat(server, g)
        env = env_for(db_url(), r.url)
        try:
            await play_question(host, players, 1)
            await asyncio.to_thread(manage, env, "flush_scores")
            r.kill()
            await asyncio.sleep(1)
            r.start()  # empty
            for c in (host, *players):
                f = await next_of(c, "resync")
                assert f["reason"] == "redis_lost", f
            # the game is gone until rebuild_game: a resync says so, never "finished"
            await players[0].send({"type": "resync"})
            f = await next_of(players[0], "welcome", "error")
            assert (f["type"], f.get("code")) == ("error", "unavailable"), f

            await asyncio.to_thread(manage, env, "rebuild_game", g.pin)
            for c in (host, *players):
                await next_of(c, "resync")
                await c.send({"type": "resync"})
                w = await next_of(c, "welcome", "error")
                assert w["type"] == "welcome" and w["game"]["state"] == "reveal", w
                assert w["game"]["question"] == 1 and w["game"]["epoch"] == 2, w
            await play_question(host, players, 2)
            await play_question(host, players, 3)
        finally:
            await close_all(host, *players)


async def test_answers_while_redis_is_empty_are_unavailable_not_game_finished() -> None:
    async with stack(aof=False) as (r, server):
        g = await game_on(r, 3)
        host, players = await seat(server, g)
        try:
            await host.send({"type": "start_question", "question": 1})
            for c in (host, *players):
                await next_of(c, "question")
            r.kill()
            await asyncio.sleep(1)
            r.start()  # empty: the game is gone until rebuild_game
            for c in players:
                await c.send({"type": "answer", "question": 1, "choices": [2]})
                f = await next_of(c, "answer_ack", "error")
                assert (f["type"], f.get("code")) == ("error", "unavailable"), f
            await host.send({"type": "start_question", "question": 2})
            f = await next_of(host, "question", "error")
            assert (f["type"], f.get("code")) == ("error", "unavailable"), f
        finally:
            await close_all(host, *players)


async def test_reconnect_during_outage_is_told_to_retry_then_welcomed() -> None:
    async with stack(aof=True) as (r, server):
        g = await game_on(r, 2)
        host, players = await seat(server, g)
        try:
            await players[0].close()
            r.kill()
            t0 = time.monotonic()
            phone = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
            assert await phone.closed(DEADLINE_S) == 1013
            # at once, not after the hello timer (1.5 s here) as a refused token would be
            assert time.monotonic() - t0 < 1.5
            r.start()
            phone = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
            w = await next_of(phone, "welcome")
            assert w["you"]["player"] == g.players[0]
            await close_all(phone)
        finally:
            await close_all(host, *players)


def _readers(r: PrivateRedis) -> list[dict[str, Any]]:
    return [c for c in r.client().client_list() if c.get("cmd") == "xread"]


async def test_finished_game_relay_stops_reading() -> None:
    async with stack(aof=True) as (r, server):
        g = await game_on(r, 2)
        host, players = await seat(server, g)
        try:
            # the live game's relay blocks on its stream (most of the time:
            # a snapshot may catch it between two reads on a loaded machine)
            end = time.monotonic() + 5
            while not _readers(r) and time.monotonic() < end:
                await asyncio.sleep(0.05)
            assert _readers(r)
            await host.send({"type": "start_question", "question": 1})
            await host.send({"type": "end_game"})
            for c in (host, *players):
                await next_of(c, "game_over")
            end = time.monotonic() + 5
            while _readers(r) and time.monotonic() < end:
                await asyncio.sleep(0.1)
            assert not _readers(r), "the finished game's relay still reads its stream"
            # the sockets still open are still served
            await host.send({"type": "resync"})
            w = await next_of(host, "welcome")
            assert w["game"]["state"] == "finished"
            await players[0].send({"type": "ping", "ts": 1})
            assert (await next_of(players[0], "pong"))["ts"] == 1
        finally:
            await close_all(host, *players)


class Frames:
    """A relay connection that keeps what it is sent."""

    role = "host"
    player = None

    def __init__(self) -> None:
        self.got: list[dict[str, Any]] = []

    def push(self, frame: str, wire: bytes | None = None) -> None:
        self.got.append(json.loads(frame))

    def close_soon(self, code: int) -> None:
        pass


async def test_relay_event_is_consumed_only_once_handled() -> None:
    """The relay's own retry, below the client's: an event read from the
    stream whose handling meets a dead Redis is handled again once Redis is
    back, with the seq it would have had; one given up makes clients resync."""
    from sockets.relay import HANDLE_TRIES, GameRelay

    r = PrivateRedis(aof=True)
    r.start()
    try:
        g = await game_on(r, 1)
        # a client without retries: the failure reaches the relay
        eng = Engine(aioredis.Redis.from_url(r.url, retry=None), batching=False)
        blocking = aioredis.Redis.from_url(r.url)
        relay = GameRelay(g.game, g.pin, eng)
        conn = Frames()
        relay.add(conn)
        relay.last_id = await eng.last_event_id(game=g.game)
        await relay.refresh()
        SyncEngine(r.client()).run(ops.open_question(g.game, 1))
        relay.pending = await eng.read_events(game=g.game, after=relay.last_id)
        assert [e.type for e in relay.pending] == ["open"]
        opened, before = relay.pending[0], relay.last_id
        r.kill()
        with pytest.raises(EngineUnavailable):
            await relay._handle_pending()
        assert (relay.last_id, relay.pending, conn.got) == (before, [opened], [])
        r.start()
        await relay._step(blocking)
        assert (conn.got[0]["type"], conn.got[0]["seq"]) == ("question", opened.id)
        assert (relay.last_id, relay.pending) == (opened.id, [])

        # an event that cannot be handled within HANDLE_TRIES is given up:
        # once Redis answers, the clients are told to resync
        SyncEngine(r.client()).run(ops.close_question(g.game, 1))
        relay.pending = await eng.read_events(game=g.game, after=relay.last_id)
        closed = relay.pending[0]
        r.kill()
        for _ in range(HANDLE_TRIES):
            with pytest.raises(EngineUnavailable):
                await relay._step(blocking)
            relay._failed(closed)
        assert (relay.last_id, relay.pending) == (closed.id, [])
        r.start()
        conn.got.clear()
        await relay._step(blocking)
        assert conn.got[0]["type"] == "resync" and conn.got[0]["reason"] == "missed_events"
        await blocking.aclose()
    finally:
        r.destroy()
