"""GET /api/games: a host's past and live games, newest first, by pages;
and results that stay downloadable once the game's Redis keys are gone.

Games are opened and joined through the HTTP API, played through the
engine on the shared Redis and saved by the real final save
(quiz.flush.game_save), as the relay does at game over."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
import redis
from django.conf import settings

from engine import keys, ops
from quiz.flush import game_save
from quiz.models import Game
from quiz.redis import sync_engine

from .conftest import post

pytestmark = pytest.mark.django_db


def join(c: Any, pin: str, nickname: str) -> int:
    r = post(c, f"/api/games/{pin}/players", {"nickname": nickname})
    assert r.status_code == 201, r.content
    return int(r.json()["player"])


def listed(c: Any, query: str = "") -> dict[str, Any]:
    r = c.get(f"/api/games{query}")
    assert r.status_code == 200, r.content
    return dict(r.json())


def iso_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def to_ms(d: datetime) -> datetime:
    """The JSON's precision: milliseconds."""
    return d.replace(microsecond=d.microsecond // 1000 * 1000)


def listed_times(c: Any, query: str = "") -> dict[str, Any]:
    """:func:`listed` with the times parsed (JSON gives ISO with ms and Z)."""
    body = listed(c, query)
    for g in body["games"]:
        for f in ("created", "started", "finished"):
            if g[f] is not None:
                g[f] = datetime.fromisoformat(g[f].replace("Z", "+00:00"))
    return body


def drop_keys(g: dict[str, Any]) -> None:
    """What the keys' expiry does, now."""
    r = redis.Redis.from_url(settings.REDIS_URL)
    try:
        r.delete(*keys.all_of(g["game"], 2))
        assert not r.exists(keys.meta(g["game"]))
    finally:
        r.close()


def played_and_saved(anon: Any, g: dict[str, Any]) -> tuple[int, int]:
    """Ann answers question 1 right, Bob wrong; the game ends and is saved.
    Returns when question 1 opened and when the game finished (Redis ms)."""
    gid = g["game"]
    ann, bob = join(anon, g["pin"], "Ann"), join(anon, g["pin"], "Bob")
    eng = sync_engine()
    assert eng.run(ops.open_question(gid, 1)).ok
    assert eng.run(ops.submit_answer(gid, ann, 1, [1])).ok  # Pacific: right
    assert eng.run(ops.submit_answer(gid, bob, 1, [0])).ok
    assert eng.run(ops.close_question(gid, 1)).ok
    opened_ms = eng.run(ops.question_state(gid, 1)).opened_ms
    assert eng.end_game(game=gid).ok
    finished_ms = eng.run(ops.game_state(gid)).finished_ms
    assert opened_ms and finished_ms
    assert game_save(game_id=gid)["saved"]
    return opened_ms, finished_ms


def test_anonymous_gets_401(anon):
    r = anon.get("/api/games")
    assert r.status_code == 401
    assert r.json()["error"] == "unauthorized"


def test_no_games_yet(host_client):
    assert listed(host_client) == {"games": [], "page": 1, "page_size": 20, "total": 0}


def test_live_games_newest_first_with_redis_state(host_client, anon, open_game):
    first, second = open_game(), open_game()
    join(anon, second["pin"], "Ann")
    join(anon, second["pin"], "Bob")
    assert sync_engine().run(ops.open_question(second["game"], 1)).ok
    opened_ms = sync_engine().run(ops.question_state(second["game"], 1)).opened_ms
    body = listed_times(host_client)
    assert (body["page"], body["page_size"], body["total"]) == (1, 20, 2)
    created = {g.key: to_ms(g.created) for g in Game.objects.all()}
    # players and state are Redis's: the flusher has written nothing yet
    assert body["games"] == [
        {"pin": second["pin"], "game": second["game"], "title": "Test quiz",
         "state": "question", "players": 2, "created": created[second["game"]],
         "started": iso_ms(opened_ms), "finished": None, "saved": False, "live": True},
        {"pin": first["pin"], "game": first["game"], "title": "Test quiz", "state": "lobby",
         "players": 0, "created": created[first["game"]], "started": None, "finished": None,
         "saved": False, "live": True},
    ]  # fmt: skip


def test_pages(host_client, open_game):
    opened = [open_game()["pin"] for _ in range(5)]
    newest_first = opened[::-1]
    pages = [listed(host_client, f"?page={p}&page_size=2") for p in (1, 2, 3, 4)]
    assert [[g["pin"] for g in b["games"]] for b in pages] == [
        newest_first[0:2], newest_first[2:4], newest_first[4:], []
    ]  # fmt: skip
    assert {(b["total"], b["page_size"]) for b in pages} == {(5, 2)}
    assert [b["page"] for b in pages] == [1, 2, 3, 4]


@pytest.mark.parametrize("query", ["?page=0", "?page_size=0", "?page_size=101", "?page=x"])
def test_bad_pages_refused(host_client, query):
    r = host_client.get(f"/api/games{query}")
    assert r.status_code == 400, r.content
    assert r.json()["error"] == "validation_error"


def test_page_size_100_allowed(host_client, open_game):
    open_game()
    assert listed(host_client, "?page_size=100")["total"] == 1


def test_another_host_sees_none_of_them(host_client, other_client, open_game, anon):
    g = open_game()
    join(anon, g["pin"], "Ann")
    assert listed(host_client)["total"] == 1
    assert listed(other_client) == {"games": [], "page": 1, "page_size": 20, "total": 0}
    # and its results stay the owner's
    assert other_client.get(f"/api/games/{g['pin']}/results").status_code == 404


def test_saved_game_is_finished_not_live(host_client, anon, open_game):
    g = open_game()
    opened_ms, finished_ms = played_and_saved(anon, g)
    (item,) = listed_times(host_client)["games"]
    assert item["saved"] is True and item["live"] is False
    assert (item["state"], item["players"]) == ("finished", 2)
    assert item["started"] == iso_ms(opened_ms)
    assert item["finished"] == iso_ms(finished_ms)
    # the same once Redis forgot the game: it all comes from PostgreSQL
    drop_keys(g)
    assert listed_times(host_client)["games"] == [item]


def test_unsaved_game_lost_from_redis_is_not_live(host_client, open_game):
    g = open_game()
    drop_keys(g)
    (item,) = listed(host_client)["games"]
    assert (item["state"], item["saved"], item["live"], item["players"]) == (
        "lobby", False, False, 0
    )  # fmt: skip


def test_results_downloadable_after_redis_keys_expired(host_client, anon, open_game):
    g = open_game()
    played_and_saved(anon, g)
    before_json = host_client.get(f"/api/games/{g['pin']}/results")
    before_csv = host_client.get(f"/api/games/{g['pin']}/results?format=csv")
    assert before_json.status_code == before_csv.status_code == 200
    drop_keys(g)
    assert sync_engine().run(ops.game_state(g["game"])) is None

    r = host_client.get(f"/api/games/{g['pin']}/results")
    assert r.status_code == 200, r.content
    assert r.json() == before_json.json()
    ranking = [(row["rank"], row["nickname"], row["score"], row["correct"])
               for row in r.json()["ranking"]]  # fmt: skip
    assert ranking[0][1:] == ("Ann", ranking[0][2], 1) and ranking[0][0] == 1
    assert ranking[0][2] > 0
    assert ranking[1] == (2, "Bob", 0, 0)

    r = host_client.get(f"/api/games/{g['pin']}/results?format=csv")
    assert r.status_code == 200, r.content
    assert r.content == before_csv.content
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert [row[1] for row in rows[1:]] == ["Ann", "Bob"]
    assert rows[1][2] == str(ranking[0][2])
