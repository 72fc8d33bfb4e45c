"""Per-connection rate limit: a token bucket.

Frames past the rate are refused with ``rate_limited``; a client that keeps
sending far past it (the bucket a full burst below empty) is flooding and
gets closed with 4429.
"""

from __future__ import annotations

import time


class TokenBucket:
    __slots__ = ("rate", "burst", "tokens", "stamp")

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def try_take(self) -> bool:
        """One token if there is one (never below empty: a player who keeps
        tapping gets every tap past the rate refused, and no debt)."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def take(self) -> str:
        """``"ok"``, ``"limited"`` (drop this frame) or ``"flood"`` (close)."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= 1
        if self.tokens >= 0:
            return "ok"
        if self.tokens < -self.burst:
            return "flood"
        return "limited"
