"""WebSocket Origin check.

Browsers always send ``Origin`` on a WebSocket handshake, so a page on
another site cannot use a visitor's browser against Stadium: its Origin must
be a host in ALLOWED_HOSTS or an origin in CSRF_TRUSTED_ORIGINS. Clients
without an Origin (load generators, native apps) are not browsers and still
need a valid token in their hello.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.http.request import validate_host


def origin_allowed(origin: str | None) -> bool:
    if origin is None:
        return True
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    host = urlparse(origin).hostname
    if not host:
        return False
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return validate_host(host, allowed)


class OriginValidator:
    """ASGI middleware: refuse the handshake (HTTP 403) for a foreign Origin."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> Any:
        origin = None
        for name, value in scope.get("headers", []):
            if name == b"origin":
                origin = value.decode("latin1")
        if origin_allowed(origin):
            return await self.app(scope, receive, send)
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 4403})
