"""The live feed for broadcast graphics (``GET /api/games/<pin>/live``)
against a real uvicorn worker and a private redis-server (so that its
command counters hold only this test's traffic): 200 concurrent pollers for
3 s while answers come in, Redis commands counted by INFO, and every field
checked against what the test itself submitted."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from engine import SyncEngine, kinds, ops
from testkit.redis_server import PrivateRedis

from .conftest import host_session
from .hosts import host_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]

POLLERS = 200
WINDOW_S = 3.0
INTERVAL_S = 0.25
N_PLAYERS = 12
TEAMS = {"mode": "auto", "score": "sum", "names": ["Red", "Blue"]}
QUIZ = {
    "title": "Live feed",
    "questions": [
        {"text": "Largest ocean?", "time_limit": 120, "multiplier": 1,
         "choices": [{"text": t, "correct": i == 2}
                     for i, t in enumerate(["Atlantic", "Indian", "Pacific", "Arctic"])]},
        {"text": "Best kit?", "kind": "poll", "time_limit": 120,
         "choices": [{"text": "Home"}, {"text": "Away"}, {"text": "Third"}]},
        {"text": "One word for tonight", "kind": "word_cloud", "time_limit": 120,
         "max_length": 20},
    ],
}  # fmt: skip
WORDS = ["goal", "goal", "goal", "rain", "rain", "noise"]


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    with PrivateRedis() as r:
        yield r


def _open(server: Any, username: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    host_create(username, "live-pw-16")
    c = host_session(server.http, username, "live-pw-16")
    quiz = c.post("/api/quizzes", json=QUIZ)
    assert quiz.status_code == 201, quiz.text
    g = c.post("/api/games", json={"quiz": quiz.json()["id"], "teams": TEAMS})
    assert g.status_code == 201, g.text
    c.close()
    game = g.json()
    players = []
    for i in range(N_PLAYERS):
        r = httpx.post(f"{server.http}/api/games/{game['pin']}/players", json={"nickname": f"p{i}"})
        assert r.status_code == 201, r.text
        players.append(r.json())
    return game, players


def _commands(r: Any) -> tuple[int, int]:
    """(total commands processed, GET calls): only the feed sends GET here
    (the PIN, once per read); answers are scripts that never call it."""
    total = int(r.info("stats")["total_commands_processed"])
    get = r.info("commandstats").get("cmdstat_get", {}).get("calls", 0)
    return total, int(get)


def _get(server: Any, pin: str, token: str | None, scheme: str = "Screen") -> httpx.Response:
    headers = {"Authorization": f"{scheme} {token}"} if token is not None else {}
    return httpx.get(f"{server.http}/api/games/{pin}/live", headers=headers)


def _fresh(server: Any, pin: str, token: str) -> dict[str, Any]:
    time.sleep(INTERVAL_S + 0.05)  # past the cache's interval
    r = _get(server, pin, token)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def _pollers(
    url: str, token: str, seconds: float, marks: list[float], info: Any, drive: Any
) -> dict[str, Any]:
    """POLLERS clients polling ``url`` for ``seconds``; INFO read at each of
    ``marks`` (seconds from the start); ``drive`` runs (in a thread) from
    the second mark on."""
    stop = time.monotonic() + seconds
    statuses: Counter[int] = Counter()
    seen: list[list[int]] = [[] for _ in range(POLLERS)]
    ages: list[int] = []
    limits = httpx.Limits(max_connections=POLLERS, max_keepalive_connections=POLLERS)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        headers = {"Authorization": f"Screen {token}"}

        async def one(i: int) -> None:
            while time.monotonic() < stop:
                r = await client.get(url, headers=headers)
                statuses[r.status_code] += 1
                if r.status_code == 200:
                    body = r.json()
                    seen[i].append(body["question"]["answered"])
                    ages.append(int(time.time() * 1000) - body["server_ms"])

        async def sample() -> list[tuple[float, tuple[int, int]]]:
            t0 = time.monotonic()
            out = []
            driving = None
            for m in marks:
                await asyncio.sleep(max(0.0, t0 + m - time.monotonic()))
                out.append((time.monotonic(), await asyncio.to_thread(info)))
                if len(out) == 2:  # answers come in from the second sample on
                    driving = asyncio.ensure_future(asyncio.to_thread(drive))
            if driving is not None:
                await driving
            return out

        t0 = time.monotonic()
        samples, *_ = await asyncio.gather(sample(), *(one(i) for i in range(POLLERS)))
        took = time.monotonic() - t0
    return {"statuses": statuses, "seen": seen, "ages": sorted(ages), "took": took,
            "samples": samples}  # fmt: skip


def test_live_feed_under_200_pollers(server_factory: Any, private_redis: PrivateRedis) -> None:
    server = server_factory({"REDIS_URL": private_redis.url})
    game, players = _open(server, "live-host")
    pin, gid, token = game["pin"], game["game"], game["screen_token"]
    r = private_redis.client()
    eng = SyncEngine(r)

    lobby = _fresh(server, pin, token)
    assert lobby["state"] == "lobby" and lobby["question"] is None
    assert lobby["players"] == N_PLAYERS and lobby["distribution"] is None
    assert len(lobby["top"]) == 10 and all(e["score"] == 0 for e in lobby["top"])
    assert sum(t["members"] for t in lobby["teams"]) == N_PLAYERS

    assert eng.question_start(game=gid, question=1).ok
    time.sleep(INTERVAL_S + 0.05)  # the lobby's cached body has expired
    # Answers come in during the second half of the window: player i picks
    # choice i % 4 (Pacific, index 2, is right).
    results: dict[int, Any] = {}

    def answer_all() -> None:
        for i, p in enumerate(players):
            results[p["player"]] = eng.run(ops.submit_answer(gid, p["player"], 1, [i % 4]))
            time.sleep(1.0 / N_PLAYERS)

    info = lambda: _commands(r)  # noqa: E731
    marks = [0.2, 0.2 + WINDOW_S / 2, WINDOW_S - 0.1]
    url = f"{server.http}/api/games/{pin}/live"
    out = asyncio.run(_pollers(url, token, WINDOW_S, marks, info, answer_all))

    total = sum(out["statuses"].values())
    assert set(out["statuses"]) == {200}, out["statuses"]
    (t_a, (c_a, g_a)), (t_b, (c_b, g_b)), (t_c, (c_c, g_c)) = out["samples"]
    quiet_s, busy_s = t_b - t_a, t_c - t_b
    # INFO itself: one "info stats" + one "info commandstats" per sample
    quiet_cmds = c_b - c_a - 2
    quiet_reads, busy_reads = g_b - g_a, g_c - g_b
    quiet_intervals, busy_intervals = quiet_s / INTERVAL_S, busy_s / INTERVAL_S
    ages = out["ages"]
    print(
        f"\nlive feed: {POLLERS} pollers, {total} requests in {out['took']:.2f} s = "
        f"{total / out['took']:.0f} requests/s (1 server process); data age p50 "
        f"{ages[len(ages) // 2]} ms, max {ages[-1]} ms"
        f"\n  no answers coming in ({quiet_s:.2f} s): {quiet_cmds} Redis commands = "
        f"{quiet_cmds / quiet_s:.0f} commands/s, {quiet_reads} reads "
        f"({quiet_cmds / max(1, quiet_reads):.1f} commands each, Lua's own included), "
        f"{quiet_cmds / quiet_intervals:.1f} commands per 250 ms interval"
        f"\n  answers coming in ({busy_s:.2f} s): {busy_reads} feed reads = "
        f"{busy_reads / busy_s:.1f} reads/s; all Redis commands (answers included) "
        f"{c_c - c_b - 2} = {(c_c - c_b - 2) / busy_s:.0f} commands/s"
    )
    # One read per interval per process, however many pollers: a count, not a time.
    assert quiet_reads <= quiet_intervals + 2, (quiet_reads, quiet_intervals)
    assert busy_reads <= busy_intervals + 2, (busy_reads, busy_intervals)
    # 5 commands per read, 16 with those the top script runs (10 nicknames)
    assert quiet_cmds <= 20 * (quiet_intervals + 2), (quiet_cmds, quiet_intervals)
    # every poller saw the answered count grow, never go back
    assert all(s == sorted(s) for s in out["seen"])
    assert all(s and s[0] == 0 for s in out["seen"])
    assert max(s[-1] for s in out["seen"]) >= N_PLAYERS - 2

    # The open choice question: its counts are not shown.
    live = _fresh(server, pin, token)
    q = live["question"]
    assert q == {"question": 1, "kind": "choice", "text": "Largest ocean?", "state": "open",
                 "answered": N_PLAYERS, "deadline_ms": q["deadline_ms"], "paused": False}  # fmt: skip
    assert q["deadline_ms"] > time.time() * 1000
    assert live["distribution"] is None and live["state"] == "question"
    assert live["game"] == gid and live["pin"] == pin and live["players"] == N_PLAYERS

    # Closed: the distribution, the top 10 and the team board.
    assert eng.run(ops.close_question(gid, 1)).ok
    closed = _fresh(server, pin, token)
    assert closed["question"]["state"] == "closed"
    assert closed["distribution"] == [sum(1 for i in range(N_PLAYERS) if i % 4 == c)
                                      for c in range(4)]  # fmt: skip
    points = {p: res.points for p, res in results.items()}
    assert all(res.ok for res in results.values())
    nick = {p["player"]: p["nickname"] for p in players}
    top = closed["top"]
    assert len(top) == 10 and [e["rank"] for e in top] == list(range(1, 11))
    assert [e["score"] for e in top] == sorted(points.values(), reverse=True)[:10]
    assert all(points[e["player"]] == e["score"] and nick[e["player"]] == e["nickname"]
               for e in top)  # fmt: skip
    right = {p["player"] for i, p in enumerate(players) if i % 4 == 2}
    assert {e["player"] for e in top[:3]} == right and all(e["score"] > 0 for e in top[:3])
    team_of = {p["player"]: p["team"] for p in players}
    board = closed["teams"]
    assert [t["rank"] for t in board] == [1, 2]
    for t in board:
        members = [p for p, team in team_of.items() if team == t["team"]]
        assert t["name"] == TEAMS["names"][t["team"]] and t["members"] == len(members)
        assert t["score"] == sum(points[p] for p in members)
    assert board[0]["score"] >= board[1]["score"]

    # A poll: its counts live while it is open.
    assert eng.question_start(game=gid, question=2).ok
    picks = [0, 0, 1, 2, 0, 1]
    for p, c in zip(players, picks, strict=False):
        assert eng.run(ops.submit_answer(gid, p["player"], 2, [c])).ok
    poll = _fresh(server, pin, token)
    assert poll["question"]["kind"] == "poll" and poll["question"]["state"] == "open"
    assert poll["distribution"] == [3, 2, 1] and poll["question"]["answered"] == 6

    # A word cloud: nothing while open, the top texts once closed.
    assert eng.question_start(game=gid, question=3).ok
    q3 = eng.run(ops.question_state(gid, 3))
    assert q3 is not None
    public = q3.public
    for p, w in zip(players, WORDS, strict=False):
        assert eng.run(ops.submit_answer(gid, p["player"], 3, kinds.answer_arg(public, w))).ok
    cloud = _fresh(server, pin, token)
    assert cloud["question"]["question"] == 3 and cloud["distribution"] is None
    assert eng.run(ops.close_question(gid, 3)).ok
    cloud = _fresh(server, pin, token)
    assert cloud["distribution"] == [
        {"text": "goal", "count": 3}, {"text": "rain", "count": 2}, {"text": "noise", "count": 1}
    ]  # fmt: skip

    assert eng.end_game(game=gid).ok
    over = _fresh(server, pin, token)
    assert over["state"] == "finished"
    assert server.tracebacks() == ""


def test_live_feed_needs_the_screen_or_host_token(
    server_factory: Any, private_redis: PrivateRedis
) -> None:
    server = server_factory({"REDIS_URL": private_redis.url})
    game, players = _open(server, "live-auth-host")
    pin = game["pin"]
    assert _get(server, pin, game["screen_token"]).status_code == 200
    assert _get(server, pin, game["host_token"]).status_code == 200
    assert _get(server, pin, game["screen_token"], scheme="screen").status_code == 200
    refused = {
        "no token": _get(server, pin, None),
        "wrong token": _get(server, pin, "not-the-token"),
        "player token": _get(server, pin, players[0]["token"]),
        "bearer scheme": _get(server, pin, game["screen_token"], scheme="Bearer"),
        "scheme only": httpx.get(
            f"{server.http}/api/games/{pin}/live", headers={"Authorization": "Screen"}
        ),
    }
    for what, resp in refused.items():
        assert resp.status_code == 401, (what, resp.status_code, resp.text)
        assert resp.json()["error"] == "unauthorized", what
    # another game's screen token opens only that game
    other, _ = _open(server, "live-auth-other")
    assert _get(server, pin, other["screen_token"]).status_code == 401
    assert _get(server, other["pin"], other["screen_token"]).status_code == 200
    # a PIN with no live game
    gone = _get(server, "000000", game["screen_token"])
    assert gone.status_code == 404 and gone.json()["error"] == "unknown_game"
    assert server.tracebacks() == ""
