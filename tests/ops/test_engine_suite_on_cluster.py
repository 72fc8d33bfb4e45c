"""The whole engine test suite (tests/engine), run again against the real
3-node Redis Cluster: a pytest subprocess with REDIS_URL=redis+cluster://...,
whose fixtures build RedisCluster clients through quiz.redis.client_from_url.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Needs a plain Redis by design: the raw answer pipe borrows one connection
# from a plain pool; on a cluster the engine uses the generic batcher, which
# the [batcher] variant of the same test covers.
PLAIN_ONLY = ["tests/engine/test_concurrency.py::test_200_racing_submitters_one_answer_each[pipe]"]


def own_database() -> str:
    """The database URL with another name, so that a test database the
    nested run might create never collides with this session's."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stadium")
    base, _, name = url.partition("?")[0].rpartition("/")
    return f"{base}/{name}_cluster"


def test_engine_suite_passes_on_the_cluster(cluster_url: str) -> None:
    deselect = [arg for t in PLAIN_ONLY for arg in ("--deselect", t)]
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/engine", "-q", *deselect],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": cluster_url, "DATABASE_URL": own_database()},
        capture_output=True,
        text=True,
    )
    tail = "\n".join(r.stdout.splitlines()[-25:])
    assert r.returncode == 0, tail
    assert " passed" in tail and "failed" not in tail
