"""The write-behind from Redis to PostgreSQL (docs/persistence.md tells why
it never loses or doubles a change). Its parts:

- :mod:`quiz.flush.game`: one flush of one game (``game_flush``), in one
  transaction: the answers appended by log position, the Score rows
  materialized once no question is open;
- :mod:`quiz.flush.plan`: what a flush writes besides the answers, a pure
  function of the entries and the stats read after them;
- :mod:`quiz.flush.save`: a game's final flushes and release (``game_save``);
- :mod:`quiz.flush.one_pass`: one pass over the live games (``flush_all``);
- :mod:`quiz.flush.worker`: the loop, its backoff and metrics (``flush_loop``);
- :mod:`quiz.flush.pg_side`: all of its SQL (the answers' COPY, the
  materialization and the stats derived from the record, COPY into
  temporary tables then INSERT ... SELECT ... ON CONFLICT for the rest);
- :mod:`quiz.flush.result` and :mod:`quiz.flush.errors`: what a flush
  returns (an immutable sum) and how it fails;
- :mod:`quiz.flush.faults`: pause points for the crash tests.

The Redis side is the engine's: :mod:`engine.flush` and :mod:`engine.answer_log`.
"""

from __future__ import annotations

from .errors import FlushError, NotFlushable, NotSettled, UnknownGame
from .game import game_flush
from .one_pass import flush_all, games_live
from .result import FlushResult
from .save import game_save
from .worker import flush_loop

__all__ = [
    "FlushError",
    "FlushResult",
    "NotFlushable",
    "NotSettled",
    "UnknownGame",
    "flush_all",
    "flush_loop",
    "game_flush",
    "game_save",
    "games_live",
]
