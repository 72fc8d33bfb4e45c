"""uvicorn's wsproto WebSocket protocol, closing oversize messages cleanly.

Select it with ``--ws sockets.ws_server:WSProtocol`` (scripts/run.sh,
docker-compose.yml). uvicorn already counts the bytes of a fragmented
message against ``--ws-max-size``, but past the limit it writes the 1009
close frame and closes the TCP connection at once. The rest of the message
is still arriving then, and a socket closed with unread data is reset by the
kernel: the reset destroys the close frame in flight, so the client sees
1006 (abnormal closure) instead of 1009. Here the server keeps reading, and
discards, until the client answers the close or uvicorn's close timeout
passes, as the WebSocket closing handshake has it.

Each message it hands the application carries the time it was read
(``sockets.wire.RECEIVED_AT``), so that an answer's time in the server
includes its wait for the event loop.

On the sending side it offers the application one more way to send, in the
scope's extensions (``sockets.wire.EXTENSION``): :meth:`write_framed` writes
a frame already framed by :mod:`sockets.wire` straight to the transport,
synchronously. The fan-out writes one broadcast's bytes to thousands of
sockets that way; whatever it cannot write (a paused transport, a closing
socket) goes through uvicorn's ``send``, which keeps its flow control.
"""

from __future__ import annotations

import time
from typing import Any, cast

from uvicorn.protocols.websockets.wsproto_impl import FrameTooLargeError
from uvicorn.protocols.websockets.wsproto_impl import WSProtocol as UvicornWSProtocol
from wsproto import events
from wsproto.connection import ConnectionState

from .wire import EXTENSION, RECEIVED_AT


class WSProtocol(UvicornWSProtocol):
    def handle_connect(self, event: events.Request) -> None:
        super().handle_connect(event)
        # With per-message deflate a frame's bytes would depend on the
        # socket's compression state: such sockets keep uvicorn's path only.
        if not self.config.ws_per_message_deflate:
            # (the ASGI spec types an extension's value as a dict of options)
            extensions: dict[str, Any] = cast(Any, self.scope)["extensions"]
            extensions[EXTENSION] = self.write_framed

    def write_framed(self, data: bytes) -> bool:
        """Write one frame framed by :func:`sockets.wire.framed`; False, and
        nothing written, when the socket is not open for data or the
        transport asked to pause writing (the caller then takes ``send``)."""
        if (
            not self.handshake_complete
            or self.close_sent
            or self.response_started
            or self.conn.state is not ConnectionState.OPEN
            or not self.writable.is_set()
            or self.transport.is_closing()
        ):
            return False
        self.transport.write(data)
        return True

    def handle_message(self, event: events.TextMessage | events.BytesMessage) -> None:
        try:
            self.buffer.extend(event)
        except FrameTooLargeError:
            self.refuse_too_large()
            return
        if event.message_finished:
            message: dict[str, Any] = cast(Any, self.buffer.to_message())
            message[RECEIVED_AT] = time.perf_counter()
            self.queue.put_nowait(cast(Any, message))
            self.buffer.clear()
            if not self.read_paused:
                self.read_paused = True
                self.transport.pause_reading()

    def refuse_too_large(self) -> None:
        self.buffer.clear()
        self.close_sent = True  # from now on handle_events drops all but the peer's close
        reason = f"Message exceeds the maximum size ({self.config.ws_max_size} bytes)"
        closed: Any = {"type": "websocket.disconnect", "code": 1009, "reason": reason}
        self.queue.put_nowait(closed)
        if self.transport.is_closing():
            return
        self.transport.write(self.conn.send(events.CloseConnection(code=1009, reason=reason)))
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        # handle_close closes the transport when the peer's close arrives
        self.close_timer = self.loop.call_later(self.close_timeout, self.transport.close)
