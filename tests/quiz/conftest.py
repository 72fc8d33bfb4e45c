"""Fixtures of the quiz app's tests: hosts, logged-in clients, a quiz
document, and cleanup of the Redis keys of every game a test opened."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from engine import SyncEngine, keys, ops
from testkit import documents

DOC = documents.document(
    "Test quiz",
    [
        documents.question("Largest ocean?", ["Atlantic", "Pacific"], {1}, time_limit=20),
        documents.question(
            "Which are even?", ["3", "8", "5", "12"], {1, 3}, multiplier=2,
            image="https://example.com/even.png",
        ),
    ],
)  # fmt: skip


@pytest.fixture
def doc() -> dict[str, Any]:
    return copy.deepcopy(DOC)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    # the default hasher costs ~0.3 s a user on purpose; tests need no cost
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_rate_limits(settings: Any) -> None:
    """The test client's address is 127.0.0.1 for every test (and for other
    processes on the shared Redis): failures counted there would refuse
    later tests. tests/quiz/test_ratelimit.py turns the limits on, for
    addresses and names of its own."""
    settings.STADIUM = {
        **settings.STADIUM,
        "RATE_LIMITS": {k: (0, w) for k, (_, w) in settings.STADIUM["RATE_LIMITS"].items()},
    }


@pytest.fixture(autouse=True)
def games_cleanup(db: None) -> Iterator[None]:
    """Delete the Redis keys and PINs of the games this test opened (the
    test database is private, so every Game row is this test's)."""
    yield
    from quiz.models import Game

    r = redis.Redis.from_url(settings.REDIS_URL)
    eng = SyncEngine(r)
    for gid, pin, document in Game.objects.values_list("key", "pin", "document"):
        r.delete(*keys.all_of(gid, len(document["questions"])))
        if pin:
            eng.run(ops.release_pin(pin, gid))  # only if it is still this game's
    r.close()


def _host(username: str) -> Any:
    return get_user_model().objects.create_user(username=username, password="pw-" + username)


@pytest.fixture
def host(db: None) -> Any:
    return _host("alice")


@pytest.fixture
def other_host(db: None) -> Any:
    return _host("bob")


@pytest.fixture
def host_client(host: Any) -> Client:
    c = Client()
    c.force_login(host)
    return c


@pytest.fixture
def other_client(other_host: Any) -> Client:
    c = Client()
    c.force_login(other_host)
    return c


@pytest.fixture
def anon() -> Client:
    return Client()


def post(c: Client, path: str, data: Any, **kw: Any) -> Any:
    return c.post(path, data, content_type="application/json", **kw)


@pytest.fixture
def quiz_id(host_client: Client, doc: dict[str, Any]) -> int:
    r = post(host_client, "/api/quizzes", doc)
    assert r.status_code == 201, r.content
    return int(r.json()["id"])


@pytest.fixture
def open_game(host_client: Client, quiz_id: int) -> Any:
    """Open a game of the test quiz with these settings; returns the body."""

    def _open(**settings_: Any) -> dict[str, Any]:
        r = post(host_client, "/api/games", {"quiz": quiz_id, **settings_})
        assert r.status_code == 201, r.content
        return r.json()

    return _open
