"""The benchmarks still run, at a tiny size (their figures are not checked:
speed is measured by `make bench-*`, never asserted in the suite).

A refactor that silently breaks a path a benchmark compares (the fan-out
bench's channel-layer paths once stopped receiving anything) shows here
as a failed run instead of at the next measurement."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(180)


def run(*args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    p = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-3000:]
    return p.stdout


def test_fanout_bench_delivers_on_every_path() -> None:
    out = run("bench.bench_fanout", "--sizes", "40", "--repeats", "1")
    rows = {
        line.split()[1]: line.split() for line in out.splitlines() if line.startswith("    40 ")
    }
    assert set(rows) == {"relay", "bare", "core", "pubsub"}, out
    # columns: N path all ms p50 ms p99 ms vs lost cpu µs
    assert all(r[-3] == "0" for r in rows.values()), out  # no frame lost on any path
    assert all(float(r[-2]) >= 0 and r[-1] == "µs" for r in rows.values()), out


def test_answer_cpu_bench_acks_every_answer() -> None:
    out = run("bench.bench_answer_cpu", "--players", "40", "--questions", "2")
    (median,) = [ln.split() for ln in out.splitlines() if ln.startswith("median ")]
    # the bench fails (exit status) unless every answer is acked and every
    # player gets its result; CPU counts in 10 ms steps, so 40 may read 0
    assert median[2] == "µs" and median[4] == "µs", out
    assert float(median[1]) >= 0 and float(median[3]) >= 0, out


def test_join_cpu_bench_joins_and_welcomes_everyone() -> None:
    out = run("bench.bench_join_cpu", "--players", "60", "--rounds", "2", "--wave", "20")
    (median,) = [ln.split() for ln in out.splitlines() if ln.startswith("median ")]
    # the bench fails (exit status) unless every join gets its 201 and every
    # socket its welcome; CPU counts in 10 ms steps
    assert median[2] == "µs" and median[4] == "µs", out
    assert float(median[1]) > 0 and float(median[3]) >= 0, out


def test_engine_bench_runs() -> None:
    out = run("bench.bench_engine", "--players", "600", "--answers", "300", "--rounds", "1")
    assert "engine, micro-batched" in out and "redis-benchmark" in out, out
    rates = {}  # run name -> answers/s: the 4th of the 7 columns after the name
    for line in out.splitlines():
        if line.startswith(("engine, ", "redis-benchmark")):
            name, *cols = line.rsplit(None, 7)
            rates[name] = float(cols[3].replace(",", ""))
    for kind in ("true_false", "slider", "type_answer", "ordering"):
        assert rates[f"engine, micro-batched, {kind}"] > 0, out
        assert rates[f"redis-benchmark, {kind}, fixed"] > 0, out
    assert "per kind, engine as a share of its kind's fixed-value line: true_false" in out, out


def test_replicas_bench_prints_both_modes() -> None:
    out = run(
        "bench.bench_replicas", "--players", "300", "--answers", "300", "--lone", "20",
        "--rounds", "1",
    )  # fmt: skip
    lines = [ln.split() for ln in out.splitlines() if ln.startswith("WAIT ")]
    assert [(ln[0], ln[1], ln[2]) for ln in lines] == [
        ("WAIT", "off", "200"), ("WAIT", "1", "200"), ("WAIT", "off", "1"), ("WAIT", "1", "1"),
    ]  # fmt: skip
    assert "flusher guard" in out and out.startswith("machine: ")
