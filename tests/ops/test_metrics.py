"""``/metrics`` during a game: the counters move by exactly what happened.

Covered here: HTTP joins (through the real API), answer micro-batch sizes (on
one Redis and on the cluster), and the multi-process mode of several workers.
The socket counters (connections, answers accepted/refused, tick and relay
timings) belong to the sockets layer and are tested with it.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

import quiz.redis as qr
from engine import Question, Settings, keys, ops
from quiz import metrics
from testkit.documents import document, question

ROOT = Path(__file__).resolve().parents[2]
DOC = document("Metrics quiz", [question("Two plus two?", ["3", "4"], {1})])


def scrape(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for fam in text_string_to_metric_families(text)
        for s in fam.samples
    }


def value(scraped: dict[Any, float], name: str, **labels: str) -> float:
    return scraped.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def game_pin(db: None) -> Iterator[str]:
    """A game opened through the API; its Redis keys are removed afterwards."""
    from quiz.models import Game

    host = Client()
    host.force_login(get_user_model().objects.create_user("metrics-host", password="pw-x"))
    q = host.post("/api/quizzes", DOC, content_type="application/json")
    g = host.post("/api/games", {"quiz": q.json()["id"]}, content_type="application/json")
    assert g.status_code == 201, g.content
    yield g.json()["pin"]
    r = qr.redis_sync()
    for gid, pin in Game.objects.values_list("pk", "pin"):
        r.delete(*keys.all_of(str(gid), 1), keys.pin(pin))


def test_http_joins_are_counted_by_result(game_pin: str) -> None:
    anon = Client()
    before = scrape(anon.get("/metrics").content.decode())
    for i in range(7):
        r = anon.post(f"/api/games/{game_pin}/players", {"nickname": f"Fan{i}"},
                      content_type="application/json")  # fmt: skip
        assert r.status_code == 201, r.content
    taken = anon.post(f"/api/games/{game_pin}/players", {"nickname": "FAN3"},
                      content_type="application/json")  # fmt: skip
    assert taken.status_code == 409
    unknown = anon.post("/api/games/000000/players", {"nickname": "x"},
                        content_type="application/json")  # fmt: skip
    assert unknown.status_code == 404
    page = anon.get("/metrics")
    assert page["Content-Type"].startswith("text/plain")
    after = scrape(page.content.decode())

    def delta(result: str) -> float:
        name = "stadium_joins_total"
        return value(after, name, result=result) - value(before, name, result=result)

    assert (delta("ok"), delta("nickname_taken"), delta("unknown_game")) == (7, 1, 1)


async def answer_batch(players: int) -> tuple[float, float, list[str]]:
    """Open a one-question game on the configured Redis, submit ``players``
    answers at once through the process's engine; return the batch-size
    histogram's movement (sum, count) and the statuses."""
    gid = "m" + os.urandom(6).hex()
    eng = qr.async_engine()
    await eng.run(ops.create_game(gid, [Question("q", ["a", "b"], {1}, 30)], Settings()))
    ids = [
        (await eng.run(ops.join(gid, nickname=f"p{i}", nickname_key=f"p{i}",
                                token_hash=hashlib.sha256(b"%d" % i).hexdigest()))).player
        for i in range(players)
    ]  # fmt: skip
    await eng.run(ops.open_question(gid, 1))
    before = scrape(metrics.generate_latest(metrics.registry()).decode())
    results = await asyncio.gather(
        *(eng.submit_answer(game=gid, player=p, question=1, choices=[1]) for p in ids)
    )
    after = scrape(metrics.generate_latest(metrics.registry()).decode())
    await eng.redis.delete(*keys.all_of(gid, 1))
    moved = [
        value(after, f"stadium_answer_batch_size_{k}") - value(before, f"stadium_answer_batch_size_{k}")
        for k in ("sum", "count")
    ]  # fmt: skip
    return moved[0], moved[1], [r.status for r in results]


async def test_answer_batches_are_observed_on_one_redis(redis_at: Any, settings: Any) -> None:
    redis_at(settings.REDIS_URL)
    total, batches, statuses = await answer_batch(40)
    assert statuses == ["ok"] * 40
    assert total == 40 and 1 <= batches <= 40  # every answer in exactly one batch


async def test_answer_batches_are_observed_on_the_cluster(redis_at: Any, cluster_url: str) -> None:
    redis_at(cluster_url)
    assert qr.async_engine().pipe is None  # the generic batcher runs on a cluster
    total, batches, statuses = await answer_batch(40)
    assert statuses == ["ok"] * 40
    assert total == 40 and 1 <= batches <= 40


WORKER = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from quiz import metrics
metrics.JOINS.labels("ok").inc(int(sys.argv[1]))
metrics.CONNECTIONS.labels("play").inc(int(sys.argv[2]))
if sys.argv[3] == "render":
    sys.stdout.write(metrics.generate_latest(metrics.registry()).decode())
"""


def test_several_worker_processes_add_up(tmp_path: Path) -> None:
    """Three processes share PROMETHEUS_MULTIPROC_DIR: counters add up over
    all of them, and a dead process's open connections stop counting."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}

    def worker(joins: int, conns: int, mode: str) -> str:
        out = subprocess.run([sys.executable, "-c", WORKER, str(joins), str(conns), mode],
                             cwd=ROOT, env=env, capture_output=True, text=True, check=True)  # fmt: skip
        return out.stdout

    worker(3, 5, "exit")
    worker(4, 6, "exit")
    text = worker(2, 1, "render")  # the scraping worker is the only live one
    m = scrape(text)
    assert value(m, "stadium_joins_total", result="ok") == 9
    assert value(m, "stadium_connections", kind="play") == 1
