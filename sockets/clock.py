"""The relay's game clock: which open question is due to close, and when.

The rules are quiz.live.clock's (the flusher's fallback applies the same
ones); this part holds what the relay remembers between its steps: the
offset of Redis's clock (deadlines are Redis time), when "everyone
answered" was first seen, and which closes were already made. The close
itself is the relay's one engine call; the clock only says which question.

Any process may close (close is idempotent), so every relay runs a clock.
"""

from __future__ import annotations

import time

from engine import GameState, QuestionState
from quiz.live import clock as rules


class RelayClock:
    def __init__(self, grace_s: float) -> None:
        self.grace_s = grace_s
        self.offset_ms = 0.0  # Redis time minus local time
        self.all_in_since: float | None = None  # monotonic
        self.closed: set[int] = set()  # closes Redis answered: not tried again

    def synced(self, redis_time: tuple[int, int]) -> None:
        """Set the offset from a Redis TIME reply (seconds, microseconds)."""
        secs, micros = redis_time
        self.offset_ms = secs * 1000 + micros / 1000 - time.time() * 1000

    def server_ms(self) -> int:
        """Now on the Redis clock, in ms."""
        return int(time.time() * 1000 + self.offset_ms)

    def reset(self) -> None:
        """A rebuilt game: its clock starts afresh."""
        self.closed.clear()
        self.all_in_since = None

    def observe(self, st: GameState | None, q: QuestionState | None) -> None:
        """Note whether everyone has answered the open question now."""
        all_in = (
            st is not None
            and q is not None
            and q.state == "open"
            and rules.everyone_answered(players=st.players, answered=q.answered)
        )
        if not all_in:
            self.all_in_since = None
        elif self.all_in_since is None:
            self.all_in_since = time.monotonic()

    def due(self, q: QuestionState | None) -> tuple[int, str] | None:
        """The open question to close now and why ("deadline", "all_in"),
        if any: past its deadline, or everyone answered and the grace is
        over; never while paused (the engine re-checks both)."""
        if q is None or q.state != "open" or q.number in self.closed or q.paused:
            return None
        if rules.deadline_past(deadline_ms=q.deadline_ms, now_ms=self.server_ms()):
            return q.number, "deadline"
        if rules.grace_over(
            since_s=self.all_in_since, now_s=time.monotonic(), grace_s=self.grace_s
        ):
            return q.number, "all_in"
        return None

    def auto(self, st: GameState | None, q: QuestionState | None) -> tuple[str, int]:
        """Auto-advance's next step and when it is due (Redis ms), or ("", 0)."""
        if st is None or q is None or st.question != q.number:
            return "", 0
        return rules.auto_step(
            state=st.state, question_state=q.state, closed_ms=q.closed_ms,
            board_ms=q.board_ms, reveal_ms=st.auto_reveal_ms,
            leaderboard_ms=st.auto_board_ms, last=q.number >= st.n_questions,
            now_ms=self.server_ms(),
        )  # fmt: skip

    def done(self, n: int) -> None:
        """Redis answered the close of question ``n``."""
        self.closed.add(n)
        self.all_in_since = None

    def wait_s(self, q: QuestionState | None, st: GameState | None = None) -> float | None:
        """Until the clock may have something to do, or None."""
        waits = []
        step, at = self.auto(st, q)
        if step:
            waits.append(max(0.0, (at - self.server_ms()) / 1000))
        if q is not None and q.state == "open" and not q.paused:
            waits.append(rules.seconds_left(deadline_ms=q.deadline_ms, now_ms=self.server_ms()))
        left = rules.grace_left(
            since_s=self.all_in_since, now_s=time.monotonic(), grace_s=self.grace_s
        )
        if left is not None:
            waits.append(left)
        return min(waits, default=None)
