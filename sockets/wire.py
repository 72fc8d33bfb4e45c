"""WebSocket text frames built once, written as bytes.

A server's frames are not masked (RFC 6455, section 5.1) and Stadium's
sockets negotiate no extension (``--ws-per-message-deflate false``), so the
bytes of a text frame depend on its text alone. A broadcast builds them
once and writes the same bytes to every socket of its audience, instead of
every socket encoding and framing the same text again through the ASGI
``websocket.send`` path (a dict, a coroutine, wsproto's framing per socket).

The header is built here rather than by wsproto's ``FrameProtocol`` (about
9x slower, measured at 6 µs against 0.7 µs for an ack), because personal
frames (acks, each player's result at a close) are framed once per socket.
tests/sockets/test_wire.py holds it equal to wsproto's bytes at every
length boundary.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

# Writes a framed frame to one socket; False when that socket cannot take
# it now (handshake not done, closing, its buffer full) and the frame must
# go the ASGI way (sockets.ws_server.WSProtocol.write_framed).
WriteFramed = Callable[[bytes], bool]

# The scope extension under which the protocol offers its WriteFramed.
EXTENSION = "stadium.write_framed"

# The key of a websocket.receive message under which the protocol puts the
# time (time.perf_counter) it read the client's message off the socket: an
# answer's time in the server is counted from there (quiz.metrics).
RECEIVED_AT = "stadium.received_at"

_FIN_TEXT = 0x81  # FIN set, no RSV bit (no extension), opcode 1: text
_SHORT = struct.Struct("!BB")  # payload length up to 125 in the second byte
_MEDIUM = struct.Struct("!BBH")  # 126, then a 16-bit length
_LONG = struct.Struct("!BBQ")  # 127, then a 64-bit length


def framed(text: str) -> bytes:
    """The bytes of one unfragmented, unmasked text frame carrying ``text``
    (RFC 6455, section 5.2)."""
    payload = text.encode()
    n = len(payload)
    if n < 126:
        return _SHORT.pack(_FIN_TEXT, n) + payload
    if n < 1 << 16:
        return _MEDIUM.pack(_FIN_TEXT, 126, n) + payload
    return _LONG.pack(_FIN_TEXT, 127, n) + payload
