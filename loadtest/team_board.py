"""The load test's team check (``--teams N``): the final team board, three ways.

After the game the runner fetches the results JSON (``GET
/api/games/<pin>/results`` as the host) and checks, from outside:

- ``teams`` holds every team once, named ``Team 1``..``Team N`` by index,
  in rank order, ``teams_podium`` its first three;
- each team's ``members`` is the count of its not-kicked players in the
  ranking, its ``score`` the rule applied to their scores' sum (``sum``:
  the sum; ``average``: floor(sum / members), 0 without members), ranks
  1..N by score descending, ties to the lower index;
- the players' own view (the Locust counters ``team<i>_joined``, and
  ``team<i>_points``: the sum of the ``score`` of each member's
  ``game_over`` frame) gives the same members and scores;
- the host's last ``game_over`` frame's ``teams`` equals the results';
- ``verify_game`` says it checked N teams (its OK is judged elsewhere).

:func:`check` returns the summary lines and the problems (any one fails
the run).
"""

from __future__ import annotations

from typing import Any

FIELDS = ("team", "name", "score", "members", "rank")


def names(n: int) -> list[str]:
    return [f"Team {i + 1}" for i in range(n)]


def setting(n: int, *, mode: str, score: str) -> dict[str, Any] | None:
    """The ``teams`` field of ``POST /api/games`` (None: teams off)."""
    return {"mode": mode, "score": score, "names": names(n)} if n else None


def team_score(total: int, members: int, rule: str) -> int:
    if rule == "average":
        return total // members if members else 0
    return total


def board(n: int, rule: str, totals: list[int], members: list[int]) -> list[dict[str, Any]]:
    """The expected board from per-team totals and member counts."""
    rows = sorted(
        ((team_score(totals[i], members[i], rule), i) for i in range(n)),
        key=lambda r: (-r[0], r[1]),
    )
    return [
        {"team": i, "name": names(n)[i], "score": s, "members": members[i], "rank": rank}
        for rank, (s, i) in enumerate(rows, 1)
    ]


def _diff(what: str, want: list[dict[str, Any]], got: Any, out: list[str]) -> None:
    if not isinstance(got, list):
        out.append(f"{what}: {got!r}, expected a list of {len(want)} teams")
        return
    if got == want:
        return
    shown = 0
    for w, g in zip(want, got, strict=False):
        if g != w and shown < 5:
            out.append(f"{what}: rank {w['rank']} should be {_entry(w)}, is {_entry(g)}")
            shown += 1
    if len(got) != len(want):
        out.append(f"{what}: {len(got)} teams, {len(want)} expected")
    elif not shown:  # same entries, other keys
        out.append(f"{what}: entries differ in shape: {got[:1]}")


def _entry(e: Any) -> str:
    if not isinstance(e, dict):
        return repr(e)
    return "/".join(f"{k}={e.get(k)}" for k in FIELDS)


def check(
    *,
    n: int,
    rule: str,
    results: dict[str, Any] | None,
    over_teams: Any,
    counters: dict[str, int],
    verify_text: str,
) -> tuple[list[str], list[str]]:
    """(summary lines, problems) for a game played with ``n`` teams."""
    diffs: list[str] = []
    if results is None:
        return [f"teams: {n}, board NOT verified: no results JSON"], ["no results JSON"]
    got = results.get("teams")
    # from the results' own ranking rows (PostgreSQL's Score rows)
    totals, members = [0] * n, [0] * n
    bad_rows = 0
    for row in results.get("ranking", []):
        t = row.get("team")
        if not isinstance(t, int) or not 0 <= t < n:
            bad_rows += 1
            continue
        if not row.get("kicked"):
            totals[t] += int(row["score"])
            members[t] += 1
    if bad_rows:
        diffs.append(f"{bad_rows} players in the results without a valid team")
    want = board(n, rule, totals, members)
    _diff("results teams vs its players", want, got, diffs)
    if results.get("teams_podium") != (got[:3] if isinstance(got, list) else None):
        diffs.append(f"teams_podium {results.get('teams_podium')!r} is not the top 3 of teams")
    # from the players' own counters (each member's join and game_over score)
    seen = [counters.get(f"team{i}_joined", 0) for i in range(n)]
    points = [counters.get(f"team{i}_points", 0) for i in range(n)]
    if sum(seen) != counters.get("joined", 0):
        diffs.append(f"players' team joins {sum(seen)} != joined {counters.get('joined', 0)}")
    if counters.get("game_over", 0) == counters.get("joined", 0):
        _diff("results teams vs the players' own scores", board(n, rule, points, seen), got, diffs)
    else:
        diffs.append("not every player saw game_over: their scores cannot be summed")
    if counters.get("team_mismatch"):
        diffs.append(f"team_mismatch: {counters['team_mismatch']} (see locust failures)")
    # the host's game_over frame
    _diff(
        "host's game_over teams vs results", got if isinstance(got, list) else [], over_teams, diffs
    )
    if f"; {n} teams checked" not in verify_text:
        diffs.append(f"verify_game did not check {n} teams")
    head = f"teams: {n}, board verified OK" if not diffs else f"teams: {n}, board DIFFERS"
    lines = [head]
    if isinstance(got, list) and got:
        sizes = [e.get("members", 0) for e in got if isinstance(e, dict)]
        lines.append(
            f"  {rule} scores; first {got[0].get('name')} {got[0].get('score'):,}, last "
            f"{got[-1].get('name')} {got[-1].get('score'):,}; members "
            f"{min(sizes)}-{max(sizes)}; results = its players = the players' game_over "
            f"scores = the host's game_over board"
            if not diffs
            else f"  {len(diffs)} differences"
        )
    lines += [f"  DIFF {d}" for d in diffs[:10]]
    return lines, [f"team board: {d}" for d in diffs]
