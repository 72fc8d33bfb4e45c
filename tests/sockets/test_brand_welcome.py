"""The game's brand reaches every socket with the game (docs/protocol.md,
``welcome.game.brand``): the quiz's accent and logo as the game opened
with them, null each for a quiz without."""

from __future__ import annotations

import pytest

from .conftest import Server, connect, seat
from .helpers import QUIZ, open_game

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]


async def test_welcome_carries_the_brand_to_players_hosts_and_screens(server: Server) -> None:
    branded = {**QUIZ, "accent": "#1E88E5", "logo_url": "https://example.com/club.png"}
    g = await open_game(1, branded)
    host, (p,) = await seat(server, g)
    screen = await connect(server, f"/ws/screen/{g.pin}/", g.screen_token)
    want = {"accent": "#1e88e5", "logo": "https://example.com/club.png"}
    assert host.frames[0]["game"]["brand"] == want
    assert p.frames[0]["game"]["brand"] == want
    assert (await screen.expect("welcome"))["game"]["brand"] == want
    plain = await open_game(1)
    host2, (p2,) = await seat(server, plain)
    assert p2.frames[0]["game"]["brand"] == {"accent": None, "logo": None}
    for c in (host, p, screen, host2, p2):
        await c.close()
