"""WebSocket text frames built once, written as bytes.

A server's frames are not masked (RFC 6455, section 5.1) and Stadium's
sockets negotiate no extension (``--ws-per-message-deflate false``), so the
bytes of a text frame depend on its text alone. A broadcast builds them
once and writes the same bytes to every socket of its audience, instead of
every socket encoding and framing the same text again through the ASGI
``websocket.send`` path (a dict, a coroutine, wsproto's framing per socket).

The framing is wsproto's own (the library uvicorn's protocol uses), so the
bytes are those the ASGI path would have written.
"""

from __future__ import annotations

from collections.abc import Callable

from wsproto.frame_protocol import FrameProtocol

# Writes a framed frame to one socket; False when that socket cannot take
# it now (handshake not done, closing, its buffer full) and the frame must
# go the ASGI way (sockets.ws_server.WSProtocol.write_framed).
WriteFramed = Callable[[bytes], bool]

# The scope extension under which the protocol offers its WriteFramed.
EXTENSION = "stadium.write_framed"

# Every message is sent whole (fin=True), so the protocol's fragmentation
# state is back to "no message in progress" after each call and one
# instance serves the whole process.
_FRAMER = FrameProtocol(client=False, extensions=[])


def framed(text: str) -> bytes:
    """The bytes of one unfragmented text frame carrying ``text``."""
    return bytes(_FRAMER.send_data(text, fin=True))
