"""Results: JSON and CSV from PostgreSQL once saved, for the game's host only.

The rows are laid down the way the flusher writes them (Player, Score and
Answer rows, then Game.saved), so these tests need no running game."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.utils import timezone

from engine import ops
from quiz.models import Answer, Game, Player, Score
from quiz.redis import sync_engine

pytestmark = pytest.mark.django_db

# nickname, rank, total, correct, best streak, {question: points}
ROWS = [
    ("Cleo", 2, 1500, 1, 1, {2: 1500}),
    ("Ann", 1, 2400, 2, 2, {1: 900, 2: 1500}),
    ("=cmd()", 3, 0, 0, 0, {1: 0}),
    ("Kicked", 0, 800, 1, 1, {1: 800}),
]


def release(g: dict[str, Any]) -> None:
    assert sync_engine().run(ops.release_pin(g["pin"], g["game"])).changed


def saved_game(g: dict[str, Any], rows: list[Any] = ROWS) -> Game:
    game = Game.objects.get(key=g["game"])
    for number, (nick, rank, total, correct, best, points) in enumerate(rows, 1):
        p = Player.objects.create(game=game, number=number, nickname=nick, kicked=nick == "Kicked")
        Score.objects.create(
            game=game,
            player=p,
            total=total,
            rank=rank,
            correct_count=correct,
            best_streak=best,
        )
        for q, pts in points.items():
            Answer.objects.create(
                game=game, player=p, question=q, points=pts, correct=pts > 0,
                choices=[0] if pts else [1], elapsed_ms=1000 + q,
            )  # fmt: skip
    game.saved = timezone.now()
    game.save(update_fields=["saved"])
    return game


def test_results_json_ranked(host_client, open_game):
    g = open_game()
    saved_game(g)
    r = host_client.get(f"/api/games/{g['pin']}/results")
    assert r.status_code == 200
    body = r.json()
    assert (body["game"], body["pin"], body["saved"], body["n_questions"]) == (
        g["game"],
        g["pin"],
        True,
        2,
    )
    doc = Game.objects.get(key=g["game"]).document
    assert body["questions"] == [
        {"question": 1, "kind": "choice", "text": doc["questions"][0]["text"]},
        {"question": 2, "kind": "choice", "text": doc["questions"][1]["text"]},
    ]

    def a(q: int, pts: int) -> dict[str, Any]:
        return {"question": q, "value": [0] if pts else [1], "correct": pts > 0,
                "points": pts, "bonus": 0, "elapsed_ms": 1000 + q}  # fmt: skip

    me = {"team": None, "kicked": False}
    assert body["ranking"] == [
        {"rank": 1, "player": 2, "nickname": "Ann", "score": 2400, "correct": 2, "best_streak": 2,
         **me, "answers": [a(1, 900), a(2, 1500)]},
        {"rank": 2, "player": 1, "nickname": "Cleo", "score": 1500, "correct": 1, "best_streak": 1,
         **me, "answers": [a(2, 1500)]},
        {"rank": 3, "player": 3, "nickname": "=cmd()", "score": 0, "correct": 0, "best_streak": 0,
         **me, "answers": [a(1, 0)]},
        # kicked players stay in the results, off the board (rank 0), last
        {"rank": 0, "player": 4, "nickname": "Kicked", "score": 800, "correct": 1,
         "best_streak": 1, "team": None, "kicked": True, "answers": [a(1, 800)]},
    ]  # fmt: skip
    assert (body["teams"], body["teams_podium"]) == (None, None)


def test_results_csv_with_points_per_question(host_client, open_game):
    g = open_game()
    saved_game(g)
    r = host_client.get(f"/api/games/{g['pin']}/results?format=csv")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    assert f"stadium-{g['pin']}.csv" in r["Content-Disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read UTF-8
    assert list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")))) == [
        ["rank", "nickname", "score", "correct", "best_streak", "q1", "q2", "q1_choice",
         "q2_choice"],
        ["1", "Ann", "2400", "2", "2", "900", "1500", "0", "0"],
        ["2", "Cleo", "1500", "1", "1", "0", "1500", "", "0"],
        ["3", "'=cmd()", "0", "0", "0", "0", "0", "1", ""],  # no formula in a spreadsheet
        ["0", "Kicked", "800", "1", "1", "800", "0", "0", ""],  # kicked: rank 0, last
    ]  # fmt: skip


def test_results_not_saved_yet(host_client, open_game):
    g = open_game()
    for fmt in ("json", "csv"):
        r = host_client.get(f"/api/games/{g['pin']}/results?format={fmt}")
        assert r.status_code == 409
        assert r.json() == {
            "error": "not_saved",
            "message": "results are being saved, retry in a moment",
        }


def test_results_are_the_hosts_only(host_client, other_client, anon, open_game):
    g = open_game()
    saved_game(g)
    for c, status, code in ((other_client, 404, "not_found"), (anon, 401, "unauthorized")):
        for fmt in ("json", "csv"):
            r = c.get(f"/api/games/{g['pin']}/results?format={fmt}")
            assert r.status_code == status
            assert r.json()["error"] == code


def test_reused_pin_gives_the_newest_game_of_this_host(host_client, other_client, open_game, doc):
    old = open_game()
    saved_game(old, ROWS[:1])
    new = open_game()
    release(new)
    Game.objects.filter(key=new["game"]).update(pin=old["pin"])  # the PIN came round again
    saved_game(new, ROWS[1:2])
    # another host's newer game with the same PIN changes nothing for this host
    quiz = other_client.post("/api/quizzes", doc, content_type="application/json").json()
    theirs = other_client.post(
        "/api/games", {"quiz": quiz["id"]}, content_type="application/json"
    ).json()
    release(theirs)
    Game.objects.filter(key=theirs["game"]).update(pin=old["pin"])
    body = host_client.get(f"/api/games/{old['pin']}/results").json()
    assert body["game"] == new["game"]
    assert [row["nickname"] for row in body["ranking"]] == ["Ann"]
    r = other_client.get(f"/api/games/{old['pin']}/results")
    assert (r.status_code, r.json()["error"]) == (409, "not_saved")


def test_results_of_unknown_pin(host_client):
    r = host_client.get("/api/games/000000/results")
    assert (r.status_code, r.json()["error"]) == (404, "not_found")


def test_results_csv_keeps_arabic_and_japanese_names(host_client, open_game):
    """The CSV's bytes start with the UTF-8 BOM (EF BB BF), and a nickname
    in Arabic script (and one in Japanese) comes back exactly."""
    g = open_game()
    saved_game(g, [("فاطمة الزهراء", 1, 900, 1, 1, {1: 900}), ("たけし", 2, 0, 0, 0, {})])
    r = host_client.get(f"/api/games/{g['pin']}/results?format=csv")
    assert r.status_code == 200
    assert r.content[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(r.content[3:].decode("utf-8"))))
    assert rows[0][:3] == ["rank", "nickname", "score"]  # the BOM is not in the first header
    assert [row[:3] for row in rows[1:]] == [["1", "فاطمة الزهراء", "900"], ["2", "たけし", "0"]]
