"""The answer pipe's failure modes, on a private redis-server (a free port) so
that flushing its scripts or killing it disturbs nobody: NOSCRIPT reloads
and re-sends only the refused calls; a lost server gives EngineUnavailable
and the next submission connects again; a client whose connections are not
what the pipe relies on takes the generic path, with a warning."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import redis.asyncio as aioredis
from redis._parsers import _AsyncRESP3Parser

from engine import Engine, EngineUnavailable, SyncEngine, keys
from testkit.ports import free_port
from testkit.redis_server import PrivateRedis

from .util import join, new_game, open_q, q


def _start() -> PrivateRedis:
    # a fixed port per module: the lost-server test starts a new one on it
    return PrivateRedis(PORT, args=["--enable-debug-command", "local"]).start()


PORT = free_port()


@pytest.fixture
def private_redis() -> Iterator[dict[str, PrivateRedis]]:
    holder = {"proc": _start()}
    yield holder
    holder["proc"].destroy()


async def test_noscript_reloads_and_resends(private_redis: Any) -> None:
    sync = SyncEngine(redis.Redis(port=PORT))
    new_game(sync, "g", [q()])
    players = [join(sync, "g", f"p{i}") for i in range(50)]
    open_q(sync, "g", 1)
    sync.redis.script_flush()  # as after a Redis restart
    client = aioredis.Redis(port=PORT)
    eng = Engine(client)
    res = await asyncio.gather(
        *(eng.submit_answer(game="g", player=p, question=1, choices=[1]) for p in players)
    )
    assert [r.status for r in res] == ["ok"] * 50
    assert sync.redis.hlen(keys.answers("g", 1)) == 50
    assert sync.redis.xlen(keys.log("g")) == 50  # each ran exactly once
    await eng.aclose()
    await client.aclose()


async def test_lost_server_gives_unavailable_then_reconnects(private_redis: Any) -> None:
    sync = SyncEngine(redis.Redis(port=PORT))
    new_game(sync, "g", [q()])
    a, b = join(sync, "g", "a"), join(sync, "g", "b")
    open_q(sync, "g", 1)
    client = aioredis.Redis(port=PORT)
    eng = Engine(client)
    assert (await eng.submit_answer(game="g", player=a, question=1, choices=[1])).ok
    # Hold the server busy so that b's answer is in flight, then kill it.
    blocker = redis.Redis(port=PORT).connection_pool.get_connection()
    blocker.send_command("DEBUG", "SLEEP", "5")
    pending = asyncio.ensure_future(eng.submit_answer(game="g", player=b, question=1, choices=[1]))
    await asyncio.sleep(0.05)  # let the pipe write it (fault injection, not a time assertion)
    private_redis["proc"].destroy()
    blocker.disconnect()
    with pytest.raises(EngineUnavailable):
        await pending
    # A new server on the same port: the next submission connects again.
    private_redis["proc"] = _start()
    r = await eng.submit_answer(game="g", player=b, question=1, choices=[1])
    assert r.status == "unknown_game"  # a real reply, from the (empty) new server
    await eng.aclose()
    await client.aclose()


async def test_without_hiredis_parsing_answers_take_the_generic_path_with_a_warning(
    private_redis: Any, caplog: Any
) -> None:
    sync = SyncEngine(redis.Redis(port=PORT))
    new_game(sync, "g", [q()])
    players = [join(sync, "g", f"p{i}") for i in range(5)]
    open_q(sync, "g", 1)
    pool = aioredis.ConnectionPool(port=PORT, parser_class=_AsyncRESP3Parser)
    client = aioredis.Redis(connection_pool=pool)
    with caplog.at_level(logging.WARNING, logger="engine.answer_pipe"):
        eng = Engine(client)
    assert eng.pipe is None and eng.batcher is not None
    assert "not hiredis" in caplog.text
    res = await asyncio.gather(
        *(eng.submit_answer(game="g", player=p, question=1, choices=[1]) for p in players)
    )
    assert [r.status for r in res] == ["ok"] * 5
    assert sync.redis.hlen(keys.answers("g", 1)) == 5
    await eng.aclose()
    await client.aclose()


class NoStreams(aioredis.Connection):
    """A connection without the stream attributes the pipe reads and writes
    raw RESP on (as a redis-py release that renamed them would be)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        del self._reader, self._writer


async def test_connections_without_streams_take_the_generic_path_with_a_warning(
    caplog: Any,
) -> None:
    client = aioredis.Redis(connection_pool=aioredis.ConnectionPool(connection_class=NoStreams))
    with caplog.at_level(logging.WARNING, logger="engine.answer_pipe"):
        eng = Engine(client)
    assert eng.pipe is None and eng.batcher is not None
    assert "NoStreams has no _reader, _writer" in caplog.text
    await client.aclose()


async def test_a_plain_client_with_hiredis_gets_the_pipe(caplog: Any) -> None:
    client = aioredis.Redis(port=PORT)
    with caplog.at_level(logging.WARNING, logger="engine.answer_pipe"):
        eng = Engine(client)
    assert eng.pipe is not None and not caplog.records
    await client.aclose()
