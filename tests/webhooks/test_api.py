"""The webhook API: URL checks (private addresses refused unless the
operator allows them), the host default, and host isolation of the log."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from quiz.documents import document_parse
from quiz.models import Game, WebhookDelivery
from quiz.services.quizzes import quiz_create
from tests.sockets.helpers import QUIZ

pytestmark = [pytest.mark.django_db(transaction=True)]


def _host(name: str) -> tuple[Client, int]:
    user = get_user_model().objects.create_user(username=name, password="pw-" + name)
    quiz = quiz_create(owner=user, document=document_parse(QUIZ))
    c = Client()
    c.force_login(user)
    return c, quiz.pk


def _open(c: Client, quiz: int, **extra: Any) -> Any:
    return c.post("/api/games", {"quiz": quiz, **extra}, content_type="application/json")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "ftp://example.com/hook",
        "file:///etc/passwd",
        "http://user:pw@example.com/hook",
        "not a url",
    ],
)
def test_bad_urls_are_refused(url: str) -> None:
    c, quiz = _host("h1")
    r = _open(c, quiz, webhook={"url": url, "secret": "x"})
    assert r.status_code == 400, r.content
    assert r.json()["error"] == "bad_webhook_url"
    r = c.put("/api/webhook", {"url": url, "secret": "x"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"] == "bad_webhook_url"
    assert not Game.objects.exists()


def test_private_urls_allowed_by_the_setting(monkeypatch: Any) -> None:
    monkeypatch.setitem(settings.STADIUM, "WEBHOOKS_ALLOW_PRIVATE", True)
    c, quiz = _host("h1")
    r = _open(c, quiz, webhook={"url": "http://127.0.0.1:9/hook", "secret": "x"})
    assert r.status_code == 201, r.content
    assert r.json()["webhook"] == "http://127.0.0.1:9/hook"
    # a non-http scheme stays refused
    r = _open(c, quiz, webhook={"url": "gopher://127.0.0.1/", "secret": "x"})
    assert r.status_code == 400


def test_host_default_applies_unless_the_game_says_otherwise(monkeypatch: Any) -> None:
    monkeypatch.setitem(settings.STADIUM, "WEBHOOKS_ALLOW_PRIVATE", True)
    c, quiz = _host("h1")
    assert c.get("/api/webhook").status_code == 404
    r = c.put(
        "/api/webhook", {"url": "http://10.0.0.5/d", "secret": "k"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json() == {"url": "http://10.0.0.5/d", "secret_set": True}
    assert c.get("/api/webhook").json()["url"] == "http://10.0.0.5/d"
    assert _open(c, quiz).json()["webhook"] == "http://10.0.0.5/d"
    assert _open(c, quiz, webhook=None).json()["webhook"] is None
    own = _open(c, quiz, webhook={"url": "http://10.0.0.6/own", "secret": "z"}).json()
    assert own["webhook"] == "http://10.0.0.6/own"
    assert Game.objects.get(key=own["game"]).webhook_secret == "z"
    assert c.delete("/api/webhook").status_code == 204
    assert _open(c, quiz).json()["webhook"] is None
    # another host never sees this host's default
    other, _ = _host("h2")
    assert other.get("/api/webhook").status_code == 404


def test_delivery_log_is_the_owners_only(monkeypatch: Any) -> None:
    monkeypatch.setitem(settings.STADIUM, "WEBHOOKS_ALLOW_PRIVATE", True)
    c1, q1 = _host("h1")
    c2, _ = _host("h2")
    g = _open(c1, q1, webhook={"url": "http://10.0.0.7/h", "secret": "s"}).json()
    game = Game.objects.get(key=g["game"])
    WebhookDelivery.objects.create(
        event_id=f"{game.key}.game_started", game=game, url=game.webhook_url,
        event="game_started", attempt=1, status_code=500, error="boom",
    )  # fmt: skip
    r = c1.get(f"/api/games/{g['pin']}/webhooks")
    assert r.status_code == 200
    body = r.json()
    assert body["webhook"] is True and body["url"] == "http://10.0.0.7/h"
    assert [(d["id"], d["attempt"], d["status_code"]) for d in body["deliveries"]] == [
        (f"{game.key}.game_started", 1, 500)
    ]
    assert c2.get(f"/api/games/{g['pin']}/webhooks").status_code == 404
    assert Client().get(f"/api/games/{g['pin']}/webhooks").status_code == 401
