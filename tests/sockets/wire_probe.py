"""An ASGI application that probes the server's framed write (test_wire.py).

It says whether the protocol offered ``sockets.wire.EXTENSION``, then
answers each client frame ``{"n": N, "c": "x", "via": [...]}`` with N-long
texts, each sent the way ``via`` names: ``write`` (framed bytes through the
offered write; ``send`` when the write refused or was not offered) or
``send`` (the ASGI ``websocket.send``). Then it reports how many the write
took, and whether the client's message carried the time it was read."""

from __future__ import annotations

import json
from typing import Any

from sockets.wire import EXTENSION, RECEIVED_AT, framed


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        await receive()  # lifespan.startup
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] != "websocket":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    write = scope["extensions"].get(EXTENSION)
    await send({"type": "websocket.send", "text": json.dumps({"offered": write is not None})})
    while True:
        msg = await receive()
        if msg["type"] == "websocket.disconnect":
            return
        ask = json.loads(msg["text"])
        written = 0
        for i, via in enumerate(ask["via"]):
            text = f"{i}:" + ask["c"] * ask["n"]
            if via == "write" and write is not None and write(framed(text)):
                written += 1
            else:
                await send({"type": "websocket.send", "text": text})
        stamped = msg.get(RECEIVED_AT)
        report = {"written": written, "stamped": isinstance(stamped, float)}
        await send({"type": "websocket.send", "text": json.dumps(report)})
