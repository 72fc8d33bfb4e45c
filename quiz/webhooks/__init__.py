"""Webhooks: a game's events POSTed to the host's receiver, off the hot path.

The producer side (this module) runs where a game's state changes once:
:mod:`quiz.live.actions` (a question opened or closed, by the host, the
clock or auto-advance; the game ended) and the final save
(:mod:`quiz.flush.save`, ``game_over`` once the results are in
PostgreSQL). It XADDs one small entry ``{id, game, event, q}`` to the
global stream ``webhooks:out`` and returns; the worker
(:mod:`quiz.webhooks.worker`, ``manage.py webhook_worker``) builds the body
and POSTs it. Nothing here waits on the receiver, and a failure here is
logged, never raised: a webhook can not fail or slow a game action.

Event ids are deterministic (``<game>.question_closed.3``): a close seen by
two paths (a host's close and the next question's start, say) is one event,
which the worker processes once (``WebhookEvent.event_id`` is unique).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from asgiref.sync import sync_to_async

from quiz.models import Game

log = logging.getLogger(__name__)

STREAM = "webhooks:out"
MAXLEN = 100_000
EVENTS = ("game_started", "question_closed", "game_over")
# per process: game key -> whether it has a webhook (fixed when the game
# opens, so the cache never goes stale); bounded by clearing
_has: dict[str, bool] = {}
_HAS_MAX = 10_000
_tasks: set[asyncio.Task[None]] = set()


def event_id(game: str, event: str, question: int = 0) -> str:
    return f"{game}.{event}.{question}" if event == "question_closed" else f"{game}.{event}"


def _fields(game: str, event: str, question: int) -> dict[str, str]:
    return {"id": event_id(game, event, question), "game": game, "event": event, "q": str(question)}


def _has_webhook(game: str) -> bool:
    v = _has.get(game)
    if v is None:
        v = Game.objects.filter(key=game).exclude(webhook_url="").exists()
        if len(_has) >= _HAS_MAX:
            _has.clear()
        _has[game] = v
    return v


def enqueue_blocking(*, game: str, event: str, question: int = 0, redis: Any = None) -> None:
    """XADD the event if the game has a webhook (blocking callers: the
    flusher and the final save). Never raises."""
    try:
        if not _has_webhook(game):
            return
        if redis is None:
            from quiz.redis import redis_sync

            redis = redis_sync()
        redis.xadd(STREAM, _fields(game, event, question), maxlen=MAXLEN, approximate=True)
    except Exception:
        log.exception("webhook %s of game %s not queued", event, game)


async def _enqueue(game: str, event: str, question: int, redis: Any) -> None:
    try:
        has = _has.get(game)
        if has is None:
            has = await sync_to_async(_has_webhook)(game)
        if has:
            await redis.xadd(
                STREAM, _fields(game, event, question), maxlen=MAXLEN, approximate=True
            )
    except Exception:
        log.exception("webhook %s of game %s not queued", event, game)


def enqueue(*, game: str, event: str, question: int = 0, redis: Any = None) -> None:
    """Queue the event in the background of the running loop and return at
    once: the first event of a game in this process looks the game's
    webhook up in PostgreSQL, and the action that triggered it must not
    wait for that. ``redis``: an async client (default: the process's)."""
    if redis is None:
        from quiz.redis import async_engine

        redis = async_engine().redis
    task = asyncio.get_running_loop().create_task(_enqueue(game, event, question, redis))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
