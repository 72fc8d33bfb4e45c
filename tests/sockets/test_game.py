"""Whole games over real WebSockets against real uvicorn processes.

The oracle: every number a player sees is recomputed from the scoring rules
(engine.scoring) and the answer times Redis recorded (the only clock that
counts), and the final ranks from totals and the times they were reached.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from engine import SyncEngine, keys, ops, scoring
from quiz.redis import redis_sync

from .conftest import Client, Server, connect, seat
from .helpers import CORRECT, QUIZ, Opened, open_game

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]


def expected_game(g: Opened) -> dict[int, dict[str, Any]]:
    """Per player: points and streak per question, total, rank, from Redis'
    recorded answers and the scoring rules (not from the engine's replies)."""
    eng = SyncEngine(redis_sync())
    r = redis_sync()
    out: dict[int, dict[str, Any]] = {}
    for p in g.players:
        streak, total, pts = 0, 0, []
        for n, q in enumerate(QUIZ["questions"], 1):
            raw = r.hget(keys.answers(g.game, n), p)
            rec = None if raw is None else raw.decode().split("|")
            picked = set() if rec is None else {int(c) for c in rec[0].split(",")}
            elapsed = 0 if rec is None else int(rec[4])
            base = scoring.base_points(
                picked=picked, correct=CORRECT[n - 1], elapsed_ms=elapsed,
                limit_ms=q["time_limit"] * 1000, multiplier=q["multiplier"],
            )  # fmt: skip
            ok = bool(picked & CORRECT[n - 1]) and not picked - CORRECT[n - 1]
            streak = streak + 1 if ok else 0
            p_total = base + (
                scoring.streak_bonus(streak=streak, multiplier=q["multiplier"]) if ok else 0
            )
            total += p_total
            pts.append((p_total, streak, total))
        out[p] = {"per_q": pts, "total": total}
    # strict ranking: total desc, then who reached it first
    reached = {
        p: s.stats.reached_ms
        for p, s in zip(g.players, eng.run(ops.standings(g.game, g.players)), strict=True)
    }  # type: ignore[union-attr]
    # equal totals reached in the same millisecond: Redis orders the greater
    # member (player id as a string) first (engine/scoring.py)
    order = sorted(g.players, key=str, reverse=True)
    order.sort(key=lambda p: (-out[p]["total"], reached[p]))
    for rank, p in enumerate(order, 1):
        out[p]["rank"] = rank
    return out


async def play(
    g: Opened, servers: list[Server], plan: dict[int, list[list[int] | None]]
) -> dict[int, Client]:
    """Host on servers[0]; players spread over the servers; each question is
    answered per ``plan`` after a small random delay, then closed by the host."""
    host = await connect(servers[0], f"/ws/host/{g.pin}/", g.host_token)
    await host.expect("welcome")
    clients: dict[int, Client] = {}
    for i, (p, tok) in enumerate(zip(g.players, g.tokens, strict=True)):
        clients[p] = await connect(servers[i % len(servers)], f"/ws/play/{g.pin}/", tok)
    for c in clients.values():
        await c.expect("welcome")
    for n in range(1, len(QUIZ["questions"]) + 1):
        await host.send({"type": "start_question", "question": n})

        async def answer(p: int, c: Client, n: int = n) -> None:
            await c.expect("question", question=n)
            choice = plan[p][n - 1]
            if choice is None:
                return
            await asyncio.sleep(random.uniform(0, 0.4))
            await c.send({"type": "answer", "question": n, "choices": choice, "ts": 1.25})
            ack = await c.expect("answer_ack")
            assert ack["question"] == n and ack["ts"] == 1.25

        await asyncio.gather(*(answer(p, c) for p, c in clients.items()))
        await host.send({"type": "close_question"})
        for c in clients.values():
            await c.expect("question_closed", question=n)
    await host.send({"type": "end_game"})
    for c in clients.values():
        await c.expect("game_over")
    await host.expect("saved", timeout=30)
    clients[0] = host
    return clients


def random_plan(g: Opened, seed: int) -> dict[int, list[list[int] | None]]:
    rnd = random.Random(seed)
    options: list[list[list[int] | None]] = [
        [[2], [0], [1], None],
        [[1, 3], [1], [0, 1], None],
        [[0], [1], None],
    ]
    return {p: [rnd.choice(o) for o in options] for p in g.players}


def check_frames(g: Opened, clients: dict[int, Client]) -> dict[int, dict[str, Any]]:
    want = expected_game(g)
    for p in g.players:
        c = clients[p]
        closes = [f for f in c.frames if f["type"] == "question_closed"]
        assert [f["question"] for f in closes] == [1, 2, 3]
        for f, (pts, streak, total) in zip(closes, want[p]["per_q"], strict=True):
            assert (f["points"], f["streak"], f["total"]) == (pts, streak, total), (p, f)
            assert f["correct"] == sorted(CORRECT[f["question"] - 1])
        over = next(f for f in c.frames if f["type"] == "game_over")
        assert (over["score"], over["rank"]) == (want[p]["total"], want[p]["rank"]), p
    return want


async def test_whole_game_30_players_points_and_ranks(servers: list[Server]) -> None:
    g = await open_game(30)
    clients = await play(g, servers[:1], random_plan(g, 1))
    want = check_frames(g, clients)
    host = clients[0]
    podium = next(f for f in host.frames if f["type"] == "game_over")["podium"]
    by_rank = sorted(g.players, key=lambda p: want[p]["rank"])[:3]
    assert [e["player"] for e in podium] == by_rank
    assert [e["score"] for e in podium] == [want[p]["total"] for p in by_rank]


async def test_two_processes_give_the_same_results_as_one(servers: list[Server]) -> None:
    one = await open_game(12)
    two = await open_game(12)
    plan_one = random_plan(one, 7)
    # the same choices per player slot in both games
    plan_two = {p2: plan_one[p1] for p1, p2 in zip(one.players, two.players, strict=True)}
    c1 = await play(one, servers[:1], plan_one)
    c2 = await play(two, servers, plan_two)
    w1, w2 = check_frames(one, c1), check_frames(two, c2)
    # Answer times differ between runs, so compare what the rules fix: who
    # was right and the streaks; the totals then follow from the times.
    for p1, p2 in zip(one.players, two.players, strict=True):
        assert [s for _, s, _ in w1[p1]["per_q"]] == [s for _, s, _ in w2[p2]["per_q"]]
    # every player of the two-process game got every frame from its own process
    for p in two.players:
        kinds = [f["type"] for f in c2[p].frames]
        assert kinds.count("question") == 3 and kinds.count("question_closed") == 3


async def test_correct_answers_never_on_the_wire_before_close(server: Server) -> None:
    g = await open_game(2)
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    await host.expect("welcome")
    p = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
    await p.expect("welcome")
    for n in (1, 2):
        start = len(p.frames)
        await host.send({"type": "start_question", "question": n})
        await p.expect("question", question=n)
        await p.send({"type": "answer", "question": n, "choices": [1]})
        await p.expect("answer_ack")
        await p.send({"type": "resync"})
        await p.expect("welcome")
        await asyncio.sleep(0.6)  # let a leaderboard tick through
        before = p.frames[start:]
        assert [f for f in before if f["type"] == "question"]
        await host.send({"type": "close_question"})
        closed = await p.expect("question_closed", question=n)
        for f in before:
            assert "correct" not in f, f
            if isinstance(f.get("question"), dict):  # welcome
                assert "correct" not in f["question"], f
        assert closed["correct"] == sorted(CORRECT[n - 1])


async def test_reconnect_mid_question_resumes(server: Server) -> None:
    g = await open_game(2, reveal="live")  # the welcome's score mid-question is live's
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    a = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
    b = await connect(server, f"/ws/play/{g.pin}/", g.tokens[1])
    for c in (host, a, b):
        await c.expect("welcome")
    await host.send({"type": "start_question", "question": 1})
    await a.expect("question")
    await a.send({"type": "answer", "question": 1, "choices": [2]})
    ack = await a.expect("answer_ack")
    await a.close()
    await b.close()
    a = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
    w = await a.expect("welcome")
    assert w["game"]["state"] == "question" and w["question"]["question"] == 1
    assert "correct" not in w["question"]
    assert w["you"]["answer"]["choices"] == [2]
    assert (w["you"]["score"], w["you"]["rank"]) == (ack["total"], 1)
    await a.send({"type": "answer", "question": 1, "choices": [2]})
    assert (await a.expect("error"))["code"] == "already_answered"
    b = await connect(server, f"/ws/play/{g.pin}/", g.tokens[1])
    w = await b.expect("welcome")
    assert w["you"]["answer"] is None and w["you"]["score"] == 0
    await b.send({"type": "answer", "question": 1, "choices": [0]})
    assert (await b.expect("answer_ack"))["points"] == 0


async def test_gap_in_seq_is_detected_and_resync_gives_fresh_state(server: Server) -> None:
    g = await open_game(3, reveal="live")  # the welcome's board mid-question is live's
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    p = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
    others = [await connect(server, f"/ws/play/{g.pin}/", t) for t in g.tokens[1:]]
    for c in (host, p, *others):
        await c.expect("welcome")
    last = p.frames[0]["seq"]
    await host.send({"type": "start_question", "question": 1})
    q = await p.expect("question")
    assert q["prev"] == last  # no gap: the chain holds
    last = q["seq"]
    # This client "loses" the next broadcast frame (as on a flaky link):
    await others[0].send({"type": "answer", "question": 1, "choices": [2]})
    lost = await p.expect("leaderboard")
    await others[1].send({"type": "answer", "question": 1, "choices": [2]})
    nxt = await p.expect("leaderboard", answered=2)
    assert lost["prev"] == last and lost["seq"] != last
    assert nxt["prev"] != last  # the gap a client that lost `lost` sees
    await p.send({"type": "resync"})
    w = await p.expect("welcome")
    assert w["leaderboard"]["answered"] == 2 and w["question"]["question"] == 1
    assert [e["score"] for e in w["leaderboard"]["top"][:2]] == [1000, 1000] or all(
        e["score"] > 900 for e in w["leaderboard"]["top"][:2]
    )


async def test_question_closes_at_deadline_without_host(server: Server) -> None:
    doc = {**QUIZ, "questions": [{**QUIZ["questions"][0], "time_limit": 5}]}
    g = await open_game(1, quiz_doc=doc)
    host = await connect(server, f"/ws/host/{g.pin}/", g.host_token)
    await host.expect("welcome")
    p = await connect(server, f"/ws/play/{g.pin}/", g.tokens[0])
    await p.expect("welcome")
    await host.send({"type": "start_question", "question": 1})
    await p.expect("question")
    await host.close()  # the host's browser is gone
    closed = await p.expect("question_closed", timeout=12)
    assert closed["question"] == 1 and closed["points"] == 0
    st = SyncEngine(redis_sync()).run(ops.question_state(g.game, 1))
    assert st is not None and st.state == "closed"
    assert st.closed_ms == st.deadline_ms


async def test_everyone_answered_closes_early(server: Server) -> None:
    g = await open_game(2)
    host, ps = await seat(server, g)
    await host.send({"type": "start_question", "question": 1})
    for c in ps:
        await c.expect("question")
        await c.send({"type": "answer", "question": 1, "choices": [2]})
    for c in ps:
        await c.expect("question_closed", timeout=5)
