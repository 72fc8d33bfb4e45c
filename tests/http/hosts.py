"""Hosts and their requests against a real server, for the HTTP tests and
the pool measurement: a committed host user and quiz, many logged-in
clients, the mix of host requests, and cleanup of the games they open."""

from __future__ import annotations

import concurrent.futures
import random
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
import redis
from django.conf import settings

from engine import SyncEngine, keys, ops

from .conftest import host_session

DOC: dict[str, Any] = {
    "title": "Pool quiz",
    "questions": [
        {
            "text": f"Question {i}",
            "time_limit": 20,
            "multiplier": 1,
            "image": None,
            "choices": [{"text": "yes", "correct": True}, {"text": "no", "correct": False}],
        }
        for i in range(3)
    ],
}


def host_create(username: str, password: str) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username=username, password=password)


def held_connections(db_url: str, application_name: str) -> int:
    with psycopg.connect(db_url, autocommit=True) as c:
        row = c.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            (application_name,),
        ).fetchone()
    assert row is not None
    return int(row[0])


class PeakSampler:
    """Samples the connections a server holds while a burst runs."""

    def __init__(self, db_url: str, application_name: str) -> None:
        self.db_url, self.name = db_url, application_name
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self.db_url, autocommit=True) as c:
            while not self._stop.is_set():
                row = c.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                    (self.name,),
                ).fetchone()
                self.peak = max(self.peak, int(row[0]) if row else 0)
                time.sleep(0.02)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


def burst(
    base: str,
    username: str,
    password: str,
    *,
    clients: int,
    requests: int,
    pick: Callable[[httpx.Client, random.Random], httpx.Response],
) -> list[tuple[int, float]]:
    """``requests`` requests from ``clients`` concurrent logged-in clients;
    returns (status, seconds) of each."""
    sessions = [host_session(base, username, password) for _ in range(clients)]
    per = [requests // clients + (i < requests % clients) for i in range(clients)]

    def run(i: int) -> list[tuple[int, float]]:
        rng = random.Random(i)
        out = []
        for _ in range(per[i]):
            t0 = time.perf_counter()
            r = pick(sessions[i], rng)
            out.append((r.status_code, time.perf_counter() - t0))
        return out

    try:
        with concurrent.futures.ThreadPoolExecutor(clients) as ex:
            return [x for chunk in ex.map(run, range(clients)) for x in chunk]
    finally:
        for s in sessions:
            s.close()


def mixed_host_request(quiz_id: int, pin: str) -> Callable[[httpx.Client, random.Random], Any]:
    """Quiz list, quiz detail, open a game, results, me: the host console's
    requests, each touching PostgreSQL."""

    def pick(c: httpx.Client, rng: random.Random) -> httpx.Response:
        kind = rng.randrange(5)
        if kind == 0:
            return c.get("/api/quizzes")
        if kind == 1:
            return c.get(f"/api/quizzes/{quiz_id}")
        if kind == 2:
            return c.post("/api/games", json={"quiz": quiz_id})
        if kind == 3:
            return c.get(f"/api/games/{pin}/results")
        return c.get("/api/auth/me")

    return pick


def games_cleanup() -> None:
    """Remove the Redis keys and PINs of every game in the test database."""
    from quiz.models import Game

    r = redis.Redis.from_url(settings.REDIS_URL)
    eng = SyncEngine(r)
    for gid, pin, document in Game.objects.values_list("key", "pin", "document"):
        r.delete(*keys.all_of(gid, len(document["questions"])))
        if pin:
            eng.run(ops.release_pin(pin, gid))
    r.close()


def app_name() -> str:
    return "stadium-test-" + secrets.token_hex(4)
