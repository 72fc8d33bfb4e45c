"""The game report (docs/reports.md): a game with every question kind and
two teams, played through the engine (real Redis), saved by the flusher
(game_save, real PostgreSQL), then every number of GET
/api/games/<pin>/report compared with a computation made here, in plain
Python, over the saved Answer rows; and where the live game showed the
same number (each question_closed distribution, read from Redis at the
close), with that too. Then the CSV and XLSX downloads hold the same
numbers, and only the game's host sees any of it."""

from __future__ import annotations

import csv
import io
import json
import statistics
import time
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from engine import kinds, ops
from engine.types import CHOICE_KINDS, SCORED, TEXT_KINDS
from quiz.documents import engine_questions
from quiz.flush import game_save
from quiz.models import Answer, Game, Player, TeamStanding
from quiz.nicknames import text_shown
from quiz.redis import sync_engine
from sockets.frames import distribution as live_distribution

pytestmark = pytest.mark.django_db

LIMIT = 5  # seconds: 500 ms time buckets, so a short pause moves answers to the next one
ITEMS = ["Kick-off", "Half time", "Second half", "Final whistle"]
QUIZ = {
    "title": "Report night",
    "questions": [
        {"text": "Largest ocean?", "time_limit": LIMIT, "multiplier": 1,
         "choices": [{"text": t, "correct": i == 2}
                     for i, t in enumerate(["Atlantic", "Indian", "Pacific", "Arctic"])]},
        {"text": "Which are even?", "time_limit": LIMIT, "multiplier": 2,
         "choices": [{"text": t, "correct": i in (1, 3)} for i, t in enumerate(["3", "8", "5", "12"])]},
        {"text": "Best kit?", "kind": "poll", "time_limit": LIMIT,
         "choices": [{"text": "Home"}, {"text": "Away"}, {"text": "Third"}]},
        {"text": "The ball is round.", "kind": "true_false", "time_limit": LIMIT, "multiplier": 1,
         "answer": True},
        {"text": "Share of away fans?", "kind": "slider", "time_limit": LIMIT, "multiplier": 1,
         "min": 0, "max": 1, "step": 0.1, "answer": 0.3, "tolerance": 0.1},
        {"text": "Half time", "kind": "info", "time_limit": LIMIT},
        {"text": "Name the stadium", "kind": "type_answer", "time_limit": LIMIT, "multiplier": 1,
         "accepted": ["Maracanã"], "max_length": 25},
        {"text": "Put these in order", "kind": "ordering", "time_limit": LIMIT, "multiplier": 1,
         "items": ITEMS},
        {"text": "One word for tonight", "kind": "word_cloud", "time_limit": LIMIT,
         "max_length": 20},
        {"text": "Attendance (thousands)?", "kind": "slider", "time_limit": LIMIT,
         "multiplier": 1, "min": 0, "max": 70, "step": 1, "answer": 35, "tolerance": 4},
    ],
}  # fmt: skip
TEAMS = {"mode": "choose", "score": "sum", "names": ["Home", "Away"]}
N_PLAYERS = 9
KICKED = 9  # kicked after question 4: his answers stay in the record, off his team
# answers per question, player i gives ANSWERS[n][i % len]; None: no answer
RIGHT_ORDER = "right"
ANSWERS: dict[int, list[Any]] = {
    1: [[2], [2], [0], [1], [2], None, [3], [2]],
    2: [[1, 3], [1], [3], [1, 3], [0, 1], [2], None],
    3: [[0], [1], [1], [2], None, [0]],
    4: [[0], [0], [1], None, [0]],
    5: [0.3, 0.2, 0.4, 0, 1, 0.5, 0.30000000000000004, 0.9],
    7: ["Maracanã", "maracana\u0303", " MARACANÃ. ", "Wembley", "Maraca-nã", None, "Maracana"],
    8: [RIGHT_ORDER, RIGHT_ORDER, [0, 1, 2, 3], [3, 2, 1, 0], RIGHT_ORDER, None],
    9: ["Pizza", "pizza!", "Tacos", "shit show", "Sushi", "Ｓｕｓｈｉ", "tacos", None],
    10: [35, 36, 70, 0, 31, 35, None, 69, 40],
}
SLOW = {1, 5, 9}  # questions where half the crowd answers after a pause (later time buckets)


def post(c: Client, path: str, data: Any) -> Any:
    return c.post(path, data, content_type="application/json")


def play(host_client: Client) -> dict[str, Any]:
    """Open, join, play every question through the engine, kick, end and
    save. Returns the game's body and the live distributions per question."""
    quiz = post(host_client, "/api/quizzes", QUIZ)
    assert quiz.status_code == 201, quiz.content
    opened = post(host_client, "/api/games", {"quiz": quiz.json()["id"], "teams": TEAMS})
    assert opened.status_code == 201, opened.content
    g = opened.json()
    gid, pin = g["game"], g["pin"]
    players = []
    for i in range(N_PLAYERS):
        j = post(Client(), f"/api/games/{pin}/players", {"nickname": f"Fan{i}", "team": i % 2})
        assert j.status_code == 201, j.content
        players.append(j.json()["player"])
    eng = sync_engine()
    eqs = engine_questions(QUIZ)
    live: dict[int, Any] = {}
    for n, q in enumerate(eqs, 1):
        assert eng.run(ops.open_question(gid, n)).ok
        public = q.public(n)
        given = ANSWERS.get(n, [])
        for i, p in enumerate(players):
            if p == KICKED and n > 4:
                continue
            if n in SLOW and i == len(players) // 2:
                time.sleep(0.6)
            value = given[i % len(given)] if given else None
            if value is None:
                continue
            if value == RIGHT_ORDER:
                value = kinds.reveal(q)["order"]
            arg = kinds.answer_arg(public, value, may_show=text_shown)
            assert arg.ok, (n, value, arg)
            assert eng.run(ops.submit_answer(gid, p, n, arg)).ok
        assert eng.run(ops.close_question(gid, n)).ok
        state = eng.run(ops.question_state(gid, n))
        assert state is not None
        texts = eng.run(ops.top_texts(gid, n)) if q.kind in TEXT_KINDS else []
        live[n] = live_distribution(state, texts)
        if n == 4:
            assert eng.run(ops.kick(gid, KICKED, 0)).ok
    assert eng.end_game(game=gid).ok
    game_save(game_id=gid)
    return {"game": gid, "pin": pin, "live": live}


# --- the independent computation ---------------------------------------------------


def expected(game: Game) -> dict[str, Any]:
    """The report computed here from the Answer, Player, Score and
    TeamStanding rows, in plain Python."""
    doc = game.document
    eqs = engine_questions(doc)
    rows = list(
        Answer.objects.filter(game=game).values(
            "player__number", "question", "value", "choices", "correct", "points", "elapsed_ms"
        )
    )
    snap = game.snapshot.get("questions", {})
    questions = []
    for n, q in enumerate(eqs, 1):
        mine = [r for r in rows if r["question"] == n]
        times = [r["elapsed_ms"] for r in mine]
        right = sum(1 for r in mine if r["correct"])
        scored = q.kind in SCORED
        limit = q.time_limit * 1000 + int(snap.get(str(n), {}).get("ext_ms") or 0)
        tb = [0] * 10
        for t in times:
            tb[min(9, t * 10 // limit)] += 1
        dist: Any = None
        if q.kind in CHOICE_KINDS:
            dist = [0] * len(q.choices)
            for r in mine:
                for c in r["value"]:
                    dist[c] += 1
        elif q.kind == "slider":
            steps = round((q.max - q.min) / q.step)
            nb = min(20, steps)
            counts = [0] * nb
            for r in mine:
                k = round((r["value"] - q.min) / q.step)
                counts[min(nb - 1, k * nb // steps)] += 1
            width = (q.max - q.min) / nb
            dist = [
                {"from": round(q.min + width * i, 9), "to": round(q.min + width * (i + 1), 9),
                 "count": c}
                for i, c in enumerate(counts)
            ]  # fmt: skip
        elif q.kind in TEXT_KINDS:
            folded: dict[str, int] = {}
            for r in mine:
                if text_shown(r["value"]):
                    key = kinds.normalize(r["value"])
                    folded[key] = folded.get(key, 0) + 1
            dist = [
                {"text": t, "count": c}
                for t, c in sorted(folded.items(), key=lambda x: (-x[1], x[0]))
            ][:50]
        elif q.kind == "ordering":
            dist = {"right": right, "wrong": len(mine) - right}
        questions.append(
            {
                "question": n, "kind": q.kind, "text": q.text, "answered": len(mine),
                "right": right if scored else None,
                "share_right": right / len(mine) if scored and mine else None,
                "mean_ms": round(sum(times) / len(times), 1) if times else None,
                "median_ms": float(statistics.median(times)) if times else None,
                "points": sum(r["points"] for r in mine),
                "distribution": dist,
                "times": [
                    {"from_ms": limit * i // 10, "to_ms": limit * (i + 1) // 10, "count": c}
                    for i, c in enumerate(tb)
                ],
            }
        )  # fmt: skip
    rated = [(q["share_right"], q["question"]) for q in questions if q["share_right"] is not None]
    players = []
    for p in Player.objects.filter(game=game).select_related("score"):
        answers = sorted(
            (r for r in rows if r["player__number"] == p.number), key=lambda r: r["question"]
        )
        players.append(
            {
                "player": p.number, "nickname": p.nickname, "team": p.team,
                "rank": p.score.rank, "score": p.score.total, "kicked": p.kicked,
                "answers": [
                    {"question": r["question"], "value": r["value"], "correct": r["correct"],
                     "points": r["points"], "elapsed_ms": r["elapsed_ms"]}
                    for r in answers
                ],
            }
        )  # fmt: skip
    players.sort(key=lambda p: (p["rank"] == 0, p["rank"], p["player"]))
    team_of = {p.number: p.team for p in Player.objects.filter(game=game, kicked=False)}
    teams = []
    for t in TeamStanding.objects.filter(game=game).order_by("rank", "team"):
        theirs = [
            r for r in rows
            if team_of.get(r["player__number"]) == t.team and r["correct"] is not None
        ]  # fmt: skip
        teams.append(
            {
                "team": t.team, "name": t.name, "rank": t.rank, "score": t.score,
                "members": t.members, "total": t.total,
                "share_right": sum(1 for r in theirs if r["correct"]) / len(theirs) if theirs else None,
            }
        )  # fmt: skip
    return {
        "game": game.key, "pin": game.pin, "title": game.title,
        "players": Player.objects.filter(game=game).count(), "answers": len(rows),
        "teams": True, "questions": questions,
        "hardest": [n for _, n in sorted(rated)[:3]],
        "easiest": [n for _, n in sorted(rated, key=lambda r: (-r[0], r[1]))[:3]],
        "players_detail": players, "teams_detail": teams,
    }  # fmt: skip


@pytest.fixture
def played(host_client: Client) -> dict[str, Any]:
    return play(host_client)


def test_report_equals_a_computation_over_the_answer_rows(host_client, played):
    r = host_client.get(f"/api/games/{played['pin']}/report")
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/json"
    body = r.json()
    game = Game.objects.get(key=played["game"])
    want = expected(game)
    for got_q, want_q in zip(body["questions"], want["questions"], strict=True):
        assert got_q == want_q, got_q["question"]
    assert body == want
    # the record is the game as played: not a vacuous comparison
    assert body["players"] == N_PLAYERS
    assert body["answers"] == sum(q["answered"] for q in body["questions"]) > 60
    by_n = {q["question"]: q for q in body["questions"]}
    assert by_n[6]["answered"] == 0 and by_n[6]["distribution"] is None  # info
    assert by_n[3]["right"] is None and by_n[9]["share_right"] is None  # poll, word cloud
    assert by_n[1]["right"] == 5 and by_n[1]["answered"] == 8
    assert by_n[8]["distribution"] == {"right": 5, "wrong": 2}
    assert sum(b["count"] for b in by_n[1]["times"][1:]) > 0  # the pause shows in the times
    assert all(q["times"][-1]["to_ms"] == LIMIT * 1000 for q in body["questions"])
    texts = {d["text"]: d["count"] for d in by_n[9]["distribution"]}
    assert texts["pizza"] == 2 and texts["sushi"] == 2 and "shit show" not in texts
    kicked = [p for p in body["players_detail"] if p["kicked"]]
    assert [(p["player"], p["rank"]) for p in kicked] == [(KICKED, 0)]
    assert body["players_detail"][-1]["kicked"]
    assert [t["name"] for t in body["teams_detail"]] and len(body["teams_detail"]) == 2
    assert body["hardest"] and set(body["hardest"]) <= {1, 2, 4, 5, 7, 8, 10}


def test_report_distributions_are_the_live_ones(host_client, played):
    """What question_closed showed live (Redis counters at the close) is what
    the report computes afterwards from PostgreSQL."""
    body = host_client.get(f"/api/games/{played['pin']}/report").json()
    for q in body["questions"]:
        assert q["distribution"] == played["live"][q["question"]], q["question"]


def test_report_csv_has_a_bom_and_the_same_numbers(host_client, played):
    pin = played["pin"]
    body = host_client.get(f"/api/games/{pin}/report").json()
    r = host_client.get(f"/api/games/{pin}/report?format=csv")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    assert f'filename="stadium-{pin}-report.csv"' in r["Content-Disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    text = r.content.decode("utf-8-sig")
    tables = text.split("\n\n")
    assert len(tables) == 3  # questions, players, teams
    qrows = list(csv.DictReader(io.StringIO(tables[0])))
    assert [int(x["answered"]) for x in qrows] == [q["answered"] for q in body["questions"]]
    assert [x["right"] for x in qrows] == [
        "" if q["right"] is None else str(q["right"]) for q in body["questions"]
    ]
    assert [float(x["median_ms"] or "nan") for x in qrows if x["median_ms"]] == [
        q["median_ms"] for q in body["questions"] if q["median_ms"] is not None
    ]
    assert [json.loads(x["distribution"] or "null") for x in qrows] == [
        q["distribution"] for q in body["questions"]
    ]
    prows = list(csv.DictReader(io.StringIO(tables[1])))
    assert [(int(x["player"]), int(x["rank"]), int(x["score"]), x["team"]) for x in prows] == [
        (p["player"], p["rank"], p["score"], TEAMS["names"][p["team"]])
        for p in body["players_detail"]
    ]
    for x, p in zip(prows, body["players_detail"], strict=True):
        pts = {a["question"]: a["points"] for a in p["answers"]}
        assert [int(x[f"q{n}_points"]) for n in range(1, 11)] == [
            pts.get(n, 0) for n in range(1, 11)
        ]
    trows = list(csv.DictReader(io.StringIO(tables[2])))
    assert [(x["name"], int(x["score"]), int(x["members"])) for x in trows] == [
        (t["name"], t["score"], t["members"]) for t in body["teams_detail"]
    ]


def test_report_xlsx_opens_and_holds_the_same_numbers(host_client, played):
    pin = played["pin"]
    body = host_client.get(f"/api/games/{pin}/report").json()
    r = host_client.get(f"/api/games/{pin}/report?format=xlsx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="stadium-{pin}-report.xlsx"' in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    assert wb.sheetnames == ["Questions", "Players", "Answers", "Teams"]

    def table(name: str) -> list[dict[str, Any]]:
        head, *rest = list(wb[name].values)
        return [dict(zip(head, row, strict=True)) for row in rest]

    qs = table("Questions")
    assert [(x["question"], x["answered"], x["points"]) for x in qs] == [
        (q["question"], q["answered"], q["points"]) for q in body["questions"]
    ]
    assert [x["share_right"] or None for x in qs] == [
        q["share_right"] or None for q in body["questions"]
    ]
    # the cell of a 0 ms mean reads as empty: compare both sides that way
    assert [x["mean_ms"] or None for x in qs] == [q["mean_ms"] or None for q in body["questions"]]
    players = table("Players")
    assert [(x["player"], x["rank"], x["score"], x["kicked"]) for x in players] == [
        (p["player"], p["rank"], p["score"], p["kicked"]) for p in body["players_detail"]
    ]
    answers = table("Answers")
    assert [(x["player"], x["question"], x["points"], x["elapsed_ms"]) for x in answers] == [
        (p["player"], a["question"], a["points"], a["elapsed_ms"])
        for p in body["players_detail"]
        for a in p["answers"]
    ]
    assert sum(1 for x in answers if x["correct"] is True) == sum(
        q["right"] or 0 for q in body["questions"]
    )
    teams = table("Teams")
    assert [(x["team"], x["score"], x["total"], x["share_right"]) for x in teams] == [
        (t["team"], t["score"], t["total"], t["share_right"]) for t in body["teams_detail"]
    ]


def test_report_is_the_hosts_only_and_waits_for_the_save(
    host_client, other_client, anon, open_game
):
    g = open_game()
    for fmt in ("json", "csv", "xlsx"):
        r = host_client.get(f"/api/games/{g['pin']}/report?format={fmt}")
        assert (r.status_code, r.json()["error"]) == (409, "not_saved")
    Game.objects.filter(key=g["game"]).update(saved="2026-01-01T00:00:00Z")
    assert host_client.get(f"/api/games/{g['pin']}/report").status_code == 200
    for c, status, code in ((other_client, 404, "not_found"), (anon, 401, "unauthorized")):
        for fmt in ("json", "csv", "xlsx"):
            r = c.get(f"/api/games/{g['pin']}/report?format={fmt}")
            assert (r.status_code, r.json()["error"]) == (status, code)


def test_report_of_a_game_without_answers(host_client, open_game):
    g = open_game()
    Game.objects.filter(key=g["game"]).update(saved="2026-01-01T00:00:00Z")
    body = host_client.get(f"/api/games/{g['pin']}/report").json()
    assert (body["players"], body["answers"], body["teams"]) == (0, 0, False)
    assert body["hardest"] == body["easiest"] == body["players_detail"] == []
    assert body["teams_detail"] is None
    q = body["questions"][0]
    assert (q["answered"], q["right"], q["share_right"], q["mean_ms"], q["median_ms"]) == (
        0, 0, None, None, None,
    )  # fmt: skip
    assert q["distribution"] == [0, 0]
    assert [b["count"] for b in q["times"]] == [0] * 10
