"""A receiver that hangs never slows the game: answer ack latency over real
WebSockets with a webhook to a receiver that sleeps 30 s, against the same
game without a webhook. Both are printed; the assertion is only that every
answer was acknowledged (timings on a shared 2-core machine are noisy)."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from tests.sockets.conftest import ROOT, Server, db_url, seat, start_server
from tests.sockets.helpers import CORRECT, open_game

from .receiver import Receiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]

PLAYERS = 100
QUESTIONS = 2  # 200 answers per game
ROUNDS = 2


@pytest.fixture(scope="module")
def server(django_db_setup: Any) -> Iterator[Server]:
    s = start_server()
    yield s
    s.stop()


@pytest.fixture
def worker() -> Iterator[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "DATABASE_URL": db_url(),
        "REDIS_URL": settings.REDIS_URL,
        "STADIUM_WEBHOOKS_ALLOW_PRIVATE": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "webhook_worker", "--consumer", f"hang-{os.getpid()}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    yield proc
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


async def _game_acks(server: Server, webhook: dict[str, str] | None) -> list[float]:
    """Ack latency (ms) of every answer of a PLAYERS x QUESTIONS game."""
    g = await open_game(PLAYERS, webhook=webhook)
    host, players = await seat(server, g)
    lat: list[float] = []
    for n in range(1, QUESTIONS + 1):
        await host.send({"type": "start_question", "question": n})

        async def one(c: Any, n: int = n) -> None:
            await c.expect("question", question=n, timeout=20)
            t0 = time.perf_counter()
            await c.send({"type": "answer", "question": n, "choices": sorted(CORRECT[n - 1])[:1]})
            await c.expect("answer_ack", question=n, timeout=20)
            lat.append((time.perf_counter() - t0) * 1000)

        await asyncio.gather(*(one(c) for c in players))
        await host.send({"type": "close_question"})
        await host.expect("question_closed", question=n, timeout=20)
    for c in (host, *players):
        await c.close()
    return lat


async def test_ack_latency_unchanged_while_the_receiver_hangs(
    server: Server, worker: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(settings.STADIUM, "WEBHOOKS_ALLOW_PRIVATE", True)
    # alternated, twice each, so that warm-up and neighbours weigh on both
    base: list[float] = []
    hung: list[float] = []
    with Receiver("hang", sleep_s=30) as rec:
        for _ in range(ROUNDS):
            base += await _game_acks(server, None)
            hung += await _game_acks(server, {"url": rec.url, "secret": "hang"})
        arrived = rec.arrived
    assert len(base) == len(hung) == ROUNDS * PLAYERS * QUESTIONS  # every answer acknowledged
    for name, xs in (("no webhook", base), ("receiver hangs 30 s", hung)):
        print(
            f"\nack latency, {name}: {len(xs)} answers, p50 {statistics.median(xs):.1f} ms, "
            f"p99 {pct(xs, 99):.1f} ms, max {max(xs):.1f} ms"
        )
    print(f"webhook POSTs the hanging receiver got meanwhile: {arrived}")
    assert arrived >= 1  # the worker was really talking to it during the game
