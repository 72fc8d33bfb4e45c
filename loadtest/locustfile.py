"""Locust players of one Stadium game: join over HTTP, play over a WebSocket.

Each user joins the game named by ``--pin`` (or ``STADIUM_PIN``) with
``POST /api/games/<pin>/players`` (Locust's FastHttpUser client), opens
``/ws/play/<pin>/`` (``--ws-client light``: loadtest/lightws.py, the default,
a few times cheaper per frame; or ``websocket-client``; both run under
gevent), says hello, and answers every question once after a
human-like random delay (``--answer-delay 0.5,4`` seconds, capped below the
deadline) with a random choice. Reported to Locust as requests:

- ``join`` (HTTP) and ``connect`` (TCP + handshake + hello until ``welcome``);
- ``answer``: the ack's round trip, from the ``ts`` the ack echoes;
- ``tick lag``: receipt time minus the leaderboard frame's ``server_ms``
  (``--clock-offset-ms``: ``0`` on one machine, ``auto`` measures the offset
  with a ping when the player connects);
- failures: every ``error`` frame (named by its code), every ``seq`` gap
  (``seq_gap``, then a resync), a doubled ack, an answer never acked, a
  ``question_closed`` that names other choices than sent, a lost connection,
  and with ``--teams`` a ``team`` that differs from the one chosen (in the
  join's response or the welcome) or a ``game_over`` whose ``team_rank`` /
  ``team_score`` is not its team's entry.

With ``--teams N`` (the game was opened with N teams) the i-th player of the
run joins team ``i % N`` (``--team-mode choose``; i counts across Locust
worker processes), or takes the team the server assigns (``auto``); the
counters gain ``team<t>_joined`` and ``team<t>_points`` (the sum of the
``score`` of the members' ``game_over`` frames), which the runner compares
with the final team board (loadtest/team_board.py).

With ``--reconnect-storm F`` (0 < F <= 1) the players numbered so that
F of them are picked (player i when ``floor((i+1)F) > floor(iF)``) drop
their socket at once, ``--storm-at`` seconds after question
``--storm-question`` started (the question frame's ``server_ms``: one clock
on one machine), with a TCP reset and no close frame, as a phone losing its
Wi-Fi; each reconnects at once with its token and says hello again. Then:

- ``resume``: from the drop to the new socket's ``welcome``;
- the welcome must show the player's answer to that question if it was
  acked before the drop (``resumed_answered``); an answer sent but not
  acked when the socket dropped counts as acked when the welcome shows it
  (``acked_by_welcome``: its ack was lost with the socket), and is sent
  again when the welcome does not (the server never read it); a player
  who had not answered answers after the resume (``answered_after_resume``);
- ``storm tick lag``: the tick lag of the players that were NOT dropped,
  from the drop until that question closes.

Counters (players welcomed, answers sent and acked, ...) are summed over the
workers (``report_to_master``) and written as JSON to ``--counters-file``
when Locust quits. The master (or the single local process) polls
``GET /api/games/<pin>``: once the game is over and every player has seen
``game_over``, it stops the test, so a run ends by itself (``-t`` caps it).

    locust -f loadtest/locustfile.py --headless -u 1000 -r 100 -H http://127.0.0.1:8000 --pin 123456
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import random
import socket
import struct
import time
from collections import Counter
from typing import Any

import gevent
import websocket
from locust import FastHttpUser, constant, events, task
from locust.runners import MasterRunner, WorkerRunner

try:
    from loadtest.lightws import LightWs
except ImportError:  # run from loadtest/ itself: Locust puts it on sys.path
    from lightws import LightWs  # type: ignore[no-redef]

log = logging.getLogger("stadium")

COUNTS: Counter[str] = Counter()  # this process; workers send and reset them
TOTALS: Counter[str] = Counter()  # the master's sums (the local runner: COUNTS itself)
# first/last moments (epoch ms) of this process: "<what>_first" keys take the
# minimum across workers, "<what>_last" ones the maximum
SPANS: dict[str, int] = {}
REPORT_S = 3.5
# 4^16 names from digits the nickname filter reads as no letter (3 reads as e...)
NICK_DIGITS = "2689"  # a little more than Locust's worker report interval
_JOINS = itertools.count()  # this process's players, for the team index


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--pin", default=os.environ.get("STADIUM_PIN", ""), help="game PIN")
    parser.add_argument("--answer-delay", default="0.5,4", help="min,max seconds before answering")
    parser.add_argument(
        "--clock-offset-ms", default="0", help="server clock minus ours: a number, or auto (ping)"
    )
    parser.add_argument(
        "--ws-client",
        default="light",
        choices=["light", "websocket-client"],
        help="light: loadtest/lightws.py (cheap per frame); or websocket-client",
    )
    parser.add_argument("--teams", type=int, default=0, help="the game's team count (0: none)")
    parser.add_argument("--team-mode", default="choose", choices=["choose", "auto"])
    parser.add_argument("--counters-file", default="", help="write the summed counters here")
    parser.add_argument(
        "--end-grace", type=float, default=20.0, help="seconds to wait for game_over frames"
    )
    parser.add_argument(
        "--reconnect-storm", type=float, default=0.0, help="share of players dropped (0: off)"
    )
    parser.add_argument("--storm-question", type=int, default=1, help="the storm's question")
    parser.add_argument(
        "--storm-at", type=float, default=2.0, help="seconds after that question started"
    )


def _span(name: str, ms: int) -> None:
    first, last = f"{name}_first", f"{name}_last"
    SPANS[first] = min(SPANS.get(first, ms), ms)
    SPANS[last] = max(SPANS.get(last, ms), ms)


def _spans_merge(into: dict[str, int], got: dict[str, int]) -> None:
    for k, v in got.items():
        into[k] = (min if k.endswith("_first") else max)(into.get(k, v), v)


def _fire(name: str, ms: float, *, size: int = 0, exc: Exception | None = None) -> None:
    events.request.fire(
        request_type="WS",
        name=name,
        response_time=ms,
        response_length=size,
        exception=exc,
        context={},
    )


def _fail(name: str, why: str) -> None:
    COUNTS["failures"] += 1
    _fire(name, 0, exc=RuntimeError(why))


class Player(FastHttpUser):
    """One phone: join, connect, answer each question once, leave after game_over."""

    wait_time = constant(1)

    def on_start(self) -> None:
        opts = self.environment.parsed_options
        self.pin = opts.pin
        lo, hi = (float(x) for x in opts.answer_delay.split(","))
        self.delay = (lo, hi)
        self.clock = opts.clock_offset_ms
        self.offset_ms = 0.0 if self.clock == "auto" else float(self.clock)
        self.client_kind = opts.ws_client
        self.ws: Any = None
        self.done = False
        self.last: str | None = None  # the last broadcast seq seen
        self.early: list[tuple[str, str]] = []  # (prev, seq) of frames before the welcome
        self.welcomed = False
        self.sent: dict[int, tuple[float, list[int]]] = {}
        self.acked: set[int] = set()
        self.ping_ts = 0.0
        self.teams = int(opts.teams)
        self.team: int | None = None
        index = self._index()
        if self.teams and opts.team_mode == "choose":
            self.team = index % self.teams
        share = float(opts.reconnect_storm)
        self.storm_q = int(opts.storm_question) if share > 0 else 0
        self.storm_at = float(opts.storm_at)
        self.storm_drop = share > 0 and int((index + 1) * share) > int(index * share)
        self.storm_from = 0.0  # epoch s of the drop, once the storm's question started
        self.storm_over = False
        self.dropped_at = 0.0  # set while this player's socket is dropped and resuming
        self.storm_resumed = False
        self.token = ""
        self.resend: tuple[int, list[int]] | None = None  # an answer the drop swallowed
        self.resent: int | None = None  # the question of the answer sent again

    def on_stop(self) -> None:
        self._close()

    def _close(self) -> None:
        if self.ws is not None:
            ws, self.ws = self.ws, None
            with contextlib.suppress(Exception):  # the socket may be gone already
                ws.close(timeout=1)

    @task
    def play(self) -> None:
        if self.done:
            gevent.sleep(3600)  # the game is over: idle until Locust stops
            return
        self.done = True
        token = self.join()
        if token and self.connect(token):
            self.token = token
            self.listen()
        self._close()

    def _index(self) -> int:
        """This player's number in the run: worker processes interleave."""
        runner = self.environment.runner
        if isinstance(runner, WorkerRunner):
            procs = max(1, int(getattr(self.environment.parsed_options, "processes", 1) or 1))
            return next(_JOINS) * procs + max(0, runner.worker_index)
        return next(_JOINS)

    # --- join and connect ---------------------------------------------------

    def join(self) -> str | None:
        nick = "Fan " + "".join(NICK_DIGITS[random.randrange(4)] for _ in range(16))
        body: dict[str, Any] = {"nickname": nick}
        if self.team is not None:
            body["team"] = self.team
        with self.client.post(
            f"/api/games/{self.pin}/players",
            json=body,
            headers={"Connection": "close"},
            name="join",
            catch_response=True,
        ) as r:
            if r.status_code != 201:
                r.failure(f"join {r.status_code}: {(r.text or '')[:120]}")
                COUNTS["join_failed"] += 1
                return None
            COUNTS["joined"] += 1
            _span("join", int(time.time() * 1000))
            got = r.json()
            if self.teams:
                self.joined_team(got.get("team"))
            return str(got["token"])

    def joined_team(self, got: Any) -> None:
        if self.team is None and isinstance(got, int) and 0 <= got < self.teams:
            self.team = got  # auto: the server's choice
        if got != self.team or self.team is None:
            COUNTS["team_mismatch"] += 1
            _fail("team", f"joined team {got!r}, expected {self.team!r}")
            return
        COUNTS[f"team{self.team}_joined"] += 1

    def connect(self, token: str, *, name: str = "connect", t0: float = 0.0) -> bool:
        """Open the socket, say hello, read until the welcome; reported as
        ``name`` (``connect``, or ``resume`` timed from the drop ``t0``)."""
        url = self.host.replace("http", "ws", 1).rstrip("/") + f"/ws/play/{self.pin}/"
        t0 = t0 or time.perf_counter()
        try:
            if self.client_kind == "light":
                ws: Any = LightWs(url)
            else:
                ws = websocket.create_connection(
                    url,
                    timeout=300,
                    suppress_origin=True,
                    skip_utf8_validation=True,
                    enable_multithread=True,
                )
            ws.send(json.dumps({"type": "hello", "token": token}))
            while True:
                f = json.loads(ws.recv())
                if f["type"] == "welcome":
                    break
                self.early.append((f.get("prev", ""), f.get("seq", "")))
        except Exception as e:  # noqa: BLE001 - any failure to connect is reported
            _fire(name, (time.perf_counter() - t0) * 1000, exc=e)
            COUNTS[f"{name}_failed"] += 1
            return False
        _fire(name, (time.perf_counter() - t0) * 1000)
        self.ws = ws
        if name == "resume":
            self.resumed(f)
        self.welcome(f)
        COUNTS["welcomed" if name == "connect" else "resumed"] += 1
        _span("welcome" if name == "connect" else "resume", int(time.time() * 1000))
        if self.clock == "auto":
            self.ping_ts = time.time()
            ws.send(json.dumps({"type": "ping", "ts": self.ping_ts}))
        return True

    def welcome(self, f: dict[str, Any]) -> None:
        """The chain of broadcast frames starts at the welcome's seq; frames
        pushed while the welcome was being read from Redis came first."""
        if not self.welcomed:
            self.welcomed = True
            you = f.get("you") or {}
            if self.teams and you.get("team") != self.team:
                COUNTS["team_mismatch"] += 1
                _fail("team", f"welcome: team {you.get('team')!r}, joined {self.team!r}")
            cur = f["seq"]
            for prev, seq in self.early:
                if prev == cur:
                    cur = seq
            self.last = cur
        q = f.get("question")
        if q and q.get("state") == "open" and not (f.get("you") or {}).get("answer"):
            self.schedule(q, f["server_ms"])

    # --- the game -----------------------------------------------------------

    # --- the reconnect storm ------------------------------------------------

    def drop(self) -> None:
        """Lose the socket as a phone losing its Wi-Fi: a TCP reset, no close
        frame; the listening greenlet sees it fail and resumes."""
        ws = self.ws
        if ws is None or self.dropped_at:
            return
        self.dropped_at = time.perf_counter()
        COUNTS["dropped"] += 1
        _span("drop", int(time.time() * 1000))
        with contextlib.suppress(OSError):
            ws.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            ws.sock.close()

    def resume(self) -> bool:
        """Reconnect at once with the token: a new socket, hello, welcome."""
        self.ws = None
        self.welcomed, self.early = False, []  # the new socket's chain starts at its welcome
        ok = self.connect(self.token, name="resume", t0=self.dropped_at)
        self.dropped_at = 0.0
        self.storm_resumed = ok
        return ok

    def resumed(self, f: dict[str, Any]) -> None:
        """The welcome after a drop: the storm question's answer, as this
        player knows it, against what the server shows."""
        n = self.storm_q
        mine = (f.get("you") or {}).get("answer")
        shown = mine is not None and int(mine.get("question", 0)) == n
        ts, choices = self.sent.get(n, (0.0, []))
        if shown and mine.get("choices") != choices:
            COUNTS["resume_mismatch"] += 1
            _fail("resume", f"welcome shows {mine.get('choices')}, sent {choices}")
        if n in self.acked:
            if not shown:
                COUNTS["resume_lost_answer"] += 1
                _fail("resume", f"question {n}: acked answer missing from the welcome")
            COUNTS["resumed_answered"] += 1
        elif ts and shown:  # the server has it; its ack went down with the socket
            self.acked.add(n)
            COUNTS["answers_acked"] += 1
            COUNTS["acked_by_welcome"] += 1
            COUNTS["resumed_answered"] += 1
        elif ts:  # sent into the dying socket, never read: send it again
            COUNTS["answers_sent"] -= 1  # answer() counts it again
            self.resend = (n, choices)
        elif shown:
            COUNTS["resume_mismatch"] += 1
            _fail("resume", f"question {n}: the welcome shows an answer never sent")

    def storm_tick(self, server_ms: float, lag: float) -> None:
        kept = self.storm_from and not self.storm_drop and not self.storm_over
        if kept and server_ms >= self.storm_from * 1000:
            _fire("storm tick lag", lag)

    # --- the game -----------------------------------------------------------

    def listen(self) -> None:
        while True:
            ws = self.ws
            assert ws is not None
            try:
                text = ws.recv()
            except Exception as e:  # noqa: BLE001
                if self.dropped_at:
                    if not self.resume():
                        return
                    if self.resend is not None:
                        n, choices = self.resend
                        self.resend, self.resent = None, n
                        COUNTS["answers_resent"] += 1
                        self.answer(n, choices)
                    continue
                COUNTS["disconnects"] += 1
                _fail("disconnect", f"connection lost before game_over: {e!r}")
                return
            now = time.time()
            if not text:
                continue
            f = json.loads(text)
            kind = f.get("type")
            if "prev" in f:
                if f["prev"] != self.last:
                    COUNTS["seq_gaps"] += 1
                    _fail("seq_gap", f"prev {f['prev']} after {self.last} ({kind})")
                    ws.send('{"type":"resync"}')
                self.last = f["seq"]
            if kind == "leaderboard":
                COUNTS["ticks"] += 1
                lag = max(0.0, now * 1000 + self.offset_ms - f["server_ms"])
                _fire("tick lag", lag)
                self.storm_tick(f["server_ms"], lag)
            elif kind == "answer_ack":
                self.acked_frame(f, now)
            elif kind == "question":
                COUNTS["questions"] += 1
                self.schedule(f, f["server_ms"])
            elif kind == "question_closed":
                if int(f["question"]) == self.storm_q:
                    self.storm_over = True
                self.closed(f)
            elif kind == "error" and f.get("code") == "already_answered" and self.resent:
                # the server read the answer from the dying socket after all,
                # after the welcome was built: recorded once, its ack lost
                n, self.resent = self.resent, None
                self.acked.add(n)
                COUNTS["answers_acked"] += 1
                COUNTS["acked_by_refusal"] += 1
            elif kind == "error":
                COUNTS["errors"] += 1
                _fail(f"error {f.get('code')}", f"{f.get('ref')}: {f.get('message')}")
            elif kind == "pong":
                if f.get("ts") == self.ping_ts and self.clock == "auto":
                    self.offset_ms = f["server_ms"] - (self.ping_ts + now) * 500
            elif kind == "welcome":
                self.welcome(f)
            elif kind == "game_over":
                if self.teams:
                    self.team_over(f)
                self.game_over(f)
                return
            elif kind == "kicked":
                _fail("kicked", "kicked by the host")
                return

    def schedule(self, q: dict[str, Any], server_ms: float) -> None:
        n = int(q["question"])
        if n == self.storm_q and not self.storm_from:
            opened = q.get("answers_open_ms") or server_ms
            self.storm_from = (opened - self.offset_ms) / 1000 + self.storm_at
            if self.storm_drop:  # every dropped player at the same moment
                gevent.spawn_later(max(0.0, self.storm_from - time.time()), self.drop)
        if n in self.sent:
            return
        left = (q["deadline_ms"] - server_ms) / 1000 - 0.5
        delay = min(random.uniform(*self.delay), max(0.0, left))
        k = len(q["choices"])
        choices = sorted(random.sample(range(k), random.randint(1, 2))) if q.get("multi") else []
        if not choices:
            choices = [random.randrange(k)]
        self.sent[n] = (0.0, choices)  # reserved: a resync's welcome won't schedule it twice
        gevent.spawn_later(delay, self.answer, n, choices)

    def answer(self, n: int, choices: list[int]) -> None:
        while self.dropped_at:  # resuming: the answer waits for the new socket
            gevent.sleep(0.05)
        if n in self.acked:  # the resume's welcome showed it recorded
            return
        ws = self.ws
        if ws is None:
            return
        if n == self.storm_q and self.storm_resumed and self.resent != n:
            COUNTS["answered_after_resume"] += 1
        ts = time.time()
        self.sent[n] = (ts, choices)
        try:
            ws.send(json.dumps({"type": "answer", "question": n, "choices": choices, "ts": ts}))
        except Exception as e:  # noqa: BLE001
            _fail("answer", f"send failed: {e!r}")
            return
        COUNTS["answers_sent"] += 1

    def acked_frame(self, f: dict[str, Any], now: float) -> None:
        n = int(f["question"])
        if n in self.acked:
            COUNTS["answers_doubled"] += 1
            _fail("answer", f"question {n} acked twice")
            return
        self.acked.add(n)
        if n == self.resent:
            self.resent = None
        COUNTS["answers_acked"] += 1
        _fire("answer", (now - float(f["ts"])) * 1000)

    def closed(self, f: dict[str, Any]) -> None:
        n = int(f["question"])
        COUNTS["points_closed"] += int(f.get("points") or 0)
        sent = self.sent.get(n)
        if sent is not None and sent[0] and f.get("choices") != sent[1]:
            COUNTS["closed_mismatch"] += 1
            _fail("question_closed", f"question {n}: server has {f.get('choices')}, sent {sent[1]}")

    def team_over(self, f: dict[str, Any]) -> None:
        """Sum the member's final score into its team's; its team fields
        must be its team's entry of the frame's board."""
        if self.team is None:
            return
        COUNTS[f"team{self.team}_points"] += int(f.get("score", 0))
        mine = [t for t in f.get("teams") or [] if t.get("team") == self.team]
        want = (mine[0]["rank"], mine[0]["score"]) if mine else None
        if want is None or (f.get("team_rank"), f.get("team_score")) != want:
            COUNTS["team_mismatch"] += 1
            _fail("team", f"game_over: team_rank/score {f.get('team_rank')}/"
                  f"{f.get('team_score')}, the board says {want}")  # fmt: skip

    def game_over(self, f: dict[str, Any]) -> None:
        COUNTS["game_over"] += 1
        COUNTS["points_final"] += int(f.get("score") or 0)
        for n, (ts, _) in self.sent.items():
            if ts and n not in self.acked:
                COUNTS["answers_unacked"] += 1
                _fail("answer", f"question {n}: answer never acked")
            elif not ts:
                COUNTS["answers_not_sent"] += 1


# --- counters across workers, and ending the run ----------------------------


@events.report_to_master.add_listener
def _report(client_id: str, data: dict[str, Any]) -> None:
    data["stadium"] = dict(COUNTS)
    data["stadium_spans"] = dict(SPANS)
    COUNTS.clear()


TOTAL_SPANS: dict[str, int] = {}


@events.worker_report.add_listener
def _worker_report(client_id: str, data: dict[str, Any]) -> None:
    TOTALS.update(data.get("stadium", {}))
    _spans_merge(TOTAL_SPANS, data.get("stadium_spans", {}))


def _totals(environment: Any) -> Counter[str]:
    return TOTALS if isinstance(environment.runner, MasterRunner) else COUNTS


@events.test_start.add_listener
def _start(environment: Any, **_: Any) -> None:
    if not isinstance(environment.runner, WorkerRunner):
        gevent.spawn(_watch, environment)


def _watch(environment: Any) -> None:
    """Quit once the game is over and every welcomed player saw game_over."""
    import requests  # gevent-patched by Locust

    opts = environment.parsed_options
    url = f"{environment.host.rstrip('/')}/api/games/{opts.pin}"
    over_at = None
    while True:
        gevent.sleep(1)
        if over_at is None:
            try:
                r = requests.get(url, timeout=5)
                # 410: a PIN whose game ended lately; 404: long gone
                if r.status_code in (404, 410) or r.json().get("state") == "finished":
                    over_at = time.monotonic()
            except Exception as e:  # noqa: BLE001
                log.warning("game state poll failed: %r", e)
            continue
        t = _totals(environment)
        ended = t["game_over"] + t["disconnects"]
        if ended >= t["welcomed"] or time.monotonic() - over_at > opts.end_grace:
            break
    gevent.sleep(REPORT_S if isinstance(environment.runner, MasterRunner) else 0.5)
    log.info("game over: stopping the test")
    environment.runner.quit()


@events.quit.add_listener
def _write(exit_code: int, **_: Any) -> None:
    env = _ENV.get("env")
    if env is None or isinstance(env.runner, WorkerRunner):
        return
    opts = env.parsed_options
    totals = dict(_totals(env))
    totals.update(TOTAL_SPANS if isinstance(env.runner, MasterRunner) else SPANS)
    log.info("stadium counters: %s", totals)
    if opts.counters_file:
        with open(opts.counters_file, "w") as f:
            json.dump(totals, f, indent=1, sort_keys=True)


_ENV: dict[str, Any] = {}


@events.init.add_listener
def _init(environment: Any, **_: Any) -> None:
    _ENV["env"] = environment
