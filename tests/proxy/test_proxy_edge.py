"""What nginx does at the edge, with the shipped config: static files from
disk, the same URLs as without it, /metrics refused, slow headers cut,
logins capped per address, bodies over the server's limit refused, and
forwarded headers trusted from the proxy alone."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from django.conf import settings

from quiz import ratelimit
from testkit.nginx import PROXY_ADDR, Nginx
from testkit.ports import HOST, free_port
from testkit.serve import ROOT, Uvicorn

from ..http.test_slow_clients import trickle
from .conftest import client_from, loopback

pytestmark = pytest.mark.django_db(transaction=True)

ASSETS = ROOT / "frontend" / "dist" / "assets"
UNKNOWN_PIN = "000000"


def json_error(r: httpx.Response) -> dict[str, Any]:
    """The body of a refusal: the server's own shape, {"error", "message"}."""
    assert r.headers["content-type"].startswith("application/json"), r.headers
    body = json.loads(r.content)
    assert set(body) == {"error", "message"} and body["message"], body
    return dict(body)


def built_asset() -> Path:
    found = sorted(ASSETS.glob("*.js")) if ASSETS.is_dir() else []
    if not found:
        pytest.skip("frontend/dist is not built (scripts/frontend.sh; make test builds it)")
    return max(found, key=lambda p: p.stat().st_size)


def test_static_files_are_served_by_nginx_with_no_server_behind(
    nginx_factory: Callable[..., Nginx], static_dir: Path
) -> None:
    asset = built_asset()
    # nothing listens on the upstream's port: whatever answers is nginx
    edge = nginx_factory([f"{HOST}:{free_port()}"])
    with httpx.Client(base_url=edge.http) as c:
        r = c.get(f"/static/assets/{asset.name}")
        assert r.status_code == 200 and r.content == asset.read_bytes()
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        # collectstatic's gzip copy, as whitenoise would send it
        assert (static_dir / "assets" / f"{asset.name}.gz").exists()
        assert r.headers.get("content-encoding") == "gzip"
        r = c.get("/static/admin/css/base.css")
        assert r.status_code == 200 and b"body" in r.content
        assert r.headers["cache-control"] == "public, max-age=60"
        # the pages and the API come from a server: none is up
        for path in ("/", "/play", "/api/games/123456", "/healthz"):
            r = c.get(path)
            assert r.status_code == 503 and json_error(r)["error"] == "unavailable", path
            assert r.headers["retry-after"] == "1"
    assert "upstream=- " in edge.log_text()


def test_the_same_urls_answer_as_without_the_proxy(proxy: Nginx, upstreams: list[Uvicorn]) -> None:
    asset = built_asset()
    paths = ["/", "/play", "/host", "/host/report/123456", "/screen/123456", "/healthz",
             "/api/docs", "/api/nothing-here", "/admin/login/", f"/static/assets/{asset.name}",
             "/static/admin/css/base.css", "/static/assets/missing-0000.js", "/static/",
             "/static/admin/"]  # fmt: skip
    with httpx.Client(base_url=proxy.http) as edge, httpx.Client(base_url=upstreams[0].http) as app:
        for path in paths:
            a, b = edge.get(path), app.get(path)
            assert a.status_code == b.status_code, (path, a.status_code, b.status_code)
            if a.status_code == 200 and not path.startswith("/admin"):
                assert a.content == b.content, path
        # the SPA's page still sets the CSRF cookie the front end sends back
        assert "csrftoken" in edge.get("/").cookies


def test_metrics_are_refused_at_the_edge_and_served_by_each_server(
    proxy: Nginx, upstreams: list[Uvicorn]
) -> None:
    for path in ("/metrics", "/metrics?x=1", "//metrics", "/%6detrics"):
        r = httpx.get(proxy.http + path)
        assert r.status_code == 403 and json_error(r)["error"] == "forbidden", path
    r = httpx.get(upstreams[0].http + "/metrics")
    assert r.status_code == 200 and "stadium_connections" in r.text


async def test_websocket_origins_are_checked_against_the_clients_host(proxy: Nginx) -> None:
    # nginx passes the Host the client sent, port included: the page's own
    # origin is accepted, another site's is refused by the server
    own = await websockets.connect(
        f"{proxy.ws}/ws/play/{UNKNOWN_PIN}/", additional_headers={"Origin": proxy.http}
    )
    await own.close()
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(
            f"{proxy.ws}/ws/play/{UNKNOWN_PIN}/",
            additional_headers={"Origin": f"http://{HOST}:{free_port()}"},
        )
    assert refused.value.response.status_code == 403


def test_slow_headers_are_cut_by_nginx(
    nginx_factory: Callable[..., Nginx], upstreams: list[Uvicorn]
) -> None:
    header_s, margin_s = 1.5, 3.0  # a deadline for nginx to act, not a measured speed
    edge = nginx_factory(
        [f"{HOST}:{upstreams[0].port}"], header_timeout=f"{int(header_s * 1000)}ms"
    )
    head = [b"GET /healthz HTTP/1.1\r\n"] + [bytes([c]) for c in b"X-Slow: " + b"a" * 200]
    result: dict[str, Any] = {}
    slow = threading.Thread(
        target=lambda: result.update(out=trickle(edge.port, head, 0.3, header_s + margin_s))
    )
    slow.start()
    try:
        # meanwhile, on another connection, a normal request goes through
        r = httpx.get(edge.http + "/healthz", timeout=10)
        assert r.status_code == 200 and r.json()["status"] == "ok", r.text
    finally:
        slow.join()
    took, got = result["out"]
    assert took >= header_s - 0.1
    # nginx sends nothing back: it logs a 408 with no byte sent and resets
    # the connection (reset_timedout_connection); no server saw the request
    assert got == b"", got[:200]
    assert re.search(r'"GET /healthz HTTP/1\.1" 408 0 [0-9.]+ upstream=- -', edge.log_text())


def test_logins_from_one_address_are_capped_at_the_edge(proxy: Nginx) -> None:
    hammer, other = loopback(), loopback()
    with client_from(hammer, proxy.http) as c:
        # no CSRF token: the server refuses each one (403) before its own
        # login limit counts anything, so every 429 here is nginx's
        got = [
            c.post("/api/auth/login", json={"username": "x", "password": "y"}) for _ in range(30)
        ]
    statuses = [r.status_code for r in got]
    assert statuses[:20] == [403] * 20, statuses  # the burst
    assert statuses[-5:] == [429] * 5, statuses
    refused = got[-1]
    assert json_error(refused)["error"] == "rate_limited"
    assert refused.headers["retry-after"] == "2"
    with client_from(other, proxy.http) as c:
        r = c.post("/api/auth/login", json={"username": "x", "password": "y"})
        assert r.status_code == 403, r.text  # another address: its own budget


def test_a_body_over_the_servers_limit_is_refused_at_the_edge(proxy: Nginx) -> None:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    head = b'{"nickname": "Ann"'
    with client_from(loopback(), proxy.http) as c:
        headers = {"Content-Type": "application/json"}
        at_limit = head + b" " * (limit - len(head) - 1) + b"}"
        r = c.post(f"/api/games/{UNKNOWN_PIN}/players", content=at_limit, headers=headers)
        assert r.status_code == 404 and json_error(r)["error"] == "unknown_game"  # the server's
        r = c.post(f"/api/games/{UNKNOWN_PIN}/players", content=at_limit + b" ", headers=headers)
        assert r.status_code == 413, r.text
        assert json_error(r) == {
            "error": "validation_error",
            "message": "the request body is too large",
        }


def probes(redis: Any, addr: str) -> int:
    """Unknown-PIN attempts the servers counted for ``addr`` (quiz/ratelimit.py)."""
    return int(redis.get(ratelimit.pin_probe().key(addr)) or 0)


def test_forwarded_headers_are_trusted_from_the_proxy_only(
    proxy: Nginx, upstreams: list[Uvicorn], sync_redis: Any
) -> None:
    through, direct = loopback(), loopback()
    forged = [loopback(), loopback()]
    proxy_before = probes(sync_redis, PROXY_ADDR)
    try:
        # through nginx, with a forged header: nginx replaces it with the
        # real address, and the server (trusting nginx's) counts that one
        with client_from(through, proxy.http) as c:
            r = c.get(f"/api/games/{UNKNOWN_PIN}", headers={"X-Forwarded-For": forged[0]})
            assert r.status_code == 404 and json_error(r)["error"] == "unknown_game"
        assert probes(sync_redis, through) == 1
        assert probes(sync_redis, forged[0]) == 0
        assert probes(sync_redis, PROXY_ADDR) == proxy_before
        # straight to a server: it trusts no one else's header
        for server in upstreams:
            with client_from(direct, server.http) as c:
                r = c.get(f"/api/games/{UNKNOWN_PIN}", headers={"X-Forwarded-For": forged[1]})
                assert r.status_code == 404
        assert probes(sync_redis, direct) == len(upstreams)
        assert probes(sync_redis, forged[1]) == 0
    finally:
        sync_redis.delete(*(ratelimit.pin_probe().key(a) for a in [through, direct, *forged]))
