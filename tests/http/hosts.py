"""Hosts and their requests against a real server, for the HTTP tests: a
committed host user and quiz, the mix of host requests, and cleanup of the
games they open (sessions and bursts are testkit.hosts')."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import httpx
import redis
from django.conf import settings

from engine import SyncEngine, keys, ops
from testkit.documents import numbered
from testkit.hosts import PeakSampler, app_name, burst, held_connections, host_session

__all__ = ["DOC", "PeakSampler", "app_name", "burst", "held_connections", "host_session"]

DOC = numbered(3, title="Pool quiz", time_limit=20)


def host_create(username: str, password: str) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username=username, password=password)


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
