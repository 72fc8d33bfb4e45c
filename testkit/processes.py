"""Stopping a child process the same way everywhere: SIGTERM, a grace
period for its own shutdown, then SIGKILL."""

from __future__ import annotations

import subprocess


def stop(proc: subprocess.Popen[bytes] | None, grace_s: float = 15) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
