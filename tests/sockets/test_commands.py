"""Host commands as one step each (quiz/live/actions.py): a start that is
refused changes nothing, and every refusal of a host command is an error
frame with a documented code."""

from __future__ import annotations

import pytest

from .conftest import Server, connect, seat
from .helpers import open_game
from .test_refusals import error_code

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]


async def test_a_refused_start_leaves_the_open_question_open(server: Server) -> None:
    g = await open_game(1, reveal="live")  # the ack's points show question 2 took it
    host, (p,) = await seat(server, g)
    await host.send({"type": "start_question", "question": 1})
    await p.expect("question", question=1)
    await host.send({"type": "start_question"})  # the next one: 2, closing 1
    await p.expect("question_closed", question=1)
    await p.expect("question", question=2)
    # question 1 was played: refused, and question 2 must stay open
    assert await error_code(host, {"type": "start_question", "question": 1}) == "already_played"
    await p.send({"type": "answer", "question": 2, "choices": [1, 3]})
    ack = await p.expect("answer_ack", question=2)
    assert ack["points"] > 0
    assert not [f for f in p.frames if f["type"] == "question_closed" and f["question"] == 2]


async def test_host_command_refusals_have_documented_codes(server: Server) -> None:
    g = await open_game(1)
    host, (p,) = await seat(server, g)
    assert await error_code(host, {"type": "close_question"}) == "not_open"
    for n in (1, 2, 3):
        await host.send({"type": "start_question", "question": n})
        await p.expect("question", question=n)
    assert await error_code(host, {"type": "start_question"}) == "no_more_questions"
    assert await error_code(host, {"type": "hello", "token": g.host_token}) == "bad_request"
    await host.send({"type": "end_game"})
    await host.expect("saved", timeout=30)
    assert await error_code(host, {"type": "start_question"}) == "game_finished"


async def test_the_hosts_show_leaderboard_in_a_manual_game(server: Server) -> None:
    """A game without auto-advance: the host's show_leaderboard after a
    close gives every screen and phone the same show_leaderboard as
    auto-advance's step, once, and a welcome after it says board_shown."""
    g = await open_game(1)
    host, (p,) = await seat(server, g)
    screen = await connect(server, f"/ws/screen/{g.pin}/", g.screen_token)
    await screen.expect("welcome")
    # in the lobby: nothing closed to follow
    assert await error_code(host, {"type": "show_leaderboard"}) == "not_closed"
    await host.send({"type": "start_question", "question": 1})
    await p.expect("question", question=1)
    assert await error_code(host, {"type": "show_leaderboard"}) == "not_closed"  # still open
    assert await error_code(p, {"type": "show_leaderboard"}) == "not_host"
    assert await error_code(screen, {"type": "show_leaderboard"}) == "not_host"
    await host.send({"type": "close_question"})
    await screen.expect("question_closed", question=1)
    await host.send({"type": "show_leaderboard"})
    for c in (screen, p, host):
        await c.expect("show_leaderboard", question=1)
    errors_before = len([f for f in host.frames if f["type"] == "error"])
    await host.send({"type": "show_leaderboard"})  # a replay: no second broadcast, no error
    await host.send({"type": "resync"})
    w = await host.expect("welcome", timeout=5)
    assert w["question"]["board_shown"] is True
    assert [f["question"] for f in screen.frames if f["type"] == "show_leaderboard"] == [1]
    assert len([f for f in host.frames if f["type"] == "error"]) == errors_before
    # the next question clears it
    await host.send({"type": "start_question"})
    await screen.expect("question", question=2)
    await screen.send({"type": "resync"})
    w = await screen.expect("welcome", timeout=5)
    assert w["question"]["board_shown"] is False
