"""A WebSocket game with every question kind and 20 players, every number
checked against an independent oracle of issue 13 (tests/sockets/oracle_kinds.py).

Answer times are the server's (the only clock that counts): after the game,
each answer's ``elapsed_ms`` is read from the saved results (PostgreSQL
rows, and the results JSON when it lists answers), and the oracle scores
every answer from it. Then every live ``answer_ack`` and every
``question_closed`` (the common part and each player's part) must equal the
oracle's. Refused answers (bad_value, bad_request, bad_choice, no_answers,
not_open, paused) must leave nothing recorded.

The host's clock (pause, resume, extend) has its own shorter game below.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from quiz.models import Answer
from quiz.nicknames import nickname_offensive
from quiz.services.players import player_join
from testkit.hosts import host_session

from . import oracle_kinds as oracle
from .conftest import Client, Server, connect
from .helpers import Opened, open_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

HOST, PASSWORD = "oracle-host", "oracle-pw-13"
N_PLAYERS = 20
LIMIT = 20

ITEMS = ["1930 Uruguay", "1950 Brazil", "1954 Switzerland", "1958 Sweden"]
QUESTIONS: list[dict[str, Any]] = [
    {"text": "Largest ocean?", "time_limit": LIMIT, "multiplier": 1,
     "choices": [{"text": t, "correct": i == 2}
                 for i, t in enumerate(["Atlantic", "Indian", "Pacific", "Arctic"])]},
    {"text": "Best kit?", "kind": "poll", "time_limit": LIMIT,
     "choices": [{"text": "Home"}, {"text": "Away"}, {"text": "Third"}]},
    {"text": "Which are even?", "time_limit": LIMIT, "multiplier": 2, "read_time": 2,
     "choices": [{"text": t, "correct": i in (1, 3)} for i, t in enumerate(["3", "8", "5", "12"])]},
    {"text": "One word for tonight", "kind": "word_cloud", "time_limit": LIMIT, "max_length": 20},
    {"text": "The Maracanã is in Buenos Aires.", "kind": "true_false", "time_limit": LIMIT,
     "multiplier": 1, "answer": False},
    {"text": "Attendance tonight (thousands)?", "kind": "slider", "time_limit": LIMIT,
     "multiplier": 1, "min": 0, "max": 70, "step": 1, "answer": 35, "tolerance": 4, "unit": "k"},
    {"text": "Half time", "kind": "info", "time_limit": 10},
    {"text": "Share of away fans?", "kind": "slider", "time_limit": LIMIT, "multiplier": 1,
     "min": 0, "max": 1, "step": 0.1, "answer": 0.3, "tolerance": 0},
    {"text": "Name the stadium of the 1950 final", "kind": "type_answer", "time_limit": LIMIT,
     "multiplier": 1, "accepted": ["Maracanã", "Estádio do Maracanã"], "max_length": 25},
    {"text": "Put these finals in order", "kind": "ordering", "time_limit": LIMIT,
     "multiplier": 1, "items": ITEMS},
    {"text": "Warm-up: kick-off at 8?", "time_limit": LIMIT, "multiplier": 0,
     "choices": [{"text": "yes", "correct": True}, {"text": "no", "correct": False}]},
    {"text": "Football is played with a ball.", "kind": "true_false", "time_limit": LIMIT,
     "multiplier": 1, "answer": True},
]  # fmt: skip
QUIZ = {"title": "Every kind", "questions": QUESTIONS}


def _perm(*right_order: int) -> Callable[[list[str]], list[int]]:
    """An ordering answer given as item indexes in the right order, turned
    into display indexes once the question frame shows the display order."""
    return lambda shown: [shown.index(ITEMS[i]) for i in right_order]


# Answers per question: each value is given to one player first (players
# 0, 1, 2, ... in turn, so every edge is played), the rest pick at random.
CANDIDATES: list[list[Any]] = [
    [[2], [2], [0], [1], [3]],
    [[0], [1], [2], [0]],
    [[1, 3], [1, 3], [1], [3], [0, 1], [0], [2]],  # [1]: one right of two
    ["Pizza", "pizza!", "  PIZZA  ", "Tacos", "tacos", "Sushi", "Ｓｕｓｈｉ", "shit show",
     "fish & chips", "fish and chips", "Tacos."],
    [[1], [1], [0]],
    [35, 35, 36, 34, 37, 39, 31, 40, 30, 0, 70, 35.0, 36.0000000001, 69, 3],
    [],
    [0.3, 0.3, 0.30000000000000004, 0.4, 0, 1, 0.2, 0.9],
    ["Maracanã", "maracanã", "MARACANÃ", "Maracana\u0303", " maracanã. ", "Maracana",
     "Estadio do Maracana", "estádio   do maracanã!", "Ｍａｒａｃａｎã", "Wembley", "Maraca-nã",
     "  " + "W" * 25 + " "],
    [_perm(0, 1, 2, 3), _perm(0, 1, 2, 3), _perm(1, 0, 2, 3), _perm(0, 1, 3, 2), _perm(3, 2, 1, 0)],
    [[0], [0], [1]],
    [[0], [0], [1]],
]  # fmt: skip
RIGHT: list[Any] = [
    [2], [0], [1, 3], "Pizza", [1], 35, None, 0.3, "Maracanã", _perm(0, 1, 2, 3), [0], [0]
]  # fmt: skip
IDLE = N_PLAYERS - 1  # never answers: no question closes early, and the refusals are sent by it

# Refused frames (well, the kind's field only) per question, sent before the
# valid answers by IDLE (nothing may be recorded) and by player 3 (which
# answers validly afterwards, so an answer recorded by mistake would show
# as already_answered).
BAD: dict[int, list[dict[str, Any]]] = {
    2: [{"choices": [0, 1]}, {"choices": [3]}, {"value": 1}, {"choices": []}],
    4: [{"text": "x" * 21}, {"text": ""}, {"text": "   "}, {"text": 5}, {"choices": [0]}],
    6: [{"value": 3.5}, {"value": -1}, {"value": 71}, {"value": "35"}, {"value": True},
        {"choices": [0]}, {"value": 34.99}],
    7: [{"choices": [0]}, {"text": "hi"}, {"value": 1}],
    8: [{"value": 0.35}, {"value": 1.1}, {"value": -0.1}, {"value": None}],
    9: [{"text": ""}, {"text": " \t "}, {"text": "W" * 26}, {"text": ["Maracanã"]}],
    10: [{"order": [0, 0, 1, 2]}, {"order": [0, 1, 2]}, {"order": [0, 1, 2, 4]},
         {"order": [0, 1, 2, "3"]}, {"order": "0123"}, {"order": [0, 1, 2, 3, 4]}],
}  # fmt: skip


def allowed_text(text: str) -> bool:
    """Texts shown in distributions: those the nickname word filter allows."""
    return not nickname_offensive(text)


# --- set-up -------------------------------------------------------------------------


def _open(quiz_doc: dict[str, Any], **settings: Any) -> Opened:
    return open_as(quiz_doc, username=HOST, password=PASSWORD, **settings)


async def open_game(n: int, quiz_doc: dict[str, Any], **settings: Any) -> Opened:
    g = await sync_to_async(_open)(quiz_doc, **settings)
    for i in range(n):
        j = await player_join(pin=g.pin, nickname=f"Kind{i:02d}")
        g.tokens.append(j.token)
        g.players.append(j.player)
    return g


@dataclass
class Row:
    """One saved answer."""

    points: int
    bonus: int
    correct: bool | None
    elapsed_ms: int
    total: int
    streak: int
    value: Any


def _rows(game: str) -> dict[tuple[int, int], Row]:
    out = {}
    for a in Answer.objects.filter(game__key=game).select_related("player"):
        out[(a.player.number, a.question)] = Row(
            a.points, a.bonus, a.correct, a.elapsed_ms, a.total, a.streak,
            getattr(a, "value", None),
        )  # fmt: skip
    connection.close()
    return out


async def saved_rows(game: str) -> dict[tuple[int, int], Row]:
    return await sync_to_async(_rows)(game)


def results_json(server: Server, pin: str) -> dict[str, Any]:
    c = host_session(server.http, HOST, PASSWORD)
    try:
        r = c.get(f"/api/games/{pin}/results")
        assert r.status_code == 200, r.text
        return dict(r.json())
    finally:
        c.close()


def results_answers(res: dict[str, Any]) -> dict[tuple[int, int], dict[str, Any]]:
    """(player, question) -> answer, from the results JSON's questions (the
    shape is the server's: questions[i].answers[] or per player answers[])."""
    out: dict[tuple[int, int], dict[str, Any]] = {}
    for i, q in enumerate(res.get("questions") or [], 1):
        for a in q.get("answers") or []:
            out[(int(a["player"]), int(q.get("question", i)))] = a
    for row in res.get("ranking") or []:
        for a in row.get("answers") or []:
            if a is not None and "question" in a:
                out[(int(row["player"]), int(a["question"]))] = a
    return out


# --- the game ----------------------------------------------------------------------


@dataclass
class Sent:
    """What one player did on one question."""

    frame: dict[str, Any]
    ack: dict[str, Any]
    sent_at: float
    got_question_at: float


@dataclass
class Play:
    g: Opened
    host: Client
    clients: dict[int, Client]
    questions: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)  # n -> p -> frame
    sent: dict[int, dict[int, Sent]] = field(default_factory=dict)
    refusals: list[tuple[int, int, dict[str, Any], str, str | None]] = field(default_factory=list)
    shown_items: dict[int, list[str]] = field(default_factory=dict)


def plan_of(players: list[int], seed: int) -> dict[int, list[Any]]:
    """Per player, per question: the value to send (or None)."""
    rnd = random.Random(seed)
    plan: dict[int, list[Any]] = {p: [] for p in players}
    for n, cands in enumerate(CANDIDATES, 1):
        for i, p in enumerate(players):
            if p == players[IDLE] or not cands:
                v = None
            elif i == 0:
                v = RIGHT[n - 1]  # always right: the longest streak
            elif i == 1:
                # right on scored questions, skips every unscored one
                v = RIGHT[n - 1] if oracle.kind_of(QUESTIONS[n - 1]) in oracle.SCORED else None
            elif i - 2 < len(cands):
                v = cands[i - 2]
            else:
                v = None if rnd.random() < 0.15 else rnd.choice(cands)
            plan[p].append(v)
    return plan


async def error_code(c: Client, frame: dict[str, Any]) -> str:
    await c.send(frame)
    return str((await c.expect("error"))["code"])


async def run_game(
    g: Opened,
    servers: list[Server],
    plan: dict[int, list[Any]],
    questions: list[dict[str, Any]] = QUESTIONS,
    bad_frames: dict[int, list[dict[str, Any]]] = BAD,
) -> Play:
    """Host on servers[0], players spread over ``servers``; per question the
    refused frames of ``bad_frames`` first (by IDLE and player 3), then
    every planned answer after a random delay, then the host's close."""
    host = await connect(servers[0], f"/ws/host/{g.pin}/", g.host_token)
    await host.expect("welcome")
    clients = {
        p: await connect(servers[i % len(servers)], f"/ws/play/{g.pin}/", tok)
        for i, (p, tok) in enumerate(zip(g.players, g.tokens, strict=True))
    }
    for c in clients.values():
        await c.expect("welcome")
    play = Play(g, host, clients)
    idle, retrier = g.players[-1], g.players[3]
    for n, q in enumerate(questions, 1):
        play.questions[n], play.sent[n] = {}, {}
        await host.send({"type": "start_question", "question": n})
        got_at: dict[int, float] = {}
        for p, c in clients.items():
            play.questions[n][p] = await c.expect("question", question=n)
            got_at[p] = time.time()
        first = play.questions[n][g.players[0]]
        if oracle.kind_of(q) == "ordering":
            play.shown_items[n] = list(first["items"])
        read_ms = first.get("answers_open_ms", first["opened_ms"]) - first["server_ms"]

        # refusals first, before any valid answer (so none closes the question)
        for bad in bad_frames.get(n, []):
            for p in (idle, retrier):
                frame = {"type": "answer", "question": n, **bad}
                want = oracle.refusal(q, frame)
                got = await error_code(clients[p], frame)
                play.refusals.append((n, p, bad, got, want))
        if read_ms > 0:
            # answers during the reading time: refused not_open, nothing recorded
            for p in g.players[:6]:
                v = plan[g.players[0]][n - 1]
                frame = {"type": "answer", "question": n, oracle.FIELD[oracle.kind_of(q)]: v}
                play.refusals.append((n, p, {"reading": True}, await error_code(clients[p], frame),
                                      "not_open"))  # fmt: skip
            await asyncio.sleep(read_ms / 1000 + 0.15)

        async def answer(
            p: int, c: Client, n: int = n, q: dict[str, Any] = q, got_at: dict[int, float] = got_at
        ) -> None:
            v = plan[p][n - 1]
            if v is None:
                return
            if callable(v):
                v = v(play.shown_items[n])
            await asyncio.sleep(random.uniform(0, 1.8))
            frame = {"type": "answer", "question": n, oracle.FIELD[oracle.kind_of(q)]: v, "ts": n}
            sent_at = time.time()
            await c.send(frame)
            f = await c.expect("answer_ack", question=n)
            play.sent[n][p] = Sent(frame, f, sent_at, got_at[p])

        await asyncio.gather(*(answer(p, c) for p, c in clients.items()))
        await host.send({"type": "close_question"})
        for c in (host, *clients.values()):
            await c.expect("question_closed", question=n)
    await host.send({"type": "end_game"})
    for c in clients.values():
        await c.expect("game_over")
    await host.expect("saved", timeout=30)
    return play


def closed_of(c: Client, n: int) -> dict[str, Any]:
    fs = [f for f in c.frames if f["type"] == "question_closed" and f["question"] == n]
    assert len(fs) == 1, (n, fs)
    return fs[0]


COMMON = ("question", "kind", "correct", "distribution", "answered", "players")


@pytest.mark.parametrize("reveal", ["live", "on_close"])
async def test_every_kind_20_players_against_the_oracle(servers: list[Server], reveal: str) -> None:
    g = await open_game(N_PLAYERS, QUIZ, reveal=reveal)
    plan = plan_of(g.players, seed=13)
    play = await run_game(g, servers, plan)
    failures = await verify(play, servers[0], QUESTIONS, reveal)
    assert not failures, "\n".join(failures)


async def verify(
    play: Play, server: Server, questions: list[dict[str, Any]], reveal: str
) -> list[str]:
    """Every frame and saved number of ``play`` against the oracle: the
    list of what differs."""
    g = play.g
    rows = await saved_rows(g.game)
    res = await sync_to_async(results_json)(server, g.pin)
    by_results = results_answers(res)

    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        if not ok:
            failures.append(what)

    # refusals: each code as the oracle says
    for n, p, bad, got, want in play.refusals:
        check(got == want, f"q{n} player {p} sent {bad}: refused {got!r}, want {want!r}")

    og = oracle.OracleGame(questions, allowed_text=allowed_text)
    for n, q in enumerate(questions, 1):
        kind = oracle.kind_of(q)
        # the question frame
        want_q = oracle.question_frame_fields(q)
        for p, f in play.questions[n].items():
            got_q = {k: f.get(k) for k in want_q}
            check(got_q == want_q, f"q{n} question frame of {p}: {got_q} != {want_q}")
            check(
                f.get("answers_open_ms") == f["opened_ms"] + 1000 * q.get("read_time", 0),
                f"q{n} answers_open_ms {f.get('answers_open_ms')} != opened_ms + read_time",
            )
            check(
                f["deadline_ms"] == f.get("answers_open_ms", 0) + 1000 * q["time_limit"],
                f"q{n} deadline_ms {f['deadline_ms']} != answers_open_ms + limit",
            )
            check(f.get("paused") is False, f"q{n} paused {f.get('paused')!r}")
            check("correct" not in f and "answer" not in f and "accepted" not in f,
                  f"q{n}: the answer is on the wire before the close: {f}")  # fmt: skip
            if kind == "ordering":
                check(f["items"] == play.shown_items[n], f"q{n} display order differs per player")
                check(sorted(f["items"]) == sorted(q["items"]) and f["items"] != q["items"],
                      f"q{n} items {f['items']} not a shuffled display order")  # fmt: skip
        og.start(n, play.shown_items.get(n))
        # every answer that was acked is saved, and nothing else is
        saved_here = {p for (p, qn) in rows if qn == n}
        check(
            saved_here == set(play.sent[n]),
            f"q{n} saved answers of {sorted(saved_here)} != acked {sorted(play.sent[n])}",
        )
        for p in sorted(play.sent[n]):
            s = play.sent[n][p]
            row = rows.get((p, n))
            if row is None:
                continue
            value = oracle.recorded_value(q, s.frame)
            r = og.answer(p, value, row.elapsed_ms, 1000 * q["time_limit"])
            if reveal == "live":
                want_ack = {"points": r.points, "bonus": r.bonus, "total": r.total,
                            "streak": r.streak, "correct": r.right}  # fmt: skip
                if r.right is not None and "correct" not in s.ack:
                    # docs/protocol.md: scored kinds' acks carry no `correct`
                    # (spec13 had correct: bool; reported, tolerated)
                    del want_ack["correct"]
                got_ack = {k: s.ack.get(k, "<missing>") for k in want_ack}
            else:
                # on_close: locked only (+ correct: null on unscored kinds)
                want_ack = {"locked": True}
                got_ack = {k: v for k, v in s.ack.items() if k not in ("type", "question", "ts",
                           "seq", "prev", "_t", oracle.FIELD[kind])}  # fmt: skip
                if r.right is None and got_ack.get("correct", 0) is None:
                    want_ack["correct"] = None
            check(got_ack == want_ack,
                  f"q{n} ({kind}) player {p} sent {s.frame} t={row.elapsed_ms}: ack {got_ack} "
                  f"!= oracle {want_ack}")  # fmt: skip
            field_name = oracle.FIELD[kind]
            echo = s.ack.get(field_name)
            check(echo in (s.frame[field_name], value) and s.ack.get("ts") == n,
                  f"q{n} ack does not echo {field_name}/ts: {s.ack}")  # fmt: skip
            check((row.points, row.bonus) == (r.points, r.bonus),
                  f"q{n} player {p}: saved points/bonus {(row.points, row.bonus)} != oracle "
                  f"{(r.points, r.bonus)}")  # fmt: skip
            # PostgreSQL may keep unscored answers' correct as null or false
            check(row.correct == r.right or (r.right is None and row.correct is False),
                  f"q{n} player {p}: saved correct {row.correct!r} != {r.right!r}")  # fmt: skip
            if row.value is not None:
                check(
                    oracle.same_value(row.value, value),
                    f"q{n} player {p}: saved value {row.value!r} != {value!r}",
                )
            # the server's t against what the client saw (generous: loopback)
            est = (s.sent_at - s.got_question_at) * 1000 - (
                play.questions[n][p].get("answers_open_ms", play.questions[n][p]["opened_ms"])
                - play.questions[n][p]["server_ms"]
            )
            check(
                abs(row.elapsed_ms - est) < 400,
                f"q{n} player {p}: elapsed_ms {row.elapsed_ms} far from the client's {est:.0f}",
            )
            a = by_results.get((p, n))
            if a is not None:
                check(a.get("elapsed_ms") == row.elapsed_ms,
                      f"q{n} player {p}: results elapsed_ms {a.get('elapsed_ms')} != saved "
                      f"{row.elapsed_ms}")  # fmt: skip
                check(a.get("points") == r.points and a.get("correct") == r.right,
                      f"q{n} player {p}: results JSON {a} != oracle {r}")  # fmt: skip
                if "value" in a:
                    check(
                        oracle.same_value(a["value"], value),
                        f"q{n} player {p}: results value {a['value']!r}",
                    )
        # question_closed: the common part for the host and everyone
        want_c = og.closed_common(n)
        for who, c in [("host", play.host), *play.clients.items()]:
            f = closed_of(c, n)
            for k in ("question", "kind", "correct", "answered"):
                check(f.get(k) == want_c[k], f"q{n} closed[{k}] to {who}: {f.get(k)!r} != "
                                             f"{want_c[k]!r}")  # fmt: skip
            check(oracle.same_distribution(f.get("distribution"), want_c["distribution"]),
                  f"q{n} closed distribution to {who}: {f.get('distribution')!r} != "
                  f"{want_c['distribution']!r}")  # fmt: skip
            check(f.get("players") == len(g.players), f"q{n} closed players {f.get('players')}")
        # each player's part
        totals = {p: og.player(p).total for p in g.players}
        for p, c in play.clients.items():
            f = closed_of(c, n)
            want_p = og.closed_part(n, p)
            got_p = {k: f.get(k, "<missing>") for k in want_p}
            if oracle.same_value(got_p["value"], want_p["value"]):
                got_p["value"] = want_p["value"]
            check(got_p == want_p, f"q{n} ({kind}) closed part of {p}: {got_p} != {want_p}")
            above = sum(1 for o in g.players if totals[o] > totals[p])
            level = sum(1 for o in g.players if totals[o] >= totals[p])
            check(
                above < f.get("rank", 0) <= level,
                f"q{n} rank of {p} {f.get('rank')} not in ({above}, {level}]",
            )
    # final totals
    over = {p: next(f for f in c.frames if f["type"] == "game_over") for p, c in
            play.clients.items()}  # fmt: skip
    for p in g.players:
        check(
            over[p]["score"] == og.player(p).total,
            f"player {p}: game_over score {over[p]['score']} != {og.player(p).total}",
        )
    check(
        set(by_results) == set(rows),
        f"results JSON answers {sorted(set(by_results) ^ set(rows))} differ from the saved ones",
    )
    kinds = [(q.get("question"), q.get("kind")) for q in res.get("questions") or []]
    check(kinds == [(n, oracle.kind_of(q)) for n, q in enumerate(questions, 1)],
          f"results questions' kinds {kinds}")  # fmt: skip
    ranking = {e["player"]: e["score"] for e in res["ranking"]}
    check(ranking == {p: og.player(p).total for p in g.players},
          f"results ranking scores {ranking} != oracle")  # fmt: skip
    return failures


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
    g = await open_game(N_CROWD, {"title": "Crowd", "questions": CROWD_QUESTIONS})
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
    g = await open_game(3, CLOCK_QUIZ)
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
