"""The audience without a server: registry, seq chains, broadcast. Fake
connections only record what they are pushed (the audience does no I/O)."""

from __future__ import annotations

import copy
import json
from typing import Any

from sockets.audience import Audience, seq_after
from sockets.wire import framed


class Recorder:
    def __init__(self, role: str, player: int | None = None) -> None:
        self.role = role
        self.player = player
        self.texts: list[str] = []
        self.wires: list[bytes | None] = []

    def push(self, frame: str, wire: bytes | None = None) -> None:
        self.texts.append(frame)
        self.wires.append(wire)

    def close_soon(self, code: int) -> None:
        pass

    @property
    def frames(self) -> list[dict[str, Any]]:
        return [json.loads(t) for t in self.texts]


def test_seq_after_suffixes_frames_of_one_event_and_restarts_on_a_new_one() -> None:
    assert seq_after("0-0", "5-0") == "5-0"
    assert seq_after("5-0", "5-0") == "5-0.1"
    assert seq_after("5-0.1", "5-0") == "5-0.2"
    assert seq_after("5-0.9", "5-0") == "5-0.10"
    assert seq_after("5-0.2", "7-3") == "7-3"


def test_each_role_has_its_own_chain_linked_by_prev() -> None:
    a = Audience("5-0")
    assert a.next_seq("screen", "5-0") == ("5-0.1", "5-0")
    assert a.next_seq("screen", "5-0") == ("5-0.2", "5-0.1")
    assert a.next_seq("host", "5-0") == ("5-0.1", "5-0")  # untouched by the screens'
    assert a.next_seq("screen", "6-0") == ("6-0", "5-0.2")
    a.restart("9-0")
    assert a.seq == {"player": "9-0", "host": "9-0", "screen": "9-0"}


def test_broadcast_never_changes_the_frame_it_is_given() -> None:
    a = Audience("1-0")
    a.add(Recorder("screen"))
    a.add(Recorder("host"))
    frame = {"type": "leaderboard", "top": [{"player": 1, "score": 3}], "players": 1}
    before = copy.deepcopy(frame)
    a.broadcast(["screen", "host"], frame, "2-0")
    a.send_each("player", {}, "2-0")
    assert frame == before


def test_broadcast_serializes_once_per_role_and_chains() -> None:
    a = Audience("1-0")
    screens = [Recorder("screen") for _ in range(3)]
    host, phone = Recorder("host"), Recorder("player", 7)
    for c in (*screens, host, phone):
        a.add(c)
    a.broadcast(["screen", "host"], {"type": "question", "question": 1}, "2-0")
    a.broadcast(["screen"], {"type": "leaderboard", "question": 1}, "2-0")
    # the very same string object to every screen: one serialization
    assert screens[0].texts[0] is screens[1].texts[0] is screens[2].texts[0]
    # and the very same bytes, framed once, which carry that text
    assert screens[0].wires[0] is screens[1].wires[0] is screens[2].wires[0]
    assert screens[0].wires[0] == framed(screens[0].texts[0])
    assert phone.texts == []
    got = screens[0].frames
    assert [(f["type"], f["seq"], f["prev"]) for f in got] == [
        ("question", "2-0", "1-0"),
        ("leaderboard", "2-0.1", "2-0"),
    ]
    assert [(f["seq"], f["prev"]) for f in host.frames] == [("2-0", "1-0")]


def test_a_role_chain_advances_with_nobody_there() -> None:
    """A socket arriving later is welcomed at the chain's current seq."""
    a = Audience("1-0")
    a.broadcast(["host"], {"type": "players"}, "3-0")
    assert a.seq["host"] == "3-0"
    host = Recorder("host")
    a.add(host)
    a.broadcast(["host"], {"type": "players"}, "4-0")
    assert (host.frames[0]["seq"], host.frames[0]["prev"]) == ("4-0", "3-0")


def test_personal_frames_share_one_link_and_stay_untouched() -> None:
    a = Audience("1-0")
    p1, p2 = Recorder("player", 1), Recorder("player", 2)
    a.add(p1)
    a.add(p2)
    f1, f2 = {"type": "game_over", "rank": 1}, {"type": "game_over", "rank": 2}
    a.send_each("player", {p1: f1, p2: f2}, "8-0")
    assert (p1.frames[0]["rank"], p2.frames[0]["rank"]) == (1, 2)
    assert {(f.frames[0]["seq"], f.frames[0]["prev"]) for f in (p1, p2)} == {("8-0", "1-0")}
    assert "seq" not in f1 and "seq" not in f2


def test_registry_groups_players_and_notes_when_the_last_one_left() -> None:
    a = Audience()
    tab1, tab2, screen = Recorder("player", 5), Recorder("player", 5), Recorder("screen")
    for c in (tab1, tab2, screen):
        a.add(c)
    assert a.players() == [5] and a.of_player(5) == {tab1, tab2}
    a.remove(tab1)
    assert a.of_player(5) == {tab2} and a.idle_since is None
    a.remove(tab2)
    a.remove(screen)
    assert a.players() == [] and a.of_player(5) == set()
    assert a.idle_since is not None
    a.add(screen)
    assert a.idle_since is None


def test_the_relays_broadcast_leaves_the_callers_frame_alone() -> None:
    from sockets.relay import GameRelay

    relay = GameRelay("g", "000000", None)  # type: ignore[arg-type]  # sending needs no Redis
    screen = Recorder("screen")
    relay.add(screen)
    frame = {"type": "resync", "reason": "rebuilt"}
    relay.broadcast(["screen", "host"], frame)
    assert frame == {"type": "resync", "reason": "rebuilt"}
    assert screen.frames[0]["seq"] == "0-0.1"
