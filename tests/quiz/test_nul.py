"""A NUL character in any text of any request is a JSON 400, never a 500:
PostgreSQL cannot store it, so it must not get past the API's parser."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

NUL = "a\x00b"


def send(c: Client, method: str, path: str, body: Any) -> Any:
    return getattr(c, method)(path, json.dumps(body), content_type="application/json")


def assert_nul_refused(r: Any, what: str) -> None:
    assert r.status_code == 400, f"{what}: {r.status_code} {r.content[:300]!r}"
    assert r["Content-Type"].startswith("application/json"), what
    body = json.loads(r.content)
    assert body["error"] == "validation_error", what
    assert "NUL" in body["message"], what


def test_nul_is_refused_in_every_text_field(host_client, doc, quiz_id, open_game):
    # The client must not re-raise the server's exception: a 500 is a failure
    # to report, like any other status.
    host_client.raise_request_exception = False
    anon = Client(raise_request_exception=False)
    pin = open_game()["pin"]

    def doc_with(path: tuple[Any, ...]) -> dict[str, Any]:
        d = copy.deepcopy(doc)
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = NUL
        return d

    cases: list[tuple[str, Client, str, str, Any]] = [
        ("quiz title", host_client, "post", "/api/quizzes", doc_with(("title",))),
        ("question text", host_client, "post", "/api/quizzes", doc_with(("questions", 0, "text"))),
        (
            "choice text",
            host_client,
            "post",
            "/api/quizzes",
            doc_with(("questions", 1, "choices", 2, "text")),
        ),
        ("quiz replace", host_client, "put", f"/api/quizzes/{quiz_id}", doc_with(("title",))),
        ("login username", anon, "post", "/api/auth/login", {"username": NUL, "password": "x"}),
        ("login password", anon, "post", "/api/auth/login", {"username": "alice", "password": NUL}),
        ("join nickname", anon, "post", f"/api/games/{pin}/players", {"nickname": NUL}),
        ("game settings", host_client, "post", "/api/games", {"quiz": quiz_id, "reveal": NUL}),
        ("a key", host_client, "post", "/api/games", {"quiz": quiz_id, NUL: 1}),
    ]
    for what, c, method, path, body in cases:
        assert_nul_refused(send(c, method, path, body), what)
    # in a query string too
    r = host_client.get(f"/api/games/{pin}/results", {"format": "json\x00"})
    assert_nul_refused(r, "query string")


def test_text_with_an_escaped_backslash_u0000_is_fine(host_client, doc):
    doc["title"] = "\\u0000 is how JSON writes NUL"  # the six characters, no NUL
    r = send(host_client, "post", "/api/quizzes", doc)
    assert r.status_code == 201, r.content
    assert r.json()["title"] == doc["title"]
