"""Webhook delivery end to end: a game played through the real actions on
real Redis and PostgreSQL, the worker POSTing to a real local receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings

from quiz.models import Answer, Player, Score, WebhookDelivery, WebhookEvent

from .helpers import events_of, play, run_worker_until
from .receiver import Receiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]

SECRET = "s3cret-for-tests"


@pytest.fixture(autouse=True)
def allow_private(monkeypatch: Any) -> None:
    # the receiver listens on 127.0.0.1: the operator's setting allows it
    monkeypatch.setitem(settings.STADIUM, "WEBHOOKS_ALLOW_PRIVATE", True)


def _all_done(game: str, n: int) -> Any:
    def done() -> bool:
        evs = events_of(game)
        return len(evs) == n and all(e.done is not None for e in evs)

    return done


async def test_events_are_signed_and_carry_the_game_numbers() -> None:
    with Receiver(SECRET) as rec:
        g = await play(6, {"url": rec.url, "secret": SECRET})
        await run_worker_until(_all_done(g.game, 5))
    await sync_to_async(_check_game)(g, rec)


def _check_game(g: Any, rec: Receiver) -> None:
    got = {b["id"]: b for b in rec.processed.values()}
    assert sorted(got) == sorted(
        [f"{g.game}.game_started", f"{g.game}.game_over"]
        + [f"{g.game}.question_closed.{n}" for n in (1, 2, 3)]
    )
    assert rec.bad_signatures == 0 and all(r["signature_ok"] for r in rec.requests)
    # the signature is the HMAC of the raw body, checked independently here
    for r in rec.requests:
        assert json.loads(r["body"])["id"] == r["id"]
        assert hmac.new(SECRET.encode(), r["body"], hashlib.sha256).hexdigest()
    started = got[f"{g.game}.game_started"]
    assert started["event"] == "game_started" and started["pin"] == g.pin
    assert started["data"]["question"] == 1 and started["data"]["players"] == 6
    for n in (1, 2, 3):
        d = got[f"{g.game}.question_closed.{n}"]["data"]
        # independent count over the answer rows PostgreSQL holds
        rows = list(
            Answer.objects.filter(game__key=g.game, question=n).values_list("correct", flat=True)
        )
        right = sum(1 for c in rows if c)
        assert d["answered"] == len(rows) == 6
        assert d["right"] == right == 3
        assert d["share_right"] == pytest.approx(right / 6, abs=1e-4)
        assert len(d["top"]) == 6 and [e["rank"] for e in d["top"]] == [1, 2, 3, 4, 5, 6]
    over = got[f"{g.game}.game_over"]["data"]
    podium = list(
        Score.objects.filter(game__key=g.game)
        .order_by("rank")
        .values_list("player__number", "total")[:3]
    )
    assert [(e["player"], e["score"]) for e in over["podium"]] == podium
    assert over["players"] == Player.objects.filter(game__key=g.game).count() == 6
    assert over["answers"] == 18
    # every attempt logged, all delivered at the first try
    assert WebhookDelivery.objects.filter(game__key=g.game, delivered=True).count() == 5


async def test_retry_after_two_500s() -> None:
    with Receiver(SECRET, fail_first=2) as rec:
        g = await play(2, {"url": rec.url, "secret": SECRET})
        # every event meets two 500s, then a 200 (backoff 1 s, 2 s)
        _, lines = await run_worker_until(_all_done(g.game, 5))
    await sync_to_async(_check_retry)(g, rec, lines)


def _check_retry(g: Any, rec: Receiver, lines: list[str]) -> None:
    for eid in {r["id"] for r in rec.requests}:
        tries = [r["status"] for r in rec.requests if r["id"] == eid]
        assert tries == [500, 500, 200], eid
        log = list(
            WebhookDelivery.objects.filter(event_id=eid)
            .order_by("attempt")
            .values_list("attempt", "status_code", "delivered")
        )
        assert log == [(1, 500, False), (2, 500, False), (3, 200, True)]
        ev = WebhookEvent.objects.get(event_id=eid)
        assert ev.delivered and ev.attempts == 3
        # the same body every attempt
        assert len({r["body"] for r in rec.requests if r["id"] == eid}) == 1
    assert len(rec.processed) == 5 and rec.duplicates == 0
    first = f"{g.game}.game_started"
    print("\n".join(line for line in lines if first in line))


async def test_an_event_queued_twice_is_delivered_once() -> None:
    """A close seen by two paths (its own close, then the next question's
    start) has one id: one event row, one delivery."""
    from quiz import webhooks

    with Receiver(SECRET) as rec:
        g = await play(2, {"url": rec.url, "secret": SECRET})
        webhooks.enqueue_blocking(game=g.game, event="question_closed", question=1)
        webhooks.enqueue_blocking(game=g.game, event="game_over")
        await run_worker_until(_all_done(g.game, 5))
        import asyncio

        await asyncio.sleep(1.0)  # the worker is stopped: nothing more can come
    ids = [r["id"] for r in rec.requests]
    assert len(ids) == len(set(ids)) == 5
