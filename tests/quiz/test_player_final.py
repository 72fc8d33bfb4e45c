"""GET /api/games/<pin>/players/me: a player's own final place from
PostgreSQL, with their player token, once the game is saved (a phone that
comes back after the game left Redis). Rows laid down as the flusher
writes them (tests/quiz/test_results.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from engine.auth import hash_token
from quiz.models import Game, Player, Score

pytestmark = pytest.mark.django_db

# nickname, rank, total (rank 0: kicked)
ROWS = [("Cleo", 2, 1500), ("Ann", 1, 2400), ("Ben", 3, 0), ("Kicked", 0, 800), ("Dan", 4, 0)]


def saved(g: dict[str, Any], *, save: bool = True) -> Game:
    game = Game.objects.get(key=g["game"])
    for number, (nick, rank, total) in enumerate(ROWS, 1):
        p = Player.objects.create(
            game=game, number=number, nickname=nick, kicked=nick == "Kicked",
            token_hash=hash_token(f"token-{nick}"),
        )  # fmt: skip
        Score.objects.create(game=game, player=p, total=total, rank=rank)
    if save:
        game.saved = timezone.now()
        game.save(update_fields=["saved"])
    return game


def me(client: Any, pin: str, token: str | None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Player {token}"} if token is not None else {}
    return client.get(f"/api/games/{pin}/players/me", **headers)


def test_the_players_own_place_and_the_podium(anon, open_game):
    g = open_game()
    saved(g)
    r = me(anon, g["pin"], "token-Cleo")
    assert r.status_code == 200, r.content
    podium = [
        {"player": 2, "nickname": "Ann", "score": 2400, "rank": 1},
        {"player": 1, "nickname": "Cleo", "score": 1500, "rank": 2},
        {"player": 3, "nickname": "Ben", "score": 0, "rank": 3},
    ]
    assert r.json() == {
        "pin": g["pin"], "title": "Test quiz", "player": 1, "nickname": "Cleo",
        "kicked": False, "rank": 2, "score": 1500, "players": 4, "podium": podium,
    }  # fmt: skip
    dan = me(anon, g["pin"], "token-Dan").json()
    assert (dan["rank"], dan["score"], dan["podium"]) == (4, 0, podium)
    kicked = me(anon, g["pin"], "token-Kicked").json()
    assert (kicked["kicked"], kicked["rank"], kicked["score"]) == (True, None, 800)


@pytest.mark.parametrize("header", [None, "", "Player", "Bearer token-Ann", "Screen token-Ann"])
def test_without_a_player_token_is_401(anon, open_game, header):
    g = open_game()
    saved(g)
    headers = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    r = anon.get(f"/api/games/{g['pin']}/players/me", **headers)
    assert r.status_code == 401
    assert r.json()["error"] == "unauthorized"


def test_a_token_of_no_player_of_that_pin_is_404(anon, open_game):
    g = open_game()
    saved(g)
    other = open_game()
    for pin, token in ((g["pin"], "token-Nobody"), (other["pin"], "token-Ann")):
        r = me(anon, pin, token)
        assert r.status_code == 404
        assert r.json()["error"] == "not_found"


def test_before_the_final_save_is_409(anon, open_game):
    g = open_game()
    saved(g, save=False)
    r = me(anon, g["pin"], "token-Ann")
    assert r.status_code == 409
    assert r.json()["error"] == "not_saved"
