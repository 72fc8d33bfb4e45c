"""The fast micro-batching path: the answers of one event-loop iteration
scored by one ``submit_batch`` call per (game, question), pipelined on one
dedicated connection (:class:`AnswerPipe`).

One connection borrowed from the client's pool (so AUTH, SELECT, TLS and
RESP3 are redis-py's), the EVALSHA commands packed from pre-encoded bytes
(the keys of a (game, question) never change; the arguments of a choice
answer repeat), replies parsed by hiredis and handed to callers in order:
a batch's reply is a list of per-answer replies. With ``batch_script=False``
each answer is its own ``submit_answer`` call, pipelined the same way (the
path before submit_batch, kept as the benchmark's reference). :meth:`AnswerPipe.supported`
checks at construction what the pipe relies on (redis-py's stream reader
and writer, its hiredis parser); a client without them gets the generic
:class:`engine.batching.AnswerBatcher` instead. The contract both keep is
in :mod:`engine.batching`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from typing import Any

import hiredis

from . import ops
from .batching import Observer
from .errors import EngineError, EngineUnavailable
from .kinds import AnswerArg
from .pipeline import TRANSIENT, unavailable
from .scripts import SCRIPTS

HiredisParser: type | None
try:
    from redis._parsers.hiredis import _AsyncHiredisParser as HiredisParser
except ImportError:  # a redis-py that moved or dropped it: the pipe stays off
    HiredisParser = None

log = logging.getLogger(__name__)


def _unusable(pool: Any) -> str:
    """What a connection of ``pool`` lacks for the pipe ('' when nothing):
    the stream reader and writer it reads and writes raw RESP on, its
    socket timeout, and redis-py's hiredis parser (the pipe parses replies
    with hiredis too, and was only measured against that set-up)."""
    try:
        conn = pool.connection_class(**pool.connection_kwargs)  # no I/O before connect()
    except Exception as e:
        return f"cannot make a connection of the pool: {e!r}"
    missing = [a for a in ("_reader", "_writer", "socket_timeout") if not hasattr(conn, a)]
    if missing:
        return f"{type(conn).__name__} has no {', '.join(missing)}"
    parser = getattr(conn, "_parser", None)
    if HiredisParser is None or not isinstance(parser, HiredisParser):
        return f"redis-py parses with {type(parser).__name__}, not hiredis"
    return ""


def _bulk(v: bytes) -> bytes:
    return b"$%d\r\n%s\r\n" % (len(v), v)


def _arg(v: Any) -> bytes:
    return v if isinstance(v, bytes) else str(v).encode()


# One queued answer: its group (game, question, maxlen), its packed part
# (the whole command without batching) and its caller.
_Queued = tuple[tuple[str, int, int], bytes, "asyncio.Future[Any]"]
# One sent command: its bytes, its callers (one per answer; a batch's reply
# is a list, one reply each), NOSCRIPT retries, whether it is a batch.
_Sent = tuple[bytes, list["asyncio.Future[Any]"], int, bool]


class AnswerPipe:
    """Micro-batched answers on one dedicated connection: one
    ``submit_batch`` call per (game, question) per batch (or, with
    ``batch_script=False``, one ``submit_answer`` call per answer)."""

    _CACHE_MAX = 4096
    # Between two submit_batch calls sent while none came back: long enough
    # for Redis to have read the first alone (it wakes in tens of µs), short
    # against a call's own time (64 answers: about 1 ms).
    STAGGER_S = 0.0002

    def __init__(
        self,
        redis: Any,
        *,
        max_batch: int = 512,
        max_in_flight: int = 2,
        observer: Observer | None = None,
        batch_script: bool = True,
        per_call: int = 64,
    ) -> None:
        self._redis = redis
        # Answers per submit_batch call: small enough that Redis replies to
        # the first call of a batch while it scores the next (the callers it
        # answered submit again meanwhile), large enough that the call's own
        # cost (reading the game and question, TIME, the summed writes)
        # spreads thin: bench/profile_answer.py measures 64 and 512 per call
        # within 2% of each other per answer.
        self.per_call = max(1, min(per_call, ops.SUBMIT_BATCH_MAX))
        self.max_batch = max_batch
        self.max_on_wire = self.max_batch * max_in_flight
        self.max_calls = max_in_flight  # submit_batch calls on the wire at once
        self.observer = observer
        self.batch_script = batch_script
        self._script = SCRIPTS["submit_batch" if batch_script else "submit_answer"]
        self._conn: Any = None
        self._writer: Any = None
        self._task: asyncio.Task[None] | None = None
        self._connecting: asyncio.Lock | None = None
        self._unsent: list[_Queued] = []
        self._sent: deque[_Sent] = deque()
        self._on_wire = 0  # answers sent and not yet replied to
        self._calls_on_wire = 0  # submit_batch calls sent and not yet replied to
        self._scheduled = False
        self._retry: list[_Sent] = []
        self._heads: dict[tuple[str, int, int], bytes] = {}
        self._tails: dict[Any, bytes] = {}
        self.batches = 0  # counters for metrics and the benchmark
        self.submitted = 0
        self.calls = 0  # script calls sent (fewer than answers when batched)
        self.calls_peak = 0  # most submit_batch calls on the wire at once

    @staticmethod
    def supported(redis: Any) -> bool:
        """Whether ``redis`` is a plain redis.asyncio client (not a cluster)
        whose pool lends connections the pipe can drive. A plain client whose
        connections are not what the pipe relies on (redis-py internals that
        a new release may change) is refused with a logged warning, and the
        engine takes the generic path."""
        from redis.asyncio.connection import ConnectionPool

        pool = getattr(redis, "connection_pool", None)
        if not isinstance(pool, ConnectionPool):
            return False  # a cluster client: the generic path, by design
        problem = _unusable(pool)
        if problem:
            log.warning("answer pipe off, answers go through redis-py pipelines: %s", problem)
            return False
        return True

    def _part(self, player: int, answer: AnswerArg) -> bytes:
        """One answer's four arguments of a submit_batch call. A choice
        answer's last three (choices, recorded value, text flag) repeat
        across players: cached."""
        tkey = (answer.arg, answer.shown) if answer.choices_only else None
        tail = self._tails.get(tkey) if tkey else None
        if tail is None:
            tail = b"".join(_bulk(_arg(a)) for a in ops.submit_batch_argv(0, answer)[1:])
            if tkey:
                if len(self._tails) >= self._CACHE_MAX:
                    self._tails.clear()
                self._tails[tkey] = tail
        p = b"%d" % player
        return b"$%d\r\n%s\r\n%s" % (len(p), p, tail)

    def _batch_command(self, group: tuple[str, int, int], parts: list[bytes]) -> bytes:
        """The submit_batch call of ``parts`` (answers to one question): the
        head (EVALSHA, the keys, n, MAXLEN) is cached per (game, question)."""
        head = self._heads.get(group)
        if head is None:
            game, question, maxlen = group
            # Derived from ops.submit_batch_call, so the key and argument order has one source.
            call = ops.submit_batch_call(game, question, [(0, ops.answer_of([0]))], maxlen)
            args = [b"EVALSHA", self._script.sha.encode(), b"%d" % call.nkeys]
            args += [_arg(a) for a in call.args[: call.nkeys + 2]]
            head = b"".join(_bulk(a) for a in args)
            if len(self._heads) >= self._CACHE_MAX:
                self._heads.clear()
            self._heads[group] = head
        n = 3 + 10 + 2 + 4 * len(parts)
        return b"*%d\r\n%s%s" % (n, head, b"".join(parts))

    def _packed(
        self, game: str, player: int, question: int, answer: AnswerArg, maxlen: int
    ) -> bytes:
        # The command's head (EVALSHA, the keys) is the same for every answer
        # to a question: cached per (game, question). Choice answers repeat
        # (a handful of picks): their arguments but the player id are cached
        # too; other answers (numbers, texts, orders) pack only their own.
        hkey = (game, question, maxlen)
        head = self._heads.get(hkey)
        if head is None:
            # Derived from ops.submit_call, so the key and argument order has one source.
            call = ops.submit_call(game, 0, question, answer, maxlen)
            args = [b"EVALSHA", SCRIPTS["submit_answer"].sha.encode(), b"%d" % call.nkeys]
            args += [_arg(a) for a in call.args[: call.nkeys]]
            head = b"*%d\r\n" % (len(call.args) + 3) + b"".join(_bulk(a) for a in args)
            if len(self._heads) >= self._CACHE_MAX:
                self._heads.clear()
            self._heads[hkey] = head
        tkey = (game, question, answer.arg, maxlen) if answer.choices_only else None
        tail = self._tails.get(tkey) if tkey else None
        if tail is None:
            argv = ops.submit_argv(0, question, answer, maxlen)[1:]
            tail = b"".join(_bulk(_arg(a)) for a in argv)
            if tkey:
                if len(self._tails) >= self._CACHE_MAX:
                    self._tails.clear()
                self._tails[tkey] = tail
        p = b"%d" % player
        return b"%s$%d\r\n%s\r\n%s" % (head, len(p), p, tail)

    async def submit(
        self, *, game: str, player: int, question: int, answer: AnswerArg, maxlen: int
    ) -> Any:
        """Send one submission; return its raw reply."""
        if self._writer is None:
            await self._connect()
        if self.batch_script:
            payload = self._part(int(player), answer)
        else:
            payload = self._packed(game, int(player), question, answer, maxlen)
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[Any] = loop.create_future()
        self._unsent.append(((game, question, maxlen), payload, fut))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._flush)
        return await fut

    async def _connect(self) -> None:
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:
            if self._writer is not None:
                return
            try:
                conn = await self._redis.connection_pool.get_connection()
            except TRANSIENT as e:
                raise unavailable(e) from e
            self._conn = conn
            self._writer = conn._writer
            self._task = asyncio.ensure_future(self._read(conn._reader, conn.socket_timeout))

    def _flush(self) -> None:
        self._scheduled = False
        if self._writer is None:
            return
        if self.batch_script:
            self._flush_calls()
            return
        room = self.max_on_wire - self._on_wire
        out: list[bytes] = []
        while self._unsent and room > 0:
            n = min(room, self.max_batch, len(self._unsent))
            batch = self._unsent[:n]
            del self._unsent[:n]
            for e in batch:
                self._sent.append((e[1], [e[2]], 0, False))
                out.append(e[1])
            room -= n
            self._on_wire += n
            self.batches += 1
            self.submitted += n
            if self.observer is not None:
                self.observer(n)
        if out:
            self.calls += len(out)
            self._writer.write(b"".join(out))

    def _flush_calls(self) -> None:
        """One submit_batch call of the oldest waiting answers to one
        question (``per_call`` at most), if fewer than ``max_calls`` are on
        the wire; the next one ``STAGGER_S`` later, or when a reply comes
        back. Why not every waiting answer at once: Redis runs all the
        commands it has read before it writes any reply, so calls that
        arrive together are answered together, and Redis and this process
        take turns instead of working at the same time (the benchmark
        measured it: the wall time per answer was the sum of both CPU
        times). Calls that arrive apart are answered apart: Redis scores
        one while the callers of the one before submit again."""
        if not self._unsent or self._calls_on_wire >= self.max_calls:
            return
        take = self._unsent[: self.per_call]
        group = take[0][0]
        es = [e for e in take if e[0] == group]
        if len(es) == len(take):
            del self._unsent[: len(take)]
        else:  # answers to another question: they wait for the next call, in order
            self._unsent[: len(take)] = [e for e in take if e[0] != group]
        cmd = self._batch_command(group, [e[1] for e in es])
        self._sent.append((cmd, [e[2] for e in es], 0, True))
        self._calls_on_wire += 1
        self.calls_peak = max(self.calls_peak, self._calls_on_wire)
        self._on_wire += len(es)
        self.batches += 1
        self.submitted += len(es)
        self.calls += 1
        if self.observer is not None:
            self.observer(len(es))
        self._writer.write(cmd)
        if self._unsent and self._calls_on_wire < self.max_calls and not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_later(self.STAGGER_S, self._flush)

    async def _read(self, reader: asyncio.StreamReader, timeout: float | None) -> None:
        parser = hiredis.Reader()
        sent = self._sent
        try:
            while True:
                if sent and timeout:
                    data = await asyncio.wait_for(reader.read(1 << 17), timeout)
                else:
                    data = await reader.read(1 << 17)
                if not data:
                    raise ConnectionError("connection closed by Redis")
                parser.feed(data)
                while (r := parser.gets()) is not False:
                    entry = sent.popleft()
                    futs = entry[1]
                    self._on_wire -= len(futs)
                    self._calls_on_wire -= entry[3]
                    if isinstance(r, hiredis.ReplyError):
                        self._refused(r, entry)
                    elif not entry[3]:
                        if not futs[0].done():
                            futs[0].set_result(r)
                    elif not isinstance(r, list) or len(r) != len(futs):
                        err = EngineError(f"submit_batch replied {len(futs)} answers with {r!r}")
                        for f in futs:
                            if not f.done():
                                f.set_exception(err)
                    else:
                        for f, x in zip(futs, r, strict=True):
                            if not f.done():
                                f.set_result(x)
                if self._unsent and not self._scheduled:
                    self._flush()
        except asyncio.CancelledError:
            self._fail(EngineUnavailable("answer pipe closed"))
            raise
        except Exception as e:
            self._fail(EngineUnavailable(f"redis unreachable: {e!r}"))

    def _refused(self, err: Exception, entry: _Sent) -> None:
        cmd, futs, tries, batched = entry
        if str(err).startswith("NOSCRIPT") and tries == 0:
            if not self._retry:
                asyncio.ensure_future(self._reload())
            self._retry.append((cmd, futs, 1, batched))
        else:
            for f in futs:
                if not f.done():
                    f.set_exception(EngineError(str(err)))

    async def _reload(self) -> None:
        await asyncio.sleep(0)  # gather every NOSCRIPT of the batch first
        try:
            await self._redis.script_load(self._script.source)
        except Exception as e:
            failed, self._retry = self._retry, []
            for _, futs, _, _ in failed:
                for f in futs:
                    if not f.done():
                        f.set_exception(EngineUnavailable(f"redis unreachable: {e}"))
            return
        again, self._retry = self._retry, []
        if self._writer is None:  # the connection went meanwhile
            for _, futs, _, _ in again:
                for f in futs:
                    if not f.done():
                        f.set_exception(EngineUnavailable("answer pipe closed"))
            return
        # Refused with NOSCRIPT, these calls never ran: sent again as they were.
        for entry in again:
            self._sent.append(entry)
            self._on_wire += len(entry[1])
            self._calls_on_wire += entry[3]
        self.calls += len(again)
        self._writer.write(b"".join(e[0] for e in again))

    def _fail(self, exc: Exception) -> None:
        """The connection is gone: every waiting caller gets ``exc``; the
        next submission connects again."""
        futs = [f for e in self._sent for f in e[1]] + [e[2] for e in self._unsent]
        futs += [f for e in self._retry for f in e[1]]
        self._sent.clear()
        self._unsent = []
        self._retry = []
        self._on_wire = 0
        self._calls_on_wire = 0
        self._writer = None
        conn, self._conn = self._conn, None
        if conn is not None:
            asyncio.ensure_future(self._drop(conn))
        for fut in futs:
            if not fut.done():
                fut.set_exception(exc)

    async def _drop(self, conn: Any) -> None:
        with contextlib.suppress(Exception):
            await conn.disconnect()
        with contextlib.suppress(Exception):
            await self._redis.connection_pool.release(conn)

    async def aclose(self) -> None:
        """Give the connection back to the pool (closed)."""
        conn, self._conn = self._conn, None
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._writer = None
        if conn is not None:
            await self._drop(conn)
