"""Auto-advance with nobody connected: the flusher's pass takes the steps no
relay takes (quiz.services.games.game_advance_due), by the same rule and
scripts, so the show goes on and ends, and the flusher saves it."""

from __future__ import annotations

from typing import Any

import pytest

from engine import keys, ops
from quiz.flush.one_pass import flush_all
from quiz.models import Game
from quiz.redis import redis_sync, sync_engine
from quiz.services.games import game_advance_due

pytestmark = pytest.mark.django_db(transaction=True)


def _age(game: str, n: int, field: str, ms: int) -> None:
    """Move question n's ``field`` (closed_ms, board_ms) ``ms`` into the past."""
    r = redis_sync()
    at = int(r.hget(keys.question(game, n), field))
    r.hset(keys.question(game, n), field, at - ms)


def test_the_flusher_runs_the_show_when_nobody_is_connected(open_game: Any) -> None:
    g = open_game(auto_advance={"reveal_s": 2, "leaderboard_s": 3})
    gid = g["game"]
    eng = sync_engine()
    assert game_advance_due(game_id=gid) == ""  # lobby: nothing to do
    assert eng.question_start(game=gid).changed
    assert game_advance_due(game_id=gid) == ""  # a question open: the clock's, not this
    assert eng.run(ops.close_question(gid, 1)).changed
    assert game_advance_due(game_id=gid) == ""  # results shown for 2 s first
    _age(gid, 1, "closed_ms", 2_000)
    assert game_advance_due(game_id=gid) == "board"
    assert game_advance_due(game_id=gid) == ""  # then the board for 3 s
    _age(gid, 1, "board_ms", 3_000)
    assert game_advance_due(game_id=gid) == "next"
    st = eng.run(ops.game_state(gid))
    assert st is not None and (st.state, st.question) == ("question", 2)
    assert eng.run(ops.close_question(gid, 2)).changed
    _age(gid, 2, "closed_ms", 2_000)
    assert game_advance_due(game_id=gid) == "board"
    _age(gid, 2, "board_ms", 3_000)
    assert game_advance_due(game_id=gid) == "end"  # after the last question
    assert eng.run(ops.game_state(gid)).state == "finished"  # type: ignore[union-attr]
    assert game_advance_due(game_id=gid) == ""
    flush_all(only=gid)  # the pass that saves games over in Redis
    assert Game.objects.get(key=gid).saved is not None


def test_a_game_without_auto_advance_is_left_to_its_host(open_game: Any) -> None:
    g = open_game()
    gid = g["game"]
    eng = sync_engine()
    assert eng.question_start(game=gid).changed
    assert eng.run(ops.close_question(gid, 1)).changed
    _age(gid, 1, "closed_ms", 60_000)
    assert game_advance_due(game_id=gid) == ""
    assert eng.run(ops.game_state(gid)).question == 1  # type: ignore[union-attr]
