"""Sockets per token in-process, no server: under the cap every socket is
seated; past it the oldest of that token gives way (the newest always gets
in); tokens do not share seats; a cap below 1 still seats one."""

from __future__ import annotations

from sockets.seats import Seats


def test_past_the_cap_the_oldest_gives_way() -> None:
    s = Seats()
    key = ("play", "g1", 7)
    assert s.take(key, "a", 2) == []
    assert s.take(key, "b", 2) == []
    assert s.take(key, "c", 2) == ["a"]
    assert s.take(key, "d", 2) == ["b"]
    assert s.count(key) == 2


def test_tokens_do_not_share_seats() -> None:
    s = Seats()
    assert s.take(("play", "g1", 1), "a", 1) == []
    assert s.take(("play", "g1", 2), "b", 1) == []
    assert s.take(("screen", "g1", 1), "c", 1) == []
    assert s.count(("play", "g1", 1)) == 1


def test_the_newest_always_gets_in_even_with_a_zero_cap() -> None:
    s = Seats()
    key = ("host", "g1", 0)
    assert s.take(key, "a", 0) == []
    assert s.take(key, "b", 0) == ["a"]
    assert s.count(key) == 1


def test_leaving_frees_a_seat_and_forgets_an_empty_token() -> None:
    s = Seats()
    key = ("play", "g1", 3)
    s.take(key, "a", 2)
    s.take(key, "b", 2)
    s.leave(key, "a")
    assert s.take(key, "c", 2) == []
    s.leave(key, "b")
    s.leave(key, "c")
    assert s.count(key) == 0 and key not in s.groups
    s.leave(key, "c")  # leaving twice, or a socket never seated: nothing happens
