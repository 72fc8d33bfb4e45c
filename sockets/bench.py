"""Fan-out benchmark hooks, mounted only when STADIUM_BENCH=1.

``make bench-fanout`` (bench/bench_fanout.py) connects thousands of
clients to ``/ws/bench/<pin>/`` and asks, over one of them, for one
leaderboard frame to be delivered to all of them through one of four paths,
all inside this server process and to the same sockets:

- ``relay``: the real thing, :meth:`GameRelay.tick` (Redis reads included);
- ``bare``: a plain loop awaiting the ASGI send of one pre-serialized frame
  per socket (what the relay did before it wrote framed bytes, sockets.wire);
- ``core`` / ``pubsub``: the textbook Channels way, one ``group_send`` to a
  group holding every socket, on channels-redis's core and pubsub layers.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from channels.layers import get_channel_layer

from .consumers import ScreenConsumer
from .messages import dumps

GROUP = "bench"
# channels-redis opens a bounded pool: thousands of simultaneous group_add
# calls would fail with "too many connections", so set-up goes a few at a time.
_SETUP = asyncio.Semaphore(16)


class FanoutBenchConsumer(ScreenConsumer):
    async def hello(self, msg: Any) -> None:
        await super().hello(msg)
        if self.relay is None:
            return
        self.layer_tasks = []
        for alias in ("bench_core", "bench_pubsub"):
            layer = get_channel_layer(alias)
            async with _SETUP:
                name = await layer.new_channel()
                await layer.group_add(GROUP, name)
            self.layer_tasks.append(asyncio.ensure_future(self._layer_reader(layer, name)))

    async def _layer_reader(self, layer: Any, name: str) -> None:
        while True:
            event = await layer.receive(name)
            await self.base_send({"type": "websocket.send", "text": event["text"]})

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        for t in getattr(self, "layer_tasks", []):
            t.cancel()
        await super().websocket_disconnect(message)

    async def websocket_receive(self, message: dict[str, Any]) -> None:
        text = message.get("text") or ""
        if self.relay is not None and text.startswith('{"type":"bench"'):
            cmd = json.loads(text)
            try:
                took = await fanout(self, cmd["path"])
            except Exception as e:  # a layer failing under load is a result, not a crash
                self.push(dumps({"type": "bench_done", "path": cmd["path"], "error": repr(e)}))
                return
            conns = self.relay.conns["screen"]
            self.push(
                dumps(
                    {
                        "type": "bench_done",
                        "path": cmd["path"],
                        "server_s": took,
                        "closed": sum(c.outbox.closed for c in conns),  # type: ignore[attr-defined]
                        "dropped": sum(c.outbox.dropped for c in conns),  # type: ignore[attr-defined]
                        "busy": sum(c.outbox._busy for c in conns),  # type: ignore[attr-defined]
                    }
                )
            )
            return
        await super().websocket_receive(message)


async def fanout(consumer: FanoutBenchConsumer, path: str) -> float:
    relay = consumer.relay
    assert relay is not None
    t0 = time.perf_counter()
    if path == "relay":
        relay.dirty = True
        await relay.tick()
        return time.perf_counter() - t0
    frame = dumps(
        {
            "type": "leaderboard",
            "question": 0,
            "top": relay.top,
            "players": relay.state.players if relay.state else 0,
            "answered": 0,
            "seq": relay.last_id,
            "prev": relay.last_id,
            "path": path,
        }
    )
    if path == "bare":
        for c in list(relay.conns["screen"]):
            await c.base_send({"type": "websocket.send", "text": frame})  # type: ignore[attr-defined]
    else:
        layer = get_channel_layer("bench_core" if path == "core" else "bench_pubsub")
        await layer.group_send(GROUP, {"type": "bench.frame", "text": frame})
    return time.perf_counter() - t0
