"""Pause points for the crash tests: with ``STADIUM_FLUSH_PAUSE_AT=<point>``
a flush that reaches ``<point>`` says so on stdout and sleeps until it is
killed, so a test can SIGKILL it at an exact step. Unset, a pause point
costs one dictionary lookup."""

from __future__ import annotations

import os
import sys
import time

POINTS = ("mid_batch", "before_commit", "after_commit", "after_clean")


def pause_at(point: str) -> None:
    if os.environ.get("STADIUM_FLUSH_PAUSE_AT") != point:
        return
    sys.stdout.write(f"PAUSED at {point}\n")
    sys.stdout.flush()
    while True:  # until SIGKILL
        time.sleep(3600)
