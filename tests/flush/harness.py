"""Real processes for the flush tests: a private redis-server and a private
PostgreSQL cluster from testkit (so stopping or emptying them never touches
the shared ones), the flush worker and the other commands as subprocesses, and games
driven through the engine directly (no WebSockets needed)."""

from __future__ import annotations

import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg

from engine import Settings, SyncEngine, keys, ops
from engine.auth import hash_token, new_token
from quiz.documents import engine_questions
from quiz.nicknames import nickname_key
from testkit.documents import numbered
from testkit.postgres import PrivatePostgres
from testkit.redis_server import PrivateRedis

__all__ = ["PrivatePostgres", "PrivateRedis"]

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 60  # a safety net against a hung child, never a measured time


def env_for(pg_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("STADIUM_FLUSH_PAUSE_AT", None)
    env.update(DATABASE_URL=pg_url, REDIS_URL=redis_url, LOG_FORMAT="plain", **extra)
    return env


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=WAIT_S * 3,
    )  # fmt: skip
    if check and proc.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


class Worker:
    """``manage.py flush_scores --loop`` as a real process; its stdout lines
    are collected by a thread so the test can wait for one."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "manage.py", "flush_scores", "--loop", *args],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"worker never said {text!r}; it said:\n" + "\n".join(self.seen))

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


# --- games through the engine ---------------------------------------------


def document(n_questions: int) -> dict[str, Any]:
    return numbered(
        n_questions,
        title="Flush test",
        choices=("a", "b", "c"),
        correct=lambda i: {0} if i % 3 == 0 else {1},
        multiplier=lambda i: 1 + i % 2,
        time_limit=120,
    )


def game_create(
    pg_url: str, r: Any, *, n_questions: int = 4, teams: dict[str, Any] | None = None
) -> tuple[str, str]:
    """A Game row, its Redis state and a PIN, as the HTTP API makes them
    (``teams``: the game setting, as ``POST /api/games`` takes it).
    Returns the game's Redis id (Game.key) and its PIN."""
    doc = document(n_questions)
    host_hash = hash_token(new_token())
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, "
            "email, is_staff, is_active, date_joined) VALUES ('!', false, 'flush-host', '', '', "
            "'', false, true, now()) ON CONFLICT (username) DO NOTHING"
        )
        (uid,) = c.execute("SELECT id FROM auth_user WHERE username = 'flush-host'").fetchone()
        (gid,) = c.execute(
            "INSERT INTO quiz_game (key, title, document, pin, state, reveal, max_players, "
            "late_join, host_token_hash, screen_token_hash, created, epoch, host_id, snapshot, "
            "teams) VALUES (%s, %s, %s, '', 'lobby', 'live', 0, true, %s, '', now(), 1, %s, "
            "'{}', %s) RETURNING key",
            (secrets.token_hex(6), doc["title"], json.dumps(doc), host_hash, uid,
             json.dumps(teams) if teams else None),
        ).fetchone()  # fmt: skip
        eng = SyncEngine(r)
        settings = Settings(host_token_hash=host_hash, title=doc["title"])
        if teams:
            settings = Settings(
                host_token_hash=host_hash, title=doc["title"], team_names=teams["names"],
                team_mode=teams["mode"], team_score=teams["score"],
            )  # fmt: skip
        eng.run(ops.create_game(gid, engine_questions(doc), settings))
        while True:
            pin = str(100_000 + secrets.randbelow(900_000))
            if eng.run(ops.claim_pin(pin, gid)):
                break
        c.execute("UPDATE quiz_game SET pin = %s WHERE key = %s", (pin, gid))
    return gid, pin


def players_join(r: Any, gid: str, count: int, *, start: int = 0) -> list[int]:
    eng = SyncEngine(r)
    out = []
    for i in range(start, start + count):
        name = f"Player {i}"
        res = eng.run(
            ops.join(gid, nickname=name, nickname_key=nickname_key(name),
                     token_hash=hash_token(f"tok-{gid}-{i}"))
        )  # fmt: skip
        assert res.ok, res
        out.append(res.player)
    return out


def question_play(r: Any, gid: str, n: int, players: list[int], *, close: bool = True) -> int:
    """Open question n, every player answers (a mix of right and wrong),
    optionally close it. Returns the accepted answers."""
    eng = SyncEngine(r)
    assert eng.run(ops.open_question(gid, n)).ok
    ok = 0
    for p in players:
        res = eng.run(ops.submit_answer(gid, p, n, [(p + n) % 3]))
        ok += res.ok
    if close:
        assert eng.run(ops.close_question(gid, n)).ok
    return ok


def game_end(r: Any, gid: str) -> None:
    assert SyncEngine(r).end_game(game=gid).ok


def pg_rows(pg_url: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(pg_url) as c:
        return c.execute(sql, args).fetchall()


def redis_totals(r: Any, gid: str) -> dict[int, int]:
    return {int(k): int(v.split(b",")[0]) for k, v in r.hgetall(keys.stats(gid)).items()}
