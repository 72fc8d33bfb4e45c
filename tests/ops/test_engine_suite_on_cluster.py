"""The whole engine test suite (tests/engine), run again against the real
3-node Redis Cluster: a pytest subprocess with REDIS_URL=redis+cluster://...,
without Django as ``make test`` runs it, whose fixtures build RedisCluster
clients through testkit.redis_client.
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
# as the Makefile's test target runs it
ENGINE_SUITE = ["-p", "no:django", "-W", "ignore:Unknown config option:pytest.PytestConfigWarning",
                "tests/engine"]  # fmt: skip
# The answer pipe's own batching test (calls per loop turn) is plain-Redis
# only too; the cluster's regrouped batches have their test in test_batch.py.
PLAIN_ONLY = [
    "tests/engine/test_concurrency.py::test_200_racing_submitters_one_answer_each[pipe]",
    "tests/engine/test_batch.py::test_the_engine_sends_concurrent_answers_as_batches",
]


def test_engine_suite_passes_on_the_cluster(cluster_url: str) -> None:
    deselect = [arg for t in PLAIN_ONLY for arg in ("--deselect", t)]
    r = subprocess.run(
        [sys.executable, "-m", "pytest", *ENGINE_SUITE, "-q", *deselect],
        cwd=ROOT,
        env={**without_django(), "REDIS_URL": cluster_url},
        capture_output=True,
        text=True,
    )
    tail = "\n".join(r.stdout.splitlines()[-25:])
    assert r.returncode == 0, tail
    assert " passed" in tail and "failed" not in tail


def without_django() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
