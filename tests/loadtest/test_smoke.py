"""The load test, small: 50 Locust players, 2 questions, the whole stack (and
30 players in 3 teams).

Runs ``python -m loadtest.run`` as ``make loadtest`` does (private Redis on a
free port, a private database, two server workers, the flusher, the host
driver, Locust headless, ``verify_game``) and fails on any error frame,
lost or doubled answer, or verify difference: the runner's exit status.
No latency is asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_smoke_load_test(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "loadtest.run", "--players", "50", "--questions", "2",
           "--rate", "50", "--time-limit", "10", "--answer-delay", "0.2,1.5", "--gap", "0.5",
           "--db", f"stadium_load_smoke_{os.getpid()}",
           "--report-dir", str(tmp_path)]  # fmt: skip
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, f"{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
    assert "no errors, no lost answers" in r.stdout
    assert "verify_game: OK" in r.stdout
    assert (tmp_path / "report.html").exists()
    # the server's own share of the ack latency, read from its /metrics
    assert (
        "server, answer frame read to ack queued (stadium_answer_seconds, 100 answers): p50 <= "
        in (r.stdout)
    ), r.stdout[-3000:]


def test_smoke_load_test_with_teams(tmp_path: Path) -> None:
    """30 players in 3 teams (average scores): the team board checked too."""
    cmd = [sys.executable, "-m", "loadtest.run", "--players", "30", "--questions", "2",
           "--rate", "50", "--time-limit", "10", "--answer-delay", "0.2,1.5", "--gap", "0.5",
           "--teams", "3", "--team-score", "average",
           "--db", f"stadium_load_smoke_teams_{os.getpid()}",
           "--report-dir", str(tmp_path)]  # fmt: skip
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, f"{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
    assert "verify_game: OK" in r.stdout
    assert "3 teams checked" in r.stdout
    assert "teams: 3, board verified OK" in r.stdout
    assert "members 10-10" in r.stdout  # player i joined team i % 3
