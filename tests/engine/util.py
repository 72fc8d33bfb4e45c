"""Helpers of the engine tests: building games and controlling time.

Time is never slept through. To score "an answer after 2 s", :func:`submit_at`
moves the question's opening back by that much and submits, both inside one
MULTI/EXEC transaction: the opening is computed from Redis's own clock in a
tiny script, and the submit_answer script runs right after it with nothing
in between, so the response time the engine measures is the one asked for
(plus the microseconds between two commands of one transaction).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine import AnswerResult, Question, Settings, SyncEngine, keys, ops
from engine.auth import hash_token
from engine.kinds import AnswerArg
from engine.pipeline import queue

# Sets the question's answers opening (open_ms) to Redis time minus ARGV[1]
# ms, its showing before that by its reading time, and its deadline to
# open_ms + its limit + extensions + paused time, as if answers had opened
# that long ago.
SET_BACK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local open = now - tonumber(ARGV[1])
local f = redis.call('HMGET', KEYS[1], 'limit_ms', 'read_ms', 'ext_ms', 'paused_ms')
local deadline = open + tonumber(f[1]) + tonumber(f[3] or 0) + tonumber(f[4] or 0)
redis.call('HSET', KEYS[1], 'opened_ms', open - tonumber(f[2] or 0), 'open_ms', open,
  'deadline_ms', deadline)
return open
"""

# Moves the game's clock origin back by ARGV[1] ms: everything that happens
# next is "that much later" for the time tie-break (reached_ms).
AGE_GAME = """
local c = tonumber(redis.call('HGET', KEYS[1], 'created_ms'))
redis.call('HSET', KEYS[1], 'created_ms', c - tonumber(ARGV[1]))
return c - tonumber(ARGV[1])
"""


def q(
    *,
    limit: int = 30,
    mult: int = 1,
    correct: Sequence[int] = (1,),
    n_choices: int = 4,
) -> Question:
    return Question(
        text="Which?",
        choices=[f"c{i}" for i in range(n_choices)],
        correct=set(correct),
        time_limit=limit,
        multiplier=mult,
    )


def new_game(
    eng: SyncEngine, game: str, questions: Sequence[Question], settings: Settings | None = None
) -> None:
    eng.load_scripts()
    r = eng.run(ops.create_game(game, questions, settings or Settings()))
    assert r.status == "ok" and r.changed


def join(eng: SyncEngine, game: str, nickname: str, token: str | None = None) -> int:
    res = eng.run(
        ops.join(
            game,
            nickname=nickname,
            nickname_key=nickname.casefold(),
            token_hash=hash_token(token or f"tok-{nickname}"),
        )
    )
    assert res.status == "ok", res
    return res.player


def submit_at(
    redis: Any,
    game: str,
    player: int,
    n: int,
    choices: Sequence[int] | AnswerArg,
    elapsed_ms: int,
) -> AnswerResult:
    """Submit as if question n had opened ``elapsed_ms`` ago (see module doc)."""
    pipe = redis.pipeline(transaction=True)
    pipe.execute_command("EVAL", SET_BACK, 1, keys.question(game, n), elapsed_ms)
    queue(pipe, [ops.submit_call(game, player, n, choices)])
    _, raw = pipe.execute()
    return ops.decode_answer(raw)


def age_game(redis: Any, game: str, ms: int) -> None:
    redis.eval(AGE_GAME, 1, keys.meta(game), ms)


def open_q(eng: SyncEngine, game: str, n: int) -> None:
    r = eng.run(ops.open_question(game, n))
    assert r.status == "ok" and r.changed, r


def close_q(eng: SyncEngine, game: str, n: int) -> None:
    r = eng.run(ops.close_question(game, n))
    assert r.status == "ok" and r.changed, r
