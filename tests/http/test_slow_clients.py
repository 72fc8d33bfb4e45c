"""Slow HTTP (slowloris): a client that trickles its request is cut off by
the server itself once the header (or body) deadline passes, while normal
requests, keep-alive and WebSocket upgrades still work."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import httpx
import pytest
import websockets

pytestmark = pytest.mark.django_db(transaction=True)

HEADER_S = 1.5
BODY_S = 2.5
MARGIN_S = 3.0  # a deadline for the server to act, not a measured speed
LIMITS = {
    "STADIUM_HTTP_HEADER_TIMEOUT_S": str(HEADER_S),
    "STADIUM_HTTP_BODY_TIMEOUT_S": str(BODY_S),
}


def trickle(
    port: int, chunks: list[bytes], every_s: float, give_up_s: float
) -> tuple[float, bytes]:
    """Send ``chunks`` one per ``every_s`` (then keep waiting) until the
    server closes; returns when it closed (seconds after connecting) and
    what it sent. Fails if it is still open after ``give_up_s``."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(0.05)
    t0 = time.monotonic()
    got = b""
    pending = list(chunks)
    next_send = t0
    try:
        while time.monotonic() - t0 < give_up_s:
            if pending and time.monotonic() >= next_send:
                try:
                    s.sendall(pending.pop(0))
                except OSError:  # closed under us: that is the point
                    return time.monotonic() - t0, got
                next_send += every_s
            try:
                data = s.recv(4096)
            except TimeoutError:
                continue
            except ConnectionResetError:
                return time.monotonic() - t0, got
            if not data:
                return time.monotonic() - t0, got
            got += data
        raise AssertionError(f"still open after {give_up_s}s; received {got[:200]!r}")
    finally:
        s.close()


def test_slow_headers_are_cut_off(server_factory):
    server = server_factory(LIMITS)
    # a request line and then one header byte every 0.3 s: never complete
    head = [b"GET /healthz HTTP/1.1\r\n"] + [bytes([c]) for c in b"X-Slow: " + b"a" * 200]
    took, got = trickle(server.port, head, 0.3, HEADER_S + MARGIN_S)
    assert took >= HEADER_S - 0.1
    assert got.startswith(b"HTTP/1.1 408"), got[:100]
    body = json.loads(got.split(b"\r\n\r\n", 1)[1])
    assert body["error"] == "request_timeout" and body["message"]


def test_an_idle_connection_that_never_sends_is_cut_off(server_factory):
    server = server_factory(LIMITS)
    took, _ = trickle(server.port, [], 1, HEADER_S + MARGIN_S)
    assert took >= HEADER_S - 0.1


def test_the_next_request_on_a_kept_alive_connection_has_its_deadline(server_factory):
    server = server_factory(LIMITS)
    first = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    # the first request completes, the second trickles (each byte within
    # uvicorn's own 5 s keep-alive idle limit, which alone never ends it)
    chunks = [first, b"G", b"E", b"T", b" ", b"/", b"h", b"e", b"a", b"l", b"t", b"h", b"z"]
    took, got = trickle(server.port, chunks, 0.5, HEADER_S + 0.5 + MARGIN_S)
    assert got.startswith(b"HTTP/1.1 200"), got[:100]
    assert b"HTTP/1.1 408" in got


def test_a_slow_body_is_cut_off(server_factory):
    server = server_factory(LIMITS)
    head = (
        b"POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    )
    took, _ = trickle(server.port, [head] + [b" "] * 50, 0.3, BODY_S + MARGIN_S)
    assert took >= BODY_S - 0.1


def test_normal_requests_and_websockets_still_work(server_factory):
    server = server_factory({**LIMITS, "STADIUM_HELLO_TIMEOUT_S": "20"})
    with httpx.Client(base_url=server.http) as c:  # keep-alive: two requests, one connection
        assert c.get("/healthz").status_code == 200
        time.sleep(HEADER_S + 0.5)  # idle between requests is uvicorn's keep-alive, not ours
        assert c.get("/healthz").status_code == 200
        r = c.post("/api/games/123456/players", json={"nickname": "Ann"})
        assert r.status_code == 404 and r.json()["error"] == "unknown_game"

    async def websocket() -> tuple[object, int | None]:
        async with websockets.connect(
            f"{server.ws}/ws/play/123456/", additional_headers={"Origin": server.http}
        ) as ws:
            # longer than both HTTP deadlines: an upgraded socket is not an HTTP request
            await asyncio.sleep(HEADER_S + BODY_S + 0.5)
            await ws.send(json.dumps({"type": "hello", "token": "not-a-token"}))
            try:
                reply = await asyncio.wait_for(ws.recv(), 10)
            except websockets.ConnectionClosed as e:
                return None, e.rcvd.code if e.rcvd else None
            return json.loads(reply), None

    reply, code = asyncio.run(websocket())
    # the consumer answered the hello (a frame, or its own close code), so
    # the socket was alive: a cut connection gives neither
    assert reply is not None or (code is not None and code >= 4000), (reply, code)
