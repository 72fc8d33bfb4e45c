"""The host's clock: pause, resume, extend, and the closes that respect them
(docs/engine.md, "The host's clock"). Real spans on Redis's clock: the
assertions bound them from both sides."""

from __future__ import annotations

import time
from typing import Any

from engine import Question, SyncEngine, housekeeping, keys, ops

from .util import join, new_game, open_q, submit_at


def _choice(read_time: int = 0) -> Question:
    return Question("Which?", ["a", "b"], {0}, 30, read_time=read_time)


def test_pause_refuses_answers_and_resume_moves_the_deadline(
    sync_engine: SyncEngine, game_id: str
) -> None:
    new_game(sync_engine, game_id, [_choice()])
    p = join(sync_engine, game_id, "Ann")
    o = sync_engine.run(ops.open_question(game_id, 1))
    paused = sync_engine.run(ops.pause_question(game_id, 1))
    assert paused.ok and 29_000 < paused.remaining_ms <= 30_000
    assert sync_engine.run(ops.pause_question(game_id, 1)).status == "paused"
    assert sync_engine.run(ops.submit_answer(game_id, p, 1, [0])).status == "paused"
    # an automatic close waits; the host's does not have to
    assert sync_engine.run(ops.close_question(game_id, 1, "all_in")).status == "not_due"
    time.sleep(0.3)
    resumed = sync_engine.run(ops.resume_question(game_id, 1))
    assert resumed.ok and resumed.open_ms == o.open_ms
    span = resumed.deadline_ms - o.deadline_ms
    assert 300 <= span < 1300
    q = sync_engine.run(ops.question_state(game_id, 1))
    assert q is not None and q.paused_ms == span and not q.paused
    assert sync_engine.run(ops.resume_question(game_id, 1)).status == "not_paused"
    # the answer's time leaves the paused span out
    res = sync_engine.run(ops.submit_answer(game_id, p, 1, [0]))
    now = sync_engine.run(housekeeping.clock())
    assert res.ok and res.elapsed_ms <= now - o.open_ms - span


def test_a_pause_in_the_reading_time_delays_the_answers(
    sync_engine: SyncEngine, game_id: str
) -> None:
    new_game(sync_engine, game_id, [_choice(read_time=5)])
    o = sync_engine.run(ops.open_question(game_id, 1))
    assert sync_engine.run(ops.pause_question(game_id, 1)).ok
    time.sleep(0.2)
    r = sync_engine.run(ops.resume_question(game_id, 1))
    span = r.open_ms - o.open_ms
    assert 200 <= span < 1200 and r.deadline_ms - o.deadline_ms == span
    q = sync_engine.run(ops.question_state(game_id, 1))
    assert q is not None and q.paused_ms == 0  # nothing was paused after answers opened


def test_extend_grows_the_deadline_and_t(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [_choice()])
    p = join(sync_engine, game_id, "Ann")
    o = sync_engine.run(ops.open_question(game_id, 1))
    e = sync_engine.run(ops.extend_question(game_id, 1, 10))
    assert e.ok and e.deadline_ms == o.deadline_ms + 10_000
    # T = 30 s + 10 s: round(1000 * (1 - (2/40)/2)) = 975 (967 without it)
    assert submit_at(sync_redis, game_id, p, 1, [0], elapsed_ms=2000).points == 975


def test_deadline_close_rechecks_the_deadline(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [_choice()])
    open_q(sync_engine, game_id, 1)
    assert sync_engine.run(ops.close_question(game_id, 1, "deadline")).status == "not_due"
    assert sync_engine.run(ops.close_question(game_id, 1, "host")).changed


def test_extend_and_pause_refused_when_not_open(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [_choice(), _choice()])
    assert sync_engine.run(ops.pause_question(game_id, 1)).status == "not_open"
    open_q(sync_engine, game_id, 1)
    assert sync_engine.run(ops.extend_question(game_id, 2, 5)).status == "not_open"
    sync_engine.run(ops.close_question(game_id, 1))
    assert sync_engine.run(ops.extend_question(game_id, 1, 5)).status == "not_open"


def test_show_board_happens_once(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    new_game(sync_engine, game_id, [_choice(), _choice()])
    open_q(sync_engine, game_id, 1)
    assert sync_engine.run(ops.show_board(game_id, 1)).status == "not_closed"
    sync_engine.run(ops.close_question(game_id, 1))
    first = sync_engine.run(ops.show_board(game_id, 1))
    again = sync_engine.run(ops.show_board(game_id, 1))
    assert first.changed and not again.changed and first.ms == again.ms
    boards = [
        e for _, e in sync_redis.xrange(keys.events(game_id)) if e.get(b"t", e.get("t")) in
        (b"board", "board")
    ]  # fmt: skip
    assert len(boards) == 1
