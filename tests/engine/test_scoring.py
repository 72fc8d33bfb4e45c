"""Scoring against a real Redis: Kahoot's documented examples, multi-select,
the 0-multiplier question and the answer streak (docs/engine.md, Scoring).

Response times are set with :func:`tests.engine.util.submit_at` (the
question's opening is moved back inside the same transaction as the answer),
so every expected number is exact. A result like 967 holds for a small range
of response times (1.951-2.010 s here), which absorbs the microseconds between
the two commands of the transaction.
"""

from __future__ import annotations

from typing import Any

from engine import SyncEngine, ops, scoring

from .util import close_q, join, new_game, open_q, q, submit_at


def _check_formula(res: Any) -> None:
    """The Lua result agrees with engine.scoring for the time it measured."""
    expected = scoring.base_points(
        picked={1}, correct={1}, elapsed_ms=res.elapsed_ms, limit_ms=30_000, multiplier=1
    )
    assert res.points - res.bonus == expected


def test_correct_after_2s_of_a_30s_question_scores_967(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(limit=30)])
    p = join(sync_engine, game_id, "ana")
    open_q(sync_engine, game_id, 1)
    res = submit_at(sync_redis, game_id, p, 1, [1], elapsed_ms=2000)
    assert res.status == "ok"
    assert (res.points, res.bonus, res.total, res.rank, res.streak) == (967, 0, 967, 1, 1)
    assert res.correct is True
    assert 2000 <= res.elapsed_ms < 2010
    _check_formula(res)


def test_any_correct_answer_within_half_a_second_scores_full_points(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(limit=30)])
    a, b, c = (join(sync_engine, game_id, n) for n in ("a", "b", "c"))
    open_q(sync_engine, game_id, 1)
    # Straight after opening, 0.4 s after, and just past 0.5 s for contrast.
    first = sync_engine.run(ops.submit_answer(game_id, a, 1, [1]))
    late = submit_at(sync_redis, game_id, b, 1, [1], elapsed_ms=400)
    past = submit_at(sync_redis, game_id, c, 1, [1], elapsed_ms=500)
    assert first.points == 1000 and first.elapsed_ms < 500
    assert late.points == 1000 and 400 <= late.elapsed_ms < 500
    # round(1000 * (1 - 0.5/30/2)) = 992: the formula takes over at 0.5 s.
    assert past.points == 992


def test_wrong_answer_scores_zero(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    p = join(sync_engine, game_id, "ana")
    open_q(sync_engine, game_id, 1)
    res = submit_at(sync_redis, game_id, p, 1, [2], elapsed_ms=100)
    assert (res.status, res.points, res.total, res.correct, res.streak) == ("ok", 0, 0, False, 0)


def test_double_points(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    new_game(sync_engine, game_id, [q(limit=30, mult=2)])
    a, b = join(sync_engine, game_id, "a"), join(sync_engine, game_id, "b")
    open_q(sync_engine, game_id, 1)
    fast = submit_at(sync_redis, game_id, a, 1, [1], elapsed_ms=100)
    two_s = submit_at(sync_redis, game_id, b, 1, [1], elapsed_ms=2000)
    assert fast.points == 2000
    # round(2000 * (1 - 2/30/2)) = round(1933.3) = 1933 (for 1.996-2.025 s)
    assert two_s.points == 1933
    assert (fast.rank, two_s.rank) == (1, 2)


def test_multi_select(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    # Choices 0 and 2 are correct: 500 per correct choice picked.
    new_game(sync_engine, game_id, [q(limit=30, correct=(0, 2)), q(mult=2, correct=(0, 2))])
    both, one, fast_one, mixed = (join(sync_engine, game_id, n) for n in "abcd")
    open_q(sync_engine, game_id, 1)
    r_both = submit_at(sync_redis, game_id, both, 1, [0, 2], elapsed_ms=2000)
    r_one = submit_at(sync_redis, game_id, one, 1, [2], elapsed_ms=2000)
    r_fast = submit_at(sync_redis, game_id, fast_one, 1, [0], elapsed_ms=100)
    r_mixed = submit_at(sync_redis, game_id, mixed, 1, [0, 1, 2], elapsed_ms=100)
    assert r_both.points == 967  # round(1000 * (1 - 1/30))
    assert r_one.points == 483  # round(500 * (1 - 1/30)) = round(483.3)
    assert r_fast.points == 500  # one of two correct, within 0.5 s
    assert (r_mixed.points, r_mixed.correct) == (0, False)  # any wrong pick: 0
    assert r_one.correct and r_both.correct
    close_q(sync_engine, game_id, 1)
    # Double points on multi-select: 1000 per correct choice picked.
    open_q(sync_engine, game_id, 2)
    r2 = submit_at(sync_redis, game_id, mixed, 2, [0, 2], elapsed_ms=100)
    assert (r2.points, r2.bonus, r2.streak) == (2000, 0, 1)


def test_zero_multiplier_grows_the_streak_without_points(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(mult=0), q(mult=0), q(mult=1)])
    p = join(sync_engine, game_id, "ana")
    got = []
    for n in (1, 2, 3):
        open_q(sync_engine, game_id, n)
        got.append(submit_at(sync_redis, game_id, p, n, [1], elapsed_ms=100))
        close_q(sync_engine, game_id, n)
    assert [(r.points, r.bonus, r.streak, r.correct) for r in got] == [
        (0, 0, 1, True),
        (0, 0, 2, True),  # a streak of 2 on a 0x question earns no bonus
        (1200, 200, 3, True),  # the third in a row: bonus 200 on top of 1000
    ]
    assert got[-1].total == 1200


def test_streak_bonus_grows_to_500_and_resets(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q() for _ in range(11)])
    p = join(sync_engine, game_id, "ana")
    other = join(sync_engine, game_id, "bob")
    plan: dict[int, list[int] | None] = {n: [1] for n in range(1, 12)}
    plan[8] = [0]  # wrong: resets
    plan[10] = None  # not answered: resets too
    got = {}
    for n, choice in plan.items():
        open_q(sync_engine, game_id, n)
        if choice is not None:
            got[n] = submit_at(sync_redis, game_id, p, n, choice, elapsed_ms=100)
        submit_at(sync_redis, game_id, other, n, [1], elapsed_ms=100)
        close_q(sync_engine, game_id, n)
    bonuses = [got[n].bonus for n in range(1, 8)]
    assert bonuses == [0, 100, 200, 300, 400, 500, 500]
    assert [got[n].points for n in range(1, 8)] == [1000, 1100, 1200, 1300, 1400, 1500, 1500]
    assert [got[n].streak for n in range(1, 8)] == [1, 2, 3, 4, 5, 6, 7]
    assert (got[8].points, got[8].streak) == (0, 0)
    assert (got[9].points, got[9].bonus, got[9].streak) == (1000, 0, 1)
    # After missing question 10, the streak restarts at 1 on question 11.
    assert (got[11].points, got[11].bonus, got[11].streak) == (1000, 0, 1)
    assert got[11].total == 9000 + 2000
    # The never-missing player: 1000 + 1100 + ... + 1500 * 6 = 15000.
    st = sync_engine.run(ops.standings(game_id, [other, p]))
    assert st[0] is not None and st[1] is not None
    assert (st[0].score, st[0].rank, st[0].stats.streak) == (15_000, 1, 11)
    assert (st[1].score, st[1].rank, st[1].stats.best) == (11_000, 2, 7)


def test_missed_question_shows_streak_zero_once_it_closes(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    """The streak is kept lazily (round of the last correct answer):
    GameState.streak_of shows what a player has now."""
    new_game(sync_engine, game_id, [q(), q(), q()])
    p = join(sync_engine, game_id, "ana")
    open_q(sync_engine, game_id, 1)
    submit_at(sync_redis, game_id, p, 1, [1], elapsed_ms=100)
    close_q(sync_engine, game_id, 1)

    def streak_now(n: int) -> int:
        gs, qs = sync_engine.run(ops.snapshot(game_id, n))
        st = sync_engine.run(ops.standings(game_id, [p]))[0]
        assert gs is not None and st is not None
        return gs.streak_of(st.stats, qs)

    assert streak_now(1) == 1
    open_q(sync_engine, game_id, 2)
    assert streak_now(2) == 1  # still open: the player may keep the streak
    close_q(sync_engine, game_id, 2)
    assert streak_now(2) == 0  # closed without an answer: lost
    open_q(sync_engine, game_id, 3)
    r = submit_at(sync_redis, game_id, p, 3, [1], elapsed_ms=100)
    assert (r.streak, r.bonus) == (1, 0)


def test_python_rules_match_the_kahoot_examples() -> None:
    bp = scoring.base_points
    assert bp(picked={1}, correct={1}, elapsed_ms=2000, limit_ms=30_000, multiplier=1) == 967
    assert bp(picked={1}, correct={1}, elapsed_ms=499, limit_ms=30_000, multiplier=1) == 1000
    assert bp(picked={1}, correct={1}, elapsed_ms=2000, limit_ms=30_000, multiplier=2) == 1933
    assert bp(picked={1}, correct={1}, elapsed_ms=30_000, limit_ms=30_000, multiplier=1) == 500
    assert bp(picked={0}, correct={0, 2}, elapsed_ms=0, limit_ms=30_000, multiplier=1) == 500
    assert bp(picked={0, 1}, correct={0, 2}, elapsed_ms=0, limit_ms=30_000, multiplier=1) == 0
    bonus = [scoring.streak_bonus(streak=s, multiplier=1) for s in range(1, 8)]
    assert bonus == [0, 100, 200, 300, 400, 500, 500]
    assert scoring.streak_bonus(streak=5, multiplier=0) == 0
