"""Teams in the engine (docs/engine.md, "Teams"): the counters the join,
answer and kick scripts keep, and the board engine.teams ranks from them:
sum and average with uneven teams, joins and kicks during a question, ties
to the lower index, and 200 concurrent submitters across 10 teams whose
team board equals the sum of the accepted points per team."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from typing import Any

from engine import Engine, Settings, SyncEngine, ops, teams
from engine.auth import hash_token

from .util import new_game, open_q, q, submit_at

NAMES = ["Home", "Away", "Block F"]


def _settings(mode: str = "choose", score: str = "sum", names: list[str] = NAMES) -> Settings:
    return Settings(team_names=names, team_mode=mode, team_score=score)


def _join(eng: SyncEngine, game: str, nick: str, team: int | None = None) -> tuple[str, int, int]:
    r = eng.run(
        ops.join(game, nickname=nick, nickname_key=nick.lower(),
                 token_hash=hash_token(f"t-{nick}"), team=team)
    )  # fmt: skip
    return r.status, r.player, r.team


def _board(eng: SyncEngine, game: str, score: str = "sum") -> list[tuple[int, int, int, int]]:
    counts = eng.run(ops.team_counts(game))
    return [(t.team, t.score, t.members, t.rank) for t in teams.standings(NAMES, score, counts)]


def test_choose_refuses_bad_teams_and_counts_members(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()], _settings())
    assert _join(sync_engine, game_id, "x")[0] == "bad_team"  # none chosen
    assert _join(sync_engine, game_id, "y", 3)[0] == "bad_team"  # out of range
    assert _join(sync_engine, game_id, "z", -1)[0] == "bad_team"
    status, p, team = _join(sync_engine, game_id, "Ann", 1)
    assert (status, team) == ("ok", 1)
    assert _join(sync_engine, game_id, "Ann", 1)[1:] == (p, 1)  # a replay: same player, team
    assert _board(sync_engine, game_id) == [(0, 0, 0, 1), (1, 0, 1, 2), (2, 0, 0, 3)]


def test_auto_assigns_the_fewest_members_and_refuses_a_choice(
    sync_engine: SyncEngine, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q()], _settings(mode="auto"))
    assert _join(sync_engine, game_id, "x", 0)[0] == "bad_team"
    got = [_join(sync_engine, game_id, f"p{i}")[2] for i in range(5)]
    assert got == [0, 1, 2, 0, 1]
    # a kick frees a place: the next join goes there (fewest, then lowest index)
    p2 = 3  # third player, on team 2
    assert sync_engine.run(ops.kick(game_id, p2)).changed
    assert _join(sync_engine, game_id, "p5")[2] == 2
    assert _join(sync_engine, game_id, "p6")[2] == 2


def test_without_teams_a_team_is_refused(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    assert _join(sync_engine, game_id, "x", 0)[0] == "bad_team"
    assert _join(sync_engine, game_id, "y")[2] == -1


def test_sum_and_average_with_uneven_teams(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(), q()], _settings(score="average"))
    home = [_join(sync_engine, game_id, f"h{i}", 0)[1] for i in range(3)]
    away = [_join(sync_engine, game_id, f"a{i}", 1)[1] for i in range(1)]
    open_q(sync_engine, game_id, 1)
    # 1000 + 967 + 0 at home, 1000 away; right choice is 1
    submit_at(sync_redis, game_id, home[0], 1, [1], elapsed_ms=100)
    submit_at(sync_redis, game_id, home[1], 1, [1], elapsed_ms=2000)
    submit_at(sync_redis, game_id, home[2], 1, [0], elapsed_ms=100)
    submit_at(sync_redis, game_id, away[0], 1, [1], elapsed_ms=100)
    counts = sync_engine.run(ops.team_counts(game_id))
    assert (counts["tot0"], counts["mem0"], counts["tot1"], counts["mem1"]) == (1967, 3, 1000, 1)
    # average: floor(1967 / 3) = 655 < 1000; Block F has nobody: 0
    assert _board(sync_engine, game_id, "average") == [
        (1, 1000, 1, 1),
        (0, 655, 3, 2),
        (2, 0, 0, 3),
    ]
    assert _board(sync_engine, game_id, "sum") == [(0, 1967, 3, 1), (1, 1000, 1, 2), (2, 0, 0, 3)]


def test_joins_and_kicks_during_a_question(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q()], _settings(score="average"))
    a = _join(sync_engine, game_id, "a", 0)[1]
    b = _join(sync_engine, game_id, "b", 0)[1]
    open_q(sync_engine, game_id, 1)
    submit_at(sync_redis, game_id, a, 1, [1], elapsed_ms=100)
    submit_at(sync_redis, game_id, b, 1, [1], elapsed_ms=2000)
    late = _join(sync_engine, game_id, "late", 0)[1]  # joins mid-question: 0 points
    assert _board(sync_engine, game_id, "average")[0] == (0, (1000 + 967) // 3, 3, 1)
    assert sync_engine.run(ops.kick(game_id, a)).changed  # a's 1000 leave the team
    assert not sync_engine.run(ops.kick(game_id, a)).changed  # only once
    assert _board(sync_engine, game_id, "average")[0] == (0, 967 // 2, 2, 1)
    submit_at(sync_redis, game_id, late, 1, [1], elapsed_ms=100)
    assert _board(sync_engine, game_id, "sum")[0] == (0, 1967, 2, 1)


def test_ties_go_to_the_lower_index() -> None:
    counts = {"tot0": 500, "mem0": 1, "tot1": 900, "mem1": 1, "tot2": 900, "mem2": 2}
    ranked = teams.standings(NAMES, "sum", counts)
    assert [(t.team, t.rank) for t in ranked] == [(1, 1), (2, 2), (0, 3)]
    counts["tot0"] = 900
    assert [t.team for t in teams.standings(NAMES, "sum", counts)] == [0, 1, 2]
    # average: 900/1 beats 900/2
    assert [t.team for t in teams.standings(NAMES, "average", counts)] == [0, 1, 2]
    assert teams.standings(NAMES, "average", counts)[2].score == 450


async def test_200_concurrent_submitters_across_10_teams(
    sync_engine: SyncEngine, engine: Engine, game_id: str
) -> None:
    names = [f"T{i}" for i in range(10)]
    new_game(sync_engine, game_id, [q()], _settings(mode="auto", names=names))
    players = [_join(sync_engine, game_id, f"p{i}") for i in range(200)]
    team_of = {p: t for _, p, t in players}
    open_q(sync_engine, game_id, 1)
    rng = random.Random(7)
    tries = [(p, [rng.choice([0, 1, 2, 3])]) for p in team_of for _ in range(rng.choice([1, 2, 3]))]
    rng.shuffle(tries)
    results = await asyncio.gather(
        *(engine.submit_answer(game=game_id, player=p, question=1, choices=c) for p, c in tries)
    )
    accepted: dict[int, int] = defaultdict(int)
    for (p, _), r in zip(tries, results, strict=True):
        if r.ok:
            accepted[team_of[p]] += r.points
    counts = sync_engine.run(ops.team_counts(game_id))
    assert sum(r.ok for r in results) == 200
    for t in range(10):
        assert counts.get(f"tot{t}", 0) == accepted[t]
        assert counts[f"mem{t}"] == 20
    board = teams.standings(names, "sum", counts)
    assert [t.score for t in board] == sorted((accepted[t] for t in range(10)), reverse=True)
