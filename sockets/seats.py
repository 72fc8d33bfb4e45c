"""Sockets per token in this process, oldest first.

A phone that reconnects must always get in, even when its old socket is not
seen as gone yet, and one token must not hold thousands of sockets: past the
cap of its role the oldest socket of that token gives way (closed with 4409
by the caller). The count is per server process: with N workers one token
can hold up to N times the cap.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, TypeVar

C = TypeVar("C")

Key = tuple[Hashable, ...]


class Seats:
    def __init__(self) -> None:
        # dicts keep insertion order: the first key is the oldest socket
        self.groups: dict[Key, dict[Any, None]] = {}

    def take(self, key: Key, conn: C, cap: int) -> list[C]:
        """Seat ``conn``; return the sockets that must give way, oldest first."""
        group = self.groups.setdefault(key, {})
        group[conn] = None
        out: list[C] = []
        while len(group) > max(1, cap):
            oldest = next(iter(group))
            del group[oldest]
            out.append(oldest)
        return out

    def leave(self, key: Key, conn: object) -> None:
        group = self.groups.get(key)
        if group is None:
            return
        group.pop(conn, None)
        if not group:
            del self.groups[key]

    def count(self, key: Key) -> int:
        return len(self.groups.get(key, ()))


SEATS = Seats()
