"""Scoring rules and the composite board score, as plain functions.

The Lua scripts are the authority at run time; these functions state the same
rules in Python for callers that decode replies and for tests that check the
numbers (docs/engine.md, Scoring).

Composite score: ``total * 2**30 + (2**30 - 1 - ms_since_game_open)``. A
higher total ranks first; for equal totals, the player who reached the total
earlier has the larger time part and ranks first. Within the same millisecond,
Redis orders equal scores by member, and ZREVRANGE returns the greater player
id (compared as a string) first: that is the fixed order of exact ties. The
value is exact in a double while totals stay below 2**23 and games below 2**30
ms (12 days).
"""

from __future__ import annotations

TIME_BITS = 30
TIME_SPAN = 1 << TIME_BITS  # 2**30 ms, about 12.4 days
MAX_TOTAL = 1 << 23  # totals below this keep the composite exact in a double
FULL_POINTS_MS = 500  # answers faster than this score the full P


def composite(total: int, ms: int) -> int:
    """Board score of a player who reached ``total`` at ``ms`` since game open."""
    return total * TIME_SPAN + (TIME_SPAN - 1 - ms)


def decode(score: float | int | str | bytes) -> tuple[int, int]:
    """Split a board score into (total, ms since game open)."""
    if isinstance(score, bytes):
        score = score.decode()
    c = int(float(score))
    return c >> TIME_BITS, TIME_SPAN - 1 - (c & (TIME_SPAN - 1))


def base_points(
    *, picked: set[int], correct: set[int], elapsed_ms: int, limit_ms: int, multiplier: int
) -> int:
    """Points before the streak bonus (Kahoot's formula, docs/engine.md)."""
    if not picked & correct or picked - correct:
        return 0
    per = 1000 * multiplier
    if len(correct) > 1:
        per = 500 * multiplier * len(picked & correct)
    if elapsed_ms < FULL_POINTS_MS:
        return per
    return (per * (2 * limit_ms - elapsed_ms) + limit_ms) // (2 * limit_ms)


def streak_bonus(*, streak: int, multiplier: int) -> int:
    """Bonus of a correct answer that makes a streak of ``streak``."""
    if multiplier == 0 or streak < 1:
        return 0
    return min(100 * (streak - 1), 500)
