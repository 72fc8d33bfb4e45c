"""Hostile frames and connections (issue 11: findings 4, 5, 8b, 9c, 10b, 10c).

Each test runs against a server of this module whose stderr is a file, so a
traceback anywhere fails the test that caused it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import secrets
import time

import pytest
import redis
import websockets
from django.conf import settings

from quiz import ratelimit

from .conftest import Client, Server, connect, start_server
from .helpers import open_game
from .test_metrics import delta, scrape

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]

NESTED = '{"type": "ping", "ts": ' + "[" * 1000 + "]" * 1000 + "}"  # under 4 KiB


def strict(raw: str) -> object:
    """What a browser's JSON.parse accepts: no NaN, no Infinity."""

    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not JSON")

    return json.loads(raw, parse_constant=refuse)


async def test_nested_json_is_refused_and_leaves_no_connection_behind(
    logged_server: Server,
) -> None:
    server = logged_server
    g = await open_game(50)
    before = scrape(server)
    socks: list[Client] = []
    for t in g.tokens:
        for _ in range(2):
            socks.append(await connect(server, f"/ws/play/{g.pin}/", t))
    for c in socks:
        await c.expect("welcome")
    assert delta(before, scrape(server), "stadium_connections", kind="play") == 100

    async def ten(c: Client) -> None:  # 100 sockets x 10 frames = 1,000 frames
        for _ in range(10):
            await c.send(NESTED)
            err = await c.expect("error")
            assert err["code"] == "bad_json", err

    await asyncio.gather(*(ten(c) for c in socks))
    # before hello too: refused like any non-hello frame, with 4401
    pre = await connect(server, f"/ws/play/{g.pin}/", None)
    await pre.send(NESTED)
    assert await pre.closed() == 4401
    for c in socks:
        await c.close()
    deadline = time.time() + 10
    while delta(before, scrape(server), "stadium_connections", kind="play") != 0:
        assert time.time() < deadline, "the connections gauge did not come back"
        await asyncio.sleep(0.1)
    assert server.tracebacks() == ""


async def test_surrogates_and_non_finite_numbers_get_errors_and_broadcasts_go_on(
    logged_server: Server,
) -> None:
    server = logged_server
    g = await open_game(1)
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    p = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])

    async def errors(frames: list[str]) -> list[tuple[str, str | None]]:
        out = []
        for text in frames:
            await p.send(text)
            f = await p.expect("error")
            out.append((f["code"], f.get("ref")))
        return out

    for c in (host, p):
        await c.expect("welcome")
    hostile = [
        '{"type": "\\ud800"}',
        '{"type": "ping", "ts": "\\udfff"}',
        '{"type": "ping", "ts": "a\\ud83d"}',
        '{"type": "ping", "ts": NaN}',
        '{"type": "ping", "ts": Infinity}',
        '{"type": "ping", "ts": -Infinity}',
        '{"type": "ping", "ts": 1e400}',
        '{"type": "answer", "question": 1, "choices": [2], "ts": NaN}',
        '{"type": "answer", "question": 1, "choices": [2], "ts": 1e400}',
        '{"type": "hello", "token": "\\udc00"}',
    ]
    got = await errors(hostile)
    assert [code for code, _ in got] == ["bad_request"] * len(hostile), got
    assert got[3][1] == "ping" and got[7][1] == "answer"  # refused where the type is known
    # the socket still gets broadcasts and replies
    await host.send({"type": "start_question", "question": 1})
    await p.expect("question", question=1)
    await p.send({"type": "answer", "question": 1, "choices": [2], "ts": 12.5})
    ack = await p.expect("answer_ack")
    assert ack["ts"] == 12.5
    await p.send('{"type": "ping", "ts": "\\ud83d\\ude00"}')  # a real pair is fine
    assert (await p.expect("pong"))["ts"] == "\U0001f600"
    await host.send({"type": "close_question"})
    await p.expect("question_closed", question=1)
    for f in p.frames:
        strict(json.dumps({k: v for k, v in f.items() if k != "_t"}))
    for f in p.frames:
        ts = f.get("ts")
        assert not isinstance(ts, float) or math.isfinite(ts)
    assert server.tracebacks() == ""


async def test_resync_at_most_one_a_second(logged_server: Server) -> None:
    server = logged_server
    g = await open_game(1)
    p = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
    await p.expect("welcome")
    t0 = time.monotonic()
    for _ in range(5):
        await p.send({"type": "resync"})
    await p.send({"type": "ping", "ts": "end"})
    await p.expect("pong", ts="end")
    # the first at once, the second waits its turn, the other three are refused
    got = [f for f in p.frames if f["type"] in ("welcome", "error")][1:]  # after hello's
    assert [f["type"] for f in got] == ["welcome"] + ["error"] * 3, got
    assert {(f["code"], f["ref"]) for f in got[1:]} == {("rate_limited", "resync")}
    await p.expect("welcome")
    assert time.monotonic() - t0 >= 0.9  # STADIUM_RESYNC_INTERVAL_S: 1
    assert len([f for f in p.frames if f["type"] == "welcome"]) == 3
    await asyncio.sleep(1.1)
    await p.send({"type": "resync"})
    await p.expect("welcome")
    assert server.tracebacks() == ""


async def test_the_oldest_socket_of_a_token_gives_way(logged_server: Server) -> None:
    server = logged_server
    g = await open_game(1)
    before = scrape(server)
    socks = []
    for _ in range(4):  # STADIUM_MAX_SOCKETS_PER_TOKEN: 3
        c = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
        await c.expect("welcome")
        socks.append(c)
    assert await socks[0].closed() == 4409
    assert delta(before, scrape(server), "stadium_connections", kind="play") == 3
    hosts = []
    for _ in range(6):  # STADIUM_MAX_HOST_SOCKETS_PER_TOKEN: 5
        c = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
        await c.expect("welcome")
        hosts.append(c)
    assert await hosts[0].closed() == 4409
    # the newer sockets are all live
    await hosts[-1].send({"type": "start_question", "question": 1})
    for c in socks[1:] + hosts[1:]:
        await c.expect("question", question=1)
        assert c.close_code is None
    for c in socks[1:] + hosts[1:]:
        await c.close()
    assert server.tracebacks() == ""


async def test_origin_must_match_scheme_host_and_port(logged_server: Server) -> None:
    server = logged_server
    g = await open_game(1)
    path = f"/ws/play/{g.pin}/"
    for origin in (
        "http://127.0.0.1:9999",  # another port of the same host
        f"https://127.0.0.1:{server.port}",  # another scheme
        "http://127.0.0.1",
        f"http://evil.example.com:{server.port}",
        "null",
    ):
        with pytest.raises(websockets.InvalidStatus) as e:
            await connect(server, path, g.tokens[0], origin=origin)
        assert e.value.response.status_code == 403, origin
    for origin in (f"http://127.0.0.1:{server.port}", None):
        c = await connect(server, path, g.tokens[0], origin=origin)
        await c.expect("welcome")
        await c.close()


async def test_fragmented_oversize_message_closes_with_1009(logged_server: Server) -> None:
    server = logged_server
    g = await open_game(1)
    for _ in range(3):
        c = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
        await c.expect("welcome")
        with contextlib.suppress(websockets.ConnectionClosed):
            # 200 KiB in 1 KiB fragments; the server limit is 4 KiB
            await c.ws.send("x" * 1024 for _ in range(200))
        assert await c.closed() == 1009
    assert server.tracebacks() == ""


async def test_refused_hellos_count_as_pin_probes_and_valid_tokens_still_get_in(
    django_db_setup: object,
) -> None:
    """Unknown PINs and wrong tokens at the WebSocket door count against the
    address like HTTP joins with unknown PINs; past the limit every refused
    hello closes 4429 (live and dead PINs look alike), while a player with a
    valid token behind the same address is still welcomed."""
    server = start_server(extra_env={"STADIUM_PIN_PROBES_PER_ADDR": "3"})
    addr = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    headers = {"Origin": server.http, "X-Forwarded-For": addr}

    async def hello(pin: str, token: str) -> Client:
        ws = await websockets.connect(
            f"{server.ws}/ws/play/{pin}/", additional_headers=headers, ping_interval=None
        )
        c = Client(ws)
        c.task = asyncio.ensure_future(c._read())
        await c.send({"type": "hello", "token": token})
        return c

    try:
        g = await open_game(1)
        dead = "000000" if g.pin != "000000" else "000001"
        codes = []
        for pin in (dead, g.pin, dead, g.pin, dead, g.pin):  # wrong token on the live PIN
            codes.append(await (await hello(pin, "not-a-token")).closed())
        assert codes == [4404, 4401, 4404, 4429, 4429, 4429]
        ok = await hello(g.pin, g.tokens[0])
        welcome = await ok.expect("welcome")
        assert welcome["you"]["player"] == g.players[0]
        await ok.close()
    finally:
        server.stop()
        r = redis.Redis.from_url(settings.REDIS_URL)
        r.delete(ratelimit.pin_probe().key(addr))
        r.close()
