"""Micro-batching of answer submissions.

Answers that arrive together in one process go to Redis together: every
submission made while the event loop runs one iteration joins one write,
bounded by ``max_batch``. No timer delays a lone answer: a batch is sent on
the next loop iteration, so at low load an answer costs one round trip and at
high load a round trip carries hundreds, which is why throughput grows with
load instead of collapsing.

Two implementations, the same contract (each caller gets its own reply):

- :class:`AnswerPipe`, the fast path: one dedicated connection borrowed from
  the client's pool (so AUTH, SELECT, TLS and RESP3 are redis-py's), the
  EVALSHA commands packed from pre-encoded bytes (the keys of a
  (game, question) never change), replies parsed by hiredis and matched to
  callers in order. Up to ``max_batch * max_in_flight`` answers are on the
  wire at once, so Redis always has the next batch queued while Python
  builds the one after. A plain redis-py pipeline spends most of its time
  encoding arguments and building per-command objects; this path does not.
- :class:`AnswerBatcher`, the generic path over any sender of
  :class:`engine.ops.Call` lists (a redis-py pipeline), used on clients the
  pipe cannot borrow a plain connection from (Redis Cluster).

With ``batch_script`` (the :class:`engine.aio.Engine` default), both send
a batch's answers to one question as ``submit_batch`` calls
(``engine/lua/submit_batch.lua``; the pipe ``per_call`` answers a call, the
generic batcher up to ``ops.SUBMIT_BATCH_MAX``); without, one
``submit_answer`` call each (the path before submit_batch). Both
reload scripts on NOSCRIPT and re-send only the refused calls: a call
refused with NOSCRIPT never ran, so re-sending it is exact.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from .ops import Call, submit_regrouped

log = logging.getLogger(__name__)

Sender = Callable[[Sequence[Call]], Awaitable[list[Any]]]
Observer = Callable[[int], None]


class AnswerBatcher:
    def __init__(
        self,
        send: Sender,
        *,
        max_batch: int = 512,
        max_in_flight: int = 2,
        observer: Observer | None = None,
        batch_script: bool = False,
    ) -> None:
        self._send = send
        # batch_script: the batch's submit_answer calls sent as submit_batch
        # calls (engine.ops.submit_regrouped), one per (game, question)
        self.batch_script = batch_script
        self._observer = observer
        self.max_batch = max_batch
        self.max_in_flight = max_in_flight
        self._pending: list[tuple[Call, asyncio.Future[Any]]] = []
        self._in_flight = 0
        self._scheduled = False
        self.batches = 0  # counters for metrics and the benchmark
        self.submitted = 0

    def submit(self, call: Call) -> asyncio.Future[Any]:
        """Queue one call; the future resolves to its raw reply."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[Any] = loop.create_future()
        self._pending.append((call, fut))
        if len(self._pending) >= self.max_batch:
            self._dispatch()
        elif not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._dispatch)
        return fut

    def _dispatch(self) -> None:
        self._scheduled = False
        while self._pending and self._in_flight < self.max_in_flight:
            batch = self._pending[: self.max_batch]
            del self._pending[: self.max_batch]
            self._in_flight += 1
            asyncio.ensure_future(self._run(batch))

    async def _run(self, batch: list[tuple[Call, asyncio.Future[Any]]]) -> None:
        if self._observer is not None:
            self._observer(len(batch))
        try:
            calls = [c for c, _ in batch]
            if self.batch_script:
                regrouped, split = submit_regrouped(calls)
                results = split(await self._send(regrouped))
            else:
                results = await self._send(calls)
        except Exception as e:  # every caller of the batch gets the failure
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(e)
        else:
            self.batches += 1
            self.submitted += len(batch)
            for (_, fut), r in zip(batch, results, strict=True):
                if not fut.done():
                    fut.set_result(r)
        finally:
            self._in_flight -= 1
            if self._pending:
                self._dispatch()
