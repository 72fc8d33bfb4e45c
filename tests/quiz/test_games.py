"""Opening games and joining them: the rules, each with its own code."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from engine import keys, ops
from engine.auth import hash_token
from quiz.models import Game, Player
from quiz.redis import sync_engine

from .conftest import post

pytestmark = pytest.mark.django_db


def join(c: Any, pin: str, nickname: Any) -> Any:
    return post(c, f"/api/games/{pin}/players", {"nickname": nickname})


def refused(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["error"] == code
    assert r.json()["message"]


def test_open_game_snapshots_the_quiz_and_loads_redis(host, open_game, doc):
    g = open_game(reveal="on_close", max_players=50, late_join=False)
    assert len(g["pin"]) == 6 and g["pin"].isdigit()
    assert g["host_token"] and g["screen_token"] and g["host_token"] != g["screen_token"]
    game = Game.objects.get(key=g["game"])
    assert (game.host, game.pin, game.document) == (host, g["pin"], doc)
    assert (game.reveal, game.max_players, game.late_join) == ("on_close", 50, False)
    # only hashes are stored, in the row and in Redis
    assert game.host_token_hash == hash_token(g["host_token"])
    assert game.screen_token_hash == hash_token(g["screen_token"])
    eng = sync_engine()
    assert eng.run(ops.game_of_pin(g["pin"])) == game.key
    state = eng.run(ops.game_state(game.key))
    assert (state.state, state.n_questions, state.reveal, state.max_players) == (
        "lobby",
        2,
        "on_close",
        50,
    )
    assert (state.late_join, state.title) == (False, "Test quiz")
    assert state.host_token_hash == game.host_token_hash
    q2 = eng.run(ops.question_state(game.key, 2))
    assert (q2.correct, q2.limit_ms, q2.multiplier) == ({1, 3}, 30_000, 2)
    assert "correct" not in q2.public


def test_open_game_defaults(open_game):
    g = open_game()
    # on_close: a live board would give the right answer away to neighbours
    assert (g["reveal"], g["late_join"]) == ("on_close", True)
    assert Game.objects.get(key=g["game"]).reveal == "on_close"
    assert g["max_players"] == settings.STADIUM["DEFAULT_MAX_PLAYERS"]


@pytest.mark.parametrize(
    "body",
    [
        {"reveal": "later"},
        {"max_players": 0},
        {"max_players": 10**9},
        {"max_players": "10"},
        {"late_join": "no"},
        {"colour": "red"},
    ],
)
def test_open_game_refuses_bad_settings(host_client, quiz_id, body):
    r = post(host_client, "/api/games", {"quiz": quiz_id, **body})
    refused(r, 400, "validation_error")
    assert not Game.objects.exists()


def test_public_state_of_a_live_game(anon, open_game):
    g = open_game(max_players=7)
    join(anon, g["pin"], "Ann")
    r = anon.get(f"/api/games/{g['pin']}")
    assert r.status_code == 200
    assert r.json() == {
        "game": g["game"],
        "pin": g["pin"],
        "title": "Test quiz",
        "state": "lobby",
        "players": 1,
        "max_players": 7,
        "join_open": True,
        "late_join": True,
        "reveal": "on_close",  # the default
        "question": 0,
        "n_questions": 2,
        "teams": None,
        "names": "off",
        "brand": {"accent": None, "logo": None},
    }
    assert "token" not in r.content.decode()


@pytest.mark.parametrize("pin", ["000000", "12345", "1234567", "abcdef"])
def test_public_state_of_unknown_pin(anon, pin):
    refused(anon.get(f"/api/games/{pin}"), 404, "unknown_game")


def test_join_returns_player_and_token_and_writes_no_row(anon, open_game):
    g = open_game()
    r = join(anon, g["pin"], "  Zoë 🎉  ")
    assert r.status_code == 201
    body = r.json()
    assert (body["game"], body["player"], body["nickname"]) == (g["game"], 1, "Zoë 🎉")
    eng = sync_engine()
    gid = g["game"]
    assert eng.run(ops.player_of_token(gid, hash_token(body["token"]))) == 1
    assert eng.run(ops.all_players(gid)) == {1: "Zoë 🎉"}
    assert not Player.objects.exists()  # the flusher writes players, not join
    assert join(anon, g["pin"], "Bob").json()["player"] == 2


def test_duplicate_nickname_in_other_case(anon, open_game):
    g = open_game()
    assert join(anon, g["pin"], "Player00").status_code == 201
    refused(join(anon, g["pin"], "player00"), 409, "nickname_taken")
    refused(join(anon, g["pin"], " PLAYER00 "), 409, "nickname_taken")
    refused(join(anon, g["pin"], "ＰＬＡＹＥＲ００"), 409, "nickname_taken")  # full-width


@pytest.mark.parametrize(
    "nickname",
    # a NUL is refused before (validation_error, tests/quiz/test_nul.py)
    ["", "   ", "x" * 21, "tab\there", "zero\u200bwidth", "new\nline"],
    ids=["empty", "blank", "21 chars", "tab", "zero width", "newline"],
)
def test_invalid_nicknames(anon, open_game, nickname):
    refused(join(anon, open_game()["pin"], nickname), 400, "nickname_invalid")


def test_emoji_sequences_join_whole(anon, open_game):
    g = open_game()
    astro = join(anon, g["pin"], "\U0001f469\u200d\U0001f680 Astro")
    assert astro.status_code == 201
    assert astro.json()["nickname"] == "\U0001f469\u200d\U0001f680 Astro"
    many = join(anon, g["pin"], "\U0001f984" * 15)  # 15 emoji: accepted whole, never cut
    assert many.status_code == 201
    assert many.json()["nickname"] == "\U0001f984" * 15


def test_too_long_names_the_limit(anon, open_game):
    r = join(anon, open_game()["pin"], "\U0001f984" * 21)
    refused(r, 400, "nickname_invalid")
    assert r.json()["message"] == "a nickname has at most 20 characters (this one has 21)"


def test_twenty_characters_is_fine(anon, open_game):
    assert join(anon, open_game()["pin"], "  " + "é" * 20 + "  ").status_code == 201


@pytest.mark.parametrize(
    "nickname", ["fuck", "FuCk_you", "5h1t", "sh!t", "a.s.s", "B1tch", "Fuuuck", "rapist 0"]
)
def test_filtered_words_are_refused(anon, open_game, nickname):
    refused(join(anon, open_game()["pin"], nickname), 400, "nickname_invalid")


@pytest.mark.parametrize("nickname", ["Cassandra", "Scunthorpe", "Hancock", "Therapist", "Nazir"])
def test_word_filter_spares_innocent_words(anon, open_game, nickname):
    assert join(anon, open_game()["pin"], nickname).status_code == 201


def test_full_game(anon, open_game):
    g = open_game(max_players=2)
    assert join(anon, g["pin"], "a").status_code == 201
    assert join(anon, g["pin"], "b").status_code == 201
    refused(join(anon, g["pin"], "c"), 409, "game_full")
    assert anon.get(f"/api/games/{g['pin']}").json()["join_open"] is False


def test_locked_game(anon, open_game):
    g = open_game()
    assert sync_engine().run(ops.lock_join(g["game"], True)).ok
    refused(join(anon, g["pin"], "Ann"), 403, "join_locked")
    sync_engine().run(ops.lock_join(g["game"], False))
    assert join(anon, g["pin"], "Ann").status_code == 201


def test_finished_game(anon, open_game):
    g = open_game()
    assert sync_engine().end_game(game=g["game"]).ok
    refused(join(anon, g["pin"], "Ann"), 410, "game_finished")
    assert anon.get(f"/api/games/{g['pin']}").json()["state"] == "finished"


def test_unknown_pin(anon):
    refused(join(anon, "000000", "Ann"), 404, "unknown_game")
    refused(join(anon, "12x456", "Ann"), 404, "unknown_game")


def test_late_join_off_refuses_once_a_question_opened(anon, open_game):
    g = open_game(late_join=False)
    assert join(anon, g["pin"], "early").status_code == 201
    assert sync_engine().run(ops.open_question(g["game"], 1)).ok
    refused(join(anon, g["pin"], "late"), 403, "game_started")


def test_late_join_on_accepts_during_a_question(anon, open_game):
    g = open_game()
    assert sync_engine().run(ops.open_question(g["game"], 1)).ok
    assert join(anon, g["pin"], "late").status_code == 201


def test_open_game_leaves_nothing_behind_when_no_pin_is_free(host, quiz_id, monkeypatch):
    """If no PIN can be claimed, neither the row nor the Redis state stays."""
    from django.db.models.signals import post_save

    from quiz.services import ServiceError, games

    created: list[str] = []

    def seen(sender: Any, instance: Game, created_: bool = False, **kw: Any) -> None:
        created.append(instance.key)

    post_save.connect(seen, sender=Game, dispatch_uid="test-seen")
    monkeypatch.setattr(games, "PIN_ATTEMPTS", 0)
    try:
        with pytest.raises(ServiceError) as e:
            games.game_open(host=host, quiz_id=quiz_id, max_players=10)
    finally:
        post_save.disconnect(dispatch_uid="test-seen", sender=Game)
    assert e.value.code == "unavailable" and e.value.status == 503
    assert created and not Game.objects.exists()
    assert sync_engine().redis.exists(*keys.all_of(created[0], 2)) == 0
