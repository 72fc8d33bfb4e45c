"""A burst of host requests leaves the server holding at most its pool's
connections to PostgreSQL (Django's per-thread persistent connections under
ASGI leaked one per request thread)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from .conftest import db_url, host_session
from .hosts import (
    DOC,
    app_name,
    burst,
    games_cleanup,
    held_connections,
    host_create,
    mixed_host_request,
)

pytestmark = pytest.mark.django_db(transaction=True)

POOL_MAX = 8


@pytest.fixture
def cleanup() -> Iterator[None]:
    yield
    games_cleanup()


def test_host_burst_holds_at_most_the_pool(server_factory, cleanup):
    host_create("pool-host", "pool-pw")
    name = app_name()
    url = db_url()
    server = server_factory(
        {"DATABASE_URL": f"{url}?application_name={name}", "STADIUM_DB_POOL_MAX": str(POOL_MAX)}
    )
    c = host_session(server.http, "pool-host", "pool-pw")
    quiz_id = c.post("/api/quizzes", json=DOC).json()["id"]
    pin = c.post("/api/games", json={"quiz": quiz_id}).json()["pin"]
    c.close()

    results = burst(
        server.http, "pool-host", "pool-pw", clients=20, requests=500,
        pick=mixed_host_request(quiz_id, pin),
    )  # fmt: skip
    statuses = Counter(status for status, _ in results)
    assert len(results) == 500
    # 409: results of a game that is not over (still a PostgreSQL read)
    assert set(statuses) <= {200, 201, 409}, statuses
    held = held_connections(url, name)
    assert 0 < held <= POOL_MAX, f"the server holds {held} connections (pool max {POOL_MAX})"
