"""Teams (issue 14) over real WebSockets: 30 players in 3 teams, every team
number the users see checked against an independent oracle of the rules.

The oracle (``TeamOracle``) knows only the contract: members are the joined
players of a team who were not kicked; a team's total is the sum of its
members' totals; its score is the total (``sum``) or floor(total / members)
(``average``, 0 without members); teams rank by score, ties to the lower
index; auto assignment takes the team with the fewest members, ties to the
lowest index. Its input is what happened (joins, kicks, answers, in the
order the server confirmed them) and each answer's points as the server
saved them (points per answer are tested elsewhere): so every team number
is checked exactly, and the per-player totals are cross-checked against
the players' own ``question_closed`` frames.

Each variant (mode x score) plays 3 questions with right and wrong answers,
kicks one player between questions and one during an open question (after
its answer), and two of them take 2 late joins during that question. In
``on_close`` reveal the team board must hold still while a question is
open; in ``live`` reveal the last board before the close already shows
every answer.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from quiz.models import Answer

from . import helpers
from .conftest import Client, Server, connect
from .helpers import open_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

HOST, PASSWORD = "teams-host", "teams-pw-14"
NAMES = ["North Stand", "South Stand", "Block F"]
N_PLAYERS = 30
CHOOSE_SIZES = (14, 10, 6)  # uneven on purpose
LIMIT = 30

QUESTIONS: list[dict[str, Any]] = [
    {"text": "Largest ocean?", "time_limit": LIMIT, "multiplier": 1,
     "choices": [{"text": t, "correct": i == 2}
                 for i, t in enumerate(["Atlantic", "Indian", "Pacific", "Arctic"])]},
    {"text": "Which are even?", "time_limit": LIMIT, "multiplier": 2,
     "choices": [{"text": t, "correct": i in (1, 3)} for i, t in enumerate(["3", "8", "5", "12"])]},
    {"text": "Red planet?", "time_limit": LIMIT, "multiplier": 1,
     "choices": [{"text": "Mars", "correct": True}, {"text": "Venus", "correct": False}]},
]  # fmt: skip
QUIZ = {"title": "Teams", "questions": QUESTIONS}
RIGHT = [[2], [1, 3], [0]]
WRONG = [[0], [1], [1]]


# --- the oracle -------------------------------------------------------------------


@dataclass
class TeamOracle:
    """The team rules of issue 14, from nothing but events."""

    names: list[str]
    score: str  # "sum" | "average"
    team: dict[int, int] = field(default_factory=dict)
    kicked: set[int] = field(default_factory=set)
    total: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def members(self, t: int) -> list[int]:
        return [p for p, tt in self.team.items() if tt == t and p not in self.kicked]

    def auto_team(self) -> int:
        counts = [len(self.members(t)) for t in range(len(self.names))]
        return counts.index(min(counts))  # index() finds the lowest of equals

    def join(self, p: int, t: int) -> None:
        assert p not in self.team
        self.team[p] = t

    def kick(self, p: int) -> None:
        self.kicked.add(p)

    def points(self, p: int, pts: int) -> None:
        self.total[p] += pts

    def board(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for t, name in enumerate(self.names):
            ms = self.members(t)
            tot = sum(self.total[p] for p in ms)
            # average: floor, 0 for a team without members
            sc = tot if self.score == "sum" else (tot // len(ms) if ms else 0)
            rows.append({"team": t, "name": name, "score": sc, "members": len(ms)})
        rows.sort(key=lambda r: (-r["score"], r["team"]))
        return [{**r, "rank": i} for i, r in enumerate(rows, 1)]


def place(board: list[dict[str, Any]], team: int) -> tuple[int, int]:
    e = next(e for e in board if e["team"] == team)
    return e["rank"], e["score"]


# --- set-up -------------------------------------------------------------------------


@dataclass
class Game:
    game: str
    pin: str
    host_token: str
    screen_token: str


def _open(quiz_doc: dict[str, Any], **settings: Any) -> Game:
    o = open_as(quiz_doc, username=HOST, password=PASSWORD, **settings)
    return Game(o.game, o.pin, o.host_token, o.screen_token)


async def open_game(**settings: Any) -> Game:
    return await sync_to_async(_open)(QUIZ, **settings)


async def join(http: httpx.AsyncClient, pin: str, body: dict[str, Any]) -> httpx.Response:
    return await http.post(f"/api/games/{pin}/players", json=body)


def _points(game: str) -> dict[tuple[int, int], int]:
    out = {
        (a.player.number, a.question): a.points
        for a in Answer.objects.filter(game__key=game).select_related("player")
    }
    connection.close()
    return out


def results_json(server: Server, pin: str) -> dict[str, Any]:
    return helpers.results_json(server, pin, HOST, PASSWORD)


# --- refusals -------------------------------------------------------------------------

# A JSON body's "team" that a choose-mode join must refuse with bad_team
# (3 teams: 0..2 are the valid ones).
CHOOSE_BAD: list[Any] = [3, -1, 100, "1", "0", True, False, 1.5, 1.0, None, [1], {"i": 1}]
ABSENT = object()


async def refused_bad_team(http: httpx.AsyncClient, pin: str, nick: str, team: Any) -> str | None:
    """None when refused 400 bad_team as JSON; else what happened."""
    body: dict[str, Any] = {"nickname": nick}
    if team is not ABSENT:
        body["team"] = team
    r = await join(http, pin, body)
    try:
        err = r.json().get("error")
    except ValueError:
        err = None
    if r.status_code == 400 and err == "bad_team":
        return None
    return f"team={team!r}: {r.status_code} {r.text[:200]}"


async def test_a_team_field_without_teams_is_refused(servers: list[Server]) -> None:
    g = await open_game(teams=None)
    async with httpx.AsyncClient(base_url=servers[0].http, timeout=30) as http:
        bad = [await refused_bad_team(http, g.pin, f"NoTeam{i}", t)
               for i, t in enumerate([0, 1, None, "0", False])]  # fmt: skip
        assert [b for b in bad if b] == []
        r = await join(http, g.pin, {"nickname": "Plain"})
        assert r.status_code == 201 and r.json()["team"] is None, r.text
        tok, me = r.json()["token"], r.json()["player"]
    c = await connect(servers[0], f"/ws/play/{g.pin}/", tok)
    w = await c.expect("welcome")
    assert w["game"]["teams"] is None and w["you"].get("team") is None and me == w["you"]["player"]
    assert w["leaderboard"]["teams"] is None
    host = await connect(servers[0], f"/ws/host/{g.pin}/", g.host_token)
    await host.expect("welcome")
    await host.send({"type": "start_question", "question": 1})
    await c.expect("question", question=1)
    await c.send({"type": "answer", "question": 1, "choices": [2]})
    await c.expect("answer_ack", question=1)
    await host.send({"type": "close_question"})
    f = await c.expect("question_closed", question=1)
    assert (f["teams"], f["team_rank"], f["team_score"]) == (None, None, None), f
    await host.send({"type": "end_game"})
    over = await c.expect("game_over")
    assert (over["teams"], over["teams_podium"], over["team_rank"], over["team_score"]) == (
        None, None, None, None,
    ), over  # fmt: skip
    await host.expect("saved", timeout=30)
    res = await sync_to_async(results_json)(servers[0], g.pin)
    assert res["teams"] is None and res["teams_podium"] is None
    assert [row["team"] for row in res["ranking"]] == [None]
    for x in (c, host):
        await x.close()


# --- the game ---------------------------------------------------------------------------


@dataclass
class Variant:
    mode: str
    score: str
    reveal: str
    late: bool  # 2 players join during question 2


VARIANTS = [
    Variant("choose", "sum", "on_close", late=True),
    Variant("choose", "average", "live", late=False),
    Variant("auto", "sum", "live", late=True),
    Variant("auto", "average", "on_close", late=False),
]


@dataclass
class Play:
    """What happened, in the order the server confirmed it: events for the
    oracle ("join", p, team) / ("kick", p) / ("answer", p, n) and markers
    ("mark", name) where a board is compared."""

    events: list[tuple[Any, ...]] = field(default_factory=list)
    teams: dict[int, int] = field(default_factory=dict)  # player -> team (join response)
    tokens: dict[int, str] = field(default_factory=dict)
    clients: dict[int, Client] = field(default_factory=dict)
    welcomes: dict[int, dict[str, Any]] = field(default_factory=dict)
    kicked: list[int] = field(default_factory=list)
    late: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.failures.append(what)


async def join_checked(
    play: Play, oracle: TeamOracle, http: httpx.AsyncClient, pin: str, v: Variant, nick: str,
    want_team: int | None,
) -> int:  # fmt: skip
    """One join through the API; its ``team`` against the oracle (auto) or
    the choice (choose)."""
    body: dict[str, Any] = {"nickname": nick}
    if v.mode == "choose":
        body["team"] = want_team
    else:
        want_team = oracle.auto_team()
    r = await join(http, pin, body)
    assert r.status_code == 201, r.text
    got = r.json()
    p = int(got["player"])
    play.check(got.get("team") == want_team,
               f"join {nick}: response team {got.get('team')!r} != {want_team}")  # fmt: skip
    assert want_team is not None
    oracle.join(p, want_team)
    play.events.append(("join", p, want_team))
    play.teams[p] = want_team
    play.tokens[p] = got["token"]
    return p


async def kick(play: Play, host: Client, p: int) -> None:
    await host.send({"type": "kick", "player": p})
    while True:
        f = await host.expect("players")
        if p in f["kicked"]:
            break
    play.events.append(("kick", p))
    play.kicked.append(p)


def frames_of(c: Client, kind: str) -> list[dict[str, Any]]:
    return [f for f in c.frames if f["type"] == kind]


def between(c: Client, start: tuple[str, int] | None, end: tuple[str, int] | None) -> list[Any]:
    """The leaderboard frames ``c`` got after the frame ``start`` (type,
    question) and before ``end`` (None: the stream's ends)."""
    out, on = [], start is None
    for f in c.frames:
        if end is not None and f["type"] == end[0] and f.get("question") == end[1]:
            break
        if on and f["type"] == "leaderboard":
            out.append(f)
        if start is not None and f["type"] == start[0] and f.get("question") == start[1]:
            on = True
    return out


@pytest.mark.parametrize("v", VARIANTS, ids=lambda v: f"{v.mode}-{v.score}-{v.reveal}")
async def test_30_players_3_teams_against_the_oracle(servers: list[Server], v: Variant) -> None:
    rnd = random.Random(f"{v.mode}{v.score}")
    g = await open_game(reveal=v.reveal, teams={"mode": v.mode, "score": v.score, "names": NAMES})
    oracle = TeamOracle(NAMES, v.score)
    play = Play()
    check = play.check

    async with httpx.AsyncClient(base_url=servers[0].http, timeout=30) as http:
        # refusals first: none of them may join anyone (the members would show it)
        bad = CHOOSE_BAD if v.mode == "choose" else [0, 1, None, "0", True, -1, 1.5]
        if v.mode == "choose":
            bad = [ABSENT, *bad]
        for i, t in enumerate(bad):
            out = await refused_bad_team(http, g.pin, f"Bad{i:02d}", t)
            check(out is None, f"{v.mode}: not refused bad_team: {out}")

        choose = [t for t, k in enumerate(CHOOSE_SIZES) for _ in range(k)]
        rnd.shuffle(choose)
        players = [
            await join_checked(play, oracle, http, g.pin, v, f"Team{i:02d}", choose[i])
            for i in range(N_PLAYERS)
        ]
        sizes = [len(oracle.members(t)) for t in range(3)]
        assert sizes == (list(CHOOSE_SIZES) if v.mode == "choose" else [10, 10, 10]), sizes
        play.events.append(("mark", "lobby"))

        host = await connect(servers[0], f"/ws/host/{g.pin}/", g.host_token)
        screen = await connect(servers[1], f"/ws/screen/{g.pin}/", g.screen_token)
        for i, p in enumerate(players):
            play.clients[p] = await connect(servers[i % 2], f"/ws/play/{g.pin}/", play.tokens[p])
        hw = await host.expect("welcome")
        sw = await screen.expect("welcome")
        for p, c in play.clients.items():
            play.welcomes[p] = await c.expect("welcome")
        lobby = oracle.board()
        for who, w in [("host", hw), ("screen", sw), *play.welcomes.items()]:
            check(w["game"].get("teams") == NAMES, f"welcome.game.teams to {who}: "
                                                   f"{w['game'].get('teams')!r}")  # fmt: skip
            check(w["leaderboard"].get("teams") == lobby,
                  f"lobby welcome.leaderboard.teams to {who}: {w['leaderboard'].get('teams')} "
                  f"!= {lobby}")  # fmt: skip
        for p, w in play.welcomes.items():
            check(
                w["you"].get("team") == play.teams[p],
                f"welcome.you.team of {p}: {w['you'].get('team')!r} != {play.teams[p]}",
            )

        # plans: q1 right only in team 0 (teams 1 and 2 tie at 0: the lower
        # index ranks first); the last player never answers (no early close)
        idle = players[-1]
        plan: dict[int, list[list[int] | None]] = {}
        for p in players:
            row: list[list[int] | None] = []
            for n in range(3):
                if p == idle:
                    row.append(None)
                elif n == 0:
                    row.append(RIGHT[0] if play.teams[p] == 0 and rnd.random() < 0.7
                               else WRONG[0] if rnd.random() < 0.7 else None)  # fmt: skip
                else:
                    x = rnd.random()
                    row.append(RIGHT[n] if x < 0.6 else WRONG[n] if x < 0.85 else None)
            plan[p] = row
        # kicked during question 2, after its answer: a right answer in q1 and q2
        k2 = next(p for p in players[:-1] if play.teams[p] == 1)
        plan[k2] = [WRONG[0], RIGHT[1], RIGHT[2]]

        for n in (1, 2, 3):
            if n == 2:
                # a kick between questions: a scorer of q1 (team 0)
                totals = {p: closed_of(c, 1)["total"] for p, c in play.clients.items()}
                k1 = next(p for p in players if totals[p] > 0 and p != k2)
                await kick(play, host, k1)
                await play.clients.pop(k1).closed()
                await asyncio.sleep(0.8)  # a tick shows it
            play.events.append(("mark", f"pre{n}"))
            await host.send({"type": "start_question", "question": n})
            for c in (host, screen, *play.clients.values()):
                await c.expect("question", question=n)
            if n == 2:
                c2 = play.clients[k2]
                await c2.send({"type": "answer", "question": 2, "choices": RIGHT[1]})
                ack = await c2.expect("answer_ack", question=2)
                check("code" not in ack, f"k2's answer refused: {ack}")
                play.events.append(("answer", k2, 2))
                await kick(play, host, k2)
                await play.clients.pop(k2).closed()
                if v.late:
                    for i, t in enumerate([2, 2]):
                        p = await join_checked(
                            play,
                            oracle,
                            http,
                            g.pin,
                            v,
                            f"Late{i}",
                            t if v.mode == "choose" else None,
                        )
                        play.late.append(p)
                        plan[p] = [None, RIGHT[1], RIGHT[2] if i == 0 else WRONG[2]]
                    play.events.append(("mark", "late_welcome"))
                    for p in play.late:
                        play.clients[p] = await connect(
                            servers[p % 2], f"/ws/play/{g.pin}/", play.tokens[p]
                        )
                        play.welcomes[p] = w = await play.clients[p].expect("welcome")
                        check(w["you"].get("team") == play.teams[p],
                              f"late welcome.you.team {w['you'].get('team')} != "
                              f"{play.teams[p]}")  # fmt: skip
                        check(w["game"].get("teams") == NAMES, "late welcome.game.teams")
                        check(w.get("question", {}).get("question") == 2,
                              f"late welcome.question {w.get('question')}")  # fmt: skip

            async def answer(p: int, c: Client, n: int = n) -> None:
                choice = plan[p][n - 1]
                if choice is None or (n == 2 and p == k2):
                    return
                await asyncio.sleep(rnd.uniform(0, 1.2))
                await c.send({"type": "answer", "question": n, "choices": choice})
                ack = await c.expect("answer_ack", question=n)
                check("code" not in ack, f"q{n} answer of {p} refused: {ack}")
                play.events.append(("answer", p, n))

            await asyncio.gather(*(answer(p, c) for p, c in play.clients.items()))
            await asyncio.sleep(0.8)  # live: a tick after the last answer
            play.events.append(("mark", f"open{n}"))
            await host.send({"type": "close_question"})
            for c in (host, screen, *play.clients.values()):
                await c.expect("question_closed", question=n)
            await screen.expect("leaderboard", question=n)
            play.events.append(("mark", f"close{n}"))
            await asyncio.sleep(0.6)
        await host.send({"type": "end_game"})
        for c in (screen, *play.clients.values()):
            await c.expect("game_over")
        await host.expect("saved", timeout=30)

    points = await sync_to_async(_points)(g.game)
    boards = replay(play, points, v.score)
    verify(play, boards, host, screen, v)
    res = await sync_to_async(results_json)(servers[0], g.pin)
    final = boards["close3"]
    check(res.get("teams") == final, f"results teams {res.get('teams')} != {final}")
    check(res.get("teams_podium") == final[:3], f"results teams_podium {res.get('teams_podium')}")
    rows = {r["player"]: r for r in res["ranking"]}
    check(set(rows) == set(play.teams), f"results ranking players {sorted(rows)}")
    for p, t in play.teams.items():
        r = rows.get(p, {})
        check(r.get("team") == t, f"results team of {p}: {r.get('team')!r} != {t}")
        check(r.get("kicked") is (p in play.kicked), f"results kicked of {p}: {r.get('kicked')!r}")
    for c in (host, screen, *play.clients.values()):
        await c.close()
    assert not play.failures, f"{len(play.failures)} differences:\n" + "\n".join(play.failures)


def closed_of(c: Client, n: int) -> dict[str, Any]:
    fs = [f for f in c.frames if f["type"] == "question_closed" and f["question"] == n]
    assert len(fs) == 1, (n, fs)
    return fs[0]


def replay(
    play: Play, points: dict[tuple[int, int], int], score: str
) -> dict[str, list[dict[str, Any]]]:
    """The oracle's board at every marker, from the events and the saved points."""
    o = TeamOracle(NAMES, score)
    boards = {}
    answered = {(p, n) for e in play.events if e[0] == "answer" for p, n in [e[1:]]}
    play.check(answered == set(points),
               f"saved answers differ from the acked ones: {sorted(answered ^ set(points))}")  # fmt: skip
    for e in play.events:
        if e[0] == "join":
            o.join(e[1], e[2])
        elif e[0] == "kick":
            o.kick(e[1])
        elif e[0] == "answer":
            o.points(e[1], points.get((e[1], e[2]), 0))
        else:
            boards[e[1]] = o.board()
            if e[1].startswith("close"):
                boards[e[1] + "_totals"] = dict(o.total)  # type: ignore[assignment]
    return boards


def verify(play: Play, boards: dict[str, Any], host: Client, screen: Client, v: Variant) -> None:
    check = play.check
    for n in (1, 2, 3):
        want = boards[f"close{n}"]
        totals = boards[f"close{n}_totals"]
        # the oracle's input: each player's total equals the server's own
        for p, c in play.clients.items():
            f = closed_of(c, n) if p not in play.late or n >= 2 else None
            if f is None:
                continue
            check(f["total"] == totals.get(p, 0),
                  f"q{n} player {p}: closed total {f['total']} != saved points' "
                  f"{totals.get(p, 0)}")  # fmt: skip
            check(f.get("teams") == want, f"q{n} closed.teams to {p}: {f.get('teams')} != {want}")
            rank, score = place(want, play.teams[p])
            check((f.get("team_rank"), f.get("team_score")) == (rank, score),
                  f"q{n} player {p} (team {play.teams[p]}): team_rank/score "
                  f"{(f.get('team_rank'), f.get('team_score'))} != {(rank, score)}")  # fmt: skip
        for who, c in (("host", host), ("screen", screen)):
            f = closed_of(c, n)
            check(f.get("teams") == want, f"q{n} closed.teams to {who}: {f.get('teams')} != {want}")
        # the board right after the close, and the last one before the next question
        after = between(screen, ("question_closed", n), ("question", n + 1) if n < 3 else None)
        after = [f for f in after if f.get("question") == n]
        check(bool(after), f"q{n}: no leaderboard after the close")
        if after:
            check(after[0].get("teams") == want,
                  f"q{n} first leaderboard.teams after the close {after[0].get('teams')} != "
                  f"{want}")  # fmt: skip
            last_want = boards["pre2"] if n == 1 else want
            check(after[-1].get("teams") == last_want,
                  f"q{n} last leaderboard.teams before the next question "
                  f"{after[-1].get('teams')} != {last_want}")  # fmt: skip
        # while the question is open
        held = boards[f"pre{n}"]
        if v.reveal == "on_close":
            seen: list[tuple[Any, Client]] = [("screen", screen), ("host", host)]
            for who, c in [*seen, *play.clients.items()]:
                during = between(c, ("question", n), ("question_closed", n))
                moved = [f.get("teams") for f in during if f.get("teams") != held]
                check(not moved, f"q{n} on_close: the team board moved while open for {who}: "
                                 f"{moved[:1]} != held {held}")  # fmt: skip
                if who == "screen":
                    check(bool(during), f"q{n}: the screen got no leaderboard while open")
            for p in play.late if n == 2 else []:
                w = play.welcomes[p]["leaderboard"].get("teams")
                check(w == held, f"late welcome (on_close, q2 open) leaderboard.teams {w} != "
                                 f"held {held}")  # fmt: skip
        else:
            during = between(screen, ("question", n), ("question_closed", n))
            check(bool(during), f"q{n}: the screen got no leaderboard while open")
            if during:
                check(during[-1].get("teams") == boards[f"open{n}"],
                      f"q{n} live: last leaderboard.teams before the close "
                      f"{during[-1].get('teams')} != {boards[f'open{n}']}")  # fmt: skip
            for f in during:
                t = f.get("teams") or []
                order = [(-e["score"], e["team"]) for e in t]
                check(order == sorted(order) and [e["rank"] for e in t] == [1, 2, 3],
                      f"q{n} live leaderboard.teams not in rank order: {t}")  # fmt: skip
            for p in play.late if n == 2 else []:
                w = play.welcomes[p]["leaderboard"].get("teams")
                check(
                    w == boards["late_welcome"],
                    f"late welcome (live) leaderboard.teams {w} != {boards['late_welcome']}",
                )
    # the end
    final = boards["close3"]
    ends: list[tuple[Any, Client]] = [("screen", screen), *play.clients.items()]
    for who, c in ends:
        over = frames_of(c, "game_over")[0]
        check(
            over.get("teams_podium") == final[:3],
            f"game_over.teams_podium to {who}: {over.get('teams_podium')} != {final[:3]}",
        )
        check(over.get("teams") == final, f"game_over.teams to {who}: {over.get('teams')}")
        if isinstance(who, int):
            rank, score = place(final, play.teams[who])
            check((over.get("team_rank"), over.get("team_score")) == (rank, score),
                  f"game_over of {who}: team_rank/score "
                  f"{(over.get('team_rank'), over.get('team_score'))} != {(rank, score)}")  # fmt: skip
