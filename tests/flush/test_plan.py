"""What a flush writes besides the answers (quiz.flush.plan), decided from
the answers it copies and the stats read after them."""

from __future__ import annotations

from engine.layout import LogEntry, Stats
from quiz.flush.plan import flush_plan


def _e(eid: str, player: int, q: int, points: int, version: int, total: int) -> LogEntry:
    return LogEntry(
        id=eid, player=player, question=q, choices="0", elapsed_ms=900, points=points,
        bonus=0, correct=points > 0, total=total, streak=1 if points else 0, version=version,
    )  # fmt: skip


def test_reached_goes_on_each_players_last_scoring_answer() -> None:
    entries = [
        _e("1-0", 1, 1, 900, 2, 900),
        _e("1-1", 2, 1, 0, 2, 0),
        _e("2-0", 1, 2, 800, 3, 1700),
        _e("2-1", 1, 3, 0, 4, 1700),  # a wrong answer after: reached does not move
    ]
    stats = {
        1: Stats(total=1700, version=4, reached_ms=5_000),
        2: Stats(total=0, version=2, reached_ms=300),
    }
    plan = flush_plan(entries, stats)
    assert plan.reached == {"2-0": 5_000}  # player 2 never scored here
    assert plan.scores == []  # both players' stats are their answers'
    assert plan.clean == []  # their marks went with the stats read


def test_a_score_row_only_for_changes_beyond_the_answers() -> None:
    entries = [_e("1-0", 1, 1, 900, 2, 900)]
    stats = {
        1: Stats(total=900, version=3, reached_ms=5_000, kicked=True),  # kicked after
        7: Stats(version=1, reached_ms=40),  # joined: no answer
        8: Stats(total=0, version=2, kicked=True),  # kicked, no answer
    }
    plan = flush_plan(entries, stats)
    assert plan.scores == [1, 7, 8]
    assert plan.reached == {"1-0": 5_000}
    assert plan.clean == [(1, 3), (7, 1), (8, 2)]  # only once the commit is done
