"""A lean blocking WebSocket client for Locust players (gevent-friendly).

websocket-client spends most of a frame's cost in generic machinery (frame
objects, validation, locks); a load generator sharing two cores with the
server under test receives 20,000 leaderboard frames a second at 5,000
players, so this client keeps to what the game needs: one handshake,
unfragmented text frames in, pings answered, masked (zero-key) text frames
out. Same calls as ``websocket.WebSocket``: ``send``, ``recv``, ``close``.
Under Locust the socket module is gevent's, so ``recv`` blocks only its
greenlet. ``recv`` raises ``ConnectionError`` when the server closes.
"""

from __future__ import annotations

import base64
import os
import socket
import struct
from urllib.parse import urlsplit


class LightWs:
    def __init__(self, url: str, timeout: float = 300) -> None:
        u = urlsplit(url)
        host, port = u.hostname or "127.0.0.1", u.port or 80
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {u.path or '/'} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            buf += chunk
        head, self.buf = buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
        self.pos = 0

    def _need(self, n: int) -> None:
        while len(self.buf) - self.pos < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed by the server")
            self.buf = self.buf[self.pos :] + chunk
            self.pos = 0

    def recv(self) -> str:
        while True:
            self._need(2)
            b0, b1 = self.buf[self.pos], self.buf[self.pos + 1]
            n, off = b1 & 0x7F, 2
            if n == 126:
                self._need(4)
                n, off = struct.unpack_from(">H", self.buf, self.pos + 2)[0], 4
            elif n == 127:
                self._need(10)
                n, off = struct.unpack_from(">Q", self.buf, self.pos + 2)[0], 10
            self._need(off + n)
            start = self.pos + off
            payload = self.buf[start : start + n]
            self.pos = start + n
            op = b0 & 0x0F
            if op == 1:
                return payload.decode()
            if op == 9:  # ping: servers drop clients that never pong
                self._send(0x8A, payload)
            elif op == 8:
                raise ConnectionError(f"closed by the server: {payload[:2].hex()}")

    def send(self, text: str) -> None:
        self._send(0x81, text.encode())

    def _send(self, first: int, payload: bytes) -> None:
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", first, 0x80 | n)
        elif n < 65536:
            head = struct.pack("!BBH", first, 0x80 | 126, n)
        else:
            head = struct.pack("!BBQ", first, 0x80 | 127, n)
        # a zero mask key leaves the payload as it is: valid, and free
        self.sock.sendall(head + b"\x00\x00\x00\x00" + payload)

    def close(self, timeout: float = 1) -> None:
        try:
            self._send(0x88, struct.pack("!H", 1000))
        finally:
            self.sock.close()
