"""How a flush fails, and what the worker does about it.

- :class:`FlushError` (and any lost PostgreSQL or Redis connection): the
  flush's transaction rolls back, nothing is lost; the worker retries the
  whole pass with backoff (quiz.flush.worker).
- :class:`NotFlushable`: this game cannot be saved now; the pass goes on
  with the other games and the next pass tries it again.
"""

from __future__ import annotations


class FlushError(Exception):
    """Something that must roll the flush back (it is retried)."""


class NotFlushable(Exception):
    """A game that cannot be flushed or saved now."""


class UnknownGame(NotFlushable):
    """No such game in PostgreSQL, or no longer in Redis and never saved."""


class NotSettled(NotFlushable):
    """Changes kept landing while the final flushes ran: retry later."""
