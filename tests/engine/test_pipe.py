"""The answer pipe's failure modes, on a private redis-server (a free port) so
that flushing its scripts or killing it disturbs nobody: NOSCRIPT reloads
and re-sends only the refused calls; a lost server gives EngineUnavailable
and the next submission connects again."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import redis.asyncio as aioredis

from engine import Engine, EngineUnavailable, SyncEngine, keys

from .util import join, new_game, open_q, q


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


PORT = _free_port()  # a private port: other engineers' servers use fixed ones


def _start() -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(PORT), "--save", "",
         "--appendonly", "no", "--enable-debug-command", "local"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    r = redis.Redis(port=PORT)
    for _ in range(100):
        try:
            # Make sure the server answering is ours, not someone else's.
            if proc.poll() is None and r.info("server")["process_id"] == proc.pid:
                return proc
        except redis.ConnectionError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"private redis-server did not start on port {PORT}")


@pytest.fixture
def private_redis() -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is needed for the answer pipe tests")
    holder = {"proc": _start()}
    yield holder
    proc = holder["proc"]
    if proc.poll() is None:
        proc.terminate()
        proc.wait(5)


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
    private_redis["proc"].kill()
    blocker.disconnect()
    with pytest.raises(EngineUnavailable):
        await pending
    # A new server on the same port: the next submission connects again.
    private_redis["proc"] = _start()
    r = await eng.submit_answer(game="g", player=b, question=1, choices=[1])
    assert r.status == "unknown_game"  # a real reply, from the (empty) new server
    await eng.aclose()
    await client.aclose()
