"""An engine operation as data: the Redis calls it makes and how its reply
is decoded. No I/O happens here (redis-py's split of commands from
connections): :mod:`engine.aio` and :mod:`engine.sync` run the same
operations over an async or a blocking client, in one round trip each.

Tunables such as the events stream's MAXLEN belong to the engine that runs
an operation, not to each operation: a :class:`Knob` stands in the call's
arguments and the executor puts its own value there (:func:`bind`), so one
setting reaches every script.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Call:
    """One Redis call: a script by name (``script`` set) or a plain command."""

    args: tuple[Any, ...]
    script: str | None = None
    nkeys: int = 0


@dataclass(frozen=True, slots=True)
class Op(Generic[T]):
    calls: Sequence[Call]
    decode: Callable[[list[Any]], T]


@dataclass(frozen=True, slots=True)
class Knob:
    """An engine setting, as an argument of a call; bound when it runs."""

    name: str


EVENTS_MAXLEN = Knob("events_maxlen")  # approximate MAXLEN of each game's events stream
DEFAULT_EVENTS_MAXLEN = 20_000
DEFAULT_KNOBS: Mapping[Knob, Any] = {EVENTS_MAXLEN: DEFAULT_EVENTS_MAXLEN}


def knobs(*, events_maxlen: int = DEFAULT_EVENTS_MAXLEN) -> dict[Knob, Any]:
    """An engine's knob values (its constructor's settings)."""
    return {EVENTS_MAXLEN: events_maxlen}


def bind(args: tuple[Any, ...], values: Mapping[Knob, Any]) -> tuple[Any, ...]:
    """``args`` with each knob replaced by its value."""
    return tuple(values[a] if isinstance(a, Knob) else a for a in args)


def script(name: str, keys_: Sequence[str], args: Sequence[Any]) -> Call:
    return Call(args=(*keys_, *args), script=name, nkeys=len(keys_))


def cmd(*args: Any) -> Call:
    return Call(args=args)


def text(v: Any) -> str:
    """A reply value as str (clients return bytes)."""
    return v.decode() if isinstance(v, bytes) else str(v)


def combine(*parts: Op[Any]) -> Op[tuple[Any, ...]]:
    """Several operations in one round trip; decodes to a tuple of their results."""
    calls: list[Call] = []
    bounds: list[tuple[int, int]] = []
    for p in parts:
        bounds.append((len(calls), len(calls) + len(p.calls)))
        calls += p.calls

    def dec(r: list[Any]) -> tuple[Any, ...]:
        return tuple(p.decode(r[a:b]) for p, (a, b) in zip(parts, bounds, strict=True))

    return Op(calls, dec)
