"""WebSocket Origin check.

Browsers always send ``Origin`` on a WebSocket handshake, so a page on
another site cannot use a visitor's browser against Stadium. A browser's
Origin must be the handshake's own origin (http for ws, https for wss, and
the same host and port as the Host header, with that host in ALLOWED_HOSTS),
or be listed exactly in CSRF_TRUSTED_ORIGINS. Host alone is not enough: a
page on another port of the same machine is another site. Clients without an
Origin (load generators, native apps) are not browsers and still need a
valid token in their hello.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": "80", "https": "443"}
HTTP_SCHEME = {"ws": "http", "wss": "https", "http": "http", "https": "https"}


def _normal(scheme: str, netloc: str) -> tuple[str, str, str] | None:
    """(scheme, host, port) with the scheme's default port made explicit."""
    host, port = split_domain_port(netloc.lower())
    if not host:
        return None
    return scheme, host, port or DEFAULT_PORTS.get(scheme, "")


def origin_allowed(origin: str | None, scheme: str = "ws", host_header: str | None = None) -> bool:
    if origin is None:
        return True
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.path or parts.query or parts.username or parts.password:
        return False  # a browser's Origin is scheme://host[:port], nothing more
    theirs = _normal(parts.scheme.lower(), parts.netloc)
    ours = _normal(HTTP_SCHEME.get(scheme, ""), host_header or "")
    if theirs is None or theirs != ours:
        return False
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return validate_host(theirs[1], allowed)


class OriginValidator:
    """ASGI middleware: refuse the handshake (HTTP 403) for a foreign Origin."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> Any:
        origin = host = None
        for name, value in scope.get("headers", []):
            if name == b"origin":
                origin = value.decode("latin1")
            elif name == b"host":
                host = value.decode("latin1")
        if origin_allowed(origin, scope.get("scheme", "ws"), host):
            return await self.app(scope, receive, send)
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 4403})
