"""The join storm and the reconnect storm, small: the whole stack as
``make loadtest`` runs it (private Redis, a private database, two uvicorn
workers, the flusher, the host driver, Locust headless with real WebSocket
clients, ``verify_game``).

Reconnect storm: 150 players; 2 s into question 1 the sockets of 75 of them
drop at once (a TCP reset, no close frame) and reconnect at once with their
tokens. Each must get its ``welcome``; those whose answer was recorded must
see it there, the others must answer after the resume and get its ack; no
acknowledged answer lost or doubled; the points the players were told
(``question_closed``, ``game_over``) equal PostgreSQL's after the game, and
``verify_game`` finds Redis and PostgreSQL equal. Join storm: 200 players
join as fast as Locust sends them (``--join-rate 200``): every join and
connect succeeds, and PostgreSQL holds the 200 players Redis holds.
No latency is asserted: the runner's exit status and its summary's counts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, name: str, *args: str) -> str:
    cmd = [sys.executable, "-m", "loadtest.run", "--time-limit", "10",
           "--answer-delay", "0.5,4", "--gap", "0.5",
           "--db", f"stadium_load_{name}_{os.getpid()}", "--report-dir", str(tmp_path),
           *args]  # fmt: skip
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"{r.stdout[-5000:]}\n{r.stderr[-3000:]}"
    assert "no errors, no lost answers" in r.stdout
    assert "verify_game: OK" in r.stdout
    return r.stdout


def test_reconnect_storm(tmp_path: Path) -> None:
    out = _run(tmp_path, "storm", "--players", "150", "--questions", "2", "--rate", "100",
               "--reconnect-storm", "0.5", "--storm-question", "1", "--storm-at", "2")  # fmt: skip
    m = re.search(r"reconnect storm: (\d+) sockets dropped .* (\d+) resumed", out)
    assert m and m.groups() == ("75", "75"), out
    m = re.search(r"(\d+) saw their answer in the welcome .*?, (\d+) answered after resuming, "
                  r"(\d+) sent again", out)  # fmt: skip
    assert m, out
    seen, after, again = (int(x) for x in m.groups())
    assert seen + after + again == 75
    # answers at 0.5-4 s, the drop at 2 s: some answered before it, some after
    assert seen > 0 and after > 0, out
    assert "resume failures 0, welcome mismatches 0" in out
    assert "answers: 300 sent, 300 acked (expected 300); doubled 0, never acked 0" in out
    m = re.search(r"points: ([\d,]+) told in the players' question_closed frames, ([\d,]+) in "
                  r"their game_over scores, ([\d,]+) in PostgreSQL", out)  # fmt: skip
    assert m and len(set(m.groups())) == 1 and m.group(1) != "0", out
    assert re.search(r"^resume +75 +0 ", out, re.M), out
    assert re.search(r"^storm tick lag +[1-9][\d,]* +0 ", out, re.M), out


def test_join_storm(tmp_path: Path) -> None:
    out = _run(tmp_path, "joins", "--players", "200", "--questions", "1", "--join-rate", "200")
    assert "players: 200 joined, 200 connected (of 200); 200 saw game_over" in out
    assert re.search(r"^joins: 200 within [\d.]+ s", out, re.M), out
    assert re.search(r"^join +200 +0 ", out, re.M) and re.search(r"^connect +200 +0 ", out, re.M)
    assert "verify_game: game 1: 200 players, 200 answers" in out
    assert re.search(r"^join storm: join p99 ", out, re.M), out
