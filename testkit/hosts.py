"""Hosts against a real server over HTTP: a logged-in session with its CSRF
token, bursts of requests from many sessions, and the PostgreSQL connections
a server holds (found by its application_name)."""

from __future__ import annotations

import concurrent.futures
import random
import secrets
import threading
import time
from collections.abc import Callable

import httpx
import psycopg


def host_session(base: str, username: str, password: str) -> httpx.Client:
    """An httpx client logged in as a host, sending the CSRF token."""
    c = httpx.Client(base_url=base, timeout=30)
    token = c.get("/api/auth/csrf").json()["csrftoken"]
    c.headers["X-CSRFToken"] = token
    c.headers["Referer"] = base + "/"
    r = c.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    c.headers["X-CSRFToken"] = c.cookies["csrftoken"]
    return c


def burst(
    base: str,
    username: str,
    password: str,
    *,
    clients: int,
    requests: int,
    pick: Callable[[httpx.Client, random.Random], httpx.Response],
) -> list[tuple[int, float]]:
    """``requests`` requests from ``clients`` concurrent logged-in clients;
    returns (status, seconds) of each."""
    sessions = [host_session(base, username, password) for _ in range(clients)]
    per = [requests // clients + (i < requests % clients) for i in range(clients)]

    def run(i: int) -> list[tuple[int, float]]:
        rng = random.Random(i)
        out = []
        for _ in range(per[i]):
            t0 = time.perf_counter()
            r = pick(sessions[i], rng)
            out.append((r.status_code, time.perf_counter() - t0))
        return out

    try:
        with concurrent.futures.ThreadPoolExecutor(clients) as ex:
            return [x for chunk in ex.map(run, range(clients)) for x in chunk]
    finally:
        for s in sessions:
            s.close()


def app_name() -> str:
    """An application_name to give a server's DATABASE_URL, to count its
    connections apart from everyone else's."""
    return "stadium-test-" + secrets.token_hex(4)


def held_connections(db_url: str, application_name: str) -> int:
    with psycopg.connect(db_url, autocommit=True) as c:
        row = c.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            (application_name,),
        ).fetchone()
    assert row is not None
    return int(row[0])


class PeakSampler:
    """Samples the connections a server holds while a burst runs."""

    def __init__(self, db_url: str, application_name: str) -> None:
        self.db_url, self.name = db_url, application_name
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self.db_url, autocommit=True) as c:
            while not self._stop.is_set():
                row = c.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                    (self.name,),
                ).fetchone()
                self.peak = max(self.peak, int(row[0]) if row else 0)
                time.sleep(0.02)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
