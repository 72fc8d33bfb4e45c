"""The one-screen summary of a load test, and the checks that fail it.

Reads Locust's ``<prefix>_stats.csv`` and ``<prefix>_failures.csv``, the
players' counters (``counters.json`` from the locustfile), what the host saw,
the resource monitor and ``verify_game``'s report, and returns the lines to
print plus the list of problems (any one makes the run exit non-zero).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

ROWS = ("join", "connect", "answer", "tick lag")


def locust_stats(prefix: Path) -> dict[str, dict[str, str]]:
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        return {}
    with path.open() as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def locust_failures(prefix: Path) -> list[dict[str, str]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open() as f:
        return list(csv.DictReader(f))


def _ms(row: dict[str, str], col: str) -> str:
    v = row.get(col, "")
    return f"{float(v):,.0f}" if v not in ("", "N/A") else "-"


def verify_counts(text: str) -> tuple[int, int]:
    """(players, answers) from verify_game's first line."""
    m = re.search(r"(\d+) players, (\d+) answers", text)
    return (int(m.group(1)), int(m.group(2))) if m else (-1, -1)


def build(
    *,
    players: int,
    questions: int,
    stats: dict[str, dict[str, str]],
    failures: list[dict[str, str]],
    counters: dict[str, int],
    host: dict[str, Any],
    verify_text: str,
    verify_ok: bool,
    resources: list[str],
    targets: tuple[float, float],
) -> tuple[list[str], list[str], dict[str, Any]]:
    c = counters
    problems: list[str] = []
    lines = [
        f"players: {c.get('joined', 0):,} joined, {c.get('welcomed', 0):,} connected "
        f"(of {players:,}); {c.get('game_over', 0):,} saw game_over",
        f"answers: {c.get('answers_sent', 0):,} sent, {c.get('answers_acked', 0):,} acked "
        f"(expected {players * questions:,}); doubled {c.get('answers_doubled', 0)}, "
        f"never acked {c.get('answers_unacked', 0)}, not sent {c.get('answers_not_sent', 0)}",
        f"frames: {c.get('ticks', 0):,} leaderboard ticks received; seq gaps "
        f"{c.get('seq_gaps', 0)}; error frames {c.get('errors', 0)}; "
        f"disconnects {c.get('disconnects', 0)}",
    ]
    for q in host.get("questions", []):
        lines.append(
            f"  question {q['question']}: {q['answered']}/{q['players']} answered, "
            f"open {q['open_s']:.1f} s, closed by the {q['closed_by']}"
        )
    lines.append("")
    lines.append(
        f"{'latency (ms)':<14}{'count':>9}{'fail':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}"
    )
    for name in ROWS:
        row = stats.get(name)
        if row is None:
            lines.append(f"{name:<14}{'-':>9}")
            continue
        lines.append(
            f"{name:<14}{int(row['Request Count']):>9,}{int(row['Failure Count']):>6}"
            f"{_ms(row, '50%'):>8}{_ms(row, '95%'):>8}{_ms(row, '99%'):>8}"
            f"{_ms(row, 'Max Response Time'):>8}"
        )
    lines += ["", *resources, ""]
    lines += [f"verify_game: {x}" for x in verify_text.strip().splitlines()[-3:]]
    ack99 = _p(stats, "answer", "99%")
    lag99 = _p(stats, "tick lag", "99%")
    ok_ack = ack99 is not None and ack99 <= targets[0]
    ok_lag = lag99 is not None and lag99 <= targets[1]
    lines.append(
        f"targets: answer-ack p99 {ack99} ms <= {targets[0]:.0f} ms: {'met' if ok_ack else 'MISSED'};"
        f" tick-lag p99 {lag99} ms <= {targets[1]:.0f} ms: {'met' if ok_lag else 'MISSED'}"
    )

    total_fail = sum(int(f.get("Occurrences", 0)) for f in failures)
    if total_fail:
        problems.append(f"{total_fail} failures reported to Locust")
        for f in failures[:8]:
            problems.append(f"  {f['Occurrences']}x {f['Name']}: {f['Error'][:100]}")
    for key in ("join_failed", "connect_failed", "answers_doubled", "answers_unacked",
                "answers_not_sent", "seq_gaps", "errors", "disconnects", "closed_mismatch"):  # fmt: skip
        if c.get(key):
            problems.append(f"{key}: {c[key]}")
    if c.get("welcomed", 0) != players:
        problems.append(f"{c.get('welcomed', 0)} of {players} players connected")
    if c.get("answers_acked", 0) != c.get("answers_sent", 0):
        problems.append("answers sent and acked differ")
    if c.get("answers_acked", 0) != players * questions:
        problems.append(
            f"{c.get('answers_acked', 0)} answers acked, {players * questions} expected"
        )
    vp, va = verify_counts(verify_text)
    if va != c.get("answers_acked", 0):
        problems.append(f"PostgreSQL holds {va} answers, players got {c.get('answers_acked')} acks")
    if vp != players:
        problems.append(f"PostgreSQL holds {vp} players, {players} joined")
    if not verify_ok:
        problems.append("verify_game found differences")
    if not host.get("saved"):
        problems.append("the host never got 'saved'")
    if host.get("errors"):
        problems.append(f"host error frames: {host['errors'][:3]}")
    facts = {"answer_p99_ms": ack99, "tick_lag_p99_ms": lag99, "targets_met": ok_ack and ok_lag}
    return lines, problems, facts


def _p(stats: dict[str, dict[str, str]], name: str, col: str) -> float | None:
    v = stats.get(name, {}).get(col, "")
    return float(v) if v not in ("", "N/A") else None
