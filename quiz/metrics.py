"""Prometheus metrics of Stadium and the ``/metrics`` view.

Every metric object lives here; the code that observes an event imports it
and increments it (``from quiz import metrics``; ``metrics.JOINS.labels("ok")
.inc()``). Who increments what:

================================  =========  ====================================
metric                            type       incremented by
================================  =========  ====================================
stadium_connections{kind}         gauge      sockets consumers: +1 after a valid
                                             hello, -1 on disconnect; kind is
                                             play, host or screen
stadium_answers_accepted_total    counter    sockets, on an answer the engine
                                             accepted (status ok)
stadium_answers_refused_total     counter    sockets, on a refused answer;
  {reason}                                   reason is the error code
                                             (too_late, already_answered, ...)
stadium_tick_build_seconds        histogram  the relay: reading Redis and
                                             building one tick's frames
stadium_tick_fanout_seconds       histogram  the relay: handing one tick's
                                             frames to the local sockets
stadium_relay_lag_seconds         histogram  the relay: now minus the time of
                                             the newest stream event in a tick
stadium_answer_batch_size         histogram  quiz.redis: answers per micro-batch
                                             pipeline sent to Redis
stadium_flush_rows_total{table}   counter    flush_scores: rows written, table is
                                             scores or answers
stadium_flush_lag_seconds         gauge      flush_scores: age of the oldest
                                             change a run wrote
stadium_flush_seconds             histogram  flush_scores: duration of one run
stadium_flush_failures_total      counter    flush_scores: runs that failed and
                                             will be retried (PostgreSQL down)
stadium_joins_total{result}       counter    the HTTP join endpoint: result is ok
                                             or the error code (game_full, ...)
================================  =========  ====================================

Several worker processes: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty,
writable directory (cleared at start) before the processes start; each then
writes its values there and ``/metrics`` sums them over the processes. Without
it, ``/metrics`` shows only the process that answers the scrape. A separate
process (the flusher in its own container) exposes its own metrics with
:func:`serve_exporter` on ``STADIUM_METRICS_PORT``.
"""

from __future__ import annotations

import glob
import os

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

# Sub-millisecond to seconds: ticks and fan-outs are short, lag can be long.
_FAST = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
# finer where the ack's 250 ms target is
ANSWER_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.5, 1.0, 2.5)
_LAG = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)

CONNECTIONS = Gauge(
    "stadium_connections",
    "Open authenticated WebSocket connections.",
    ["kind"],
    multiprocess_mode="livesum",  # a dead worker's sockets are gone
)
ANSWERS_ACCEPTED = Counter("stadium_answers_accepted", "Answers accepted and scored.")
ANSWERS_REFUSED = Counter("stadium_answers_refused", "Answers refused, by reason.", ["reason"])
TICK_BUILD = Histogram(
    "stadium_tick_build_seconds", "Time to build one leaderboard tick.", buckets=_FAST
)
TICK_FANOUT = Histogram(
    "stadium_tick_fanout_seconds", "Time to fan one tick out to local sockets.", buckets=_FAST
)
ANSWER_SECONDS = Histogram(
    "stadium_answer_seconds",
    "An accepted answer, from its frame read off the socket to its ack queued: the "
    "server's share of the ack's latency (the wait for the event loop, the micro-batch "
    "and the Redis call included).",
    buckets=ANSWER_BUCKETS,
)
RELAY_LAG = Histogram(
    "stadium_relay_lag_seconds", "Event written to Redis until its tick is sent.", buckets=_LAG
)
ANSWER_BATCH_SIZE = Histogram(
    "stadium_answer_batch_size",
    "Answers per micro-batch write (the answer pipe: per submit_batch call).",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024),
)
FLUSH_ROWS = Counter("stadium_flush_rows", "Rows written by the flusher.", ["table"])
FLUSH_LAG = Gauge(
    "stadium_flush_lag_seconds",
    "Age of the oldest change written by the last flush.",
    multiprocess_mode="mostrecent",
)
FLUSH_SECONDS = Histogram("stadium_flush_seconds", "Duration of one flush run.", buckets=_LAG)
FLUSH_FAILURES = Counter("stadium_flush_failures", "Flush runs that failed (retried).")
JOINS = Counter("stadium_joins", "HTTP join requests, by result.", ["result"])


def registry() -> CollectorRegistry:
    """The registry to expose: every process's values in multi-process mode."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        return REGISTRY
    _reap_dead(path)
    reg = CollectorRegistry()
    # prometheus_client leaves these two multiprocess functions unannotated
    multiprocess.MultiProcessCollector(reg)  # type: ignore[no-untyped-call]
    return reg


def _reap_dead(path: str) -> None:
    """Drop the live gauges of worker processes that died (uvicorn restarts
    them without telling prometheus_client), so their sockets stop counting."""
    for f in glob.glob(os.path.join(path, "gauge_live*_*.db")):
        pid = int(f.rsplit("_", 1)[1][:-3])
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, path)  # type: ignore[no-untyped-call]  # unannotated in prometheus_client
        except PermissionError:
            pass  # alive, owned by another user


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``GET /metrics``: Prometheus text format. Restrict it at the proxy."""
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


def serve_exporter() -> int:
    """Serve this process's metrics on ``STADIUM_METRICS_PORT`` (0: off), for
    processes outside the web server such as ``flush_scores --loop``."""
    port = int(settings.STADIUM.get("METRICS_PORT", 0))
    if port:
        start_http_server(port, registry=registry())
    return port
