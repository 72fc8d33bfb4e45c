"""The per-connection token bucket in-process, no server: a burst passes,
the next frames are refused, far past the burst the client is flooding, and
time refills the bucket up to the burst, never beyond. Time is moved by
stepping the bucket's stamp back, never slept through."""

from __future__ import annotations

from sockets.limits import TokenBucket


def later(b: TokenBucket, seconds: float) -> None:
    b.stamp -= seconds


def test_a_burst_passes_then_frames_are_limited_then_flooding() -> None:
    b = TokenBucket(rate=1.0, burst=5)
    assert [b.take() for _ in range(5)] == ["ok"] * 5
    # tokens 0 .. -5: limited (dropped), below -burst: flooding (closed)
    assert [b.take() for _ in range(5)] == ["limited"] * 5
    assert b.take() == "flood"


def test_time_refills_at_the_rate() -> None:
    b = TokenBucket(rate=10.0, burst=5)
    for _ in range(5):
        b.take()
    assert b.take() == "limited"  # now at -1
    later(b, 0.35)  # +3.5 tokens: 2.5
    assert [b.take() for _ in range(3)] == ["ok", "ok", "limited"]


def test_an_idle_bucket_holds_at_most_the_burst() -> None:
    b = TokenBucket(rate=100.0, burst=3)
    later(b, 3600)
    assert [b.take() for _ in range(4)] == ["ok", "ok", "ok", "limited"]


def test_a_refused_frame_still_costs_a_token() -> None:
    # a client that keeps sending while limited sinks deeper: it cannot
    # hover at the limit forever, it ends up flooding
    b = TokenBucket(rate=1.0, burst=2)
    replies = [b.take() for _ in range(5)]
    assert replies == ["ok", "ok", "limited", "limited", "flood"]
