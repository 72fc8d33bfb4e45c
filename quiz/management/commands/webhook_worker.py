"""``manage.py webhook_worker``: POST the games' webhook events from the
Redis stream ``webhooks:out`` (quiz/webhooks/worker.py; started by
scripts/run.sh and docker-compose.yml beside the flusher)."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from quiz.redis import redis_async
from quiz.webhooks.worker import Worker


class Command(BaseCommand):
    help = "Deliver webhook events (consumer group on webhooks:out), with retries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--consumer", help="consumer name (default: host-pid)")
        parser.add_argument("--concurrency", type=int, default=64, help="events in flight")
        parser.add_argument(
            "--claim-idle",
            type=float,
            default=120.0,
            help="seconds before another consumer's pending entry is taken over",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        def say(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        # the worker says every attempt itself; httpx's per-request line is noise
        logging.getLogger("httpx").setLevel(logging.WARNING)

        async def main() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            redis = redis_async()
            worker = Worker(
                redis,
                consumer=opts["consumer"],
                concurrency=opts["concurrency"],
                claim_idle_s=opts["claim_idle"],
                say=say,
            )
            try:
                await worker.run(stop)
            finally:
                await redis.aclose()

        asyncio.run(main())
