"""The SPA entry view (quiz/spa.py): the app's pages get index.html and the
CSRF cookie; the API, sockets, admin and static paths are not taken over."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def dist(settings: Any, tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text(
        '<!doctype html><div id="root"></div><script src="/static/assets/app.js"></script>'
    )
    settings.FRONTEND_DIST = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/play",
        "/play/123456",
        "/host",
        "/host/quizzes/new",
        "/host/game/123456",
        "/screen/123456",
    ],
)
def test_pages_serve_the_app_with_a_csrf_cookie(client: Any, dist: Path, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/html")
    assert b'<div id="root">' in r.content
    assert "csrftoken" in r.cookies
    assert "no-cache" in r["Cache-Control"] or "max-age=0" in r["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/screen/12", "/api/nothing-here", "/static/nothing.js", "/players"]
)
def test_other_paths_are_not_the_app(client: Any, dist: Path, path: str) -> None:
    r = client.get(path)
    assert b'<div id="root">' not in r.content


def test_missing_build_says_how_to_build(client: Any, settings: Any, tmp_path: Path) -> None:
    settings.FRONTEND_DIST = tmp_path / "nothing"
    r = client.get("/play")
    assert r.status_code == 503
    assert b"scripts/frontend.sh" in r.content
