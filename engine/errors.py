"""Engine exceptions. Refusals are not exceptions (they are reply statuses);
these are for when Redis cannot be reached or answers out of contract."""

from __future__ import annotations


class EngineError(Exception):
    """Redis answered something the engine does not understand."""


class EngineUnavailable(EngineError):
    """Redis is unreachable or timed out: the caller may retry (``unavailable``)."""
