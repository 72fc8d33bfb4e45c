"""The async engine: runs :mod:`engine.ops` operations on a redis.asyncio
client, micro-batches answer submissions and reads the event stream.

Usage::

    eng = Engine(redis.asyncio.Redis.from_url(url))
    await eng.run(ops.create_game(game, questions, settings))
    res = await eng.submit_answer(game=game, player=7, question=1, choices=[2])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from . import keys, ops
from .answer_pipe import AnswerPipe
from .batching import AnswerBatcher, Observer
from .calls import DEFAULT_EVENTS_MAXLEN, knobs
from .errors import EngineUnavailable
from .kinds import AnswerArg
from .ops import Call, Op
from .pipeline import TRANSIENT, check, missing_scripts, queue, unavailable
from .replication import ReplicaWait, check_waits, queue_waits
from .scripts import SCRIPTS
from .types import AnswerResult, Event, OpenResult, Reply

T = TypeVar("T")
RETRIES = 10  # reads and tries of an operation refused with "retry" (the game moved on)


class Engine:
    def __init__(
        self,
        redis: Any,
        *,
        events_maxlen: int = DEFAULT_EVENTS_MAXLEN,
        batch_max: int = 512,
        batch_in_flight: int = 2,
        batching: bool = True,
        batch_observer: Observer | None = None,
        replica_wait: ReplicaWait | None = None,
        batch_script: bool = True,
        batch_per_call: int = 64,
    ) -> None:
        self.redis = redis
        # Answers acknowledged only once replicas have them (engine.replication);
        # they then go through the generic batcher, which can add the WAIT.
        self.replica_wait = replica_wait if replica_wait and replica_wait.replicas > 0 else None
        # Settings of every operation this engine runs (engine.calls.Knob).
        self.events_maxlen = events_maxlen
        self.knobs = knobs(events_maxlen=events_maxlen)
        # Micro-batching: the raw pipe where the client allows it, else the
        # generic batcher over redis-py pipelines (e.g. on Redis Cluster). A
        # caller may also set ``batcher`` itself; a set batcher takes precedence.
        self.pipe: AnswerPipe | None = None
        self.batcher: AnswerBatcher | None = None
        if batching and self.replica_wait is None and AnswerPipe.supported(redis):
            # batch_script: one submit_batch call per (game, question) per
            # batch; False: one submit_answer call per answer (the benchmark's
            # reference)
            self.pipe = AnswerPipe(
                redis, max_batch=batch_max, max_in_flight=batch_in_flight,
                observer=batch_observer, batch_script=batch_script, per_call=batch_per_call,
            )  # fmt: skip
        elif batching:
            self.batcher = AnswerBatcher(
                self.call_answers,
                max_batch=batch_max,
                max_in_flight=batch_in_flight,
                observer=batch_observer,
                batch_script=batch_script,
            )

    async def aclose(self) -> None:
        """Close the answer pipe's connection (the client is the caller's)."""
        if self.pipe is not None:
            await self.pipe.aclose()

    async def load_scripts(self) -> None:
        try:
            for s in SCRIPTS.values():
                await self.redis.script_load(s.source)
        except TRANSIENT as e:
            raise unavailable(e) from e

    async def call_many(self, calls: Sequence[Call], *, replicated: bool = False) -> list[Any]:
        """Run calls in one pipeline; reload scripts and re-run only the calls
        refused with NOSCRIPT (they never ran). ``replicated`` (with
        ``replica_wait`` set): the replies only once replicas confirmed them,
        the first pass's writes and the re-run's alike."""
        wait = self.replica_wait if replicated else None
        n = len(calls)
        confirmations: list[Any] = []
        try:
            if wait and hasattr(self.redis, "initialize"):
                await self.redis.initialize()  # the slot map WAIT routing reads (once)
            pipe = self.redis.pipeline(transaction=False)
            queue(pipe, calls, self.knobs)
            if wait:
                queue_waits(pipe, self.redis, calls, wait)
            results: list[Any] = await pipe.execute(raise_on_error=False)
            confirmations += results[n:]
            results = results[:n]
            missing = missing_scripts(results)
            if missing:
                await self.load_scripts()
                redo = [calls[i] for i in missing]
                pipe = self.redis.pipeline(transaction=False)
                queue(pipe, redo, self.knobs)
                if wait:
                    queue_waits(pipe, self.redis, redo, wait)
                again = await pipe.execute(raise_on_error=False)
                confirmations += again[len(redo) :]
                for i, r in zip(missing, again[: len(redo)], strict=True):
                    results[i] = r
        except TRANSIENT as e:
            raise unavailable(e) from e
        if wait:
            check_waits(confirmations, wait)
        return check(results)

    async def call_answers(self, calls: Sequence[Call]) -> list[Any]:
        """The batcher's sender: answers, replicated when the engine says so."""
        return await self.call_many(calls, replicated=True)

    async def run(self, op: Op[T]) -> T:
        return op.decode(await self.call_many(op.calls))

    async def submit_answer(
        self,
        *,
        game: str,
        player: int,
        question: int,
        choices: Sequence[int] = (),
        answer: AnswerArg | None = None,
    ) -> AnswerResult:
        """``answer``: checked by engine.kinds.answer_arg; ``choices``
        alone stands for a choice answer."""
        checked = ops.answer_of(choices if answer is None else answer)
        if self.batcher is None and self.pipe is not None:
            raw = await self.pipe.submit(
                game=game, player=player, question=question, answer=checked,
                maxlen=self.events_maxlen,
            )  # fmt: skip
            return ops.decode_answer(raw)
        call = ops.submit_call(game, player, question, checked)
        if self.batcher is None:
            return ops.decode_answer((await self.call_many([call]))[0])
        return ops.decode_answer(await self.batcher.submit(call))

    async def question_start(self, *, game: str, question: int | None = None) -> OpenResult:
        """Open ``question`` (None: the one after the current), closing the
        open one in the same step (ops.question_start, retried while the
        game moves on under it)."""
        for _ in range(RETRIES):
            st = await self.run(ops.game_state(game))
            if st is None:
                return OpenResult("unknown_game")
            r = await self.run(ops.question_start(game, st.question, question or st.question + 1))
            if r.status != "retry":
                return r
        return OpenResult("retry")

    async def end_game(self, *, game: str) -> Reply:
        for _ in range(RETRIES):
            st = await self.run(ops.game_state(game))
            if st is None:
                return Reply("unknown_game")
            r = await self.run(ops.end_game(game, st.question))
            if r.status != "retry":
                return r
        return Reply("retry")

    async def read_events(
        self, *, game: str, after: str, block_ms: int = 0, count: int = 10_000, redis: Any = None
    ) -> list[Event]:
        """Events after stream id ``after`` (``"$"``: only new ones). Pass a
        dedicated client as ``redis`` when blocking, so a blocked read does
        not hold a pooled connection other callers need."""
        client = redis or self.redis
        try:
            reply = await client.xread(
                {keys.events(game): after}, count=count, block=block_ms or None
            )
        except TRANSIENT as e:
            raise unavailable(e) from e
        return decode_events(reply)

    async def last_event_id(self, *, game: str) -> str:
        try:
            r = await self.redis.xrevrange(keys.events(game), count=1)
        except TRANSIENT as e:
            raise unavailable(e) from e
        return _s(r[0][0]) if r else "0-0"


def _s(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


def decode_events(reply: Any) -> list[Event]:
    out: list[Event] = []
    if not reply:
        return out
    # RESP2 gives [[stream, entries]]; RESP3 gives {stream: [entries]}.
    streams = reply.items() if isinstance(reply, dict) else reply
    for _stream, entries in streams:
        for eid, fields in entries:
            f = {_s(k): _s(v) for k, v in fields.items()}
            out.append(Event(_s(eid), f.get("t", ""), f))
    return out


__all__ = ["Engine", "EngineUnavailable", "decode_events"]
