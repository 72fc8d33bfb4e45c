"""Answers acknowledged only once a replica has them (Redis ``WAIT``).

Redis replicates asynchronously: a primary that dies can take with it writes
it already acknowledged, and a promoted replica never had them. For a game
that means a player told "+950" whose answer is gone. With
:class:`ReplicaWait`, every micro-batch of answers ends with ``WAIT
<replicas> <timeout>`` on the connection that carried it (WAIT counts that
connection's own writes, so it must follow them on the same one), and the
batch's callers get their replies only if enough replicas confirmed them in
time; otherwise they get :class:`EngineUnavailable` and send the answer
again. A re-sent answer is exact: ``submit_answer`` finds the recorded one.

On a Redis Cluster the batch may span games on several primaries: one WAIT
per primary, each routed to it (``target_nodes``) in the same cluster
pipeline, which sends one node's commands in order on one connection.

The flusher has the same need the other way round: PostgreSQL must never
hold what a promoted replica lacks (a player's score version in PostgreSQL
ahead of Redis's would block every later flush of that player, and
``verify_game`` would find totals that are not the sum of their answers).
:func:`confirm_replicated` runs just before a flush commits: it bumps the
game's ``sync`` key and WAITs on that write, so a replica that confirms it
has every write the flush read (replication keeps the primary's order).

Strict by design: a shard with fewer live replicas than asked refuses every
answer until one is back (durability over availability; docs/operations.md
says when to choose it and what it costs). WAIT cannot run inside a Lua
script, so it follows the scripts instead of being part of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from redis.exceptions import SlotNotCoveredError

from . import keys
from .calls import Call
from .errors import EngineUnavailable
from .pipeline import TRANSIENT, unavailable


@dataclass(frozen=True, slots=True)
class ReplicaWait:
    """``replicas``: how many replicas must confirm; ``timeout_ms``: how
    long the primary may wait for them before the batch is refused."""

    replicas: int
    timeout_ms: int = 1000


def _first_key(call: Call) -> Any:
    return call.args[0]


def queue_waits(pipe: Any, redis: Any, calls: Sequence[Call], wait: ReplicaWait) -> int:
    """Queue one WAIT after ``calls`` on every primary they went to;
    returns how many were queued (the pipeline's last replies)."""
    if not hasattr(redis, "get_node_from_key"):  # one server, one connection
        pipe.execute_command("WAIT", wait.replicas, wait.timeout_ms)
        return 1
    nodes = {}
    for c in calls:
        try:
            node = redis.get_node_from_key(_first_key(c))
        except SlotNotCoveredError as e:  # a slot map mid-failover
            raise EngineUnavailable(f"no primary for the answers' slot: {e}") from e
        nodes[node.name] = node
    for node in nodes.values():
        pipe.execute_command("WAIT", wait.replicas, wait.timeout_ms, target_nodes=node)
    return len(nodes)


def check_waits(replies: Sequence[Any], wait: ReplicaWait) -> None:
    """Refuse the batch unless every WAIT saw enough replicas."""
    for r in replies:
        if isinstance(r, Exception):
            raise EngineUnavailable(f"answers not confirmed by a replica: {r}") from r
        if int(r) < wait.replicas:
            raise EngineUnavailable(
                f"answers confirmed by {int(r)} of {wait.replicas} replicas "
                f"within {wait.timeout_ms} ms"
            )


def _replicas_expected(redis: Any, target: dict[str, Any]) -> int:
    """The replicas the game's primary should have now: those connected to
    it, and on a cluster also those the cluster lists for it and has not
    marked failing (a replica cut off from its primary but alive may still
    be promoted, and is exactly the one that lacks the latest writes)."""
    pipe = redis.pipeline(transaction=False)
    pipe.execute_command("INFO", "replication", **target)
    if target:
        pipe.execute_command("CLUSTER NODES", **target)
    replies = pipe.execute()
    connected = int(replies[0].get("connected_slaves", 0))
    if not target:
        return connected
    nodes = replies[1].values() if isinstance(replies[1], dict) else []
    me = next((n["node_id"] for n in nodes if "myself" in n["flags"]), None)
    listed = sum(1 for n in nodes if n["master_id"] == me and "fail" not in n["flags"])
    return max(connected, listed)


def confirm_replicated(redis: Any, game: str, *, replicas_min: int, timeout_ms: int) -> int:
    """Block until the replicas of ``game``'s primary have every write made
    before this call (blocking client: the flusher). Waits for every replica
    the primary should have now (:func:`_replicas_expected`), and at least
    ``replicas_min``; raises :class:`EngineUnavailable` if fewer confirm
    within ``timeout_ms``. Returns how many were waited for (0: no replica,
    nothing to wait for, one round trip spent)."""
    mark = keys.sync(game)
    node = redis.get_node_from_key(mark) if hasattr(redis, "get_node_from_key") else None
    target = {"target_nodes": node} if node is not None else {}
    try:
        need = max(replicas_min, _replicas_expected(redis, target))
        if need == 0:
            return 0
        pipe = redis.pipeline(transaction=False)
        pipe.execute_command("INCR", mark)
        pipe.execute_command("WAIT", need, timeout_ms, **target)
        _, confirmed = pipe.execute(raise_on_error=False)
    except TRANSIENT as e:
        raise unavailable(e) from e
    check_waits([confirmed], ReplicaWait(need, timeout_ms))
    return need
