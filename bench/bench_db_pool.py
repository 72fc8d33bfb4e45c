"""Measure the PostgreSQL connection set-ups of the web server: a new
connection per request (STADIUM_DB_POOL_MAX=0) against the per-process pool,
on 500 ``GET /api/quizzes`` from 20 concurrent logged-in clients, one uvicorn
worker. Prints median and p99 latency, the peak connections the server held
during the burst and those it still holds after.

    make bench-db-pool        # .venv/bin/python -m bench.bench_db_pool

It creates (and drops at the end) a database of its own, stadium_bench_pool,
on the PostgreSQL server of DATABASE_URL.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import urllib.parse

from testkit.documents import numbered
from testkit.hosts import PeakSampler, app_name, burst, held_connections, host_session
from testkit.postgres import admin_sql
from testkit.serve import ROOT, Uvicorn

REQUESTS, CLIENTS = 500, 20
DB = "stadium_bench_pool"
DOC = numbered(3, title="Pool quiz", time_limit=20)


def main() -> None:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stadium")
    url = urllib.parse.urlparse(base)._replace(path=f"/{DB}", query="").geturl()
    admin_sql(url, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    admin_sql(url, f'CREATE DATABASE "{DB}"')
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.contrib.auth.models import User; User.objects.create_user('bench', password='bench-pw')"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    print(f"{REQUESTS} GET /api/quizzes, {CLIENTS} concurrent clients, 1 uvicorn worker")
    print("| variant | median ms | p99 ms | peak connections | held after |")
    print("| --- | --- | --- | --- | --- |")
    try:
        for label, extra in [
            ("CONN_MAX_AGE=0, no pool", {"STADIUM_DB_POOL_MAX": "0"}),
            ("pool, max 8", {"STADIUM_DB_POOL_MAX": "8"}),
        ]:
            app = app_name()
            server = Uvicorn({"DATABASE_URL": f"{url}?application_name={app}", **extra}).start()
            try:
                c = host_session(server.http, "bench", "bench-pw")
                c.post("/api/quizzes", json=DOC)
                c.close()
                burst(server.http, "bench", "bench-pw", clients=CLIENTS, requests=100,
                      pick=lambda c, _: c.get("/api/quizzes"))  # fmt: skip  # warm-up
                with PeakSampler(url, app) as peak:
                    results = burst(server.http, "bench", "bench-pw", clients=CLIENTS,
                                    requests=REQUESTS, pick=lambda c, _: c.get("/api/quizzes"))  # fmt: skip
                assert all(s == 200 for s, _ in results), {s for s, _ in results}
                ms = sorted(t * 1000 for _, t in results)
                p99 = ms[int(len(ms) * 0.99) - 1]
                held = held_connections(url, app)
                print(
                    f"| {label} | {statistics.median(ms):.1f} | {p99:.1f} | {peak.peak} | {held} |"
                )
            finally:
                server.stop()
    finally:
        admin_sql(url, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
