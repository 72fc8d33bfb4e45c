"""PIN uniqueness: 1,000 games opened at once by 20 threads through the
service all get distinct PINs, each mapping to its own game in Redis."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from engine import ops
from quiz.documents import document_parse
from quiz.models import Game
from quiz.redis import sync_engine
from quiz.services.games import game_open
from quiz.services.quizzes import quiz_create

THREADS = 20
GAMES = 1000


@pytest.mark.django_db(transaction=True)
def test_pins_are_unique_among_1000_concurrently_opened_games(host, doc):
    quiz = quiz_create(owner=host, document=document_parse(doc))

    def worker(n: int) -> list[tuple[str, str]]:
        try:
            out = []
            for _ in range(n):
                opened = game_open(host=host, quiz_id=quiz.pk, max_players=10)
                out.append((opened.game.pin, opened.game.key))
                # back to the pool after each game, as at the end of a request:
                # 20 threads share the pool's 8 connections
                connection.close()
            return out
        finally:
            connection.close()  # this thread's connection, before the test database goes

    with ThreadPoolExecutor(THREADS) as pool:
        results = [
            pair for chunk in pool.map(worker, [GAMES // THREADS] * THREADS) for pair in chunk
        ]
    pins = [pin for pin, _ in results]
    assert len(results) == GAMES
    assert len(set(pins)) == GAMES
    assert all(len(p) == 6 and p.isdigit() for p in pins)
    eng = sync_engine()
    live: dict[str, Any] = dict(
        zip(pins, eng.call_many([ops.game_of_pin(p).calls[0] for p in pins]), strict=True)
    )
    assert {pin: v.decode() for pin, v in live.items()} == dict(results)
    assert Game.objects.count() == GAMES
    assert set(Game.objects.values_list("pin", flat=True)) == set(pins)
