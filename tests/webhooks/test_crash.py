"""At-least-once across a crash: a worker killed after the receiver took an
event but before it was acknowledged; the next worker delivers it again
under the same id and body, and the receiver (de-duplicating by id)
processes it once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import pytest
from django.conf import settings

from tests.sockets.conftest import ROOT, db_url

from .helpers import events_of, play, run_worker_until
from .receiver import Receiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]

SECRET = "crash-secret"


async def test_killed_before_ack_is_redelivered_with_the_same_id(monkeypatch: Any) -> None:
    monkeypatch.setitem(settings.STADIUM, "WEBHOOKS_ALLOW_PRIVATE", True)
    consumer = f"crash-{os.getpid()}-{time.time_ns()}"
    with Receiver(SECRET) as rec:
        g = await play(2, {"url": rec.url, "secret": SECRET})
        env = {
            **os.environ,
            "DATABASE_URL": db_url(),
            "REDIS_URL": settings.REDIS_URL,
            "STADIUM_WEBHOOKS_ALLOW_PRIVATE": "1",
            "STADIUM_WEBHOOK_PAUSE_AT": "before_ack",
        }
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "webhook_worker", "--consumer", consumer],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if "PAUSED at before_ack" in line:
                    break
            else:
                pytest.fail("the worker never reached before_ack")
        finally:
            proc.kill()  # SIGKILL: no cleanup, the entry stays pending
            proc.wait(10)
        # the worker delivers events concurrently: those the receiver took
        # before the kill were all delivered, none acknowledged
        before = dict(rec.processed)
        assert before
        # a new worker under the same name starts with its pending entries
        await run_worker_until(
            lambda: len(events_of(g.game)) == 5 and all(e.done for e in events_of(g.game)),
            consumer=consumer,
        )
    for eid in before:
        again = [r for r in rec.requests if r["id"] == eid and r["status"] == 200]
        assert len(again) == 2 and again[0]["body"] == again[1]["body"]  # same id, same body
    assert rec.duplicates == len(before)  # each seen twice, processed once
    assert len(rec.processed) == 5
    print(f"\nkilled before ack with {len(before)} events delivered; redelivered: {sorted(before)}")
