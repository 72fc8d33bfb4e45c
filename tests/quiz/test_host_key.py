"""The host resumes a game from any tab or device (issue 15, point 3):
``GET /api/games/<pin>/host-key`` gives the game's owner its tokens again;
anyone else is refused. And the join refusals say why (point 7): late join
off is ``game_started``, the host's lock ``join_locked``, a game that ended
``game_finished`` even once its PIN was freed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from engine import ops
from engine.auth import hash_token, new_token
from quiz.models import Game
from quiz.redis import sync_engine

from .conftest import post

pytestmark = pytest.mark.django_db


def refused(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["error"] == code and r.json()["message"]


def join(c: Any, pin: str, nickname: str) -> Any:
    return post(c, f"/api/games/{pin}/players", {"nickname": nickname})


# --- the host key -------------------------------------------------------------


def test_the_owner_gets_the_tokens_the_game_was_opened_with(host_client, open_game):
    g = open_game()
    r = host_client.get(f"/api/games/{g['pin']}/host-key")
    assert r.status_code == 200, r.content
    assert r["Cache-Control"] == "no-store"
    assert r.json() == {
        "pin": g["pin"],
        "game": g["game"],
        "host_token": g["host_token"],
        "screen_token": g["screen_token"],
    }
    game = Game.objects.get(key=g["game"])
    # still only hashes on the server, in PostgreSQL and in Redis
    assert game.host_token_hash == hash_token(g["host_token"])
    state = sync_engine().run(ops.game_state(g["game"]))
    assert state is not None and state.host_token_hash == game.host_token_hash


def test_another_host_is_forbidden_and_anonymous_unauthorized(
    host_client, other_client, anon, open_game
):
    g = open_game()
    refused(other_client.get(f"/api/games/{g['pin']}/host-key"), 403, "forbidden")
    refused(anon.get(f"/api/games/{g['pin']}/host-key"), 401, "unauthorized")
    for pin in ("000000", "12x456"):
        refused(host_client.get(f"/api/games/{pin}/host-key"), 404, "not_found")


def test_each_game_has_tokens_of_its_own(host_client, open_game):
    a, b = open_game(), open_game()
    assert len({a["host_token"], a["screen_token"], b["host_token"], b["screen_token"]}) == 4


def test_the_seed_stays_in_postgresql(host_client, anon, open_game):
    """The tokens need the game's random seed, which no answer carries: the
    game's key (public) and even the public development SECRET_KEY alone
    derive nothing."""
    from quiz.services.host_keys import derived_token

    g = open_game()
    seed = Game.objects.get(key=g["game"]).token_seed
    assert len(seed) >= 40
    for r in (
        anon.get(f"/api/games/{g['pin']}"),
        host_client.get("/api/games"),
        host_client.get(f"/api/games/{g['pin']}/host-key"),
    ):
        assert r.status_code == 200 and seed not in r.content.decode()
    assert derived_token(g["game"], "", "host") != g["host_token"]
    assert derived_token(g["game"], seed, "host") == g["host_token"]


def test_a_game_without_a_seed_is_409(host_client, open_game):
    """Opened before seeds existed: its tokens were random."""
    g = open_game()
    Game.objects.filter(key=g["game"]).update(token_seed="")
    refused(host_client.get(f"/api/games/{g['pin']}/host-key"), 409, "host_key_unavailable")


def test_a_key_the_server_cannot_derive_is_409(host_client, open_game):
    """A game whose tokens were random (opened before keys were derived):
    only the tab that opened it holds its key."""
    g = open_game()
    Game.objects.filter(key=g["game"]).update(host_token_hash=hash_token(new_token()))
    refused(host_client.get(f"/api/games/{g['pin']}/host-key"), 409, "host_key_unavailable")


def test_a_rotated_secret_key_still_gives_keys_from_its_fallbacks(
    host_client, open_game, settings: Any
):
    g = open_game()
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-secret-" + "x" * 40, [old]
    r = host_client.get(f"/api/games/{g['pin']}/host-key")
    assert r.status_code == 200 and r.json()["host_token"] == g["host_token"]
    settings.SECRET_KEY_FALLBACKS = []
    refused(host_client.get(f"/api/games/{g['pin']}/host-key"), 409, "host_key_unavailable")


# --- why a join is refused ----------------------------------------------------


def test_late_join_off_says_the_game_started_even_when_also_locked(anon, open_game):
    g = open_game(late_join=False)
    assert join(anon, g["pin"], "early").status_code == 201
    assert sync_engine().run(ops.open_question(g["game"], 1)).ok
    r = join(anon, g["pin"], "late")
    refused(r, 403, "game_started")
    assert "started" in r.json()["message"]
    assert sync_engine().run(ops.lock_join(g["game"], True)).ok
    refused(join(anon, g["pin"], "later"), 403, "game_started")
    assert anon.get(f"/api/games/{g['pin']}").json()["join_open"] is False


def test_the_hosts_lock_is_join_locked(anon, open_game):
    g = open_game(late_join=False)
    assert sync_engine().run(ops.lock_join(g["game"], True)).ok
    refused(join(anon, g["pin"], "Ann"), 403, "join_locked")


def _saved_and_freed(g: dict[str, Any], ended_ago_s: float = 0) -> None:
    """The game as its final save leaves it: finished, saved, PIN freed."""
    assert sync_engine().end_game(game=g["game"]).ok
    ended = timezone.now() - timedelta(seconds=ended_ago_s)
    Game.objects.filter(key=g["game"]).update(state="finished", finished=ended, saved=ended)
    assert sync_engine().run(ops.release_pin(g["pin"], g["game"])).changed


def test_a_finished_game_says_it_ended_after_its_pin_was_freed(anon, open_game):
    g = open_game()
    _saved_and_freed(g)
    assert sync_engine().run(ops.game_of_pin(g["pin"])) is None
    refused(join(anon, g["pin"], "Ann"), 410, "game_finished")
    refused(anon.get(f"/api/games/{g['pin']}"), 410, "game_finished")


def test_a_pin_that_ended_long_ago_is_unknown(anon, open_game):
    g = open_game()
    _saved_and_freed(g, ended_ago_s=settings.STADIUM["FINISHED_TTL_S"] + 60)
    refused(join(anon, g["pin"], "Ann"), 404, "unknown_game")
    refused(anon.get(f"/api/games/{g['pin']}"), 404, "unknown_game")
