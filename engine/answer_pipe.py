"""The fast micro-batching path: pipelined ``submit_answer`` calls on one
dedicated connection (:class:`AnswerPipe`).

One connection borrowed from the client's pool (so AUTH, SELECT, TLS and
RESP3 are redis-py's), the EVALSHA commands packed from pre-encoded bytes
(the eight keys of a (game, question) never change), replies parsed by
hiredis and matched to callers in order. :meth:`AnswerPipe.supported`
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


# One queued or sent answer: its packed command, its caller, NOSCRIPT retries.
_Entry = tuple[bytes, "asyncio.Future[Any]", int]


class AnswerPipe:
    """Pipelined ``submit_answer`` calls on one dedicated connection."""

    _CACHE_MAX = 4096

    def __init__(
        self,
        redis: Any,
        *,
        max_batch: int = 512,
        max_in_flight: int = 2,
        observer: Observer | None = None,
    ) -> None:
        self._redis = redis
        self.max_batch = max_batch
        self.max_on_wire = max_batch * max_in_flight
        self.observer = observer
        self._conn: Any = None
        self._writer: Any = None
        self._task: asyncio.Task[None] | None = None
        self._connecting: asyncio.Lock | None = None
        self._unsent: list[_Entry] = []
        self._sent: deque[_Entry] = deque()
        self._scheduled = False
        self._retry: list[_Entry] = []
        self._heads: dict[tuple[str, int, int], bytes] = {}
        self._tails: dict[tuple[str, int, str, int], bytes] = {}
        self.batches = 0  # counters for metrics and the benchmark
        self.submitted = 0

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
        payload = self._packed(game, int(player), question, answer, maxlen)
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[Any] = loop.create_future()
        self._unsent.append((payload, fut, 0))
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
        room = self.max_on_wire - len(self._sent)
        while self._unsent and room > 0:
            n = min(room, self.max_batch, len(self._unsent))
            batch = self._unsent[:n]
            del self._unsent[:n]
            self._writer.write(b"".join([e[0] for e in batch]))
            self._sent.extend(batch)
            room -= n
            self.batches += 1
            self.submitted += n
            if self.observer is not None:
                self.observer(n)

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
                    payload, fut, tries = sent.popleft()
                    if isinstance(r, hiredis.ReplyError):
                        self._refused(r, payload, fut, tries)
                    elif not fut.done():
                        fut.set_result(r)
                if self._unsent and not self._scheduled:
                    self._flush()
        except asyncio.CancelledError:
            self._fail(EngineUnavailable("answer pipe closed"))
            raise
        except Exception as e:
            self._fail(EngineUnavailable(f"redis unreachable: {e!r}"))

    def _refused(
        self, err: Exception, payload: bytes, fut: asyncio.Future[Any], tries: int
    ) -> None:
        if str(err).startswith("NOSCRIPT") and tries == 0:
            if not self._retry:
                asyncio.ensure_future(self._reload())
            self._retry.append((payload, fut, 1))
        elif not fut.done():
            fut.set_exception(EngineError(str(err)))

    async def _reload(self) -> None:
        await asyncio.sleep(0)  # gather every NOSCRIPT of the batch first
        try:
            await self._redis.script_load(SCRIPTS["submit_answer"].source)
        except Exception as e:
            failed, self._retry = self._retry, []
            for _, fut, _ in failed:
                if not fut.done():
                    fut.set_exception(EngineUnavailable(f"redis unreachable: {e}"))
            return
        again, self._retry = self._retry, []
        self._unsent.extend(again)
        self._flush()

    def _fail(self, exc: Exception) -> None:
        """The connection is gone: every waiting caller gets ``exc``; the
        next submission connects again."""
        entries = list(self._sent) + self._unsent
        self._sent.clear()
        self._unsent = []
        self._writer = None
        conn, self._conn = self._conn, None
        if conn is not None:
            asyncio.ensure_future(self._drop(conn))
        for _, fut, _ in entries:
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
