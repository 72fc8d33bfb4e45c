"""The flush worker (``manage.py flush_scores --loop``): a pass every
``interval`` seconds, its metrics, and backoff while a store is down.

While PostgreSQL or Redis is down the game goes on in Redis; the worker
retries with exponential backoff, capped, and catches up when it is back.
"""

from __future__ import annotations

import contextlib
import time

from django.db import DatabaseError, connection
from redis.exceptions import RedisError

from engine import EngineError
from quiz import metrics

from .errors import FlushError
from .one_pass import flush_all
from .result import FlushResult, Progress, quiet

BACKOFF_CAP_S = 30.0

# EngineError: an error reply (a script lost with a Redis restart
# mid-flush) is retried like a lost connection.
TRANSIENT = (DatabaseError, RedisError, EngineError, FlushError)


def _first_line(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def _observe(results: list[FlushResult], took: float) -> None:
    metrics.FLUSH_SECONDS.observe(took)
    metrics.FLUSH_LAG.set(max((x.lag_s for x in results), default=0.0))
    metrics.FLUSH_ROWS.labels("scores").inc(sum(x.scores + x.ranks for x in results))
    metrics.FLUSH_ROWS.labels("answers").inc(sum(x.answers for x in results))
    metrics.FLUSH_ROWS.labels("players").inc(sum(x.players for x in results))


def flush_loop(
    *, interval: float, only: str | None = None, progress: Progress = quiet, passes: int = 0
) -> None:
    """Flush every ``interval`` seconds (forever, or ``passes`` times)."""
    failures = 0
    done = 0
    while not passes or done < passes:
        t0 = time.perf_counter()
        try:
            results = flush_all(only=only, progress=progress)
        except TRANSIENT as e:
            failures += 1
            metrics.FLUSH_FAILURES.inc()
            delay = min(interval * 2 ** (failures - 1), BACKOFF_CAP_S)
            progress(
                f"flush failed ({type(e).__name__}: {_first_line(e)}); "
                f"retry {failures} in {delay:.1f}s"
            )
            with contextlib.suppress(DatabaseError):
                connection.close()  # a fresh connection next time
            time.sleep(delay)
            continue
        if failures:
            progress(f"flush recovered after {failures} failed attempts")
        failures = 0
        done += 1
        took = time.perf_counter() - t0
        _observe(results, took)
        rows = sum(x.rows for x in results)
        if rows:
            lag = max(x.lag_s for x in results)
            progress(
                f"pass {done}: {len(results)} games, {rows} rows in {took:.3f}s, lag {lag:.2f}s"
            )
        time.sleep(max(0.0, interval - took))
