"""The write-behind's side of Redis: what a flush reads (changed players,
their stats with the answer log's newest id, new players' identities, the
game's snapshot, the final board) and how it lets go of the dirty marks.
The answer log is :mod:`engine.answer_log`; docs/persistence.md tells why
the order of the steps loses and doubles nothing.

Nothing here writes game state: the only write is the dirty marks'
removal, by the version the caller read: in :func:`stats_read` for players
whose answers alone explain their stats (the log names them until
PostgreSQL holds those answers), in :func:`dirty_clean` for the others,
which the caller runs only after its PostgreSQL transaction committed.
Reads are chunked (SSCAN, HSCAN, ranges, scripts over a bounded batch), so
no single call blocks Redis for long while the game is played.

Single round trips are operations (:class:`engine.calls.Op`); the reads
that walk a cursor are functions over a blocking :class:`Runner` (a
:class:`engine.SyncEngine`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from . import keys, ops
from .calls import Call, Op, cmd, script
from .calls import text as _s
from .layout import QUESTION_PROGRESS, RecordedAnswer, Snapshot, Stats, StatsHead

T = TypeVar("T")
CLEAN_CHUNK = 1000  # players per flush_clean call: a bounded script


class Runner(Protocol):
    def run(self, op: Op[T]) -> T: ...


def chunks(seq: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


@dataclass(frozen=True, slots=True)
class PlayerRow:
    """A changed player as read: stats and rank (0: off the board)."""

    number: int
    stats: Stats
    rank: int


# --- changed players ---------------------------------------------------------


def dirty_scan(game: str, cursor: int, count: int) -> Op[tuple[int, list[int]]]:
    def dec(r: list[Any]) -> tuple[int, list[int]]:
        nxt, members = r[0]
        return int(nxt), [int(m) for m in members]

    return Op([cmd("SSCAN", keys.dirty(game), cursor, "COUNT", count)], dec)


def dirty_members(eng: Runner, game: str, *, batch: int) -> list[int]:
    """Every player marked dirty (SSCAN: a member present for the whole scan
    is returned; one marked during it may be missed and waits for the next
    flush, since its mark stays)."""
    found: set[int] = set()
    cursor = 0
    while True:
        cursor, got = eng.run(dirty_scan(game, cursor, batch))
        found.update(got)
        if cursor == 0:
            return sorted(found)


def dirty_count(game: str) -> Op[int]:
    return Op([cmd("SCARD", keys.dirty(game))], lambda r: int(r[0]))


def players_read(game: str, numbers: Sequence[int]) -> Op[list[PlayerRow]]:
    """Stats and rank of ``numbers`` (a batch) in one script call: a reply
    per player instead of two commands each, which is what makes 100,000
    players cheap to read. A mark without stats has nothing to write."""

    def dec(r: list[Any]) -> list[PlayerRow]:
        out = r[0]
        rows = []
        for i, n in enumerate(numbers):
            st = Stats.unpack(out[2 * i] or None)
            if st is not None:
                rows.append(PlayerRow(n, st, int(out[2 * i + 1]) + 1))
        return rows

    ks = [keys.stats(game), keys.board(game)]
    return Op([script("flush_read", ks, list(numbers))], dec)


def stats_read(
    game: str, numbers: Sequence[int], last: Mapping[int, int] | None = None
) -> Op[tuple[str, dict[int, StatsHead]]]:
    """The stats of ``numbers`` (a batch) and the answer log's newest id,
    read in one instant (flush_stats.lua): players without stats are left
    out. ``last``: player -> version of its last answer the caller read in
    the log; a player whose stats still carry it loses its dirty mark in
    the same instant (its answers explain it, and the log names it until
    PostgreSQL holds them)."""

    def dec(r: list[Any]) -> tuple[str, dict[int, StatsHead]]:
        out = r[0]
        raws, versions, reached = out[1::3], out[2::3], out[3::3]
        got = {
            n: StatsHead(v, t, raw)
            for n, raw, v, t in zip(numbers, raws, versions, reached, strict=True)
            if raw
        }
        return _s(out[0]), got

    last = last or {}
    ks = [keys.stats(game), keys.log(game), keys.dirty(game)]
    args = [x for n in numbers for x in (n, last.get(n, 0))]
    return Op([script("flush_stats", ks, args)], dec)


def tokens_scan(game: str, cursor: int, count: int) -> Op[tuple[int, dict[int, str]]]:
    """A step of the tokens hash, as player -> token hash."""

    def dec(r: list[Any]) -> tuple[int, dict[int, str]]:
        nxt, pairs = r[0]
        return int(nxt), {int(p): _s(h) for h, p in pairs.items()}

    return Op([cmd("HSCAN", keys.tokens(game), cursor, "COUNT", count)], dec)


def identities(eng: Runner, game: str, numbers: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Nickname and token hash of new players. The tokens hash maps
    sha256 -> player, so finding a player's hash means scanning it; only
    flushes that see new players pay for that (HSCAN, in steps)."""
    names = eng.run(ops.nicknames(game, numbers))
    want = set(numbers)
    hashes: dict[int, str] = {}
    cursor = 0
    while True:
        cursor, got = eng.run(tokens_scan(game, cursor, 5000))
        hashes.update((p, h) for p, h in got.items() if p in want)
        if cursor == 0:
            break
    return {
        n: (name if name is not None else f"player {n}", hashes.get(n, ""))
        for n, name in zip(numbers, names, strict=True)
    }


def dirty_clean(game: str, written: Iterable[tuple[int, int]]) -> Op[int]:
    """Remove the dirty marks of players whose written version is current
    (one bounded script call per CLEAN_CHUNK players)."""
    ks = [keys.dirty(game), keys.stats(game)]
    calls: list[Call] = [
        script("flush_clean", ks, [x for pv in part for x in pv])
        for part in chunks(list(written), CLEAN_CHUNK)
    ]
    return Op(calls, lambda r: sum(int(x) for x in r))


# --- the game ----------------------------------------------------------------


def meta_all(game: str) -> Op[dict[str, str]]:
    return Op([cmd("HGETALL", keys.meta(game))], lambda r: {_s(k): _s(v) for k, v in r[0].items()})


def questions_progress(game: str, n_questions: int) -> Op[dict[int, dict[str, str]]]:
    """Each question's QUESTION_PROGRESS fields that are set."""
    calls = [
        cmd("HMGET", keys.question(game, n), *QUESTION_PROGRESS) for n in range(1, n_questions + 1)
    ]

    def dec(r: list[Any]) -> dict[int, dict[str, str]]:
        out = {}
        for n, vals in enumerate(r, 1):
            if vals[0] is not None:
                out[n] = {f: _s(v) for f, v in zip(QUESTION_PROGRESS, vals, strict=True) if v}
        return out

    return Op(calls, dec)


def snapshot(eng: Runner, game: str) -> Snapshot | None:
    """The meta hash and each question's progress (None: no such game)."""
    meta = eng.run(meta_all(game))
    if not meta:
        return None
    return Snapshot(meta, eng.run(questions_progress(game, int(meta.get("nq", 0)))))


def board_page(game: str, start: int, count: int) -> Op[list[int]]:
    return Op(
        [cmd("ZREVRANGE", keys.board(game), start, start + count - 1)],
        lambda r: [int(p) for p in r[0]],
    )


def board_ranks(eng: Runner, game: str, *, batch: int) -> list[tuple[int, int]]:
    """(player, rank) of the whole board, read in steps of ``batch``."""
    out: list[tuple[int, int]] = []
    start = 0
    while True:
        got = eng.run(board_page(game, start, batch))
        out += [(p, start + i + 1) for i, p in enumerate(got)]
        if len(got) < batch:
            return out
        start += batch


# --- whole-game reads, for the invariant checker -------------------------------


def stats_all(game: str) -> Op[dict[int, Stats]]:
    def dec(r: list[Any]) -> dict[int, Stats]:
        out = {}
        for k, v in r[0].items():
            st = Stats.unpack(v)
            if st is not None:
                out[int(k)] = st
        return out

    return Op([cmd("HGETALL", keys.stats(game))], dec)


def answers_all(game: str, n_questions: int) -> Op[dict[int, dict[int, RecordedAnswer]]]:
    """question -> player -> recorded answer, for questions 1..n."""
    calls = [cmd("HGETALL", keys.answers(game, n)) for n in range(1, n_questions + 1)]

    def dec(r: list[Any]) -> dict[int, dict[int, RecordedAnswer]]:
        out: dict[int, dict[int, RecordedAnswer]] = {}
        for n, got in enumerate(r, 1):
            per = out.setdefault(n, {})
            for p, raw in got.items():
                ra = RecordedAnswer.unpack(raw)
                if ra is not None:
                    per[int(p)] = ra
        return out

    return Op(calls, dec)
