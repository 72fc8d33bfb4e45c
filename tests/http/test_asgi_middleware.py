"""The ASGI chain's middleware (config/asgi_middleware.py): each class is
the Django middleware it replaces, with hooks on the event loop, and a real
server does everything Django's own classes did: security and framing
headers, the CSRF refusal, a login whose session is saved (the hook that
goes to a thread), a session read back, a static file served."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from config.asgi_middleware import EQUIVALENTS, for_asgi

from .conftest import Server
from .hosts import host_create, host_session


def test_each_replacement_is_the_middleware_it_replaces() -> None:
    for path, cls in EQUIVALENTS.items():
        assert issubclass(cls, import_string(path)), path
    swapped = for_asgi([*settings.MIDDLEWARE, "some.other.Middleware"])
    assert swapped[-1] == "some.other.Middleware"
    assert [import_string(p) for p in swapped[:-1]] == [EQUIVALENTS[p] for p in settings.MIDDLEWARE]


def test_settings_keep_djangos_paths_for_the_checks() -> None:
    # manage.py check --deploy looks these up by name (tests/ops/test_deploy_check.py)
    assert "django.middleware.security.SecurityMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.clickjacking.XFrameOptionsMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db(transaction=True)
def test_a_real_server_runs_every_hook(server_factory: Any) -> None:
    server: Server = server_factory()
    host_create("mw-host", "pw-mw-1234")
    with httpx.Client(base_url=server.http, timeout=30) as c:
        r = c.get("/api/auth/me")
        # SecurityMiddleware and XFrameOptionsMiddleware
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "same-origin"
        # CsrfViewMiddleware's process_view, awaited on the loop: refused
        r = c.post("/api/auth/login", json={"username": "mw-host", "password": "pw-mw-1234"})
        assert r.status_code == 403, r.text
        # whitenoise: a static file (found through the finders) or a 404,
        # never a 500 from the async path
        r = c.get("/static/admin/css/base.css")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
    # a login: the session is written (SessionMiddleware's save, in a thread),
    # and read back on the next request
    host = host_session(server.http, "mw-host", "pw-mw-1234")
    try:
        assert host.cookies.get("sessionid")
        me = host.get("/api/auth/me")
        assert me.status_code == 200 and me.json()["username"] == "mw-host", me.text
    finally:
        host.close()
    assert "Traceback" not in server.log_text()
