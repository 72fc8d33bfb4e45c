"""Teams: the team board as plain values (docs/engine.md, "Teams").

Redis keeps, per team, its members' total and its member count in one hash
(``g:{id}:teams``: ``tot<i>``, ``mem<i>``, ``v<i>`` a version bumped by
every change), updated inside the join, answer and kick scripts: O(1) per
answer. The ranking is computed here from those counters, O(teams) (at
most 100), whenever a frame needs it: a team's score is its total
(``sum``) or ``floor(total / members)`` (``average``, 0 without members);
higher score first, ties to the lower index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_TEAMS = 100
MODES = ("choose", "auto")
SCORES = ("sum", "average")


@dataclass(frozen=True, slots=True)
class TeamStanding:
    team: int
    name: str
    total: int
    members: int
    score: int
    rank: int
    version: int = 0

    def entry(self) -> dict[str, Any]:
        """As frames and results show it."""
        return {
            "team": self.team,
            "name": self.name,
            "score": self.score,
            "members": self.members,
            "rank": self.rank,
        }


def team_score(*, total: int, members: int, score: str) -> int:
    if score == "average":
        return total // members if members > 0 else 0
    return total


def standings(names: Sequence[str], score: str, counts: Mapping[str, int]) -> list[TeamStanding]:
    """Every team in rank order, from the hash's counters."""
    rows = []
    for i, name in enumerate(names):
        total, members = counts.get(f"tot{i}", 0), counts.get(f"mem{i}", 0)
        rows.append(
            (team_score(total=total, members=members, score=score), i, name, total, members)
        )
    rows.sort(key=lambda r: (-r[0], r[1]))
    return [
        TeamStanding(i, name, total, members, sc, rank, counts.get(f"v{i}", 0))
        for rank, (sc, i, name, total, members) in enumerate(rows, 1)
    ]


def counts_of(raw: Mapping[Any, Any]) -> dict[str, int]:
    """An HGETALL of the teams hash as str -> int."""
    out = {}
    for k, v in raw.items():
        key = k.decode() if isinstance(k, bytes) else str(k)
        out[key] = int(v)
    return out


def counts_from_players(n_teams: int, players: Sequence[tuple[int, int, bool]]) -> dict[str, int]:
    """The hash's counters from (team, total, kicked) per player: what the
    scripts would have left (restore_game lays them down again)."""
    out: dict[str, int] = {}
    for i in range(n_teams):
        out[f"tot{i}"] = 0
        out[f"mem{i}"] = 0
    for team, total, kicked in players:
        if 0 <= team < n_teams and not kicked:
            out[f"tot{team}"] += total
            out[f"mem{team}"] += 1
    return out
