"""The events stream's MAXLEN is a setting of the engine (its constructor),
not an argument of each operation: every operation that writes the stream
trims it to the engine's value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine import Engine, SyncEngine, keys, ops
from engine.auth import hash_token
from engine.calls import DEFAULT_EVENTS_MAXLEN, EVENTS_MAXLEN
from engine.scripts import SCRIPTS

from .test_slots import _script_calls
from .util import join, new_game, q

FILL = 250  # stream entries before the operation under test
SMALL = 1  # the engine's MAXLEN: "~" trimming keeps at most one node (100 entries)


def _fill(r: Any, game: str) -> None:
    pipe = r.pipeline(transaction=False)
    for _ in range(FILL):
        pipe.xadd(keys.events(game), {"t": "filler"})
    pipe.execute()


OPS: dict[str, Callable[[SyncEngine, str, int], Any]] = {
    "join": lambda e, g, p: e.run(
        ops.join(g, nickname="late", nickname_key="late", token_hash=hash_token("late"))
    ),
    "question_start": lambda e, g, p: e.question_start(game=g),
    "open_question": lambda e, g, p: e.run(ops.open_question(g, 1)),
    "submit_answer": lambda e, g, p: e.run(ops.submit_answer(g, p, 1, [1])),
    "close_question": lambda e, g, p: e.run(ops.close_question(g, 1)),
    "end_game": lambda e, g, p: e.end_game(game=g),
    "kick": lambda e, g, p: e.run(ops.kick(g, p)),
    "lock_join": lambda e, g, p: e.run(ops.lock_join(g, True)),
}
OPEN_FIRST = {"submit_answer", "close_question"}


@pytest.mark.parametrize("name", list(OPS))
def test_every_operation_trims_the_stream_to_the_engines_maxlen(
    sync_redis: Any, game_id: str, name: str
) -> None:
    eng = SyncEngine(sync_redis, events_maxlen=SMALL)
    new_game(eng, game_id, [q(), q()])
    p = join(eng, game_id, "a")
    if name in OPEN_FIRST:
        eng.question_start(game=game_id)
    _fill(sync_redis, game_id)
    before = sync_redis.xlen(keys.events(game_id))
    r = OPS[name](eng, game_id, p)
    assert r.status == "ok", r
    after = sync_redis.xlen(keys.events(game_id))
    assert after < before, f"{name}: {before} -> {after} entries, not trimmed"


def test_every_script_call_carries_the_setting_not_a_number() -> None:
    """Each script that writes the stream gets the engine's knob, which the
    executor binds; none is built with a number of its own."""
    calls = _script_calls()
    writers = {c.script for c in calls if "MAXLEN" in SCRIPTS[str(c.script)].source}
    assert {"join", "question_start", "kick", "restore_game", "submit_answer"} <= writers
    for c in calls:
        if c.script in writers:
            assert EVENTS_MAXLEN in c.args, c.script
            assert DEFAULT_EVENTS_MAXLEN not in c.args, c.script


async def test_the_async_engine_trims_host_commands_and_answers(
    async_redis: Any, sync_redis: Any, game_id: str
) -> None:
    eng = Engine(async_redis, events_maxlen=SMALL)
    try:
        new_game(SyncEngine(sync_redis), game_id, [q(), q()])
        p = join(SyncEngine(sync_redis), game_id, "a")
        for step in ("start", "answer", "kick"):
            _fill(sync_redis, game_id)
            before = sync_redis.xlen(keys.events(game_id))
            if step == "start":
                r: Any = await eng.question_start(game=game_id)
            elif step == "answer":
                r = await eng.submit_answer(game=game_id, player=p, question=1, choices=[1])
            else:
                r = await eng.run(ops.kick(game_id, p))
            assert r.status == "ok", (step, r)
            assert sync_redis.xlen(keys.events(game_id)) < before, step
    finally:
        await eng.aclose()
