"""The load test's line on the server's own time per answer, read from the
``stadium_answer_seconds`` histogram of a /metrics page."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Histogram, generate_latest

from loadtest.summary import server_answer_line
from quiz.metrics import ANSWER_BUCKETS


def page(samples: list[float]) -> str:
    registry = CollectorRegistry()
    h = Histogram("stadium_answer_seconds", "x", registry=registry, buckets=ANSWER_BUCKETS)
    for s in samples:
        h.observe(s)
    return generate_latest(registry).decode()


def test_p50_and_p99_are_the_bucket_bounds() -> None:
    line = server_answer_line(page([0.003] * 97 + [0.12] * 3))
    assert line == (
        "server, answer frame read to ack queued (stadium_answer_seconds, 100 answers): "
        "p50 <= 5 ms, p99 <= 150 ms"
    )


def test_beyond_the_last_bucket_and_no_answers() -> None:
    line = server_answer_line(page([0.003] * 50 + [3.0] * 50))
    assert line is not None and line.endswith("p50 <= 5 ms, p99 > 2,500 ms"), line
    assert server_answer_line(page([])) is None
    assert server_answer_line("") is None
