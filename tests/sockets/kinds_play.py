"""The game of every question kind, played over WebSockets against any list
of servers (uvicorn processes, or a proxy in front of them: anything with
``http`` and ``ws`` base URLs) and checked against the independent oracle of
issue 13 (tests/sockets/oracle_kinds.py).

Answer times are the server's (the only clock that counts): after the game,
each answer's ``elapsed_ms`` is read from the saved results (PostgreSQL
rows, and the results JSON when it lists answers), and the oracle scores
every answer from it. Then every live ``answer_ack`` and every
``question_closed`` (the common part and each player's part) must equal the
oracle's. Refused answers (bad_value, bad_request, bad_choice, no_answers,
not_open, paused) must leave nothing recorded.

Used by tests/sockets/test_kinds_game.py and tests/proxy/test_proxy_game.py.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connection

from quiz.models import Answer
from quiz.nicknames import nickname_offensive

from . import helpers
from . import oracle_kinds as oracle
from .conftest import Client, Server, connect
from .helpers import Opened

HOST, PASSWORD = "oracle-host", "oracle-pw-13"
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

# Refused frames (well, the kind's field only) per question, sent before the
# valid answers by the last player, who never answers (nothing may be
# recorded), and by player 3 (which answers validly afterwards, so an answer
# recorded by mistake would show as already_answered).
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


async def open_game(n: int, quiz_doc: dict[str, Any], **settings: Any) -> Opened:
    return await helpers.open_game(
        n, quiz_doc, nickname="Kind", username=HOST, password=PASSWORD, **settings
    )


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
    return helpers.results_json(server, pin, HOST, PASSWORD)


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
    """Per player, per question: the value to send (or None). The last
    player never answers: no question closes early (all answered), and
    run_game sends the refused frames as it."""
    rnd = random.Random(seed)
    plan: dict[int, list[Any]] = {p: [] for p in players}
    for n, cands in enumerate(CANDIDATES, 1):
        for i, p in enumerate(players):
            if p == players[-1] or not cands:
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
    refused frames of ``bad_frames`` first (by the last player and player 3), then
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
