"""When an open question closes: the rules (quiz.live.clock), the relay's
clock that applies them, and the relay's step that makes the close (the
tick only reads and sends). No server: the last test uses real Redis."""

from __future__ import annotations

from typing import Any

from engine import Engine, GameState, QuestionState, SyncEngine, ops
from quiz.live import clock as rules
from sockets.clock import RelayClock
from sockets.relay import GameRelay
from tests.engine.util import join, new_game, q


def test_the_rules() -> None:
    assert rules.deadline_past(deadline_ms=1_000, now_ms=1_000)
    assert not rules.deadline_past(deadline_ms=1_000, now_ms=999)
    assert rules.everyone_answered(players=3, answered=3)
    assert not rules.everyone_answered(players=3, answered=2)
    assert not rules.everyone_answered(players=0, answered=0)  # an empty game waits
    assert rules.grace_over(since_s=10.0, now_s=11.5, grace_s=1.5)
    assert not rules.grace_over(since_s=10.0, now_s=11.4, grace_s=1.5)
    assert not rules.grace_over(since_s=None, now_s=99.0, grace_s=0.0)
    assert rules.seconds_left(deadline_ms=3_000, now_ms=1_000) == 2.0
    assert rules.seconds_left(deadline_ms=1_000, now_ms=3_000) == 0.0
    assert rules.grace_left(since_s=10.0, now_s=10.5, grace_s=1.5) == 1.0
    assert rules.grace_left(since_s=None, now_s=10.5, grace_s=1.5) is None


def _state(players: int) -> GameState:
    return GameState(
        game="g", state="question", question=1, round=1, n_questions=2, created_ms=0, epoch=1,
        players=players, reveal="live", max_players=0, late_join=True, join_locked=False,
        title="", host_token_hash="", screen_token_hash="",
    )  # fmt: skip


def _question(answered: int, deadline_ms: int, state: str = "open") -> QuestionState:
    return QuestionState(
        number=1, state=state, public={}, correct={0}, limit_ms=20_000, multiplier=1,
        deadline_ms=deadline_ms, answered=answered,
    )  # fmt: skip


def test_relay_clock_closes_at_the_deadline_once() -> None:
    c = RelayClock(grace_s=60)
    late = _question(answered=0, deadline_ms=c.server_ms() - 1)
    assert c.due(late) == (1, "deadline")
    c.done(1)
    assert c.due(late) is None  # Redis answered: not again
    c.reset()  # a rebuilt game
    assert c.due(late) == (1, "deadline")
    assert c.due(_question(0, c.server_ms() - 1, state="closed")) is None
    assert c.due(None) is None
    assert c.due(_question(0, c.server_ms() + 60_000)) is None


def test_relay_clock_closes_after_everyone_answered_and_the_grace() -> None:
    soon, later = RelayClock(grace_s=0), RelayClock(grace_s=60)
    far = _question(answered=3, deadline_ms=soon.server_ms() + 60_000)
    for c in (soon, later):
        c.observe(_state(players=3), far)
    assert soon.due(far) == (1, "all_in")
    assert later.due(far) is None
    wait = later.wait_s(far)
    assert wait is not None and 59 < wait <= 60
    # someone joined: not everyone answered any more
    soon.observe(_state(players=4), far)
    assert soon.due(far) is None and soon.all_in_since is None


def test_relay_clock_waits_while_paused() -> None:
    c = RelayClock(grace_s=0)
    past = c.server_ms() - 1
    paused = QuestionState(
        number=1, state="open", public={}, correct={0}, limit_ms=20_000, multiplier=1,
        deadline_ms=past, answered=3, paused_at=past - 5_000,
    )  # fmt: skip
    c.observe(_state(players=3), paused)
    assert c.due(paused) is None
    assert c.wait_s(paused) is None or c.wait_s(paused) == 0.0


def test_auto_advance_steps() -> None:
    from dataclasses import replace

    c = RelayClock(grace_s=0)
    now = c.server_ms()
    st = replace(_state(3), state="reveal", auto_reveal_ms=5_000, auto_board_ms=3_000)
    closed = _question(answered=3, deadline_ms=now - 10_000, state="closed")
    closed = replace(closed, closed_ms=now - 6_000)
    assert c.auto(st, closed) == ("board", now - 1_000)
    shown = replace(closed, board_ms=now - 1_000)
    assert c.auto(st, shown) == ("next", now + 2_000)
    wait = c.wait_s(shown, st)
    assert wait is not None and 1.5 < wait <= 2.0
    last = replace(st, n_questions=1)
    assert c.auto(last, shown)[0] == "end"
    assert c.auto(replace(st, auto_reveal_ms=0), closed) == ("", 0)  # off
    assert c.auto(replace(st, state="question"), closed) == ("", 0)


async def test_a_tick_never_closes_the_step_does(
    sync_engine: SyncEngine, engine: Engine, game_id: str, settings: Any
) -> None:
    settings.STADIUM = {**settings.STADIUM, "ALL_ANSWERED_GRACE_MS": 0}
    new_game(sync_engine, game_id, [q(), q()])
    players = [join(sync_engine, game_id, f"p{i}") for i in range(2)]
    assert sync_engine.run(ops.open_question(game_id, 1)).ok
    for p in players:
        assert sync_engine.run(ops.submit_answer(game_id, p, 1, [1])).ok
    relay = GameRelay(game_id, "000000", engine)
    await relay.refresh()
    await relay.tick()
    question = sync_engine.run(ops.question_state(game_id, 1))
    assert question is not None and question.state == "open"
    await relay._clock()  # the step's clock, after the tick: everyone answered, no grace
    question = sync_engine.run(ops.question_state(game_id, 1))
    assert question is not None and question.state == "closed"
