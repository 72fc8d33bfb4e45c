"""``Authorization: <Scheme> <token>`` headers of the token-holding clients
that are not logged-in hosts (a big screen's live feed, a player asking for
its final place)."""

from __future__ import annotations


def token_of(header: str | None, scheme: str) -> str | None:
    """The token of ``<scheme> <token>`` (the scheme's case is free); None
    for no header, another scheme or an empty token."""
    if not header:
        return None
    given, _, token = header.strip().partition(" ")
    token = token.strip()
    if given.lower() != scheme or not token:
        return None
    return token
