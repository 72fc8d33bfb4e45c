"""A game played through the real actions (the same the WebSocket host
commands call), and a webhook worker run in the test's event loop."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connections

from quiz.live import actions
from quiz.models import WebhookEvent
from quiz.redis import async_engine, redis_async
from quiz.webhooks.worker import Worker
from tests.sockets.helpers import CORRECT, Opened, open_game


async def play(n_players: int, webhook: dict[str, str] | None) -> Opened:
    """Open a game with ``webhook``, play its 3 questions (every player
    answers each, player i right when i is even), end and save it."""
    g = await open_game(n_players, webhook=webhook)
    eng = async_engine()
    for n in (1, 2, 3):
        assert (await actions.question_start(game=g.game, question=n)).ok
        for i, p in enumerate(g.players):
            right = sorted(CORRECT[n - 1])
            pick = right if i % 2 == 0 else [c for c in range(2) if c not in right][:1]
            r = await eng.submit_answer(game=g.game, player=p, question=n, choices=pick)
            assert r.ok, r
        if n < 3:
            assert (await actions.question_close(game=g.game, question=n)).ok
    # the end closes question 3 itself, then saves the results
    assert (await actions.game_end(game=g.game)).ok
    await asyncio.sleep(0.2)  # the background XADDs
    return g


def events_of(game: str) -> list[WebhookEvent]:
    return list(WebhookEvent.objects.filter(game__key=game).order_by("created", "id"))


async def run_worker_until(
    done: Callable[[], bool], timeout: float = 60, **kw: Any
) -> tuple[Worker, list[str]]:
    """Run a worker in this loop until ``done()`` (checked in a thread) holds."""
    lines: list[str] = []
    redis = redis_async()
    worker = Worker(redis, say=lines.append, **kw)
    stop = asyncio.Event()
    task = asyncio.ensure_future(worker.run(stop))
    end = time.monotonic() + timeout
    try:
        while not await sync_to_async(done)():
            assert time.monotonic() < end, f"not done within {timeout}s: {lines}"
            assert not task.done(), task.exception()
            await asyncio.sleep(0.2)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await redis.aclose()
        await sync_to_async(connections.close_all)()  # the worker's, before the test db goes
    return worker, lines
