"""Auto-advance with two server processes: each step (the leaderboard after
the results, the next question, the end) happens exactly once, whichever
process's clock takes it (docs/protocol.md, "Auto-advance")."""

from __future__ import annotations

import time
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from engine import keys
from quiz.models import Game
from quiz.redis import redis_sync
from testkit.documents import document, question

from .conftest import Server, connect
from .helpers import open_game

pytestmark = pytest.mark.django_db(transaction=True)

QUIZ = document(
    "Auto",
    [
        question("One?", ["a", "b"], {0}, time_limit=5),
        {
            "kind": "poll",
            "text": "Pick",
            "time_limit": 5,
            "choices": [{"text": "x"}, {"text": "y"}],
        },
        question("Three?", ["a", "b"], {1}, time_limit=5),
    ],
)


def _events(game: str) -> list[str]:
    out = []
    for _, f in redis_sync().xrange(keys.events(game)):
        t = f.get(b"t", f.get("t"))
        out.append(t.decode() if isinstance(t, bytes) else t)
    return out


async def test_auto_advance_runs_the_show_once_across_two_processes(
    servers: list[Server],
) -> None:
    g = await open_game(2, QUIZ, auto_advance={"reveal_s": 1, "leaderboard_s": 1})
    a, b = servers
    host = await connect(a, f"/ws/host/{g.pin}/", g.host_token)
    screen = await connect(b, f"/ws/screen/{g.pin}/", g.screen_token)
    ps = [
        await connect(a, f"/ws/play/{g.pin}/", g.tokens[0]),
        await connect(b, f"/ws/play/{g.pin}/", g.tokens[1]),
    ]
    for c in (host, screen, *ps):
        w = await c.expect("welcome")
        assert w["game"]["auto_advance"] == {"reveal_s": 1, "leaderboard_s": 1}
    await host.send({"type": "start_question", "question": 1})
    t0 = time.time()
    for n in (1, 2, 3):
        for p in ps:
            await p.expect("question", question=n)
            await p.send({"type": "answer", "question": n, "choices": [0]})
        closed = await screen.expect("question_closed", question=n)
        board = await screen.expect("show_leaderboard", question=n)
        # the results show reveal_s (1 s) before the board
        assert board["_t"] - closed["_t"] >= 0.8
    over = await screen.expect("game_over", timeout=15)
    assert over["podium"][0]["score"] > 0
    for c in (host, *ps):
        await c.expect("game_over", timeout=5)
    assert time.time() - t0 < 40
    # exactly once each, though both processes' clocks ran the show
    ev = _events(g.game)
    assert ev.count("open") == 3 and ev.count("close") == 3
    assert ev.count("board") == 3 and ev.count("end") == 1
    for c in (host, screen, *ps):
        assert [f["question"] for f in c.frames if f["type"] == "question"] == [1, 2, 3]
        assert [f["question"] for f in c.frames if f["type"] == "show_leaderboard"] == [1, 2, 3]
        assert [f["type"] for f in c.frames].count("game_over") == 1
    # the server that ended the game saved its results
    deadline = time.time() + 10
    saved: Any = None
    while time.time() < deadline and saved is None:
        saved = await sync_to_async(lambda: Game.objects.get(key=g.game).saved)()
        if saved is None:
            time.sleep(0.2)
    assert saved is not None
    for c in (host, screen, *ps):
        await c.close()
