"""A 30-player game of every question kind through nginx, with two Stadium
servers behind it: the players' sockets spread over both (each server's own
count of open sockets says so), every number equal to the oracle's
(tests/sockets/kinds_play.py), and the big screen gets its welcome and the
leaderboard ticks through the proxy."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from testkit.nginx import Nginx
from testkit.serve import Uvicorn

from ..sockets.conftest import connect
from ..sockets.kinds_play import QUESTIONS, QUIZ, open_game, plan_of, run_game, verify

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

N_PLAYERS = 30


def open_sockets(server: Uvicorn) -> dict[str, float]:
    """The server's own stadium_connections gauge by kind, from its
    /metrics (one process: no multiprocess directory, so its values only)."""
    r = httpx.get(f"{server.http}/metrics", timeout=10)
    assert r.status_code == 200, r.text
    for family in text_string_to_metric_families(r.text):
        if family.name == "stadium_connections":
            return {s.labels["kind"]: s.value for s in family.samples}
    raise AssertionError("no stadium_connections in /metrics")


async def test_30_players_through_nginx_over_two_servers(
    proxy: Nginx, upstreams: list[Uvicorn]
) -> None:
    before = [sum(open_sockets(s).values()) for s in upstreams]
    g = await open_game(N_PLAYERS, QUIZ, reveal="live")
    screen = await connect(proxy, f"/ws/screen/{g.pin}/", g.screen_token)
    await screen.expect("welcome")
    # the host and every player connect to nginx, never to a server
    play = await run_game(g, [proxy], plan_of(g.players, seed=30))
    try:
        failures = await verify(play, proxy, QUESTIONS, "live")
        assert not failures, "\n".join(failures)
        served = [sum(open_sockets(s).values()) - b for s, b in zip(upstreams, before, strict=True)]
        assert all(n > 0 for n in served), f"sockets per server: {served}"
        assert sum(served) == N_PLAYERS + 2, f"sockets per server: {served}"  # + host + screen
        # the screen's socket lived through the game: ticks while answers
        # came in, every close, the end
        kinds = [f["type"] for f in screen.frames]
        assert screen.close_code is None
        assert kinds.count("leaderboard") >= len(QUESTIONS), kinds
        assert kinds.count("question_closed") == len(QUESTIONS) and "game_over" in kinds, kinds
    finally:
        for c in (screen, play.host, *play.clients.values()):
            await c.close()
