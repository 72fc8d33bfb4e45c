"""Reactions (issue 15): 10 players on two server processes tap 50 times
each; the big screen's ``reactions`` frames add up to exactly what was
tapped, per reaction; no phone receives a frame for any tap; past the rate
a tap is refused with ``rate_limited`` and not counted; a bad reaction is a
``bad_request``; only players react."""

from __future__ import annotations

import asyncio
import time
import typing
from collections import Counter
from typing import Any

import pytest

from engine.reactions import REACTIONS
from sockets import messages as m

from .conftest import Client, Server, connect, start_server
from .helpers import open_game

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]

TAPS = 50
SETTLE_S = 4  # a second's bucket is read two seconds after it ends
DEADLINE_S = 15


@pytest.fixture(scope="module")
def fast_tappers(django_db_setup: Any) -> Any:
    """Two servers whose players may tap 100 times a second."""
    env = {"STADIUM_REACTIONS_PER_S": "100", "STADIUM_REACTIONS_BURST": "100"}
    started = [start_server(env), start_server(env)]
    yield started
    for s in started:
        s.stop()


def test_the_frame_schema_and_the_engine_list_agree() -> None:
    allowed = typing.get_args(m.React.model_fields["reaction"].annotation)
    assert tuple(allowed) == REACTIONS


async def screen_totals(screen: Client, want: int) -> Counter[str]:
    """Sum of the screen's reactions frames until ``want`` taps are seen."""
    total: Counter[str] = Counter()
    end = time.monotonic() + DEADLINE_S
    while sum(total.values()) < want and time.monotonic() < end:
        try:
            f = await asyncio.wait_for(screen.inbox.get(), end - time.monotonic())
        except TimeoutError:
            break
        if f["type"] == "reactions":
            assert isinstance(f["second"], int) and "seq" not in f
            total.update(f["counts"])
    return total


async def test_taps_add_up_on_the_screen_and_reach_no_phone(fast_tappers: list[Server]) -> None:
    a, b = fast_tappers
    g = await open_game(10)
    screen = await connect(a, f"/ws/screen/{g.pin}/", g.screen_token)
    players = [
        await connect((a, b)[i % 2], f"/ws/play/{g.pin}/", t) for i, t in enumerate(g.tokens)
    ]
    for c in (screen, *players):
        await c.expect("welcome")
    seen_before = [len(p.frames) for p in players]
    tapped: Counter[str] = Counter()
    for k in range(TAPS):
        for i, p in enumerate(players):
            r = REACTIONS[(i + k) % len(REACTIONS)]
            await p.send({"type": "react", "reaction": r})
            tapped[r] += 1
        await asyncio.sleep(0.02)
    got = await screen_totals(screen, TAPS * len(players))
    assert got == tapped and sum(got.values()) == 500
    await asyncio.sleep(SETTLE_S)  # nothing more comes: every tap counted once
    late = [f for f in screen.frames if f["type"] == "reactions"]
    assert Counter(r for f in late for r, n in f["counts"].items() for _ in range(n)) == tapped
    # the taps sent the phones nothing at all (the lobby sends nothing else)
    assert [len(p.frames) for p in players] == seen_before
    for c in (screen, *players):
        await c.close()


async def test_past_the_rate_taps_are_refused_and_not_counted(server: Server) -> None:
    g = await open_game(2)
    screen = await connect(server, f"/ws/screen/{g.pin}/", g.screen_token)
    p = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
    q = await connect(server, f"/ws/play/{g.pin}/", g.tokens[1])
    for c in (screen, p, q):
        await c.expect("welcome")
    # default limits: a burst of 10, then 2 a second
    for _ in range(25):
        await p.send({"type": "react", "reaction": "fire"})
    refused = 0
    end = time.monotonic() + 3
    while time.monotonic() < end:
        try:
            f = await asyncio.wait_for(p.inbox.get(), 0.5)
        except TimeoutError:
            break
        if f["type"] == "error":
            assert (f["code"], f["ref"]) == ("rate_limited", "react"), f
            refused += 1
    accepted = 25 - refused
    assert 10 <= accepted <= 12, accepted  # the burst, and what 2 a second refilled
    got = await screen_totals(screen, accepted)
    assert got == Counter({"fire": accepted})
    # a reaction off the list, or from someone else than a player
    await q.send({"type": "react", "reaction": "poop"})
    f = await q.expect("error")
    assert (f["code"], f["ref"]) == ("bad_request", "react"), f
    await screen.send({"type": "react", "reaction": "clap"})
    f = await screen.expect("error")
    assert (f["code"], f["ref"]) == ("not_allowed", "react"), f
    for c in (screen, p, q):
        await c.close()
