"""Every refusal gives its documented result and changes no score."""

from __future__ import annotations

import asyncio

import pytest
import websockets

from engine import SyncEngine, ops
from quiz.redis import redis_sync

from .conftest import Client, Server, connect
from .helpers import open_game

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]


def score_of(game: str, player: int) -> tuple[int, int]:
    s = SyncEngine(redis_sync()).run(ops.standings(game, [player]))[0]
    assert s is not None
    return s.score, s.stats.version


async def error_code(c: Client, frame: object) -> str:
    await c.send(frame)  # type: ignore[arg-type]
    return str((await c.expect("error"))["code"])


async def test_refused_frames_get_error_codes_and_change_no_score(server: Server) -> None:
    g = await open_game(2, reveal="live")  # the ack's total is compared with Redis
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    p = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
    for c in (host, p):
        await c.expect("welcome")
    # before any question
    assert await error_code(p, {"type": "answer", "question": 1, "choices": [2]}) == "not_open"
    await host.send({"type": "start_question", "question": 1})
    await p.expect("question")
    assert await error_code(p, "{nope") == "bad_json"
    assert await error_code(p, "[1, 2]") == "bad_json"
    assert await error_code(p, {"type": "dance"}) == "unknown_type"
    assert await error_code(p, {"type": "answer", "question": "1", "choices": [2]}) == "bad_request"
    assert await error_code(p, {"type": "answer", "question": 1}) == "bad_request"
    assert await error_code(p, {"type": "answer", "question": 1, "choices": []}) == "bad_request"
    assert await error_code(p, {"type": "answer", "question": 1, "choices": [9]}) == "bad_choice"
    assert await error_code(p, {"type": "answer", "question": 1, "choices": [1, 1]}) == "bad_choice"
    assert (
        await error_code(p, {"type": "answer", "question": 2, "choices": [1]}) == "wrong_question"
    )
    assert await error_code(p, {"type": "start_question", "question": 2}) == "not_host"
    assert await error_code(p, {"type": "end_game"}) == "not_host"
    assert await error_code(p, {"type": "kick", "player": g.players[1]}) == "not_host"
    assert (
        await error_code(host, {"type": "answer", "question": 1, "choices": [2]}) == "not_allowed"
    )
    assert score_of(g.game, g.players[0]) == (0, 1)  # nothing above touched the score
    await p.send({"type": "answer", "question": 1, "choices": [2]})
    ack = await p.expect("answer_ack")
    before = score_of(g.game, g.players[0])
    assert before == (ack["total"], 2)
    assert (
        await error_code(p, {"type": "answer", "question": 1, "choices": [0]}) == "already_answered"
    )
    await host.send({"type": "close_question"})
    await p.expect("question_closed")
    q2 = await connect(server, f"/ws/play/{g.pin}/", g.tokens[1])
    await q2.expect("welcome")
    assert await error_code(q2, {"type": "answer", "question": 1, "choices": [2]}) == "too_late"
    assert score_of(g.game, g.players[0]) == before
    assert score_of(g.game, g.players[1]) == (0, 1)
    await host.send({"type": "end_game"})
    await p.expect("game_over")
    await host.expect("saved", timeout=30)
    assert await error_code(p, {"type": "answer", "question": 1, "choices": [2]}) in {
        "too_late",
        "game_finished",
    }
    assert score_of(g.game, g.players[0]) == before


async def test_abuse_and_bad_hellos_close_with_documented_codes(server: Server) -> None:
    g = await open_game(1)
    other = await open_game(1)
    path = f"/ws/play/{g.pin}/"
    # no hello at all: closed after the hello timeout (1.5 s in these servers)
    c = await connect(server, path, None)
    assert await c.closed() == 4401
    # a garbage token, another game's token, a player token on the host socket
    for p, tok in [(path, "garbage"), (path, other.tokens[0]), (f"/ws/host/{g.pin}/", g.tokens[0])]:
        c = await connect(server, p, tok)
        assert await c.closed() == 4401
        assert not [f for f in c.frames if f["type"] == "welcome"]
    # anything but hello first
    c = await connect(server, path, None)
    await c.send({"type": "answer", "question": 1, "choices": [0]})
    assert await c.closed() == 4401
    # a PIN with no live game
    c = await connect(server, "/ws/play/000000/", g.tokens[0])
    assert await c.closed() == 4404
    # a foreign Origin: the handshake itself is refused
    with pytest.raises(websockets.InvalidStatus):
        await connect(server, path, g.tokens[0], origin="http://evil.example.com")
    # a frame over the size limit: 1009
    c = await connect(server, path, g.tokens[0])
    await c.expect("welcome")
    await c.send({"type": "ping", "ts": "x" * 5000})
    assert await c.closed() == 1009
    # flooding: rate_limited errors first, then 4429
    c = await connect(server, path, g.tokens[0])
    await c.expect("welcome")
    for i in range(200):
        try:
            await c.send({"type": "ping", "ts": i})
        except websockets.ConnectionClosed:
            break
        if i % 20 == 0:
            await asyncio.sleep(0)
    assert await c.closed() == 4429
    assert any(f.get("code") == "rate_limited" for f in c.frames)
    assert score_of(g.game, g.players[0]) == (0, 1)


async def test_kick_closes_the_players_sockets_and_revokes_the_token(server: Server) -> None:
    g = await open_game(2)
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    p = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
    for c in (host, p):
        await c.expect("welcome")
    await host.send({"type": "kick", "player": g.players[0]})
    await p.expect("kicked")
    assert await p.closed() == 4403
    update = await host.expect("players")
    assert update["kicked"] == [g.players[0]] and update["players"] == 1
    again = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
    assert await again.closed() == 4401
    assert await error_code(host, {"type": "kick", "player": 999}) == "unknown_player"
