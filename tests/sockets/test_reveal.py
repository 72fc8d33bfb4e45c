"""The two reveal settings (docs/protocol.md): ``live`` shows points at once,
``on_close`` (the default) only says "locked in" until the question closes."""

from __future__ import annotations

import asyncio

import pytest

from .conftest import Server, connect, seat
from .helpers import open_game

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]


async def test_on_close_reveals_nothing_until_the_close(server: Server) -> None:
    g = await open_game(3, reveal="on_close")
    host, ps = await seat(server, g)
    await host.send({"type": "start_question", "question": 1})
    start = len(ps[2].frames)
    for c in ps[:2]:
        await c.expect("question")
    await ps[0].send({"type": "answer", "question": 1, "choices": [2]})  # right
    ack = await ps[0].expect("answer_ack")
    assert ack["locked"] is True
    assert not {"points", "total", "rank", "streak", "bonus"} & ack.keys()
    await ps[1].send({"type": "answer", "question": 1, "choices": [0]})  # wrong
    await ps[1].expect("answer_ack")
    await ps[2].expect("leaderboard", answered=2)
    # mid-question: the board has not moved for anyone watching
    for f in ps[2].frames[start:]:
        if f["type"] == "leaderboard":
            assert all(e["score"] == 0 for e in f["top"]), f
    # a reconnect mid-question does not reveal either
    await ps[0].close()
    ps[0] = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
    w = await ps[0].expect("welcome")
    assert w["you"]["score"] == 0 and w["you"]["rank"] is None
    assert w["you"]["answer"] == {"question": 1, "choices": [2], "value": [2]}
    assert all(e["score"] == 0 for e in w["leaderboard"]["top"])
    await host.send({"type": "close_question"})
    right = await ps[0].expect("question_closed")
    wrong = await ps[1].expect("question_closed")
    assert right["points"] > 900 and right["rank"] == 1 and right["total"] == right["points"]
    assert wrong["points"] == 0 and wrong["rank"] > 1
    board = await ps[2].expect("leaderboard")
    assert board["top"][0]["score"] == right["points"]


async def test_a_game_opened_without_a_reveal_setting_reveals_at_the_close(
    server: Server,
) -> None:
    """The default is on_close: a right answer's ack is only "locked", the
    board holds still, and the points come with question_closed."""
    g = await open_game(2)  # no reveal given
    host, ps = await seat(server, g)
    w = await connect(server, f"/ws/play/{g.pin}/", g.tokens[1])
    assert (await w.expect("welcome"))["game"]["reveal"] == "on_close"
    await w.close()
    await host.send({"type": "start_question", "question": 1})
    await ps[0].expect("question")
    await ps[0].send({"type": "answer", "question": 1, "choices": [2]})  # right
    ack = await ps[0].expect("answer_ack")
    assert ack["locked"] is True
    assert not {"points", "total", "rank", "streak", "bonus"} & ack.keys()
    board = await ps[1].expect("leaderboard", answered=1)
    assert all(e["score"] == 0 for e in board["top"]), board
    await host.send({"type": "close_question"})
    closed = await ps[0].expect("question_closed")
    assert closed["points"] > 900 and closed["total"] == closed["points"] and closed["rank"] == 1


async def test_live_acks_carry_points_total_and_rank(server: Server) -> None:
    g = await open_game(2, reveal="live")
    host, ps = await seat(server, g)
    await host.send({"type": "start_question", "question": 1})
    await ps[0].expect("question")
    await ps[0].send({"type": "answer", "question": 1, "choices": [2]})
    ack = await ps[0].expect("answer_ack")
    assert ack["points"] > 900 and ack["total"] == ack["points"] and ack["rank"] == 1
    assert ack["streak"] == 1 and ack["bonus"] == 0
    board = await ps[1].expect("leaderboard", answered=1)
    assert board["top"][0] == {
        "player": g.players[0],
        "nickname": "Player00",
        "score": ack["total"],
        "rank": 1,
    }


async def test_lock_join_refuses_new_players_and_unlock_allows_them(server: Server) -> None:
    from quiz.services import ServiceError
    from quiz.services.players import player_join

    g = await open_game(1)
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    await host.expect("welcome")
    await host.send({"type": "lock_join"})
    update = await host.expect("players")
    assert update["join_open"] is False
    with pytest.raises(ServiceError) as e:
        await player_join(pin=g.pin, nickname="Late")
    assert e.value.code == "join_locked"
    await host.send({"type": "lock_join", "locked": False})
    await asyncio.sleep(0.2)
    joined = await player_join(pin=g.pin, nickname="Late")
    assert joined.player == 2
