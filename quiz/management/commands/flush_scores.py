"""``manage.py flush_scores``: copy what changed in Redis to PostgreSQL, once
or ``--loop`` every ``--interval`` seconds (the worker ``make run`` and
docker-compose start). See :mod:`quiz.flush` and docs/persistence.md."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from quiz import metrics
from quiz.flush import flush_all, flush_loop


class Command(BaseCommand):
    help = "Flush live games' players, answers, scores and state from Redis to PostgreSQL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep flushing until stopped")
        parser.add_argument(
            "--interval",
            type=float,
            default=settings.STADIUM["FLUSH_INTERVAL_S"],
            help="seconds between passes with --loop (default: STADIUM_FLUSH_INTERVAL_S)",
        )
        parser.add_argument("--game", help="only this game id")

    def handle(self, *args: Any, **opts: Any) -> None:
        def say(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        if opts["loop"]:
            port = metrics.serve_exporter()  # off (0) unless STADIUM_METRICS_PORT is set
            say(
                f"flush worker: every {opts['interval']}s"
                + (f", metrics on :{port}" if port else "")
            )
            flush_loop(interval=opts["interval"], only=opts["game"], progress=say)
            return
        t0 = time.perf_counter()
        results = flush_all(only=opts["game"], progress=say)
        rows = sum(r.rows for r in results)
        lag = max((r.lag_s for r in results), default=0.0)
        say(
            f"summary: {len(results)} games, {rows} rows in {time.perf_counter() - t0:.3f}s, "
            f"lag {lag:.2f}s"
        )
