"""The load test's team check on hand-made results (loadtest/team_board.py).

A results JSON of 7 players in 3 teams (one kicked) is checked as the
runner checks a real one; each kind of wrong board must be caught.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from loadtest import team_board

# (team, score, kicked): Team 1 has 300+100 (and a kicked 999), Team 2 has
# 250+150, Team 3 has 90+60+30.
PLAYERS = [(0, 300, False), (0, 100, False), (0, 999, True), (1, 250, False),
           (1, 150, False), (2, 90, False), (2, 60, False), (2, 30, False)]  # fmt: skip
VERIFY = "game 1: 8 players, 24 answers, 1979 points in PostgreSQL; ...; 3 teams checked\nOK"


def _entry(team: int, score: int, members: int, rank: int) -> dict[str, Any]:
    return {"team": team, "name": f"Team {team + 1}", "score": score, "members": members,
            "rank": rank}  # fmt: skip


def _case(rule: str) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, int]]:
    if rule == "sum":  # 400, 400 (tie: the lower index first), 180
        teams = [_entry(0, 400, 2, 1), _entry(1, 400, 2, 2), _entry(2, 180, 3, 3)]
    else:  # 200, 200, 60
        teams = [_entry(0, 200, 2, 1), _entry(1, 200, 2, 2), _entry(2, 60, 3, 3)]
    ranking = [{"player": i + 1, "team": t, "score": s, "kicked": k}
               for i, (t, s, k) in enumerate(PLAYERS)]  # fmt: skip
    results = {"ranking": ranking, "teams": teams, "teams_podium": teams[:3]}
    # the players' counters: the kicked one left the team, so it is not counted
    counters = {"joined": 7, "game_over": 7, "team0_joined": 2, "team0_points": 400,
                "team1_joined": 2, "team1_points": 400, "team2_joined": 3, "team2_points": 180}  # fmt: skip
    return results, copy.deepcopy(teams), counters


@pytest.mark.parametrize("rule", ["sum", "average"])
def test_a_right_board_is_ok(rule: str) -> None:
    results, over, counters = _case(rule)
    lines, problems = team_board.check(
        n=3, rule=rule, results=results, over_teams=over, counters=counters, verify_text=VERIFY
    )
    assert problems == []
    assert lines[0] == "teams: 3, board verified OK"
    assert "first Team 1 " in lines[1]


def _problems(rule: str, change: Any) -> list[str]:
    results, over, counters = _case(rule)
    change(results, over, counters)
    lines, problems = team_board.check(
        n=3, rule=rule, results=results, over_teams=over, counters=counters, verify_text=VERIFY
    )
    assert lines[0] == "teams: 3, board DIFFERS"
    return problems


def test_a_wrong_total_is_caught() -> None:
    def change(r: dict[str, Any], o: Any, c: Any) -> None:
        r["teams"][2]["score"] = 181

    ps = _problems("sum", change)
    assert any("rank 3 should be team=2/name=Team 3/score=180" in p for p in ps)


def test_a_tie_ranked_to_the_higher_index_is_caught() -> None:
    def change(r: dict[str, Any], o: Any, c: Any) -> None:
        r["teams"][0], r["teams"][1] = r["teams"][1], r["teams"][0]
        r["teams"][0]["rank"], r["teams"][1]["rank"] = 1, 2

    assert _problems("average", change)


def test_the_kicked_players_points_counted_are_caught() -> None:
    def change(r: dict[str, Any], o: Any, c: Any) -> None:
        r["ranking"][2]["kicked"] = False  # now Team 1 should have 3 members

    ps = _problems("sum", change)
    assert any("results teams vs its players" in p for p in ps)


def test_the_players_own_scores_disagreeing_are_caught() -> None:
    def change(r: dict[str, Any], o: Any, c: dict[str, int]) -> None:
        c["team1_points"] -= 10  # an answer the board has and the player never saw

    ps = _problems("sum", change)
    assert any("players' own scores" in p for p in ps)


def test_the_host_frame_and_the_podium_and_verify_are_checked() -> None:
    def change(r: dict[str, Any], o: list[dict[str, Any]], c: Any) -> None:
        o[2]["members"] = 4
        r["teams_podium"] = r["teams"][:2]

    ps = _problems("sum", change)
    assert any("host's game_over" in p for p in ps)
    assert any("teams_podium" in p for p in ps)
    results, over, counters = _case("sum")
    _, ps = team_board.check(
        n=3, rule="sum", results=results, over_teams=over, counters=counters,
        verify_text="game 1: ... ranks checked\nOK",
    )  # fmt: skip
    assert ps == ["team board: verify_game did not check 3 teams"]
