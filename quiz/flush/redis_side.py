"""What a flush reads from Redis, and how it lets go of what PostgreSQL holds.

Nothing here writes game state: the only writes are the consumer group's
bookkeeping (XACK), the dirty marks' removal and the log's trimming, and
each happens only after the PostgreSQL transaction that holds the data
committed. Reads are chunked (SSCAN, HMGET and pipelines of ``batch``), so
no single call blocks Redis for long while a game is being played.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from redis.exceptions import ResponseError

from engine import keys
from engine.types import Stats

GROUP = "flusher"
# One logical consumer: every flusher of a game holds the game's advisory
# lock in PostgreSQL, so they take turns, and whoever comes next sees the
# entries a killed flusher left pending under this same name.
CONSUMER = "flusher"

# Remove a dirty mark only if the player's stats still carry the version the
# flush wrote: a change after the read (answer, kick) bumped the version and
# keeps the mark. Atomic per player, so a mark set in between is never lost.
# KEYS[1] g:{id}:dirty  KEYS[2] g:{id}:stats  ARGV: player, version, ...
_CLEAN = """
local n = 0
for i = 1, #ARGV, 2 do
  local st = redis.call('HGET', KEYS[2], ARGV[i])
  local v = st and string.match(st, '^[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,(%d+)')
  if not st or v == ARGV[i + 1] then
    n = n + redis.call('SREM', KEYS[1], ARGV[i])
  end
end
return n
"""
CLEAN_CHUNK = 1000

# Stats and rank of a batch of players, read-only. O(batch * log players):
# the caller bounds the batch (FLUSH_BATCH), so it runs for milliseconds.
# KEYS[1] g:{id}:stats  KEYS[2] g:{id}:board  ARGV: players
# Reply: {stats or "", rank (0-based) or -1, ...}
_READ = """
local out = {}
for i = 1, #ARGV do
  out[2 * i - 1] = redis.call('HGET', KEYS[1], ARGV[i]) or ''
  out[2 * i] = redis.call('ZREVRANK', KEYS[2], ARGV[i]) or -1
end
return out
"""  # players per script call: a few milliseconds of Redis


def text(v: Any) -> str:
    """A reply value as str (the client returns bytes)."""
    return v.decode() if isinstance(v, bytes) else str(v)


def chunks(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


@dataclass(frozen=True, slots=True)
class PlayerRow:
    """A changed player as read: stats and rank (0: off the board)."""

    number: int
    stats: Stats
    rank: int


@dataclass(frozen=True, slots=True)
class LogEntry:
    id: str
    player: int
    question: int
    choices: str  # "0,2"
    elapsed_ms: int
    points: int
    bonus: int
    correct: bool
    total: int
    streak: int
    version: int

    @property
    def ms(self) -> int:
        return int(self.id.split("-")[0])

    def choices_json(self) -> str:
        return json.dumps([int(c) for c in self.choices.split(",") if c])


def redis_ms(r: Any) -> int:
    sec, usec = r.time()
    return int(sec) * 1000 + int(usec) // 1000


def dirty_members(r: Any, game: str, *, batch: int) -> list[int]:
    """Every player marked dirty (SSCAN: a member present for the whole scan
    is returned; one marked during it may be missed and waits for the next
    flush, since its mark stays)."""
    return sorted({int(m) for m in r.sscan_iter(keys.dirty(game), count=batch)})


def players_read(r: Any, game: str, numbers: Sequence[int]) -> list[PlayerRow]:
    """Stats and rank of ``numbers`` (a batch) in one script call: a reply
    per player instead of two commands each, which is what makes 100,000
    players cheap to read."""
    script = r.register_script(_READ)
    out = script(keys=[keys.stats(game), keys.board(game)], args=list(numbers))
    rows = []
    for i, n in enumerate(numbers):
        raw, rank = out[2 * i], int(out[2 * i + 1])
        if raw:  # a mark without stats has nothing to write
            rows.append(PlayerRow(n, Stats.unpack(raw), rank + 1))  # type: ignore[arg-type]
    return rows


def identities(r: Any, game: str, numbers: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Nickname and token hash of new players. The tokens hash maps
    sha256 -> player, so finding a player's hash means scanning it; only
    flushes that see new players pay for that (HSCAN, in steps)."""
    names = r.hmget(keys.players(game), numbers)
    want = set(numbers)
    hashes: dict[int, str] = {}
    for h, p in r.hscan_iter(keys.tokens(game), count=5000):
        pid = int(p)
        if pid in want:
            hashes[pid] = text(h)
    return {
        n: (text(name) if name is not None else f"player {n}", hashes.get(n, ""))
        for n, name in zip(numbers, names, strict=True)
    }


def group_ensure(r: Any, game: str) -> None:
    """The consumer group, from the start of the log (MKSTREAM: a game with
    no answer yet has no log). Again after a Redis restart lost it."""
    try:
        r.xgroup_create(keys.log(game), GROUP, id="0", mkstream=True)
    except ResponseError as e:
        if "BUSYGROUP" not in str(e):
            raise


def _entry(eid: Any, f: dict[Any, Any] | None) -> LogEntry | None:
    if not f:  # deleted from the stream while pending: nothing left to copy
        return None
    g = {text(k): text(v) for k, v in f.items()}
    return LogEntry(
        id=text(eid),
        player=int(g["p"]),
        question=int(g["q"]),
        choices=g["c"],
        elapsed_ms=int(g["t"]),
        points=int(g["pts"]),
        bonus=int(g["b"]),
        correct=g["ok"] == "1",
        total=int(g["tot"]),
        streak=int(g["str"]),
        version=int(g["v"]),
    )


def _id_key(eid: str) -> tuple[int, int]:
    ms, seq = eid.split("-")
    return int(ms), int(seq)


def log_read(r: Any, game: str, *, batch: int) -> tuple[list[LogEntry], list[str]]:
    """Answers to copy: first this consumer's pending entries (read before,
    not acknowledged: a flush died, or left them for later), then new ones
    up to the log's end as of now. Returns the entries and the ids of empty
    pending entries (acknowledge them, there is nothing to copy)."""
    log = keys.log(game)
    entries: list[LogEntry] = []
    empty: list[str] = []
    last = "0"
    while True:
        reply = r.xreadgroup(GROUP, CONSUMER, {log: last}, count=batch)
        got = reply[0][1] if reply else []
        if not got:
            break
        for eid, f in got:
            e = _entry(eid, f)
            if e is None:
                empty.append(text(eid))
            else:
                entries.append(e)
        last = text(got[-1][0])
    newest = r.xrevrange(log, count=1)
    if not newest:
        return entries, empty
    end = _id_key(text(newest[0][0]))
    while True:
        reply = r.xreadgroup(GROUP, CONSUMER, {log: ">"}, count=batch)
        got = reply[0][1] if reply else []
        for eid, f in got:
            e = _entry(eid, f)
            if e is not None:
                entries.append(e)
        if not got or _id_key(text(got[-1][0])) >= end:
            break
    return entries, empty


def log_ack(r: Any, game: str, ids: Sequence[str], *, batch: int) -> int:
    n = 0
    for part in chunks(ids, batch):
        n += int(r.xack(keys.log(game), GROUP, *part))
    return n


def log_trim(r: Any, game: str) -> int:
    """Drop log entries that are in PostgreSQL: everything before the oldest
    pending entry or, with none pending, up to the last one delivered. Never
    touches an entry not yet delivered to the flusher."""
    log = keys.log(game)
    pending = r.xpending(log, GROUP)
    if pending["pending"]:
        minid = text(pending["min"])
    else:
        groups = [g for g in r.xinfo_groups(log) if text(g["name"]) == GROUP]
        if not groups:
            return 0
        ms, seq = _id_key(text(groups[0]["last-delivered-id"]))
        minid = f"{ms}-{seq + 1}"
    return int(r.xtrim(log, minid=minid, approximate=False))


def log_settled(r: Any, game: str) -> bool:
    """Every log entry delivered to the flusher and acknowledged."""
    log = keys.log(game)
    newest = r.xrevrange(log, count=1)
    if not newest:
        return True
    if r.xpending(log, GROUP)["pending"]:
        return False
    groups = [g for g in r.xinfo_groups(log) if text(g["name"]) == GROUP]
    if not groups:
        return False
    return _id_key(text(groups[0]["last-delivered-id"])) >= _id_key(text(newest[0][0]))


def dirty_clean(r: Any, game: str, written: Iterable[tuple[int, int]]) -> int:
    """Remove the dirty marks of players whose written version is current."""
    script = r.register_script(_CLEAN)
    pairs = list(written)
    removed = 0
    for part in chunks(pairs, CLEAN_CHUNK):
        args = [x for pv in part for x in pv]
        removed += int(script(keys=[keys.dirty(game), keys.stats(game)], args=args))
    return removed


def game_read(r: Any, game: str) -> dict[str, Any] | None:
    """The meta hash and each question's state, for Game.snapshot."""
    meta = {text(k): text(v) for k, v in r.hgetall(keys.meta(game)).items()}
    if not meta:
        return None
    nq = int(meta.get("nq", 0))
    fields = ("state", "round", "opened_ms", "deadline_ms", "closed_ms")
    pipe = r.pipeline(transaction=False)
    for n in range(1, nq + 1):
        pipe.hmget(keys.question(game, n), fields)
    questions = {}
    for n, vals in enumerate(pipe.execute(), 1):
        if vals[0] is not None:
            questions[str(n)] = {f: text(v) for f, v in zip(fields, vals, strict=True) if v}
    return {"meta": meta, "questions": questions}


def board_ranks(r: Any, game: str, *, batch: int) -> list[tuple[int, int]]:
    """(player, rank) of the whole board, read in steps of ``batch``."""
    out: list[tuple[int, int]] = []
    start = 0
    while True:
        got = r.zrevrange(keys.board(game), start, start + batch - 1)
        out += [(int(p), start + i + 1) for i, p in enumerate(got)]
        if len(got) < batch:
            return out
        start += batch
