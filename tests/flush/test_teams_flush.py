"""Teams (issue 14) through the write-behind: flush, rebuild_game,
verify_game, the final save and the results, with real processes on a
private PostgreSQL and redis-server (as tests/flush/test_faults.py).

The expected team board is computed here from the contract alone (members:
joined, not kicked; total: their totals; score: sum or floor average, 0
without members; rank: score desc, ties to the lower index) over the
players' totals in Redis, and compared with the Redis counters, the
TeamStanding rows, the rebuilt counters and the results."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from engine import SyncEngine, keys, ops, teams
from engine.auth import hash_token
from quiz.nicknames import nickname_key

from .harness import (
    game_create,
    game_end,
    manage,
    pg_rows,
    question_play,
    redis_totals,
)

NAMES = ["Home", "Away", "Neutral"]
SIZES = (6, 4, 2)  # team 2 loses both of its players: 0 members, score 0


def game_create_teams(pg_url: str, r: Any, score: str, n_questions: int) -> tuple[str, str]:
    """harness.game_create with a teams setting (choose mode)."""
    teams = {"mode": "choose", "score": score, "names": NAMES}
    return game_create(pg_url, r, n_questions=n_questions, teams=teams)


def join_teams(r: Any, gid: str) -> dict[int, int]:
    """player -> team, SIZES players per team, interleaved."""
    order = [t for t, k in enumerate(SIZES) for _ in range(k)]
    order = order[::2] + order[1::2]
    eng = SyncEngine(r)
    out = {}
    for i, t in enumerate(order):
        name = f"Fan {i}"
        res = eng.run(
            ops.join(gid, nickname=name, nickname_key=nickname_key(name),
                     token_hash=hash_token(f"tok-{gid}-{i}"), team=t)
        )  # fmt: skip
        assert res.ok and res.team == t, res
        out[res.player] = t
    return out


def oracle(
    team_of: dict[int, int], kicked: set[int], totals: dict[int, int], score: str
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for t, name in enumerate(NAMES):
        ms = [p for p, tt in team_of.items() if tt == t and p not in kicked]
        tot = sum(totals[p] for p in ms)
        sc = tot if score == "sum" else (tot // len(ms) if ms else 0)
        rows.append({"team": t, "name": name, "total": tot, "members": len(ms), "score": sc})
    rows.sort(key=lambda x: (-x["score"], x["team"]))
    return [{**x, "rank": i} for i, x in enumerate(rows, 1)]


def redis_board(r: Any, gid: str, score: str) -> list[dict[str, Any]]:
    counts = SyncEngine(r).run(ops.team_counts(gid))
    return [
        {"team": t.team, "name": t.name, "total": t.total, "members": t.members,
         "score": t.score, "rank": t.rank, "version": t.version}
        for t in teams.standings(NAMES, score, counts)
    ]  # fmt: skip


def pg_board(pg_url: str, gid: str) -> list[dict[str, Any]]:
    rows = pg_rows(
        pg_url,
        "SELECT t.team, t.name, t.total, t.members, t.score, t.rank, t.version "
        "FROM quiz_teamstanding t JOIN quiz_game g ON g.id = t.game_id WHERE g.key = %s "
        "ORDER BY t.rank, t.team",
        gid,
    )
    cols = ("team", "name", "total", "members", "score", "rank", "version")
    return [dict(zip(cols, row, strict=True)) for row in rows]


def no_version(board: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in e.items() if k != "version"} for e in board]


def verify(env: dict[str, str], ref: str) -> tuple[int, str]:
    out = manage(env, "verify_game", ref, check=False)
    return out.returncode, out.stdout + out.stderr


def results(env: dict[str, str], pin: str) -> tuple[dict[str, Any], str]:
    code = (
        "import json\n"
        "from django.contrib.auth.models import User\n"
        "from quiz.services.results import results_csv, results_get\n"
        "h = User.objects.get(username='flush-host')\n"
        f"print(json.dumps(results_get(host=h, pin='{pin}'), default=str))\n"
        "print('=====CSV=====')\n"
        f"print(results_csv(host=h, pin='{pin}'), end='')\n"
    )
    out = manage(env, "shell", "-c", code).stdout
    js, csv_text = out.split("=====CSV=====\n", 1)
    # the shell may say something first (Django 5.2: its automatic imports)
    return json.loads(js.strip().splitlines()[-1]), csv_text


@pytest.mark.parametrize("score", ["average", "sum"])
def test_teams_flush_rebuild_verify_and_results(
    env: dict[str, str], r: Any, servers: Any, score: str
) -> None:
    pg = servers[0]
    nq = 3
    gid, pin = game_create_teams(pg.url, r, score, nq)
    team_of = join_teams(r, gid)
    players = sorted(team_of)
    kicked: set[int] = set()
    eng = SyncEngine(r)

    question_play(r, gid, 1, players)
    totals = redis_totals(r, gid)
    # kick a scorer of team 0 and both players of team 2 (a team without members)
    k0 = next(p for p in players if team_of[p] == 0 and totals[p] > 0)
    for p in [k0, *(p for p in players if team_of[p] == 2)]:
        assert eng.run(ops.kick(gid, p)).ok
        kicked.add(p)
    live = [p for p in players if p not in kicked]
    question_play(r, gid, 2, live[:6], close=False)

    want = oracle(team_of, kicked, redis_totals(r, gid), score)
    assert no_version(redis_board(r, gid, score)) == want
    assert [e["members"] for e in sorted(want, key=lambda e: e["team"])] == [5, 4, 0]

    # flush: TeamStanding equals the Redis team board, versions included
    manage(env, "flush_scores", "--game", gid)
    before = redis_board(r, gid, score)
    assert pg_board(pg.url, gid) == before
    rc, out = verify(env, pin)
    assert rc == 0 and out.strip().endswith("OK"), out

    # a tampered row is found, naming the team
    pg_rows(
        pg.url,
        "UPDATE quiz_teamstanding SET total = total + 7 FROM quiz_game g "
        "WHERE g.id = quiz_teamstanding.game_id AND g.key = %s AND team = 1 RETURNING 1",
        gid,
    )
    rc, out = verify(env, pin)
    assert rc != 0 and "DIFF team 1" in out, out
    assert "DIFF team 0" not in out and "DIFF team 2" not in out, out
    pg_rows(
        pg.url,
        "UPDATE quiz_teamstanding SET total = total - 7 FROM quiz_game g "
        "WHERE g.id = quiz_teamstanding.game_id AND g.key = %s AND team = 1 RETURNING 1",
        gid,
    )
    rc, out = verify(env, pin)
    assert rc == 0, out

    # Redis loses the game: rebuild_game restores the team counters
    r.delete(*keys.all_of(gid, nq), keys.pin(pin))
    assert r.exists(keys.teams(gid)) == 0
    manage(env, "rebuild_game", pin)
    rebuilt = redis_board(r, gid, score)
    assert no_version(rebuilt) == no_version(before)
    pg_versions = {e["team"]: e["version"] for e in pg_board(pg.url, gid)}
    for e in rebuilt:
        assert e["version"] > pg_versions[e["team"]], (e, pg_versions)
    # the rebuilt game's counters are what the contract says of its players
    assert no_version(rebuilt) == oracle(team_of, kicked, redis_totals(r, gid), score)
    manage(env, "flush_scores", "--game", gid)
    assert pg_board(pg.url, gid) == rebuilt  # the newer versions written back
    rc, out = verify(env, pin)
    assert rc == 0 and out.strip().endswith("OK"), out

    # the game goes on (question 2 is open again after the rebuild, or closed)
    st = eng.run(ops.game_state(gid))
    assert st is not None
    if st.state == "question":
        for p in live[6:]:
            eng.run(ops.submit_answer(gid, p, 2, [p % 3]))
        assert eng.run(ops.close_question(gid, 2)).ok
    question_play(r, gid, 3, live)
    game_end(r, gid)
    manage(env, "flush_scores", "--game", gid)
    assert pg_rows(
        pg.url, "SELECT state, saved IS NOT NULL FROM quiz_game WHERE key = %s", gid
    ) == [("finished", True)]
    final = oracle(team_of, kicked, redis_totals(r, gid), score)
    assert no_version(redis_board(r, gid, score)) == final
    assert no_version(pg_board(pg.url, gid)) == final  # final ranks saved
    rc, out = verify(env, gid)
    assert rc == 0 and out.strip().endswith("OK") and "3 teams checked" in out, out

    # results JSON and CSV
    res, csv_text = results(env, pin)
    entries = [{k: e[k] for k in ("team", "name", "score", "members", "rank")} for e in final]
    assert res["teams"] == entries
    assert res["teams_podium"] == entries[:3]
    ranking = {row["player"]: row for row in res["ranking"]}
    assert set(ranking) == set(players)  # kicked players stay in the results
    for p in players:
        assert ranking[p]["team"] == team_of[p]
        assert ranking[p]["kicked"] is (p in kicked)
    totals = redis_totals(r, gid)
    assert {p: row["score"] for p, row in ranking.items()} == totals

    main, _, second = csv_text.partition("\n\n")
    table = list(csv.reader(io.StringIO(main)))
    head = table[0]
    assert "team" in head, head
    by_nick = {row[head.index("nickname")]: row for row in table[1:]}
    assert len(by_nick) == len(players)
    nick_of = {p: f"Fan {i}" for i, p in enumerate(players)}
    for p in players:
        assert by_nick[nick_of[p]][head.index("team")] == NAMES[team_of[p]]
    teams_table = list(csv.reader(io.StringIO(second)))
    assert teams_table[0] == ["team_rank", "team", "name", "score", "members"]
    assert teams_table[1:] == [
        [str(e["rank"]), str(e["team"]), e["name"], str(e["score"]), str(e["members"])]
        for e in final
    ]
