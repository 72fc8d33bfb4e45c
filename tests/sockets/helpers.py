"""Game set-up through the real services (the same ones the HTTP API calls)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.db import connection

from quiz.documents import document_parse
from quiz.services.games import game_open
from quiz.services.players import player_join
from quiz.services.quizzes import quiz_create
from testkit.documents import document, question
from testkit.hosts import host_session

QUIZ = document(
    "Socket test",
    [
        question("Largest ocean?", ["Atlantic", "Indian", "Pacific", "Arctic"], {2}),
        question("Which are even?", ["3", "8", "5", "12"], {1, 3}, multiplier=2),
        question("Red planet?", ["Mars", "Venus"], {0}),
    ],
)
CORRECT = [{2}, {1, 3}, {0}]


@dataclass
class Opened:
    game: str
    pin: str
    host_token: str
    screen_token: str
    tokens: list[str]
    players: list[int]


def open_as(
    quiz_doc: dict[str, Any],
    *,
    username: str = "socket-host",
    password: str | None = None,
    **settings: Any,
) -> Opened:
    """A game of ``quiz_doc`` opened by the host ``username`` (given
    ``password``, so the test can also log in over HTTP); blocking."""
    User = get_user_model()
    host, _ = User.objects.get_or_create(username=username)
    if password is not None:
        host.set_password(password)
        host.save()
    quiz = quiz_create(owner=host, document=document_parse(quiz_doc))
    opened = game_open(
        host=host, quiz_id=quiz.pk, max_players=settings.pop("max_players", 1000), **settings
    )
    connection.close()  # this thread's connection would block the test database's teardown
    return Opened(opened.game.key, opened.game.pin, opened.host_token, opened.screen_token, [], [])


async def open_game(
    n_players: int, quiz_doc: dict[str, Any] = QUIZ, *, nickname: str = "Player", **settings: Any
) -> Opened:
    """A game opened by ``open_as`` (``settings`` passed on, the host's
    username and password among them) and ``n_players`` joined, named
    ``<nickname>00``, ``<nickname>01``..."""
    g = await sync_to_async(open_as)(quiz_doc, **settings)
    for i in range(n_players):
        j = await player_join(pin=g.pin, nickname=f"{nickname}{i:02d}")
        g.tokens.append(j.token)
        g.players.append(j.player)
    return g


def results_json(server: Any, pin: str, username: str, password: str) -> dict[str, Any]:
    """The saved results, as the game's host gets them over HTTP; blocking."""
    c = host_session(server.http, username, password)
    try:
        r = c.get(f"/api/games/{pin}/results")
        assert r.status_code == 200, r.text
        return dict(r.json())
    finally:
        c.close()
