"""Host login over the JSON API, with Django's CSRF protection."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def post(c: Client, path: str, data: Any, token: str | None = None) -> Any:
    headers = {"X-CSRFToken": token} if token else {}
    return c.post(path, data, content_type="application/json", headers=headers)


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def csrf_from_home(c: Client) -> str:
    r = c.get("/")
    assert r.status_code in (200, 503)  # 503 only while the front end is not built
    return c.cookies["csrftoken"].value


def test_home_and_csrf_endpoint_set_the_cookie(browser):
    assert csrf_from_home(browser)
    other = Client(enforce_csrf_checks=True)
    r = other.get("/api/auth/csrf")
    assert r.status_code == 200
    assert r.json()["csrftoken"] and other.cookies["csrftoken"].value


def test_login_me_logout(browser, host):
    token = csrf_from_home(browser)
    r = post(browser, "/api/auth/login", {"username": "alice", "password": "pw-alice"}, token)
    assert r.status_code == 200
    assert r.json() == {"id": host.pk, "username": "alice"}
    assert browser.get("/api/auth/me").json()["username"] == "alice"
    token = browser.cookies["csrftoken"].value  # login rotates the token
    r = post(browser, "/api/quizzes", {"title": "x"}, token)
    assert r.json()["error"] == "validation_error"  # past auth and CSRF
    assert post(browser, "/api/auth/logout", {}, token).json() == {"ok": True}
    r = browser.get("/api/auth/me")
    assert (r.status_code, r.json()["error"]) == (401, "unauthorized")


def test_wrong_password(browser, host):
    token = csrf_from_home(browser)
    r = post(browser, "/api/auth/login", {"username": "alice", "password": "nope"}, token)
    assert r.status_code == 401
    assert r.json() == {"error": "unauthorized", "message": "wrong username or password"}
    r = post(browser, "/api/auth/login", {"username": "nobody", "password": "x"}, token)
    assert r.status_code == 401


def test_csrf_is_required_for_login_logout_and_host_writes(browser, host, doc):
    r = post(browser, "/api/auth/login", {"username": "alice", "password": "pw-alice"})
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    token = csrf_from_home(browser)
    assert post(browser, "/api/auth/login", {"username": "alice", "password": "pw-alice"}, token)
    for path, body in (("/api/quizzes", doc), ("/api/games", {"quiz": 1})):
        for bad in (None, "wrong-token-wrong-token-wrong-tok"):
            r = post(browser, path, body, bad)
            assert r.status_code == 403, path
            assert r.json()["error"] == "forbidden"
    r = post(browser, "/api/auth/logout", {})
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    assert browser.get("/api/auth/me").status_code == 200  # still logged in
    # reads need no token
    assert browser.get("/api/quizzes").status_code == 200


def test_joining_needs_no_csrf_token(browser, host_client, open_game):
    pin = open_game()["pin"]
    r = post(browser, f"/api/games/{pin}/players", {"nickname": "Ann"})
    assert r.status_code == 201


def test_csrf_failure_outside_ninja_is_json_under_api(browser):
    """Django's own CSRF failure page (CSRF_FAILURE_VIEW) answers JSON for /api/."""
    from django.test import RequestFactory

    from quiz.views import csrf_failure

    r = csrf_failure(RequestFactory().post("/api/anything"), reason="no token")
    assert r.status_code == 403
    assert r["Content-Type"] == "application/json"
    r = csrf_failure(RequestFactory().post("/admin/login/"), reason="no token")
    assert r.status_code == 403 and r["Content-Type"].startswith("text/html")
