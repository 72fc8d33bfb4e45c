"""The big screen's lobby wall and late-join line (docs/protocol.md):
a screen's welcome carries the newest joiners (``latest_players``), the
``players`` frame reaches screens as well as hosts, and it follows
``join_open`` live: lock, unlock, and the first question with late join off."""

from __future__ import annotations

from typing import Any

import pytest

from quiz.services.players import player_join

from .conftest import Client, Server, connect
from .helpers import open_game

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(90)]


async def _screen(server: Server, g: Any) -> tuple[Client, dict[str, Any]]:
    screen = await connect(server, f"/ws/screen/{g.pin}/", g.screen_token)
    return screen, await screen.expect("welcome")


async def test_the_screen_welcome_carries_the_newest_joiners(server: Server) -> None:
    g = await open_game(200)
    screen, w = await _screen(server, g)
    wall = w["latest_players"]
    # the newest 100, oldest of them first: Player100 .. Player199
    assert [p["nickname"] for p in wall] == [f"Player{i:02d}" for i in range(100, 200)]
    assert [p["player"] for p in wall] == g.players[100:]
    assert w["game"]["players"] == 200
    # the first 10 of the board (what the lobby showed before) are the oldest
    # (joins in the same millisecond tie, and ties go by player id: so only
    # "among the first joiners", not an exact order)
    top10 = [e["nickname"] for e in w["leaderboard"]["top"]][:10]
    assert "Player00" in top10
    assert set(top10) <= {f"Player{i:02d}" for i in range(20)}
    await screen.close()

    # a kicked player leaves the wall
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    await host.expect("welcome")
    await host.send({"type": "kick", "player": g.players[-1]})
    await host.expect("players", kicked=[g.players[-1]])
    screen, w = await _screen(server, g)
    names = [p["nickname"] for p in w["latest_players"]]
    assert names[-1] == "Player198" and "Player199" not in names and len(names) == 100

    # once the game has started the wall is over
    await host.send({"type": "start_question", "question": 1})
    await screen.expect("question", question=1)
    screen2, w2 = await _screen(server, g)
    assert w2["latest_players"] == []
    for c in (host, screen, screen2):
        await c.close()


async def test_screens_get_the_players_frame_with_joins_kicks_and_the_lock(
    server: Server,
) -> None:
    g = await open_game(1)
    screen, w = await _screen(server, g)
    assert [p["nickname"] for p in w["latest_players"]] == ["Player00"]
    assert w["game"]["join_open"] is True
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    await host.expect("welcome")

    late = [await player_join(pin=g.pin, nickname=f"Wall{i}") for i in range(3)]
    got: list[str] = []
    while len(got) < 3:
        f = await screen.expect("players")
        got += [p["nickname"] for p in f["joined"]]
        assert f["join_open"] is True and isinstance(f["prev"], str) and f["seq"]
    assert got == ["Wall0", "Wall1", "Wall2"]
    assert f["players"] == 4

    await host.send({"type": "kick", "player": late[0].player})
    f = await screen.expect("players", kicked=[late[0].player])
    assert f["players"] == 3 and f["joined"] == []

    await host.send({"type": "lock_join"})
    assert (await screen.expect("players", join_open=False))["players"] == 3
    await host.send({"type": "lock_join", "locked": False})
    await screen.expect("players", join_open=True)

    # late join on: the first question leaves joining open, no roster frame
    await host.send({"type": "start_question", "question": 1})
    await screen.expect("question", question=1)
    await screen.expect("leaderboard", question=1)
    assert [f for f in screen.frames if f["type"] == "players"][-1]["join_open"] is True
    for c in (host, screen):
        await c.close()


async def test_late_join_off_the_first_question_tells_screens_joining_closed(
    server: Server,
) -> None:
    g = await open_game(2, late_join=False)
    screen, w = await _screen(server, g)
    assert w["game"]["join_open"] is True
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    await host.expect("welcome")
    await host.send({"type": "start_question", "question": 1})
    f = await screen.expect("players", join_open=False)
    assert f["joined"] == [] and f["kicked"] == [] and f["players"] == 2
    # the roster came first: no screen invites latecomers over the question
    kinds = [x["type"] for x in screen.frames]
    assert "question" not in kinds[: kinds.index("players")]
    await screen.expect("question", question=1)
    # the host's console hears it too (its lock button)
    await host.expect("players", join_open=False)
    # and a screen that connects now reads it from its welcome
    screen2, w2 = await _screen(server, g)
    assert w2["game"]["join_open"] is False
    # the chain has no gap: every broadcast frame's prev is the one before
    await host.send({"type": "close_question"})
    await screen.expect("question_closed", question=1)
    chained = [x for x in screen.frames if "prev" in x]
    for a, b in zip(chained, chained[1:], strict=False):
        assert b["prev"] == a["seq"], (a, b)
    for c in (host, screen, screen2):
        await c.close()
