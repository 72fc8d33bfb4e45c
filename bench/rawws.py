"""A minimal WebSocket client on a raw asyncio protocol, for benchmarks.

Thousands of connections in one process must cost the client as little as
possible per frame, or the benchmark measures the client instead of the
server: this one only parses frame headers and hands text payloads to a
callback. Enough of RFC 6455 for a server that sends unfragmented text frames.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import struct
from collections.abc import Callable
from typing import Any


class RawWs(asyncio.Protocol):
    def __init__(self, on_text: Callable[[str], None]) -> None:
        self.on_text = on_text
        self.buf = b""
        self.handshaken = asyncio.get_running_loop().create_future()
        self.transport: Any = None
        self.closed = False

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.handshaken.done():
            self.handshaken.set_exception(ConnectionError("closed during handshake"))

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if not self.handshaken.done():
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buf = self.buf[:end], self.buf[end + 4 :]
            if b" 101 " not in head.split(b"\r\n", 1)[0]:
                self.handshaken.set_exception(ConnectionError(head[:80].decode()))
                return
            self.handshaken.set_result(None)
        buf = self.buf
        while len(buf) >= 2:
            n = buf[1] & 0x7F
            off = 2
            if n == 126:
                if len(buf) < 4:
                    break
                n = struct.unpack_from(">H", buf, 2)[0]
                off = 4
            elif n == 127:
                if len(buf) < 10:
                    break
                n = struct.unpack_from(">Q", buf, 2)[0]
                off = 10
            if len(buf) < off + n:
                break
            opcode = buf[0] & 0x0F
            if opcode == 1:
                self.on_text(buf[off : off + n].decode())
            elif opcode == 9:  # ping: the server drops clients that never pong
                self._send(0x8A, buf[off : off + n])
            buf = buf[off + n :]
        self.buf = buf

    def send_text(self, text: str) -> None:
        self._send(0x81, text.encode())

    def _send(self, first: int, payload: bytes) -> None:
        n = len(payload)
        head = bytes([first])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        # A zero mask key leaves the payload as is: valid, and free to "mask".
        self.transport.write(head + b"\x00\x00\x00\x00" + payload)

    def send_json(self, obj: Any) -> None:
        self.send_text(json.dumps(obj, separators=(",", ":")))


async def connect(host: str, port: int, path: str, on_text: Callable[[str], None]) -> RawWs:
    loop = asyncio.get_running_loop()
    _, proto = await loop.create_connection(lambda: RawWs(on_text), host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    proto.transport.write(
        (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    await proto.handshaken
    return proto
