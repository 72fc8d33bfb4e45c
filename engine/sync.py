"""The blocking face of the engine, for management commands and the
flusher: the same :mod:`engine.ops` operations on a redis-py client."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from . import ops
from .calls import DEFAULT_EVENTS_MAXLEN, Call, Op, knobs
from .pipeline import TRANSIENT, check, missing_scripts, queue, unavailable
from .replication import confirm_replicated
from .scripts import SCRIPTS
from .types import OpenResult, Reply

T = TypeVar("T")
RETRIES = 10  # reads and tries of an operation refused with "retry" (the game moved on)


class SyncEngine:
    def __init__(self, redis: Any, *, events_maxlen: int = DEFAULT_EVENTS_MAXLEN) -> None:
        self.redis = redis
        # Settings of every operation this engine runs (engine.calls.Knob).
        self.events_maxlen = events_maxlen
        self.knobs = knobs(events_maxlen=events_maxlen)

    def load_scripts(self) -> None:
        try:
            for s in SCRIPTS.values():
                self.redis.script_load(s.source)
        except TRANSIENT as e:
            raise unavailable(e) from e

    def call_many(self, calls: Sequence[Call]) -> list[Any]:
        try:
            pipe = self.redis.pipeline(transaction=False)
            queue(pipe, calls, self.knobs)
            results: list[Any] = pipe.execute(raise_on_error=False)
            missing = missing_scripts(results)
            if missing:
                self.load_scripts()
                pipe = self.redis.pipeline(transaction=False)
                queue(pipe, [calls[i] for i in missing], self.knobs)
                for i, r in zip(missing, pipe.execute(raise_on_error=False), strict=True):
                    results[i] = r
        except TRANSIENT as e:
            raise unavailable(e) from e
        return check(results)

    def run(self, op: Op[T]) -> T:
        return op.decode(self.call_many(op.calls))

    def confirm_replicated(
        self, *, game: str, replicas_min: int = 0, timeout_ms: int = 1000
    ) -> int:
        """See :func:`engine.replication.confirm_replicated`."""
        return confirm_replicated(
            self.redis, game, replicas_min=replicas_min, timeout_ms=timeout_ms
        )

    def question_start(self, *, game: str, question: int | None = None) -> OpenResult:
        """Blocking twin of :meth:`engine.aio.Engine.question_start`."""
        for _ in range(RETRIES):
            st = self.run(ops.game_state(game))
            if st is None:
                return OpenResult("unknown_game")
            r = self.run(ops.question_start(game, st.question, question or st.question + 1))
            if r.status != "retry":
                return r
        return OpenResult("retry")

    def end_game(self, *, game: str) -> Reply:
        for _ in range(RETRIES):
            st = self.run(ops.game_state(game))
            if st is None:
                return Reply("unknown_game")
            r = self.run(ops.end_game(game, st.question))
            if r.status != "retry":
                return r
        return Reply("retry")
