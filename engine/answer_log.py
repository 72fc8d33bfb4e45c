"""The answer log ``g:{id}:log`` as the flusher reads it.
submit_answer.lua writes the entries (:class:`LogEntry`).

The flusher reads by position (:func:`read_after`: XRANGE after the id of
the last entry PostgreSQL holds, which it keeps in the same transaction as
the answers: exactly once, docs/persistence.md) and trims what PostgreSQL
holds (:func:`trim_through`) only after its transaction committed, so a trim
never drops an entry not in PostgreSQL.

The consumer group (:func:`group_ensure`, :func:`read`, :func:`ack`,
:func:`position`) is the earlier way of reading it; restore_game still
creates the group, and these operations stay for tools and tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import keys
from .calls import Op, cmd, script
from .calls import text as _s
from .flush import Runner, chunks
from .layout import LogEntry, LogRow

GROUP = "flusher"
# One logical consumer: every flusher of a game holds the game's advisory
# lock in PostgreSQL, so they take turns, and whoever comes next sees the
# entries a killed flusher left pending under this same name.
CONSUMER = "flusher"


def _id_key(eid: str) -> tuple[int, int]:
    ms, seq = eid.split("-")
    return int(ms), int(seq)


def group_ensure(game: str) -> Op[bool]:
    """The consumer group from the log's start; True when it was created."""
    return Op([script("flush_group", [keys.log(game)], [GROUP])], lambda r: bool(int(r[0][1])))


def deliver(game: str, after: str, count: int) -> Op[list[tuple[str, LogEntry | None]]]:
    """Up to ``count`` entries for the flusher: its pending ones after id
    ``after`` (``"0"``: from the first), or new ones (``">"``). An entry
    deleted while pending comes as (id, None)."""

    def dec(r: list[Any]) -> list[tuple[str, LogEntry | None]]:
        reply = r[0]  # [[stream, [(id, fields), ...]]] or empty
        got = reply[0][1] if reply else []
        return [(_s(eid), LogEntry.unpack(_s(eid), f)) for eid, f in got]

    log = keys.log(game)
    return Op(
        [cmd("XREADGROUP", "GROUP", GROUP, CONSUMER, "COUNT", count, "STREAMS", log, after)], dec
    )


def newest(game: str) -> Op[str | None]:
    return Op(
        [cmd("XREVRANGE", keys.log(game), "+", "-", "COUNT", 1)],
        lambda r: _s(r[0][0][0]) if r[0] else None,
    )


def read(eng: Runner, game: str, *, batch: int) -> tuple[list[LogEntry], list[str]]:
    """Answers to copy: first this consumer's pending entries (read before,
    not acknowledged: a flush died, or left them for later), then new ones
    up to the log's end as of now. Returns the entries and the ids of empty
    pending entries (acknowledge them, there is nothing to copy)."""
    entries: list[LogEntry] = []
    empty: list[str] = []
    last = "0"
    while True:
        got = eng.run(deliver(game, last, batch))
        if not got:
            break
        for eid, e in got:
            if e is None:
                empty.append(eid)
            else:
                entries.append(e)
        last = got[-1][0]
    top = eng.run(newest(game))
    if top is None:
        return entries, empty
    end = _id_key(top)
    while True:
        got = eng.run(deliver(game, ">", batch))
        entries += [e for _, e in got if e is not None]
        if not got or _id_key(got[-1][0]) >= end:
            return entries, empty


def ack(game: str, ids: Sequence[str], *, batch: int) -> Op[int]:
    log = keys.log(game)
    calls = [cmd("XACK", log, GROUP, *part) for part in chunks(ids, batch)]
    return Op(calls, lambda r: sum(int(x) for x in r))


@dataclass(frozen=True, slots=True)
class Position:
    """Where the flusher's group stands ("" where there is nothing)."""

    newest: str
    pending: int
    oldest_pending: str
    delivered: str

    @property
    def settled(self) -> bool:
        """Every entry delivered to the flusher and acknowledged."""
        if not self.newest:
            return True
        if self.pending or not self.delivered:
            return False
        return _id_key(self.delivered) >= _id_key(self.newest)

    @property
    def trim_before(self) -> str:
        """The first id to keep: the oldest pending entry or, with none
        pending, the one after the last delivered ("": keep everything)."""
        if self.pending:
            return self.oldest_pending
        if not self.delivered:
            return ""
        ms, seq = _id_key(self.delivered)
        return f"{ms}-{seq + 1}"


def position(game: str) -> Op[Position]:
    def dec(r: list[Any]) -> Position:
        top, pending, oldest, delivered = r[0]
        return Position(_s(top), int(pending), _s(oldest), _s(delivered))

    return Op([script("flush_log", [keys.log(game)], [GROUP])], dec)


def trim_before(game: str, minid: str) -> Op[int]:
    return Op([cmd("XTRIM", keys.log(game), "MINID", minid)], lambda r: int(r[0]))


def trim(eng: Runner, game: str) -> int:
    """Drop the entries that are in PostgreSQL: everything before the oldest
    pending entry or, with none pending, up to the last one delivered."""
    minid = eng.run(position(game)).trim_before
    return eng.run(trim_before(game, minid)) if minid else 0


def length(game: str) -> Op[int]:
    return Op([cmd("XLEN", keys.log(game))], lambda r: int(r[0]))


# --- reading by position (the append-only flusher) ---------------------------


def id_after(eid: str) -> str:
    """The smallest stream id after ``eid``."""
    ms, seq = _id_key(eid)
    return f"{ms}-{seq + 1}"


def id_newer(a: str, b: str) -> bool:
    """``a`` is a later log id than ``b`` ("" is before every id)."""
    if not a:
        return False
    return not b or _id_key(a) > _id_key(b)


def entries_after(game: str, after: str, end: str, count: int) -> Op[list[LogRow]]:
    """Up to ``count`` entries after id ``after`` ("": from the first) up
    to ``end`` included."""

    def dec(r: list[Any]) -> list[LogRow]:
        out = []
        for eid, f in r[0]:
            e = LogRow.unpack(_s(eid), f)
            if e is not None:
                out.append(e)
        return out

    start = f"({after}" if after else "-"
    return Op([cmd("XRANGE", keys.log(game), start, end, "COUNT", count)], dec)


def read_after(eng: Runner, game: str, *, after: str, end: str, batch: int) -> list[LogRow]:
    """Every entry after id ``after`` up to ``end`` included, in log order,
    read in steps of ``batch``."""
    out: list[LogRow] = []
    if not end or not id_newer(end, after):
        return out
    while True:
        got = eng.run(entries_after(game, after, end, batch))
        out += got
        if len(got) < batch:
            return out
        after = got[-1].id


def trim_through(game: str, pos: str) -> Op[int]:
    """Drop the entries up to ``pos`` included (those PostgreSQL holds)."""
    return Op([cmd("XTRIM", keys.log(game), "MINID", id_after(pos))], lambda r: int(r[0]))


def count_after(game: str, pos: str, *, limit: int = 100_000) -> Op[int]:
    """How many entries the log holds after ``pos`` (not yet in
    PostgreSQL), counted up to ``limit``."""
    start = f"({pos}" if pos else "-"
    return Op([cmd("XRANGE", keys.log(game), start, "+", "COUNT", limit)], lambda r: len(r[0]))
