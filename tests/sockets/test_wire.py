"""Frames framed once (sockets.wire) and written straight to the transport
(sockets.ws_server.WSProtocol.write_framed), through a real uvicorn with
the production options and a real WebSocket client: the client reads the
same texts, in the same order, whichever way each was sent, and a server
that negotiates compression does not offer the write."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import websockets
from wsproto.frame_protocol import FrameProtocol

from sockets.wire import framed
from testkit.serve import Uvicorn

PROBE = "tests.sockets.wire_probe:app"


@pytest.fixture(scope="module")
def production() -> Iterator[Uvicorn]:
    server = Uvicorn(options={"--log-level": "warning"}, app=PROBE).start(accept=(200,))
    yield server
    server.stop()


@pytest.mark.parametrize(
    "text", ["", "a", "é⚽ ١", "x" * 125, "x" * 126, "y" * 65535, "w" * 65536, "z" * 70_000]
)
def test_framed_text_is_wsprotos_frame_and_reads_back_whole(text: str) -> None:
    assert framed(text) == FrameProtocol(client=False, extensions=[]).send_data(text, fin=True)
    client = FrameProtocol(client=True, extensions=[])
    client.receive_bytes(framed(text))
    (frame,) = list(client.received_frames())
    assert frame.message_finished and frame.payload == text


async def ask(url: str, n: int, c: str, via: list[str]) -> tuple[bool, list[str], int]:
    async with websockets.connect(url, max_size=None, compression=None) as ws:
        offered = json.loads(await ws.recv())["offered"]
        await ws.send(json.dumps({"n": n, "c": c, "via": via}))
        texts = [str(await ws.recv()) for _ in via]
        report = json.loads(await ws.recv())
    assert report["stamped"]  # the time the message was read (sockets.wire.RECEIVED_AT)
    return offered, texts, report["written"]


async def test_written_and_sent_frames_arrive_whole_and_in_order(production: Uvicorn) -> None:
    via = ["write", "send", "write", "write", "send"] * 4
    for n, c in ((3, "a"), (300, "ü"), (70_000, "⚽")):  # 7-, 16- and 64-bit lengths
        offered, texts, written = await ask(f"{production.ws}/", n, c, via)
        assert offered
        assert texts == [f"{i}:" + c * n for i in range(len(via))]
        assert written == via.count("write")  # the write took every one it was given


async def test_a_server_with_compression_does_not_offer_the_write() -> None:
    server = Uvicorn(
        options={"--log-level": "warning", "--ws-per-message-deflate": "true"}, app=PROBE
    ).start(accept=(200,))
    try:
        async with websockets.connect(f"{server.ws}/") as ws:  # offers permessage-deflate
            assert json.loads(await ws.recv()) == {"offered": False}
            await ws.send(json.dumps({"n": 5, "c": "q", "via": ["write", "send"]}))
            got = [await ws.recv() for _ in range(3)]
            assert got == ["0:qqqqq", "1:qqqqq", '{"written": 0, "stamped": true}']
    finally:
        server.stop()
