"""Bad input never gives a 500: malformed JSON, wrong types, huge strings
and unknown fields, sent to every endpoint, each get a 4xx JSON error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

MB = "x" * 1_000_000
OPTIONAL = {"max_players", "reveal", "late_join", "image"}


def assert_4xx_json(r: Any, what: str) -> dict[str, Any]:
    assert 400 <= r.status_code < 500, f"{what}: {r.status_code} {r.content[:300]!r}"
    assert r["Content-Type"].startswith("application/json"), what
    body = json.loads(r.content)
    assert isinstance(body.get("error"), str) and body["error"], what
    assert isinstance(body.get("message"), str), what
    return body


def send(c: Client, method: str, path: str, body: Any) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return getattr(c, method)(path, raw, content_type="application/json")


def bodies(valid: dict[str, Any]) -> list[tuple[str, Any]]:
    """Bad variants of a valid body: every field in turn of a wrong type and
    huge, an unknown field, plus malformed, empty-ish and non-object JSON."""
    out: list[tuple[str, Any]] = [
        ("malformed JSON", b"{not json"),
        ("truncated JSON", b'{"a": '),
        ("JSON list", []),
        ("JSON number", 42),
        ("JSON null", None),
        ("deep nesting", b"[" * 100_000 + b"]" * 100_000),
        ("unknown field", {**valid, "surprise": 1}),
        ("1 MB unknown field", {**valid, MB[:10]: MB}),
        ("not UTF-8", b'{"nickname": "\xff\xfe"}'),
    ]
    for k, v in valid.items():
        out += [
            (f"{k} of wrong type (object)", {**valid, k: {"x": 1}}),
            (f"{k} of wrong type (list)", {**valid, k: [1, 2]}),
            (f"{k} huge string", {**valid, k: MB}),
            (f"{k} missing", {kk: vv for kk, vv in valid.items() if kk != k}),
        ]
        if not isinstance(v, str):
            out.append((f"{k} as string", {**valid, k: str(v)}))
        if not isinstance(v, bool):
            out.append((f"{k} as bool", {**valid, k: True}))
    return out


def test_bad_bodies_to_every_endpoint_that_takes_one(host_client, anon, quiz_id, doc, open_game):
    pin = open_game()["pin"]
    question = doc["questions"][0]
    endpoints: list[tuple[Client, str, str, dict[str, Any]]] = [
        (anon, "post", "/api/auth/login", {"username": "alice", "password": "pw-alice"}),
        (host_client, "post", "/api/quizzes", doc),
        (host_client, "put", f"/api/quizzes/{quiz_id}", doc),
        (
            host_client,
            "post",
            "/api/games",
            {"quiz": quiz_id, "reveal": "live", "max_players": 5, "late_join": True},
        ),
        (anon, "post", f"/api/games/{pin}/players", {"nickname": "Ann"}),
        # nested: bad questions and choices inside a quiz document
        (host_client, "post", "/api/quizzes", {"title": "T", "questions": [question]}),
        (host_client, "post", "/api/quizzes", {"title": "T", "questions": [question] * 2}),
    ]
    nested = [
        ("question " + name, {"title": "T", "questions": [b]})
        for name, b in bodies(question)
        if isinstance(b, dict)
    ] + [
        ("choice " + name, {"title": "T", "questions": [{**question, "choices": [b, b]}]})
        for name, b in bodies(question["choices"][1])
        if isinstance(b, dict)
    ]
    checked = 0
    for c, method, path, valid in endpoints:
        for name, body in bodies(valid) + (nested if path == "/api/quizzes" else []):
            if name.endswith("missing") and name.split()[-2] in OPTIONAL:
                continue  # leaving an optional field out is fine
            assert_4xx_json(send(c, method, path, body), f"{method} {path}: {name}")
            checked += 1
    assert checked > 200
    # logout takes no fields: no body, {} or null; anything else is refused
    for name, body in bodies({}):
        if body is None:
            continue
        assert_4xx_json(send(host_client, "post", "/api/auth/logout", body), f"logout: {name}")


def test_request_bodies_over_the_limit_give_413(host_client, anon, open_game):
    pin = open_game()["pin"]
    big = json.dumps({"nickname": "x" * 3_000_000}).encode()
    for c, path in ((anon, f"/api/games/{pin}/players"), (host_client, "/api/quizzes")):
        body = assert_4xx_json(send(c, "post", path, big), path)
        assert body["error"] == "validation_error"


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/quizzes/abc"),
        ("get", "/api/quizzes/0"),
        ("get", "/api/quizzes/-1"),
        ("get", "/api/quizzes/99999999999999999999999"),
        ("get", "/api/quizzes/1.5"),
        ("put", "/api/quizzes/abc"),
        ("delete", "/api/quizzes/abc"),
        ("delete", "/api/quizzes/99999999999999999999999"),
        ("get", "/api/games/abcdef"),
        ("get", "/api/games/" + "9" * 5000),
        ("post", "/api/games/abcdef/players"),
        ("get", "/api/games/abcdef/results"),
        ("get", "/api/games/123456/results?format=xml"),
        ("get", "/api/games/123456/results?format=" + MB[:100_000]),
        ("get", "/api/nowhere"),
        ("post", "/api/quizzes/1/extra"),
    ],
)
def test_bad_paths_and_query_strings(host_client, method, path):
    body = {"nickname": "Ann"} if method in ("post", "put") else None
    r = (
        send(host_client, method, path, body)
        if body
        else getattr(host_client, method)(path, content_type="application/json")
    )
    assert_4xx_json(r, f"{method} {path}")


def test_get_endpoints_ignore_junk_but_answer_json(host_client, quiz_id, open_game):
    """GET endpoints take no body; junk query parameters do not break them."""
    pin = open_game()["pin"]
    for path in (
        "/api/auth/csrf",
        "/api/auth/me",
        "/api/quizzes",
        f"/api/quizzes/{quiz_id}",
        f"/api/games/{pin}",
    ):
        r = host_client.get(path, {"junk": MB[:10_000], "x": "{"})
        assert r.status_code == 200, path
        assert r["Content-Type"].startswith("application/json")
