"""A WebSocket game with every question kind and 20 players, every number
checked against an independent oracle of issue 13 (tests/sockets/oracle_kinds.py);
the game and the checks are tests/sockets/kinds_play.py.

The host's clock (pause, resume, extend) has its own shorter game below.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from typing import Any

import pytest

from . import oracle_kinds as oracle
from .conftest import Server, connect
from .kinds_play import (
    QUESTIONS,
    QUIZ,
    closed_of,
    error_code,
    open_game,
    plan_of,
    run_game,
    saved_rows,
    verify,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

N_PLAYERS = 20


@pytest.mark.parametrize("reveal", ["live", "on_close"])
async def test_every_kind_20_players_against_the_oracle(servers: list[Server], reveal: str) -> None:
    g = await open_game(N_PLAYERS, QUIZ, reveal=reveal)
    plan = plan_of(g.players, seed=13)
    play = await run_game(g, servers, plan)
    failures = await verify(play, servers[0], QUESTIONS, reveal)
    assert not failures, "\n".join(failures)


# --- a crowd: the top-50 cut, ties, every histogram bucket ------------------------

CROWD_ITEMS = ["Kick-off", "First goal", "Half time", "Red card", "Penalty", "Final whistle"]
CROWD_QUESTIONS: list[dict[str, Any]] = [
    {"text": "Your word?", "kind": "word_cloud", "time_limit": 30, "max_length": 30},
    {"text": "Goal difference?", "kind": "slider", "time_limit": 30, "multiplier": 2,
     "min": -10, "max": 10, "step": 0.5, "answer": 2.5, "tolerance": 1},
    {"text": "In order", "kind": "ordering", "time_limit": 30, "multiplier": 1,
     "items": CROWD_ITEMS},
    {"text": "The 1994 final's stadium?", "kind": "type_answer", "time_limit": 30,
     "multiplier": 1, "accepted": ["Rose Bowl", "The Rose Bowl"], "max_length": 20},
    {"text": "Man of the match?", "kind": "poll", "time_limit": 30,
     "choices": [{"text": n} for n in ["A", "B", "C", "D", "E", "F"]]},
]  # fmt: skip
N_CROWD = 55


def crowd_plan(players: list[int], seed: int) -> dict[int, list[Any]]:
    """54 answers (the last player idles): two texts twice, a refused word,
    49 texts once (51 shown: the cut drops the greatest single); slider
    values over the whole grid, both ends included; orders right, one swap
    off and shuffled; typed texts with tied counts."""
    rnd = random.Random(seed)
    active = players[:-1]
    words = ["Alpha", "alpha!", "BETA", "beta", "shit"] + [f"Crowd {i}" for i in range(49)]
    grid = [-10, 10, 9.5, 2.5, 1.5, 3.5, 1, 4, -9.5, 0, 0.5]
    right = list(range(6))

    def order(perm: list[int]) -> Callable[[list[str]], list[int]]:
        return lambda shown: [shown.index(CROWD_ITEMS[i]) for i in perm]

    swapped = [0, 1, 3, 2, 4, 5]
    typed = ["rose bowl", "THE ROSE BOWL", "Rosebowl", "Rose Bowl!", "Pasadena", "pasadena"]
    plan: dict[int, list[Any]] = {p: [None] * 5 for p in players}
    for i, p in enumerate(active):
        perm = rnd.sample(right, 6)
        plan[p] = [
            words[i],
            grid[i] if i < len(grid) else rnd.randint(-20, 20) / 2,
            order(right if i % 5 == 0 else swapped if i % 5 == 1 else perm),
            typed[i % len(typed)] if i % 7 else None,
            [rnd.randrange(6)],
        ]
    return plan


async def test_a_crowd_of_55_distributions_against_the_oracle(servers: list[Server]) -> None:
    g = await open_game(N_CROWD, {"title": "Crowd", "questions": CROWD_QUESTIONS}, reveal="live")
    play = await run_game(g, servers, crowd_plan(g.players, 55), CROWD_QUESTIONS, {})
    failures = await verify(play, servers[0], CROWD_QUESTIONS, "live")
    assert not failures, "\n".join(failures)
    shown = [e["text"] for e in closed_of(play.host, 1)["distribution"]]
    assert len(shown) == 50 and shown[:2] == ["alpha", "beta"] and "crowd 9" not in shown


# --- the host's clock ----------------------------------------------------------------

CLOCK_QUESTIONS: list[dict[str, Any]] = [
    {"text": "Largest ocean?", "time_limit": 5, "multiplier": 1,
     "choices": [{"text": t, "correct": i == 2}
                 for i, t in enumerate(["Atlantic", "Indian", "Pacific", "Arctic"])]},
    {"text": "Attendance?", "kind": "slider", "time_limit": 10, "multiplier": 1,
     "read_time": 3, "min": 0, "max": 100, "step": 5, "answer": 50, "tolerance": 0},
]  # fmt: skip
CLOCK_QUIZ = {"title": "Clock", "questions": CLOCK_QUESTIONS}


async def test_pause_resume_extend_move_the_clock_and_the_points(servers: list[Server]) -> None:
    g = await open_game(3, CLOCK_QUIZ, reveal="live")  # the acks carry the points checked
    host = await connect(servers[0], f"/ws/host/{g.pin}/", g.host_token)
    a = await connect(servers[0], f"/ws/play/{g.pin}/", g.tokens[0])
    b = await connect(servers[1], f"/ws/play/{g.pin}/", g.tokens[1])
    for c in (host, a, b):
        await c.expect("welcome")
    # no question open: every clock frame is refused not_open
    for frame in ({"type": "pause_question"}, {"type": "resume_question"},
                  {"type": "extend_question", "seconds": 5}):  # fmt: skip
        assert await error_code(host, frame) == "not_open", frame

    # -- question 1: pause and extend after the answers opened
    await host.send({"type": "start_question", "question": 1})
    q = await a.expect("question", question=1)
    got_q = time.time()
    d0, open0 = q["deadline_ms"], q["answers_open_ms"]
    assert open0 == q["opened_ms"] and d0 == open0 + 5000
    await asyncio.sleep(1.0)
    await host.send({"type": "pause_question"})
    paused = await a.expect("question_paused", question=1)
    paused_at = time.time()
    # remaining_ms is deadline - now at the pause: about 4 s left of 5
    assert 3000 < paused["remaining_ms"] <= 4200, paused
    assert (await b.expect("question_paused", question=1))["remaining_ms"] == paused["remaining_ms"]
    assert await error_code(b, {"type": "answer", "question": 1, "choices": [2]}) == "paused"
    assert await error_code(host, {"type": "pause_question"}) == "paused"
    # a reconnect while paused sees it paused
    await b.send({"type": "resync"})
    w = await b.expect("welcome")
    assert w["question"]["question"] == 1 and w["question"]["paused"] is True, w["question"]
    await asyncio.sleep(1.2)
    await host.send({"type": "resume_question"})
    resumed = await a.expect("question_resumed", question=1)
    span = resumed["deadline_ms"] - d0
    assert resumed["answers_open_ms"] == open0  # paused after the answers opened
    assert 1100 <= span <= 1200 + 1000 * (time.time() - paused_at), (span, resumed)
    # the time left is what it was at the pause
    assert await error_code(host, {"type": "resume_question"}) == "not_paused"
    # b answers before the extension: its T is the limit alone
    await asyncio.sleep(0.3)
    sent_b = time.time()
    await b.send({"type": "answer", "question": 1, "choices": [2]})
    ack_b = await b.expect("answer_ack", question=1)
    for bad in (0, 121, "5", None):
        code = await error_code(host, {"type": "extend_question", "seconds": bad})
        assert code in ("bad_request", "bad_value"), (bad, code)
    await host.send({"type": "extend_question", "seconds": 5})
    ext = await a.expect("question_extended", question=1)
    assert ext["deadline_ms"] == resumed["deadline_ms"] + 5000, ext
    assert (await b.expect("question_extended", question=1))["deadline_ms"] == ext["deadline_ms"]
    # a reconnect sees the moved deadline, not paused
    await b.send({"type": "resync"})
    w = await b.expect("welcome")
    assert w["question"]["deadline_ms"] == ext["deadline_ms"] and w["question"]["paused"] is False
    sent_a = time.time()
    await a.send({"type": "answer", "question": 1, "choices": [2]})
    ack_a = await a.expect("answer_ack", question=1)
    # wait until about 1 s before the deadline, pause; nothing closes while paused
    server_now = q["server_ms"] + (time.time() - got_q) * 1000
    await asyncio.sleep(max(0.0, (ext["deadline_ms"] - server_now - 1000) / 1000))
    await host.send({"type": "pause_question"})
    late = await a.expect("question_paused", question=1)
    assert 0 < late["remaining_ms"] <= 1500, late
    await asyncio.sleep(late["remaining_ms"] / 1000 + 1.0)
    assert not [f for f in a.frames if f["type"] == "question_closed"], "closed while paused"
    await host.send({"type": "resume_question"})
    resumed2 = await a.expect("question_resumed", question=1)
    assert resumed2["deadline_ms"] > ext["deadline_ms"] + late["remaining_ms"]
    # the deadline (moved) closes it without the host
    await a.expect("question_closed", question=1, timeout=late["remaining_ms"] / 1000 + 3)

    # -- question 2: pause during the reading time delays the answers' opening
    await host.send({"type": "start_question", "question": 2})
    q2 = await a.expect("question", question=2)
    got_q2 = time.time()
    open2, d2 = q2["answers_open_ms"], q2["deadline_ms"]
    assert open2 == q2["opened_ms"] + 3000 and d2 == open2 + 10000
    assert await error_code(a, {"type": "answer", "question": 2, "value": 50}) == "not_open"
    await asyncio.sleep(1.0)
    await host.send({"type": "pause_question"})
    p2 = await a.expect("question_paused", question=2)
    assert 11500 < p2["remaining_ms"] <= 12100, p2  # deadline - now, reading time included
    code = await error_code(a, {"type": "answer", "question": 2, "value": 50})
    assert code in ("paused", "not_open"), code
    await asyncio.sleep(1.0)
    await host.send({"type": "resume_question"})
    r2 = await a.expect("question_resumed", question=2)
    span2 = r2["answers_open_ms"] - open2
    assert span2 >= 1000 and r2["deadline_ms"] - d2 == span2, (r2, open2, d2)
    assert await error_code(a, {"type": "answer", "question": 2, "value": 50}) == "not_open"
    server_now = q2["server_ms"] + (time.time() - got_q2) * 1000
    await asyncio.sleep((r2["answers_open_ms"] - server_now) / 1000 + 0.8)
    sent2 = time.time()
    await a.send({"type": "answer", "question": 2, "value": 50})
    ack2 = await a.expect("answer_ack", question=2)
    await host.send({"type": "close_question"})
    await a.expect("question_closed", question=2)
    await host.send({"type": "end_game"})
    await host.expect("saved", timeout=30)

    rows = await saved_rows(g.game)
    # b's answer while paused left nothing (its later answer was not already_answered)
    assert set(rows) == {(g.players[0], 1), (g.players[1], 1), (g.players[0], 2)}
    tb = rows[(g.players[1], 1)].elapsed_ms
    assert abs(tb - ((sent_b - got_q) * 1000 - span)) < 300, (tb, span)
    t1 = rows[(g.players[0], 1)].elapsed_ms
    # t excludes the paused span: what a saw, minus the pause
    est1 = (sent_a - got_q) * 1000 - span
    assert abs(t1 - est1) < 300, (t1, est1, span)
    assert t1 >= 500
    og = oracle.OracleGame(CLOCK_QUESTIONS)
    og.start(1)
    r1 = og.answer(g.players[0], [2], t1, 5000 + 5000)  # T = limit + extension
    assert oracle.judge(CLOCK_QUESTIONS[0], [2], t1, 5000)[1] != r1.points
    assert (ack_a["points"], ack_a["total"], ack_a["streak"]) == (r1.points, r1.total, 1)
    assert rows[(g.players[0], 1)].points == r1.points
    rb = og.answer(g.players[1], [2], tb, 5000)  # before the extension: T = limit
    assert tb >= 500 and oracle.judge(CLOCK_QUESTIONS[0], [2], tb, 10000)[1] != rb.points
    assert (ack_b["points"], rows[(g.players[1], 1)].points) == (rb.points, rb.points), (ack_b, tb)
    t2 = rows[(g.players[0], 2)].elapsed_ms
    est2 = (sent2 - got_q2) * 1000 - (r2["answers_open_ms"] - q2["server_ms"])
    assert abs(t2 - est2) < 300, (t2, est2)
    og.start(2)
    want2 = og.answer(g.players[0], 50, t2, 10000)
    assert (ack2["points"], ack2["bonus"], ack2["total"], ack2["streak"]) == (
        want2.points, want2.bonus, want2.total, 2,
    )  # fmt: skip
    assert rows[(g.players[0], 2)].points == want2.points
