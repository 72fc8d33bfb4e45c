"""While PostgreSQL is down, the host API answers JSON 503 "unavailable"
(never Django's HTML 500), and works again once it is back. The server
runs on a private PostgreSQL, stopped mid-test."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings

from engine import SyncEngine, keys, ops
from testkit.postgres import PrivatePostgres
from tests.flush.harness import env_for, manage

from .conftest import ROOT, Server, host_session, start_server
from .hosts import DOC

DEADLINE_S = 30  # for the server to answer at all, not a measured speed


@pytest.fixture
def private_pg() -> Iterator[PrivatePostgres]:
    pg = PrivatePostgres()
    pg.start()
    pg.create_db()
    try:
        yield pg
    finally:
        pg.destroy()


def assert_unavailable(r: object, what: str) -> None:
    status = r.status_code  # type: ignore[attr-defined]
    assert status == 503, f"{what}: {status} {r.text[:200]!r}"  # type: ignore[attr-defined]
    assert r.headers["content-type"].startswith("application/json"), what  # type: ignore[attr-defined]
    assert r.json()["error"] == "unavailable", what  # type: ignore[attr-defined]


def test_host_api_is_json_503_while_postgresql_is_down(private_pg):
    env = env_for(private_pg.url, settings.REDIS_URL)
    manage(env, "migrate", "-v0")
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.contrib.auth.models import User; User.objects.create_user('h', password='pw')"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    server: Server = start_server(
        {"DATABASE_URL": private_pg.url, "STADIUM_DB_POOL_TIMEOUT_S": "2"}
    )
    game = None
    try:
        c = host_session(server.http, "h", "pw")
        quiz_id = c.post("/api/quizzes", json=DOC).json()["id"]
        game = c.post("/api/games", json={"quiz": quiz_id}).json()
        pin = game["pin"]

        private_pg.stop()
        t0 = time.monotonic()
        assert_unavailable(c.get("/api/quizzes"), "quiz list")
        assert_unavailable(c.get(f"/api/quizzes/{quiz_id}"), "quiz detail")
        assert_unavailable(c.post("/api/quizzes", json=DOC), "quiz create")
        assert_unavailable(c.post("/api/games", json={"quiz": quiz_id}), "open a game")
        assert_unavailable(c.get(f"/api/games/{pin}/results"), "results")
        assert_unavailable(c.get(f"/api/games/{pin}/results?format=csv"), "results as CSV")
        assert_unavailable(c.get("/api/auth/me"), "me")
        assert_unavailable(
            c.post("/api/auth/login", json={"username": "h", "password": "pw"}), "login"
        )
        assert time.monotonic() - t0 < DEADLINE_S
        log = server.log_text()
        assert "Traceback" not in log, log[-3000:]

        private_pg.start()
        deadline = time.monotonic() + DEADLINE_S
        while (r := c.get("/api/quizzes")).status_code != 200:
            assert time.monotonic() < deadline, f"not back: {r.status_code} {r.text[:200]}"
            time.sleep(0.5)
        assert [q["id"] for q in r.json()] == [quiz_id]
        c.close()
    finally:
        server.stop()
        if game is not None:
            r = redis.Redis.from_url(settings.REDIS_URL)
            r.delete(*keys.all_of(game["game"], len(DOC["questions"])))
            SyncEngine(r).run(ops.release_pin(game["pin"], game["game"]))
            r.close()
