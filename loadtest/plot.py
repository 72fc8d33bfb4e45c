"""Latency plot of a load test, from Locust's ``*_stats_history.csv``.

Two panels over the run's time: the answer ack round trip and the tick lag
(p50, p95 and p99 over Locust's sliding window of the last seconds), with
the number of connected users on a second axis; the targets as dashed lines.

    python -m loadtest.plot loadtest/reports/<run>/locust_stats_history.csv docs/img/latency.png
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PANELS = (("answer", "answer ack round trip", 250), ("tick lag", "leaderboard tick lag", 1000))
LINES = (("50%", "p50"), ("95%", "p95"), ("99%", "p99"))


def load(path: Path) -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with path.open() as f:
        for row in csv.DictReader(f):
            rows[row["Name"]].append(row)
    return rows


def _num(v: str) -> float | None:
    return None if v in ("", "N/A") else float(v)


def plot(history: Path, out: Path, title: str = "") -> None:
    rows = load(history)
    agg = rows.get("Aggregated", [])
    t0 = float(agg[0]["Timestamp"]) if agg else 0.0
    fig, axes = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
    for ax, (name, label, target) in zip(axes, PANELS, strict=True):
        data = rows.get(name, [])
        ts = [float(r["Timestamp"]) - t0 for r in data]
        for col, lab in LINES:
            ys = [_num(r[col]) for r in data]
            pts = [(t, y) for t, y in zip(ts, ys, strict=True) if y is not None]
            if pts:
                ax.plot(*zip(*pts, strict=True), label=lab)
        ax.axhline(target, color="grey", linestyle="--", linewidth=1, label=f"target p99 {target}")
        ax.set_ylabel(f"{label} (ms)")
        ax.grid(alpha=0.3)
        users = ax.twinx()
        users.plot(
            [float(r["Timestamp"]) - t0 for r in agg],
            [int(r["User Count"]) for r in agg],
            color="black",
            alpha=0.25,
            linewidth=1,
        )
        users.set_ylabel("users", color="grey")
        ax.legend(loc="upper left", fontsize=8)
    axes[-1].set_xlabel("seconds since Locust started")
    fig.suptitle(title or "Stadium end-to-end load test")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("history", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--title", default="")
    a = ap.parse_args()
    plot(a.history, a.out, a.title)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
