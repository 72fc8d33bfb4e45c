"""The host of a load-test game: opens it over HTTP, runs it over a WebSocket.

``setup`` logs in (CSRF cookie first), creates a quiz of N questions and opens
a game; ``play`` connects to ``/ws/host/<pin>/`` with the host token, waits
until the expected players have joined (and, when a ``connected`` probe is
given, connected), then runs the questions at a set pace: start_question,
wait until the server closes it (every player answered, or the deadline) or
``pace`` seconds have passed (then close_question), pause ``gap`` seconds,
and so on; then end_game and wait for ``saved``.

    python -m loadtest.host_driver --url http://127.0.0.1:8000 --players 100 --questions 5
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
import websocket

from testkit.documents import numbered

from .team_board import setting


@dataclass
class Game:
    url: str
    pin: str
    game: str
    host_token: str
    session: requests.Session | None = field(default=None, repr=False)  # logged in as the host


@dataclass
class Played:
    players: int = 0
    questions: list[dict[str, Any]] = field(default_factory=list)
    saved: bool = False
    errors: list[str] = field(default_factory=list)
    teams: list[dict[str, Any]] | None = None  # the team board of the host's game_over


def quiz_document(n: int, time_limit: int) -> dict[str, Any]:
    return numbered(
        n,
        title=f"Load test, {n} questions",
        choices=[f"choice {c}" for c in range(4)],
        correct=lambda i: {i % 4},
        multiplier=lambda i: 1 + i % 2,
        time_limit=time_limit,
        first=1,
    )


def setup(
    url: str,
    *,
    username: str,
    password: str,
    questions: int,
    time_limit: int,
    teams: dict[str, Any] | None = None,
) -> Game:
    """Log in, create the quiz, open a game for up to 100,000 players
    (``teams``: the game's teams setting; None: no teams)."""
    s = requests.Session()
    url = url.rstrip("/")
    s.get(f"{url}/api/auth/csrf", timeout=30).raise_for_status()
    s.headers["X-CSRFToken"] = s.cookies["csrftoken"]
    r = s.post(f"{url}/api/auth/login", json={"username": username, "password": password})
    r.raise_for_status()
    s.headers["X-CSRFToken"] = s.cookies["csrftoken"]  # login rotates the token
    r = s.post(f"{url}/api/quizzes", json=quiz_document(questions, time_limit), timeout=30)
    r.raise_for_status()
    body: dict[str, Any] = {"quiz": r.json()["id"]}
    if teams is not None:
        body["teams"] = teams
    r = s.post(f"{url}/api/games", json=body, timeout=30)
    r.raise_for_status()
    g = r.json()
    return Game(url=url, pin=g["pin"], game=g["game"], host_token=g["host_token"], session=s)


def results(game: Game) -> dict[str, Any]:
    """The saved game's results JSON, as the host (``GET .../results``)."""
    assert game.session is not None
    r = game.session.get(f"{game.url}/api/games/{game.pin}/results", timeout=60)
    r.raise_for_status()
    out: dict[str, Any] = r.json()
    return out


class Host:
    def __init__(self, game: Game, say: Callable[[str], None] = print) -> None:
        self.game = game
        self.say = say
        ws_url = game.url.replace("http", "ws", 1) + f"/ws/host/{game.pin}/"
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.ws.send(json.dumps({"type": "hello", "token": game.host_token}))
        self.players = 0
        self.closed: dict[int, dict[str, Any]] = {}
        self.over = False
        self.over_teams: list[dict[str, Any]] | None = None
        self.saved = False
        self.errors: list[str] = []
        self.wait(lambda f: f["type"] == "welcome", 30)

    def wait(self, done: Callable[[dict[str, Any]], bool], timeout: float) -> bool:
        """Read frames until ``done(frame)`` or the timeout; True if done."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return False
            self.ws.settimeout(min(left, 1.0))
            try:
                text = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            if not text:
                raise ConnectionError("the server closed the host's WebSocket")
            f = json.loads(text)
            self.seen(f)
            if done(f):
                return True

    def seen(self, f: dict[str, Any]) -> None:
        t = f["type"]
        if t == "welcome":
            self.players = f["game"]["players"]
        elif t in ("players", "leaderboard"):
            self.players = f["players"]
        elif t == "question_closed":
            self.closed[f["question"]] = f
        elif t == "game_over":
            self.over = True
            self.over_teams = f.get("teams")
        elif t == "saved":
            self.saved = True
        elif t == "error":
            self.errors.append(f"{f.get('code')}: {f.get('message')} ({f.get('ref')})")
            self.say(f"host: error frame {f}")

    def send(self, obj: dict[str, Any]) -> None:
        self.ws.send(json.dumps(obj))


def play(
    game: Game,
    *,
    players: int,
    questions: int,
    pace: float,
    gap: float,
    join_timeout: float = 600,
    connected: Callable[[], int | None] | None = None,
    say: Callable[[str], None] = print,
    on_start: Callable[[], None] | None = None,
) -> Played:
    """Run the game once ``players`` joined; returns what the host saw."""
    h = Host(game, say)
    out = Played()
    if not h.wait(lambda f: h.players >= players, join_timeout) and h.players < players:
        raise TimeoutError(f"only {h.players} of {players} players joined in {join_timeout}s")
    say(f"host: {h.players} players joined")
    if connected is not None:  # every joined player also said hello
        end = time.monotonic() + 60
        while time.monotonic() < end:
            n = connected()  # None: the server does not say (no /metrics gauge)
            if n is None and time.monotonic() > end - 50 or n is not None and n >= players:
                break
            h.wait(lambda f: False, 0.5)
        say(f"host: {connected()} players connected")
    h.wait(lambda f: False, 1.0)
    if on_start is not None:  # e.g. start a profiler
        on_start()
    for n in range(1, questions + 1):
        t0 = time.monotonic()
        h.send({"type": "start_question", "question": n})
        if not h.wait(lambda f, n=n: n in h.closed, pace):
            h.send({"type": "close_question"})
            h.wait(lambda f, n=n: n in h.closed, 30)
        c = h.closed.get(n, {})
        row = {
            "question": n,
            "open_s": round(time.monotonic() - t0, 3),
            "answered": c.get("answered"),
            "players": c.get("players"),
            "closed_by": "server" if time.monotonic() - t0 < pace else "host",
        }
        out.questions.append(row)
        say(f"host: question {n}: {row['answered']}/{row['players']} answered in {row['open_s']}s")
        h.wait(lambda f: False, gap)
    h.send({"type": "end_game"})
    h.wait(lambda f: h.saved, 120)
    out.players, out.saved, out.errors = h.players, h.saved, h.errors
    out.teams = h.over_teams
    say(f"host: game over, results {'saved' if h.saved else 'NOT saved'}")
    h.ws.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--username", default="host")
    ap.add_argument("--password", default="stadium-demo")
    ap.add_argument("--players", type=int, required=True)
    ap.add_argument("--questions", type=int, default=5)
    ap.add_argument("--time-limit", type=int, default=20)
    ap.add_argument("--pace", type=float, default=0, help="max seconds open (default: limit)")
    ap.add_argument("--gap", type=float, default=2.0)
    ap.add_argument("--teams", type=int, default=0, help="N teams Team 1..Team N (0: none)")
    ap.add_argument("--team-mode", default="choose", choices=["choose", "auto"])
    ap.add_argument("--team-score", default="sum", choices=["sum", "average"])
    a = ap.parse_args()
    g = setup(
        a.url,
        username=a.username,
        password=a.password,
        questions=a.questions,
        time_limit=a.time_limit,
        teams=setting(a.teams, mode=a.team_mode, score=a.team_score),
    )
    print(f"PIN {g.pin} (game {g.game}): start the players now", flush=True)
    played = play(
        g, players=a.players, questions=a.questions, pace=a.pace or a.time_limit + 1, gap=a.gap
    )
    print(json.dumps({"pin": g.pin, "game": g.game, **played.__dict__}, indent=1))


if __name__ == "__main__":
    main()
