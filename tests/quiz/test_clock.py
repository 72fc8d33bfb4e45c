"""A question still closes at its deadline when no socket is connected: the
flush worker's pass closes it (the relays do it while anyone is connected)."""

from __future__ import annotations

from typing import Any

from engine import keys, ops
from quiz.flush import flush_all
from quiz.redis import sync_engine
from quiz.services.games import question_close_expired


def test_flush_pass_closes_a_question_past_its_deadline(open_game: Any) -> None:
    gid = open_game()["game"]
    eng = sync_engine()
    assert eng.run(ops.open_question(gid, 1)).ok
    assert question_close_expired(game_id=gid) is False  # 20 s left
    # the deadline passes (moved back in Redis rather than waiting 20 s)
    secs, micros = eng.redis.time()
    eng.redis.hset(keys.question(gid, 1), "deadline_ms", secs * 1000 + micros // 1000 - 1)
    flush_all(only=gid)
    q = eng.run(ops.question_state(gid, 1))
    assert q is not None and q.state == "closed"
    st = eng.run(ops.game_state(gid))
    assert st is not None and st.state == "reveal"
    assert question_close_expired(game_id=gid) is False  # once only
