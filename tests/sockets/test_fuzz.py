"""WebSocket fuzz: a few thousand hostile frames across every message type
and every role, against a server of its own whose stderr is a file.

Seeded: the seed is printed (``STADIUM_FUZZ_SEED=<n>`` replays the frames;
the interleaving of sockets is the event loop's). Asserted:

- no traceback in the server's log;
- every frame is answered as docs/protocol.md says (one direct reply per
  frame, error codes from its table; a host command that succeeds answers
  with its broadcast instead), or the socket is closed with a code from its
  close-code table; every server frame is JSON a browser accepts;
- junk never scores: the only acknowledged answers are the legitimate ones,
  and every score (Redis, PostgreSQL) equals the sum of its acks' points;
- ``manage.py flush_scores`` then ``manage.py verify_game`` are clean.

The rate limit is raised for this server: the fuzz is about what frames
say, not how fast they come (test_refusals covers the flood limit).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import websockets
from asgiref.sync import sync_to_async
from django.db import connection

from engine import SyncEngine, ops
from quiz.redis import redis_sync
from sockets import messages

from .conftest import ROOT, WS_MAX_BYTES, Server, db_url, start_server
from .helpers import CORRECT, open_game

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]

FRAMES = int(os.environ.get("STADIUM_FUZZ_FRAMES", "3000"))
MAX_BYTES = int(WS_MAX_BYTES)  # the test servers' --ws-max-size and STADIUM_MAX_FRAME_BYTES


def _documented() -> tuple[set[str], set[int]]:
    """The error and close codes docs/protocol.md lists: the contract."""
    doc = (ROOT / "docs" / "protocol.md").read_text()
    errors = doc.split("## Error codes", 1)[1].split("\n## ", 1)[0]
    closes = doc.split("## Close codes", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", errors, re.M)), {
        int(c) for c in re.findall(r"^\| (\d{4}) \|", closes, re.M)
    }


ERROR_CODES, CLOSE_CODES = _documented()
DIRECT = {"error", "pong", "answer_ack", "saved"}  # replies to the frame itself
TYPES = [
    "hello", "answer", "ping", "resync", "start_question", "close_question",
    "end_game", "kick", "lock_join",
]  # fmt: skip


class Raw(str):
    """JSON text inserted as is (NaN, 1e400, deep nesting)."""


def enc(v: Any) -> str:
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, dict):
        return "{" + ",".join(f"{enc(str(k))}:{enc(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(enc(x) for x in v) + "]"
    return json.dumps(v)


def strict_loads(raw: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON a browser accepts")

    return json.loads(raw, parse_constant=refuse)


@dataclass
class Gen:
    """Frames from valid templates, mutated."""

    rng: random.Random
    tokens: list[str]  # every token of both games, to put at the wrong door
    ids: list[int]  # player ids of both games, and some that exist nowhere

    def value(self) -> Any:
        r = self.rng
        pool: list[Any] = [
            None, True, False, 0, -1, 1, 2, 3, 63, 64, 1000, 1001, 2**31, 2**53 + 1, 2**63,
            -(2**63), 10**30, 1.5, -0.0, 1e308, 1.0, Raw("NaN"), Raw("Infinity"),
            Raw("-Infinity"), Raw("1e400"), Raw("-1e400"), Raw("1" * 4000), "", "1", "x" * 300,
            "\ud800", "a\udfffb", "\ud83d\ude00", "\u0000", "<script>", [], [1], [0, 0],
            list(range(64)), [-1], [[0]], {}, {"a": 1}, Raw("[" * 900 + "]" * 900),
            r.choice(self.ids), r.choice(self.tokens), r.randrange(-(2**40), 2**40),
        ]  # fmt: skip
        return r.choice(pool)

    def template(self, kind: str, question: int) -> dict[str, Any]:
        r = self.rng
        base: dict[str, dict[str, Any]] = {
            "hello": {"token": r.choice(self.tokens)},
            "answer": {"question": question, "choices": [r.randrange(4)], "ts": 1.5},
            "ping": {"ts": r.randrange(10**6)},
            "start_question": {"question": r.randrange(1, 5)},
            "kick": {"player": r.choice(self.ids)},
            "lock_join": {"locked": r.random() < 0.5},
        }
        return {"type": kind, **base.get(kind, {})}

    def frame(self, question: int) -> str | bytes:
        r = self.rng
        f = self.template(r.choice(TYPES), question)
        roll = r.random()
        if roll < 0.03:
            return r.randbytes(r.randrange(1, 64))  # a binary frame
        if roll < 0.04:
            return enc(f).encode()  # JSON, but binary
        if roll < 0.05:
            return enc({**f, "pad": "x" * (MAX_BYTES + 100)})  # over the size limit
        for _ in range(r.randrange(1, 4)):
            m = r.random()
            if m < 0.35:
                f[r.choice([*f, "type"])] = self.value()
            elif m < 0.5 and len(f) > 1:
                del f[r.choice([k for k in f if k != "type"] or ["type"])]
            elif m < 0.65:
                f[r.choice(["x", "__proto__", "TYPE", "type ", "\ud800", "seq", "player"])] = (
                    self.value()
                )
            elif m < 0.8:
                f["type"] = r.choice(
                    [*TYPES, "", "HELLO", "answer ", "welcome", "error", "\ud800", "x" * 100]
                )
            else:
                f["question"] = r.choice([0, question, question + 1, -1, 10**9])
        text = enc(f)
        roll = r.random()
        if roll < 0.04:
            return text[: r.randrange(len(text))]  # cut short
        if roll < 0.07:
            i = r.randrange(len(text))
            return text[:i] + r.choice(['"', "}", "\\", "\x00", "é", ",", "\\u"]) + text[i + 1 :]
        if roll < 0.1:
            return r.choice([f"[{text}]", "null", "1", '"s"', "true", "{}", text + text])
        if roll < 0.12:
            return text[:-1] + ',"type":"answer"}'  # a duplicate key
        return text


@dataclass
class Sock:
    """A client socket; frames parsed as a browser would, every one kept."""

    role: str
    path: str
    token: str
    ws: Any = None
    frames: list[dict[str, Any]] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    close_code: int | None = None
    task: asyncio.Task[None] | None = None
    resyncs: int = 0
    welcomes_before: int = 0
    dead: bool = False  # closed after the game ended: nothing to reconnect to

    async def open(self, server: Server, hello: bool = True) -> None:
        self.ws = await websockets.connect(
            f"{server.ws}{self.path}", additional_headers={"Origin": server.http},
            ping_interval=None, max_size=2**22,
        )  # fmt: skip
        self.close_code = None
        start = len(self.frames)
        self.task = asyncio.ensure_future(self._read(self.ws))
        if hello:
            await self.ws.send(json.dumps({"type": "hello", "token": self.token}))
            await self.wait(lambda f: f["type"] == "welcome", "welcome", start)
            self.welcomes_before = self.welcomes()
            self.resyncs = 0

    async def _read(self, ws: Any) -> None:
        try:
            async for raw in ws:
                try:
                    self.frames.append(strict_loads(raw))
                except ValueError:
                    self.bad.append(raw)
                self.arrived.set()
        except websockets.ConnectionClosed:
            pass
        self.close_code = ws.close_code
        self.arrived.set()

    def welcomes(self) -> int:
        return sum(1 for f in self.frames if f["type"] == "welcome")

    async def wait(self, pred: Any, what: str, start: int = 0, timeout: float = 15) -> int:
        """Index of the first frame from ``start`` that matches, or -1 once closed."""
        end = time.monotonic() + timeout
        i = start
        while True:
            while i < len(self.frames):
                if pred(self.frames[i]):
                    return i
                i += 1
            if self.close_code is not None:
                return -1
            self.arrived.clear()
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{self.role} {self.path}: no {what} within {timeout}s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), left)


def declared_type(payload: str | bytes) -> str | None:
    if isinstance(payload, bytes):
        return None
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    t = data.get("type") if isinstance(data, dict) else None
    return t if isinstance(t, str) else None


def on_question(f: dict[str, Any], q: int) -> bool:
    if f["type"] == "welcome":
        return bool(f["game"]["question"] == q)
    return f["type"] == "question" and f["question"] == q


def host_may_send(payload: str | bytes, own_players: set[int]) -> bool:
    """The fuzzing host socket must not move the game (the test's own host
    does that): no valid start/close/end, no kick of this game's players."""
    if isinstance(payload, bytes) or len(payload.encode()) > MAX_BYTES:
        return True
    try:
        kind, msg = messages.parse(payload)
    except messages.Refusal:
        return True
    if kind in ("start_question", "close_question", "end_game"):
        return False
    return not (kind == "kick" and msg.player in own_players)


@dataclass
class Fuzz:
    server: Server
    gen: Gen
    seed: int
    own_players: set[int]
    counter: Iterator[int] = field(default_factory=itertools.count)
    sent: int = 0
    replies: Counter[str] = field(default_factory=Counter)
    fuzz_acks: list[dict[str, Any]] = field(default_factory=list)
    ended: bool = False

    def fail(self, s: Sock, payload: str | bytes, why: str) -> AssertionError:
        shown = payload[:200] if len(payload) > 200 else payload
        return AssertionError(f"seed {self.seed}: {s.role} {s.path} sent {shown!r}: {why}")

    async def exchange(self, s: Sock, payload: str | bytes) -> list[dict[str, Any]] | int:
        """Send ``payload`` then a marker ping; the direct replies in between,
        or the close code when the server closed the socket."""
        marker = f"~marker-{next(self.counter)}~"
        start = len(s.frames)
        try:
            await s.ws.send(payload)
            await s.ws.send(json.dumps({"type": "ping", "ts": marker}))
        except websockets.ConnectionClosed:
            pass
        end = await s.wait(lambda f: f["type"] == "pong" and f.get("ts") == marker, "pong", start)
        if end < 0:
            assert s.task is not None
            await asyncio.wait_for(s.task, 10)
            return int(s.close_code or 0)
        return [f for f in s.frames[start:end] if f["type"] in DIRECT]

    async def fuzz_one(self, s: Sock, question: int) -> None:
        payload = self.gen.frame(question)
        if s.role == "host" and not host_may_send(payload, self.own_players):
            payload = json.dumps({"type": "lock_join", "locked": False})
        kind = declared_type(payload)
        if kind == "resync":
            s.resyncs += 1
        self.sent += 1
        got = await self.exchange(s, payload)
        size = len(payload) if isinstance(payload, bytes) else len(payload.encode())
        if isinstance(got, int):
            if got not in CLOSE_CODES:
                raise self.fail(s, payload, f"closed with undocumented code {got}")
            if got == 1009 and size <= MAX_BYTES:
                raise self.fail(s, payload, "closed with 1009 under the size limit")
            if got != 1009:  # nothing else closes an authenticated socket here
                raise self.fail(s, payload, f"closed with {got}")
            self.replies[f"close {got}"] += 1
            if self.ended:
                s.dead = True
                return
            await s.open(self.server)
            assert s.close_code is None, f"seed {self.seed}: reconnect refused: {s.close_code}"
            return
        if len(got) > 1:
            raise self.fail(s, payload, f"{len(got)} replies: {got}")
        if not got:
            silent_ok = kind == "resync" or (s.role == "host" and kind in messages.HOST_COMMANDS)
            if not silent_ok:
                raise self.fail(s, payload, "no reply")
            self.replies["(broadcast or resync)"] += 1
            return
        f = got[0]
        t = f["type"]
        self.replies[f"{t} {f.get('code', '')}".strip()] += 1
        if t == "error":
            if f["code"] not in ERROR_CODES:
                raise self.fail(s, payload, f"undocumented error code {f['code']}")
            if not isinstance(f.get("message"), str) or not isinstance(f.get("seq"), str):
                raise self.fail(s, payload, f"malformed error frame {f}")
            if isinstance(payload, bytes) and f["code"] != "bad_json":
                raise self.fail(s, payload, f"binary frame answered with {f}")
        elif t == "pong":
            if kind != "ping":
                raise self.fail(s, payload, f"pong to a {kind} frame")
        elif t == "answer_ack":
            if kind != "answer" or s.role != "player":
                raise self.fail(s, payload, f"an ack to a {kind} frame from a {s.role}")
            self.fuzz_acks.append(f)
        elif t == "saved":
            raise self.fail(s, payload, "the fuzzing host ended the game")

    async def run_socket(self, s: Sock, n: int, question: int) -> None:
        for _ in range(n):
            if s.dead:
                return
            await self.fuzz_one(s, question)

    async def door(self, path: str, token: str, fits: bool) -> None:
        """A token at a door: a welcome when it fits the live game's door,
        else closed: 4404 for no live game, 4401 for a wrong token or a first
        frame that is not a hello, 1009 when over the size limit."""
        s = Sock("door", path, token)
        await s.open(self.server, hello=False)
        first: str | bytes
        if self.gen.rng.random() < 0.6:
            # junk in an unknown field is ignored, even what could not be echoed
            junk = [None, 1, "s", [1], {"a": 1}, Raw("NaN"), "\ud83d\ude00", Raw("1e400")]
            first = enc({"type": "hello", "token": token, "x": self.gen.rng.choice(junk)})
        else:
            first = self.gen.frame(1)
            if declared_type(first) == "hello":
                return await s.ws.close()  # a mutated hello: whose token is anyone's guess
        size = len(first) if isinstance(first, bytes) else len(first.encode())
        if size > MAX_BYTES:
            want = 1009
        elif declared_type(first) != "hello":
            want = 4401
        elif self.ended or "/000000/" in path:
            want = 4404  # the PIN is released once the game is saved
        else:
            want = 0 if fits else 4401
        self.sent += 1
        with contextlib.suppress(websockets.ConnectionClosed):
            await s.ws.send(first)
        i = await s.wait(lambda f: f["type"] == "welcome", "welcome or close", timeout=15)
        shown = f"seed {self.seed}: {path} {first!r:.200}"
        if want == 0:
            if i < 0:  # more door sockets of this token at once than its cap
                assert s.close_code == 4409, f"{shown}: a fitting token refused: {s.close_code}"
                self.replies["door close 4409"] += 1
                return
            self.replies["door welcome"] += 1
            await s.ws.close()
            return
        assert i < 0, f"{shown}: welcomed"
        assert s.task is not None
        await asyncio.wait_for(s.task, 10)
        assert s.close_code == want and want in CLOSE_CODES, f"{shown}: {s.close_code}"
        self.replies[f"door close {want}"] += 1


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url()}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def scores_in_postgres(game: str) -> dict[int, int]:
    from quiz.models import Score

    try:
        rows = Score.objects.filter(game__key=game).values_list("player__number", "total")
        return dict(rows)
    finally:
        connection.close()  # this thread's connection would block the test database's teardown


@pytest.fixture(scope="module")
def fuzz_server(django_db_setup: Any, tmp_path_factory: Any) -> Iterator[Server]:
    log: Path = tmp_path_factory.mktemp("fuzz") / "stderr.log"
    s = start_server({"STADIUM_RATE_PER_S": "100000", "STADIUM_RATE_BURST": "100000"}, log=log)
    yield s
    s.stop()


async def test_fuzz(fuzz_server: Server) -> None:
    server = fuzz_server
    seed = int(os.environ.get("STADIUM_FUZZ_SEED") or random.SystemRandom().randrange(2**32))
    print(f"fuzz seed {seed} (STADIUM_FUZZ_SEED={seed} replays it), {FRAMES} frames")
    rng = random.Random(seed)
    g = await open_game(8, reveal="live")  # scores are checked against the acks' points
    other = await open_game(2, reveal="live")
    players = list(range(6))  # tokens 6 and 7 are for the door trials
    gen = Gen(
        rng,
        tokens=[g.host_token, g.screen_token, *g.tokens, other.host_token, *other.tokens, "x"],
        ids=[*g.players, *other.players, 0, 999_999_999],
    )
    fz = Fuzz(server, gen, seed, set(g.players))
    driver = Sock("driver", f"/ws/host/{g.pin}/", g.host_token)
    socks = [Sock("player", f"/ws/play/{g.pin}/", g.tokens[i]) for i in players]
    socks += [
        Sock("host", f"/ws/host/{g.pin}/", g.host_token),
        Sock("screen", f"/ws/screen/{g.pin}/", g.screen_token),
        Sock("screen", f"/ws/screen/{g.pin}/", g.host_token),  # the host token opens screens
    ]
    for s in (driver, *socks):
        await s.open(server)
    legit: dict[int, list[dict[str, Any]]] = defaultdict(list)
    pid_of = {id(s): g.players[i] for i, s in zip(players, socks, strict=False)}
    play = f"/ws/play/{g.pin}/"
    doors = [
        (play, g.tokens[6], True), (play, g.tokens[7], True),
        (f"/ws/screen/{g.pin}/", g.host_token, True), (f"/ws/screen/{g.pin}/", g.screen_token, True),
        (play, g.host_token, False), (play, g.screen_token, False), (play, other.tokens[0], False),
        (f"/ws/host/{g.pin}/", g.tokens[6], False), (f"/ws/host/{g.pin}/", g.screen_token, False),
        (f"/ws/host/{g.pin}/", other.host_token, False), (play, "x" * 200, False),
        ("/ws/play/000000/", g.tokens[6], False),
    ]  # fmt: skip
    phases = 8  # lobby, then each question open and closed, then after the end
    per_phase = FRAMES // phases
    q = 0

    async def burst(question: int) -> None:
        n_doors = per_phase // 20
        per_sock = (per_phase - n_doors) // len(socks)
        await asyncio.gather(
            *(fz.run_socket(s, per_sock, question) for s in socks),
            *(fz.door(*rng.choice(doors)) for _ in range(n_doors)),
        )

    await burst(1)  # the lobby
    for q in (1, 2, 3):
        start = len(driver.frames)
        await driver.ws.send(json.dumps({"type": "start_question", "question": q}))
        await driver.wait(lambda f, q=q: f["type"] == "question" and f["question"] == q, "q", start)
        for i, s in zip(players, socks, strict=False):
            await s.wait(lambda f, q=q: on_question(f, q), "q")  # or a reconnect's welcome
            choice = rng.choice(sorted(CORRECT[q - 1]) + [0, 1])
            got = await fz.exchange(
                s, json.dumps({"type": "answer", "question": q, "choices": [choice]})
            )
            assert isinstance(got, list) and [f["type"] for f in got] == ["answer_ack"], got
            legit[g.players[i]].append(got[0])
        await burst(q)
        start = len(driver.frames)
        await driver.ws.send(json.dumps({"type": "close_question"}))
        await driver.wait(lambda f: f["type"] == "question_closed", "question_closed", start)
        await burst(q)
    await driver.ws.send(json.dumps({"type": "end_game"}))
    await driver.wait(lambda f: f["type"] == "saved", "saved", timeout=30)
    fz.ended = True
    await burst(q)
    print(f"fuzz seed {seed}: {fz.sent} frames; replies {dict(fz.replies)}")

    # answered as the protocol says, in JSON a browser reads
    for s in (driver, *socks):
        assert not s.bad, f"seed {seed}: frames a browser cannot parse: {s.bad[:3]}"
        assert s.welcomes() - s.welcomes_before <= s.resyncs, f"seed {seed}: unasked welcome"
    for s in socks:  # every socket still gets broadcasts
        assert any(f["type"] == "game_over" for f in s.frames), f"seed {seed}: {s.role} deaf"
    assert fz.sent >= FRAMES * 0.9
    # junk never scores: only the legitimate answers were acknowledged
    assert fz.fuzz_acks == [], f"seed {seed}: junk frames were scored: {fz.fuzz_acks}"
    assert set(pid_of.values()) == set(legit)
    expected = {p: sum(a["points"] for a in acks) for p, acks in legit.items()}
    for acks in legit.values():
        assert acks[-1]["total"] == sum(a["points"] for a in acks)
    standings = SyncEngine(redis_sync()).run(ops.standings(g.game, g.players))
    in_redis = {p: s.score for p, s in zip(g.players, standings, strict=True) if s is not None}
    assert in_redis == {**dict.fromkeys(g.players, 0), **expected}, f"seed {seed}"
    over = next(f for f in driver.frames if f["type"] == "game_over")
    for e in over["podium"]:
        assert e["score"] == in_redis[e["player"]]
    # the durable record agrees
    flushed = manage("flush_scores")
    assert flushed.returncode == 0, flushed.stdout + flushed.stderr
    verified = manage("verify_game", g.pin)
    assert verified.returncode == 0 and "OK" in verified.stdout, verified.stdout + verified.stderr
    assert await sync_to_async(scores_in_postgres)(g.game) == in_redis, f"seed {seed}"
    assert server.tracebacks() == "", f"seed {seed}: traceback in the server log"
