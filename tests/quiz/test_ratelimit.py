"""HTTP rate limits on failures, counted in the real Redis: failed logins
per username and per address, unknown PINs per address. Refusals are 429
rate_limited with Retry-After; successes never count. Every test uses
addresses and usernames of its own (the Redis is shared)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client

from quiz import ratelimit

from .counting_hasher import CountingHasher

pytestmark = pytest.mark.django_db

LIMITS = {"login_user": (5, 900), "login_addr": (20, 900), "pin_probe": (10, 60)}


@pytest.fixture
def subjects() -> Iterator[list[tuple[str, str]]]:
    """(kind, subject) of every counter a test may touch, deleted after."""
    used: list[tuple[str, str]] = []
    yield used
    r = redis.Redis.from_url(django_settings.REDIS_URL)
    r.delete(*(ratelimit.Limit(kind, 1, 1, "").key(s) for kind, s in used))
    r.close()


@pytest.fixture
def limits(settings: Any, subjects: list[tuple[str, str]]) -> Any:
    settings.STADIUM = {**settings.STADIUM, "RATE_LIMITS": LIMITS}
    settings.PASSWORD_HASHERS = ["tests.quiz.counting_hasher.CountingHasher"]

    def addr() -> str:
        a = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"
        subjects.extend([("login_addr", a), ("pin_probe", a)])
        return a

    def user() -> tuple[str, str]:
        name = "host-" + secrets.token_hex(4)
        get_user_model().objects.create_user(username=name, password="right-pw")
        subjects.append(("login_user", name))
        return name, "right-pw"

    return addr, user


def login(addr: str, username: str, password: str) -> Any:
    c = Client(REMOTE_ADDR=addr)  # CSRF checks are off in the test client
    return c.post(
        "/api/auth/login",
        {"username": username, "password": password},
        content_type="application/json",
    )


def assert_limited(r: Any, window_s: int, what: str) -> None:
    assert r.status_code == 429, f"{what}: {r.status_code} {r.content[:200]!r}"
    body = r.json()
    assert body["error"] == "rate_limited", what
    assert body["message"], what
    assert 1 <= int(r["Retry-After"]) <= window_s, what


def test_failed_logins_per_username_lock_it_out_without_hashing(limits):
    addr, user = limits
    name, pw = user()
    for _ in range(5):  # from ever new addresses: the username's own budget
        assert login(addr(), name, "wrong").status_code == 401
    before = CountingHasher.calls
    assert_limited(login(addr(), name, "wrong"), 900, "6th failure")
    assert_limited(login(addr(), name, pw), 900, "the right password while locked")
    assert_limited(login(addr(), name.upper(), "wrong"), 900, "another case of the name")
    assert CountingHasher.calls == before, "a refused login hashed a password"
    # another host is not affected
    other, other_pw = user()
    assert login(addr(), other, other_pw).status_code == 200


def test_failed_logins_per_address(limits):
    addr, user = limits
    a = addr()
    for i in range(20):  # every guess at another name
        assert login(a, f"nobody-{i}-{secrets.token_hex(3)}", "x").status_code == 401
    name, pw = user()
    assert_limited(login(a, name, pw), 900, "21st attempt from the address")
    assert login(addr(), name, pw).status_code == 200  # from elsewhere, fine


def test_successful_logins_never_count(limits):
    addr, user = limits
    a = addr()
    name, pw = user()
    for _ in range(30):
        assert login(a, name, pw).status_code == 200
    for _ in range(4):
        assert login(a, name, "wrong").status_code == 401
    assert login(a, name, pw).status_code == 200


def join(addr: str, pin: str, nickname: str) -> Any:
    return Client(REMOTE_ADDR=addr).post(
        f"/api/games/{pin}/players", {"nickname": nickname}, content_type="application/json"
    )


def unknown_pin(known: str) -> str:
    while (pin := str(100_000 + secrets.randbelow(900_000))) == known:
        pass
    return pin


def test_unknown_pins_per_address_are_limited(limits, open_game):
    addr, _ = limits
    pin = open_game()["pin"]
    prober = addr()
    for i in range(10):
        r = join(prober, unknown_pin(pin), f"Probe {i}")
        assert r.status_code == 404 and r.json()["error"] == "unknown_game"
    assert_limited(join(prober, unknown_pin(pin), "Probe"), 60, "11th unknown PIN")
    # every attempt is refused now, so nothing tells a live PIN from a dead one
    assert_limited(join(prober, pin, "Probe ok"), 60, "a live PIN from the prober")
    assert_limited(Client(REMOTE_ADDR=prober).get(f"/api/games/{pin}"), 60, "game lookup")
    # other addresses join as before
    assert join(addr(), pin, "Someone").status_code == 201


def test_game_lookups_with_unknown_pins_count_too(limits, open_game):
    addr, _ = limits
    pin = open_game()["pin"]
    prober = Client(REMOTE_ADDR=addr())
    for _ in range(10):
        assert prober.get(f"/api/games/{unknown_pin(pin)}").status_code == 404
    assert_limited(prober.get(f"/api/games/{unknown_pin(pin)}"), 60, "11th lookup")


def test_successful_joins_never_count(limits, open_game):
    addr, _ = limits
    pin = open_game()["pin"]
    nat = addr()  # a stadium's phones behind one address
    for i in range(150):
        assert join(nat, pin, f"Fan {i}").status_code == 201
    # refusals other than an unknown PIN do not count either
    for _ in range(15):
        assert join(nat, pin, "Fan 0").status_code == 409
    for _ in range(9):  # typos
        assert join(nat, unknown_pin(pin), "Typo").status_code == 404
    assert join(nat, pin, "Fan 150").status_code == 201
