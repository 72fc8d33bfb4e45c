"""The shipped nginx config (deploy/nginx/stadium.conf.template): ``nginx -t``
passes on it as the tests render it, its edge limits are the server's own,
and docs/operations.md gives the values it has. (docker-compose.yml runs the
same file: tests/ops/test_compose.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from testkit.nginx import Nginx, loopback_values, render
from testkit.serve import ROOT, production_args

OPERATIONS = ROOT / "docs" / "operations.md"


# as the tests render it (two servers); no nginx is needed to read it
TEXT = render(
    loopback_values(8080, ["127.0.0.1:8001", "127.0.0.1:8002"], ROOT / "staticfiles", ROOT)
)


def block(text: str, opening: str) -> str:
    """The body of the block that starts with ``opening`` (``location /ws/ {``)."""
    start = text.index(opening) + len(opening)
    depth, i = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return text[start : i - 1]


def directives(text: str, name: str) -> list[str]:
    """The arguments of every ``name ...;`` line in ``text`` (comments skipped)."""
    return [
        m.group(1).strip() for m in re.finditer(rf"^\s*{re.escape(name)}\s+([^;#]*);", text, re.M)
    ]


def proxy_section() -> str:
    m = re.search(r"^## The proxy \(nginx\)\n(.*?)(?=^## |\Z)", OPERATIONS.read_text(), re.S | re.M)
    assert m, "docs/operations.md has no '## The proxy (nginx)' section"
    return m.group(1)


def test_nginx_t_passes_on_the_shipped_config(nginx_bin: str) -> None:
    # the static directory needs not exist for nginx -t
    n = Nginx(["127.0.0.1:1", "127.0.0.1:2"], ROOT / "staticfiles")
    try:
        out = n.check()
    finally:
        n.destroy()
    assert out.returncode == 0, out.stderr
    assert "syntax is ok" in out.stderr and "test is successful" in out.stderr, out.stderr


def test_the_edge_deadlines_and_sizes_are_the_servers() -> None:
    text, stadium = TEXT, settings.STADIUM
    # the value docker-compose.yml gives is checked by tests/ops/test_compose.py
    assert directives(text, "client_header_timeout") == [f"{stadium['HTTP_HEADER_TIMEOUT_S']:g}s"]
    assert directives(text, "client_body_timeout") == [f"{stadium['HTTP_BODY_TIMEOUT_S']:g}s"]
    assert directives(text, "client_max_body_size") == [str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)]
    # nginx drops a kept-alive connection to a server before the server does
    upstream = block(text, "upstream stadium_web {")
    assert directives(upstream, "keepalive_timeout") == ["4s"]
    assert "--timeout-keep-alive" not in production_args()  # uvicorn's default, 5 s


def test_websockets_outlive_a_quiet_minute_as_documented() -> None:
    ws = block(TEXT, "location /ws/ {")
    for name in ("proxy_read_timeout", "proxy_send_timeout", "send_timeout"):
        assert directives(ws, name) == ["300s"], name
        assert f"`{name} 300s`" in proxy_section(), name
    assert directives(ws, "proxy_set_header")[-2:] == [
        "Upgrade $http_upgrade",
        "Connection $connection_upgrade",
    ]
    assert directives(ws, "proxy_buffering") == ["off"]
    # what keeps a quiet socket alive: uvicorn's pings (every 20 s by
    # default; the server command does not turn them off)
    assert "--ws-ping-interval" not in production_args()


@pytest.mark.parametrize("zone", ["stadium_login", "stadium_join"])
def test_every_edge_rate_limit_is_documented(zone: str) -> None:
    text, section = TEXT, proxy_section()
    [rate] = [z for z in directives(text, "limit_req_zone") if f"zone={zone}:" in z]
    bursts = {b for b in directives(text, "limit_req") if b.startswith(f"zone={zone} ")}
    assert len(bursts) == 1, bursts  # one burst per zone wherever it is used
    rate_value = rate.split("rate=")[1]
    burst_value = next(iter(bursts)).split("burst=")[1].split()[0]
    row = next((ln for ln in section.splitlines() if f"`{zone}`" in ln), "")
    assert f"`rate={rate_value}`" in row and f"`burst={burst_value}`" in row, row
    assert directives(text, "limit_req_status") == ["429"]


def test_the_connection_cap_is_documented() -> None:
    [cap] = directives(TEXT, "limit_conn")
    assert f"`limit_conn {cap}`" in proxy_section()


def test_the_processes_table_has_nginx() -> None:
    text = OPERATIONS.read_text()
    table = text.split("## The processes", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"^\| nginx \(the front proxy\) \|", table, re.M), table
    assert Path("deploy/nginx/stadium.conf.template").as_posix() in table
