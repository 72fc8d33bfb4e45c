"""The one-screen summary of a load test, and the checks that fail it.

Reads Locust's ``<prefix>_stats.csv`` and ``<prefix>_failures.csv``, the
players' counters (``counters.json`` from the locustfile), what the host saw,
the resource monitor and ``verify_game``'s report, and returns the lines to
print plus the list of problems (any one makes the run exit non-zero).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

ROWS = ("join", "connect", "answer", "tick lag")
STORM_ROWS = ("resume", "storm tick lag")  # with --reconnect-storm


@dataclass(frozen=True)
class Storm:
    """The reconnect storm asked for (``--reconnect-storm``)."""

    share: float
    question: int
    at_s: float
    resume_p99_ms: float


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


def verify_points(text: str) -> int:
    """The points total in PostgreSQL from verify_game's first line."""
    m = re.search(r"(\d+) points in PostgreSQL", text)
    return int(m.group(1)) if m else -1


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
    storm: Storm | None = None,
    join_p99_ms: float | None = None,
) -> tuple[list[str], list[str], dict[str, Any]]:
    c = counters
    problems: list[str] = []
    lines = [
        f"players: {c.get('joined', 0):,} joined, {c.get('welcomed', 0):,} connected "
        f"(of {players:,}); {c.get('game_over', 0):,} saw game_over",
        _window(c, "join", "joins"),
        _window(c, "welcome", "welcomes"),
        f"answers: {c.get('answers_sent', 0):,} sent, {c.get('answers_acked', 0):,} acked "
        f"(expected {players * questions:,}); doubled {c.get('answers_doubled', 0)}, "
        f"never acked {c.get('answers_unacked', 0)}, not sent {c.get('answers_not_sent', 0)}",
        f"points: {c.get('points_closed', 0):,} told in the players' question_closed frames, "
        f"{c.get('points_final', 0):,} in their game_over scores, "
        f"{verify_points(verify_text):,} in PostgreSQL",
        f"frames: {c.get('ticks', 0):,} leaderboard ticks received; seq gaps "
        f"{c.get('seq_gaps', 0)}; error frames {c.get('errors', 0)}; "
        f"disconnects {c.get('disconnects', 0)}",
    ]
    for q in host.get("questions", []):
        lines.append(
            f"  question {q['question']}: {q['answered']}/{q['players']} answered, "
            f"open {q['open_s']:.1f} s, closed by the {q['closed_by']}"
        )
    if storm is not None:
        lines += _storm_lines(c, storm, players)
    lines.append("")
    lines.append(
        f"{'latency (ms)':<16}{'count':>9}{'fail':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}"
    )
    for name in ROWS + (STORM_ROWS if storm is not None else ()):
        row = stats.get(name)
        if row is None:
            lines.append(f"{name:<16}{'-':>9}")
            continue
        lines.append(
            f"{name:<16}{int(row['Request Count']):>9,}{int(row['Failure Count']):>6}"
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

    met = ok_ack and ok_lag
    if join_p99_ms is not None:
        j99, c99 = _p(stats, "join", "99%"), _p(stats, "connect", "99%")
        ok_j = j99 is not None and j99 <= join_p99_ms
        ok_c = c99 is not None and c99 <= join_p99_ms
        lines.append(
            f"join storm: join p99 {j99} ms <= {join_p99_ms:.0f} ms: {'met' if ok_j else 'MISSED'};"
            f" connect p99 {c99} ms <= {join_p99_ms:.0f} ms: {'met' if ok_c else 'MISSED'}"
        )
        met = met and ok_j and ok_c
    if storm is not None:
        r99, s99 = _p(stats, "resume", "99%"), _p(stats, "storm tick lag", "99%")
        ok_r = r99 is not None and r99 <= storm.resume_p99_ms
        ok_s = s99 is not None and s99 <= targets[1]
        lines.append(
            f"reconnect storm: resume p99 {r99} ms <= {storm.resume_p99_ms:.0f} ms: "
            f"{'met' if ok_r else 'MISSED'}; the others' tick lag p99 {s99} ms <= "
            f"{targets[1]:.0f} ms: {'met' if ok_s else 'MISSED'}"
        )
        met = met and ok_r and ok_s
        problems += _storm_problems(c, storm, players)

    total_fail = sum(int(f.get("Occurrences", 0)) for f in failures)
    if total_fail:
        problems.append(f"{total_fail} failures reported to Locust")
        for f in failures[:8]:
            problems.append(f"  {f['Occurrences']}x {f['Name']}: {f['Error'][:100]}")
    for key in ("join_failed", "connect_failed", "answers_doubled", "answers_unacked",
                "answers_not_sent", "seq_gaps", "errors", "disconnects", "closed_mismatch",
                "resume_failed", "resume_mismatch", "resume_lost_answer"):  # fmt: skip
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
    told = {c.get("points_closed", 0), c.get("points_final", 0), verify_points(verify_text)}
    if len(told) != 1:
        problems.append("the points told at the closes, at game_over and in PostgreSQL differ")
    if not verify_ok:
        problems.append("verify_game found differences")
    if not host.get("saved"):
        problems.append("the host never got 'saved'")
    if host.get("errors"):
        problems.append(f"host error frames: {host['errors'][:3]}")
    facts = {"answer_p99_ms": ack99, "tick_lag_p99_ms": lag99, "targets_met": met}
    for name in ("join", "connect", *STORM_ROWS):
        facts[f"{name.replace(' ', '_')}_p99_ms"] = _p(stats, name, "99%")
    return lines, problems, facts


def _window(c: dict[str, int], key: str, what: str) -> str:
    """First to last of the players' ``<key>_first``/``<key>_last`` moments."""
    first, last = c.get(f"{key}_first"), c.get(f"{key}_last")
    n = c.get("joined" if key == "join" else "welcomed", 0)
    if first is None or last is None:
        return f"{what}: -"
    s = (last - first) / 1000
    rate = f" ({n / s:,.0f}/s)" if s > 0 else ""
    return f"{what}: {n:,} within {s:.1f} s, first to last{rate}"


def _storm_lines(c: dict[str, int], storm: Storm, players: int) -> list[str]:
    drop_s = (c.get("drop_last", 0) - c.get("drop_first", 0)) / 1000
    back_s = (c.get("resume_last", 0) - c.get("drop_first", 0)) / 1000
    return [
        f"reconnect storm: {c.get('dropped', 0):,} sockets dropped (of {players:,}, share "
        f"{storm.share:g}) at question {storm.question} +{storm.at_s:g} s within {drop_s:.2f} s; "
        f"{c.get('resumed', 0):,} resumed, the last {back_s:.1f} s after the first drop",
        f"  {c.get('resumed_answered', 0):,} saw their answer in the welcome "
        f"({c.get('acked_by_welcome', 0)} of them acked by it: the ack went down with the "
        f"socket), {c.get('answered_after_resume', 0):,} answered after resuming, "
        f"{c.get('answers_resent', 0)} sent again (lost in the drop; "
        f"{c.get('acked_by_refusal', 0)} of them were recorded after all: already_answered); "
        f"resume failures {c.get('resume_failed', 0)}, welcome mismatches "
        f"{c.get('resume_mismatch', 0) + c.get('resume_lost_answer', 0)}",
    ]


def _storm_problems(c: dict[str, int], storm: Storm, players: int) -> list[str]:
    out = []
    want = int(players * storm.share)
    if abs(c.get("dropped", 0) - want) > 2:  # Locust processes number their own players
        out.append(f"{c.get('dropped', 0)} sockets dropped, {want} expected")
    if c.get("resumed", 0) != c.get("dropped", 0):
        out.append(f"{c.get('resumed', 0)} of {c.get('dropped', 0)} dropped players resumed")
    back = c.get("resumed_answered", 0) + c.get("answered_after_resume", 0)
    back += c.get("answers_resent", 0)
    if back != c.get("dropped", 0):
        out.append(f"{back} of {c.get('dropped', 0)} resumed players answered the storm question")
    return out


def _p(stats: dict[str, dict[str, str]], name: str, col: str) -> float | None:
    v = stats.get(name, {}).get(col, "")
    return float(v) if v not in ("", "N/A") else None


def server_answer_line(metrics_text: str) -> str | None:
    """The server's own time per accepted answer (``stadium_answer_seconds``,
    all workers), as the histogram's bucket bounds at p50 and p99: the part
    of the ack latency Locust measures that is the server's, the rest being
    the network and the load generator's own queueing."""
    buckets: list[tuple[float, float]] = []
    for fam in text_string_to_metric_families(metrics_text):
        if fam.name == "stadium_answer_seconds":
            buckets = sorted(
                (float(x.labels["le"]), x.value) for x in fam.samples if x.name.endswith("_bucket")
            )
    if not buckets or buckets[-1][1] == 0:
        return None
    total = buckets[-1][1]

    def at(q: float) -> str:
        le = next(le for le, n in buckets if n >= q * total)
        if le == float("inf"):  # past the last bound: say which
            return f"> {buckets[-2][0] * 1000:,g} ms"
        return f"<= {le * 1000:g} ms"

    return (
        f"server, answer frame read to ack queued (stadium_answer_seconds, {int(total):,} answers):"
        f" p50 {at(0.5)}, p99 {at(0.99)}"
    )
