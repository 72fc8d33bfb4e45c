"""Which webhook URLs a host may give: http(s) only, and (unless the
operator set STADIUM_WEBHOOKS_ALLOW_PRIVATE=1) only hosts that resolve to
public addresses, so that a host cannot make the server call loopback, the
operator's private network or a cloud metadata address. The worker checks
again before every POST (a name may resolve elsewhere later)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from quiz.services import ServiceError

MAX_URL = 500


def _refuse(message: str) -> ServiceError:
    return ServiceError("bad_webhook_url", message, status=400)


def address_refused(ip: str) -> bool:
    """An address a webhook may not reach: loopback, private, link-local,
    reserved, multicast, unspecified (an IPv4-mapped IPv6 address as its IPv4)."""
    a = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped is not None:
        a = a.ipv4_mapped
    return bool(
        a.is_loopback
        or a.is_private
        or a.is_link_local
        or a.is_reserved
        or a.is_multicast
        or a.is_unspecified
        or not a.is_global
    )


def url_check(url: str, *, resolve: bool = True) -> str:
    """The URL, or ServiceError ``bad_webhook_url`` (400)."""
    if len(url) > MAX_URL:
        raise _refuse(f"at most {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise _refuse(f"not a URL: {e}") from e
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _refuse("an http:// or https:// URL with a host name")
    if parts.username or parts.password:
        raise _refuse("no user or password in the URL (sign with the secret instead)")
    if settings.STADIUM["WEBHOOKS_ALLOW_PRIVATE"] or not resolve:
        return url
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as e:
        raise _refuse(f"{parts.hostname} does not resolve") from e
    for info in infos:
        ip = str(info[4][0])
        if address_refused(ip):
            raise _refuse(
                f"{parts.hostname} resolves to {ip}, a loopback, private or reserved "
                "address (the operator may allow them: STADIUM_WEBHOOKS_ALLOW_PRIVATE)"
            )
    return url
