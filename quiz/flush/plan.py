"""What one flush writes besides the answers, decided from the answers it
copies and the stats read after them (pure: no I/O, tested alone).

The flusher reads the log up to an id E, then the stats of the players it
names (and of the dirty ones) together with the log's newest id; it goes
on only when none of those players has an entry after E, so each stats
value read is explained by the record plus these answers
(docs/persistence.md). Then, per player:

- the reached_ms after its last scoring answer here is the stats' own (a
  later answer would have an entry after E; a kick does not move it), kept
  on that answer's row: what a stats derivation from the answers needs;
- a Score row is written now only when the stats moved by more than the
  answers (a join, a kick, a rebuild's new version); everything the answers
  explain waits for the materialization at the question's close;
- its dirty mark is redundant with the log when the answers explain its
  stats (the entries stay in the log after PostgreSQL's position until a
  commit moves it, and every flush reads every player they name), so it is
  released at once, in the same instant as the stats are read
  (engine/lua/flush_stats.lua); the mark of a player whose Score row this
  flush writes goes only once the commit is done, if its version is still
  the one read (:attr:`Plan.clean`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


class Entry(Protocol):
    """A log entry as the plan reads it (engine.layout.LogRow, LogEntry)."""

    @property
    def id(self) -> str: ...
    @property
    def player(self) -> int: ...
    @property
    def points(self) -> int: ...
    @property
    def version(self) -> int: ...


class Read(Protocol):
    """A player's stats as the plan reads them (engine.layout.StatsHead, Stats)."""

    @property
    def version(self) -> int: ...
    @property
    def reached_ms(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Plan:
    reached: dict[str, int]  # log id -> the player's reached_ms after that answer
    scores: list[int]  # players whose Score row is written in this flush
    clean: list[tuple[int, int]]  # (player, version read): marks to release after the commit


def reached_of(entries: Sequence[Entry], stats: Mapping[int, Read]) -> dict[str, int]:
    """Log id -> reached_ms, for each player's last scoring answer among
    ``entries``, from its stats read after them. A later batch of the same
    flush may hold a later scoring answer of the player: that one then has
    its own, and the derivation takes the latest (by version)."""
    scoring: dict[int, Entry] = {}
    for e in entries:
        if e.points > 0:
            scoring[e.player] = e
    return {e.id: stats[p].reached_ms for p, e in scoring.items() if p in stats}


def flush_plan(entries: Sequence[Entry], stats: Mapping[int, Read]) -> Plan:
    """``entries``: the answers copied, in log order; ``stats``: every
    player named there or marked dirty, read after them (explained)."""
    last: dict[int, Entry] = {e.player: e for e in entries}
    reached = reached_of(entries, stats)
    scores = [p for p, s in stats.items() if p not in last or last[p].version != s.version]
    clean = [(p, stats[p].version) for p in scores]
    return Plan(reached=reached, scores=sorted(scores), clean=sorted(clean))


def players_of(entries: Iterable[Entry]) -> set[int]:
    return {e.player for e in entries}
