"""Real processes for the flush tests: a private redis-server and a private
PostgreSQL cluster (so stopping or emptying them never touches the shared
ones), the flush worker and the other commands as subprocesses, and games
driven through the engine directly (no WebSockets needed)."""

from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import redis

from engine import Settings, SyncEngine, keys, ops
from engine.auth import hash_token, new_token
from quiz.documents import engine_questions
from quiz.nicknames import nickname_key

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
WAIT_S = 60  # a safety net against a hung child, never a measured time


def _as_postgres(*args: str) -> list[str]:
    # initdb and postgres refuse to run as root
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return list(args)


class PrivatePostgres:
    def __init__(self, port: int) -> None:
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="stadium-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        subprocess.run(
            _as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                         "--auth=trust", "-E", "UTF8", "--no-sync"),
            check=True, capture_output=True,
        )  # fmt: skip
        self.url = f"postgres://postgres@127.0.0.1:{port}/stadium"

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", opts,
                         "-l", str(self.dir / "log"), "-w", "start"),
            check=True, capture_output=True,
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"),
            check=False, capture_output=True,
        )  # fmt: skip

    def create_db(self) -> None:
        with psycopg.connect(
            f"postgres://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as c:
            c.execute("CREATE DATABASE stadium")

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + WAIT_S
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()  # no save configured: it comes back empty
            self.proc.wait()
            self.proc = None


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
    return {
        "title": "Flush test",
        "questions": [
            {
                "text": f"Question {i}",
                "time_limit": 120,
                "multiplier": 1 + i % 2,
                "image": None,
                "choices": [
                    {"text": "a", "correct": i % 3 == 0},
                    {"text": "b", "correct": i % 3 != 0},
                    {"text": "c", "correct": False},
                ],
            }
            for i in range(n_questions)
        ],
    }


def game_create(pg_url: str, r: Any, *, n_questions: int = 4) -> tuple[str, str]:
    """A Game row, its Redis state and a PIN, as the HTTP API makes them.
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
            "late_join, host_token_hash, screen_token_hash, created, epoch, host_id, snapshot) "
            "VALUES (%s, %s, %s, '', 'lobby', 'live', 0, true, %s, '', now(), 1, %s, '{}') "
            "RETURNING key",
            (secrets.token_hex(6), doc["title"], json.dumps(doc), host_hash, uid),
        ).fetchone()
        eng = SyncEngine(r)
        eng.run(
            ops.create_game(
                gid, engine_questions(doc), Settings(host_token_hash=host_hash, title=doc["title"])
            )
        )
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
