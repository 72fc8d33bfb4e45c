"""uvicorn's HTTP protocol with a deadline on reading each request.

uvicorn bounds only the idle time between keep-alive requests: a client
that sends its request line and headers one byte at a time (slowloris)
holds a connection open for as long as it likes, and thousands of them hold
a worker's file descriptors and memory. This protocol gives every request
a deadline for its headers (from the connection or from the request's
first byte) and a second one for its body, and closes the connection when
one passes. A WebSocket upgrade is complete once its headers are in: the
deadline is dropped before the socket is handed to the WebSocket protocol.

Select it with ``--http config.http_protocol:TimedHttpToolsProtocol`` (the
command in scripts/run.sh, docker-compose.yml and the Dockerfile). The
deadlines are STADIUM_HTTP_HEADER_TIMEOUT_S and STADIUM_HTTP_BODY_TIMEOUT_S.
"""

from __future__ import annotations

import asyncio
from typing import Any

from django.conf import settings
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# The API's error shape, for a client slow but not hostile.
_BODY = b'{"error": "request_timeout", "message": "the request was not received in time"}'
REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
    b"content-length: " + str(len(_BODY)).encode() + b"\r\nconnection: close\r\n\r\n" + _BODY
)


class TimedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_timer: asyncio.TimerHandle | None = None
        self._reading_headers = False

    # Settings are read on use: uvicorn imports this class before the app,
    # that is before Django's settings are configured.
    @staticmethod
    def _limit(name: str) -> float:
        return float(settings.STADIUM[name])

    def _arm(self, limit: str) -> None:
        self._disarm()
        self._read_timer = self.loop.call_later(self._limit(limit), self._read_timed_out)

    def _disarm(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _read_timed_out(self) -> None:
        self._read_timer = None
        if self.transport.is_closing():
            return
        if self._reading_headers and (self.cycle is None or self.cycle.response_complete):
            self.transport.write(REQUEST_TIMEOUT)  # nothing else is being written
        self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._reading_headers = True
        self._arm("HTTP_HEADER_TIMEOUT_S")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if not self._reading_headers:  # the next request on a kept-alive connection
            self._reading_headers = True
            self._arm("HTTP_HEADER_TIMEOUT_S")

    def on_headers_complete(self) -> None:
        self._reading_headers = False
        self._arm("HTTP_BODY_TIMEOUT_S")
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def handle_websocket_upgrade(self) -> None:
        self._disarm()
        super().handle_websocket_upgrade()
