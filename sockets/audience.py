"""The audience of one game in one process: its connections and seq chains.

Contract:

- Connections register by role (``player``, ``host``, ``screen``); players
  are also found by player id (personal frames, kicks).
- Every broadcast frame to a role carries ``seq`` (the stream id it
  reflects) and ``prev`` (the seq of the role's previous broadcast), so a
  client that misses one sees the gap and resyncs (docs/protocol.md). The
  chain of a role advances even when the role has no connection here, so
  a socket joining later starts from the chain's current seq.
- :meth:`Audience.broadcast` serializes and frames (sockets.wire) once per
  role and pushes the same text and bytes to every connection of it; it
  never changes the frame it is given (seq and prev go on a copy), so a
  caller may send one frame to several roles or keep it.
- No I/O and no Redis: pushing is :meth:`Conn.push`, which never blocks
  (sockets.outbox).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from .messages import dumps
from .wire import framed

ROLES = ("player", "host", "screen")


class Conn(Protocol):
    role: str
    player: int | None

    def push(self, frame: str, wire: bytes | None = None) -> None: ...

    def close_soon(self, code: int) -> None: ...


def seq_after(prev: str, at: str) -> str:
    """The seq of the next frame of a chain whose last frame was ``prev``,
    when the newest stream event handled is ``at``. Several frames can
    reflect the same event (a question and the tick after it): those get a
    ``.k`` suffix, so every frame of a chain is distinct and a lost one is
    always seen."""
    base, dot, k = prev.partition(".")
    if base != at:
        return at
    return f"{at}.{int(k) + 1 if dot else 1}"


class Audience:
    def __init__(self, start: str = "0-0") -> None:
        self.conns: dict[str, set[Conn]] = {r: set() for r in ROLES}
        self.by_player: dict[int, set[Conn]] = {}
        self.seq: dict[str, str] = dict.fromkeys(ROLES, start)
        self.idle_since: float | None = None  # monotonic time the last one left

    # --- registry -----------------------------------------------------------

    def add(self, conn: Conn) -> None:
        self.conns[conn.role].add(conn)
        if conn.player is not None:
            self.by_player.setdefault(conn.player, set()).add(conn)
        self.idle_since = None

    def remove(self, conn: Conn) -> None:
        self.conns[conn.role].discard(conn)
        if conn.player is not None:
            group = self.by_player.get(conn.player)
            if group is not None:
                group.discard(conn)
                if not group:
                    del self.by_player[conn.player]
        if not any(self.conns.values()):
            self.idle_since = time.monotonic()

    def players(self) -> list[int]:
        """Ids of the players with a connection here."""
        return list(self.by_player)

    def of_player(self, pid: int) -> set[Conn]:
        return self.by_player.get(pid, set())

    # --- the seq chains -----------------------------------------------------

    def restart(self, at: str) -> None:
        """Every chain starts at stream id ``at`` (the relay starting up)."""
        for r in ROLES:
            self.seq[r] = at

    def next_seq(self, role: str, at: str) -> tuple[str, str]:
        """(seq, prev) of the next broadcast frame to ``role``; ``at`` is
        the newest stream event handled."""
        prev = self.seq[role]
        seq = self.seq[role] = seq_after(prev, at)
        return seq, prev

    # --- sending ------------------------------------------------------------

    def broadcast(self, roles: Iterable[str], frame: Mapping[str, Any], at: str) -> None:
        """Serialize once per role and push to every connection of it."""
        for role in roles:
            seq, prev = self.next_seq(role, at)
            conns = self.conns[role]
            if not conns:
                continue
            text = dumps({**frame, "seq": seq, "prev": prev})
            wire = framed(text)
            for c in conns:
                c.push(text, wire)

    def send_loose(self, role: str, frame: Mapping[str, Any]) -> None:
        """A frame outside the seq chain, to every connection of ``role``:
        for what may be missed without a resync (reactions)."""
        conns = self.conns[role]
        if conns:
            text = dumps(frame)
            wire = framed(text)
            for c in conns:
                c.push(text, wire)

    def send_each(self, role: str, frames: Mapping[Conn, Mapping[str, Any]], at: str) -> None:
        """Personal frames (one per connection) that still chain by seq."""
        seq, prev = self.next_seq(role, at)
        for c, f in frames.items():
            c.push(dumps({**f, "seq": seq, "prev": prev}))
