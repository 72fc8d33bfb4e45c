"""Webhooks of a host: the default for new games, and a game's delivery log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from quiz.models import Game, HostWebhook, WebhookDelivery, WebhookEvent
from quiz.webhooks.urls import url_check

from . import NotFound

LOG_MAX = 1000


def _out(h: HostWebhook) -> dict[str, Any]:
    return {"url": h.url, "secret_set": bool(h.secret)}


def webhook_default_get(*, host: User) -> dict[str, Any]:
    h = HostWebhook.objects.filter(host=host).first()
    if h is None:
        raise NotFound("no default webhook")
    return _out(h)


def webhook_default_put(*, host: User, url: str, secret: str) -> dict[str, Any]:
    """Set the default of the host's next games (games already open keep theirs)."""
    h, _ = HostWebhook.objects.update_or_create(
        host=host, defaults={"url": url_check(url), "secret": secret}
    )
    return _out(h)


def webhook_default_delete(*, host: User) -> None:
    HostWebhook.objects.filter(host=host).delete()


def webhook_log(*, host: User, pin: str) -> dict[str, Any]:
    """The events and every delivery attempt of the host's newest game with ``pin``."""
    game = Game.objects.filter(host=host, pin=pin).order_by("-created", "-id").first()
    if game is None:
        raise NotFound(f"no game of yours with PIN {pin}")
    events = [
        {
            "id": e.event_id,
            "event": e.event,
            "attempts": e.attempts,
            "state": "pending" if e.done is None else ("delivered" if e.delivered else "failed"),
            "created": e.created.isoformat(),
        }
        for e in WebhookEvent.objects.filter(game=game).order_by("created", "id")[:LOG_MAX]
    ]
    deliveries = [
        {
            "id": d.event_id,
            "event": d.event,
            "url": d.url,
            "attempt": d.attempt,
            "status_code": d.status_code,
            "error": d.error,
            "delivered": d.delivered,
            "ms": d.ms,
            "at": d.at,
        }
        for d in WebhookDelivery.objects.filter(game=game).order_by("-at", "-id")[:LOG_MAX]
    ]
    return {
        "webhook": bool(game.webhook_url),
        "url": game.webhook_url,
        "events": events,
        "deliveries": deliveries,
    }
