"""Turning :class:`engine.calls.Call` lists into redis-py pipeline commands,
shared by the async and the blocking executors.

The same code runs on a Redis Cluster client (redis-py's RedisCluster, either
flavour): its pipeline sends each command to the node that owns the slot of
its keys (EVALSHA by its KEYS, all in one game's slot) and SCRIPT LOAD to every
primary, so the NOSCRIPT reload below covers the whole cluster."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from redis.exceptions import ClusterDownError, NoScriptError, ResponseError, TryAgainError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .calls import DEFAULT_KNOBS, Call, Knob, bind
from .errors import EngineError, EngineUnavailable
from .scripts import SCRIPTS

# On Redis Cluster, CLUSTERDOWN (a failover in progress) and TRYAGAIN (a slot
# being migrated) pass too: the caller retries, as after a lost connection.
TRANSIENT = (RedisConnectionError, RedisTimeoutError, OSError, ClusterDownError, TryAgainError)


def queue(pipe: Any, calls: Sequence[Call], knobs: Mapping[Knob, Any] = DEFAULT_KNOBS) -> None:
    """Queue ``calls`` on ``pipe``, scripts with the executor's ``knobs`` bound."""
    for c in calls:
        if c.script is None:
            pipe.execute_command(*c.args)
        else:
            args = bind(c.args, knobs)
            pipe.execute_command("EVALSHA", SCRIPTS[c.script].sha, c.nkeys, *args)


def missing_scripts(results: list[Any]) -> list[int]:
    return [i for i, r in enumerate(results) if isinstance(r, NoScriptError)]


def check(results: list[Any]) -> list[Any]:
    for r in results:
        if isinstance(r, TRANSIENT):
            raise EngineUnavailable(str(r)) from r
        if isinstance(r, ResponseError):
            raise EngineError(str(r)) from r
    return results


def unavailable(exc: BaseException) -> EngineUnavailable:
    return EngineUnavailable(f"redis unreachable: {exc}")
