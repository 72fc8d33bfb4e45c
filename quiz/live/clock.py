"""The game clock's rules, in one place: when an open question closes, and
what auto-advance does next.

docs/protocol.md ("When a question closes"): at its deadline (Redis time),
or ``STADIUM_ALL_ANSWERED_GRACE_MS`` after every player of the game has
answered, whichever comes first; never while the host has it paused. The
host's ``close_question`` is a command, not a clock rule. With auto-advance
(docs/protocol.md, "Auto-advance"), a closed question's results show for
``reveal_s``, then the leaderboard for ``leaderboard_s``, then the next
question opens (or, after the last, the game ends).

Pure functions of plain values: the caller reads the clock and the counts
(the relay from its cached state, the flusher's fallback from Redis) and
makes the close itself, an engine call, so every rule here is testable
without Redis or Django and is applied the same way by every caller.
"""

from __future__ import annotations


def deadline_past(*, deadline_ms: int, now_ms: int) -> bool:
    """The question's time is up (both on the Redis clock, in ms)."""
    return now_ms >= deadline_ms


def everyone_answered(*, players: int, answered: int) -> bool:
    """Every player of the game answered the open question. An empty game
    never counts as "everyone answered": its question runs to the deadline."""
    return 0 < players <= answered


def grace_over(*, since_s: float | None, now_s: float, grace_s: float) -> bool:
    """The grace after "everyone answered" (noticed at ``since_s`` on a
    monotonic clock) has elapsed: the last player's ack and the "all answers
    in" moment reached the screens before the reveal does."""
    return since_s is not None and now_s - since_s >= grace_s


def seconds_left(*, deadline_ms: int, now_ms: int) -> float:
    """Until the deadline (0 once past): how long a clock may sleep."""
    return max(0.0, (deadline_ms - now_ms) / 1000)


def grace_left(*, since_s: float | None, now_s: float, grace_s: float) -> float | None:
    """Until the grace is over, or None when nobody is waiting for one."""
    if since_s is None:
        return None
    return max(0.0, grace_s - (now_s - since_s))


def auto_step(
    *,
    state: str,
    question_state: str,
    closed_ms: int,
    board_ms: int,
    reveal_ms: int,
    leaderboard_ms: int,
    last: bool,
    now_ms: int,
) -> tuple[str, int]:
    """Auto-advance's next step after a close and when it is due (Redis ms):
    ("board", at), ("next", at), ("end", at), or ("", 0) for nothing (off,
    or no closed question showing)."""
    if not reveal_ms or state != "reveal" or question_state != "closed":
        return "", 0
    if not board_ms:
        return "board", closed_ms + reveal_ms
    return ("end" if last else "next"), board_ms + leaderboard_ms
