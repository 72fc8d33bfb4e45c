"""``make loadtest``: one game, P players, N questions, end to end, with Locust.

Starts a private stack (``loadtest/stack.py``: Redis on ``--redis-port``, a
fresh database ``--db``, the uvicorn server with ``--workers``, the flusher),
or targets ``--url`` (then nothing is started). The host driver opens the
game, Locust runs the players headless (``--processes`` worker processes),
the host runs the questions; Locust stops by itself once the game is over.
Then ``manage.py verify_game`` checks Redis against PostgreSQL and a
one-screen summary is printed. Reports go to ``loadtest/reports/<timestamp>/``
(Locust CSV and HTML, counters, host log, summary). Exits 1 on any error,
lost or doubled answer, or verify difference; with ``--enforce-targets`` also
when a latency target is missed. With ``--teams N`` the game has N teams
(``Team 1``..``Team N``), the players join team ``i % N``, and the final team
board is checked against the results JSON, the players' own scores and the
host's ``game_over`` (loadtest/team_board.py).

    python -m loadtest.run --players 5000 --questions 10 --processes 2 --rate 100
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import requests

from testkit.machine import describe
from testkit.ports import free_port

from . import host_driver, summary, team_board
from .monitor import Monitor, play_sockets
from .stack import ROOT, Stack


def parse() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--players", type=int, default=200)
    ap.add_argument("--questions", type=int, default=5)
    ap.add_argument("--rate", type=float, default=100, help="players joining per second")
    ap.add_argument(
        "--join-rate", dest="rate", type=float, help="the join storm: --rate, with its targets"
    )
    ap.add_argument("--processes", type=int, default=1, help="Locust processes (1: no workers)")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument(
        "--ws",
        default="sockets.ws_server:WSProtocol",
        choices=["sockets.ws_server:WSProtocol", "websockets", "wsproto"],
    )
    ap.add_argument("--ws-client", default="light", choices=["light", "websocket-client"])
    ap.add_argument("--time-limit", type=int, default=20, help="seconds per question")
    ap.add_argument("--pace", type=float, default=0, help="host closes after (default: limit+1)")
    ap.add_argument("--gap", type=float, default=2.0, help="seconds between questions")
    ap.add_argument("--answer-delay", default="0.5,4", help="min,max seconds to answer")
    ap.add_argument("--url", help="target a running server; start nothing")
    ap.add_argument("--username", default="host")
    ap.add_argument("--password", default="stadium-demo")
    ap.add_argument("--redis-port", type=int, default=0, help="(default: a free port)")
    ap.add_argument("--db", default="stadium_load")
    ap.add_argument("--keep-db", action="store_true", help="do not drop the private database")
    ap.add_argument("--no-verify", action="store_true", help="with --url and no DB access")
    ap.add_argument("--profile", action="store_true", help="py-spy the server workers")
    ap.add_argument("--report-dir", type=Path, default=None)
    ap.add_argument("--enforce-targets", action="store_true")
    ap.add_argument("--teams", type=int, default=0, help="N teams, player i joins i %% N (0: off)")
    ap.add_argument("--team-mode", default="choose", choices=["choose", "auto"])
    ap.add_argument("--team-score", default="sum", choices=["sum", "average"])
    ap.add_argument(
        "--reconnect-storm", type=float, default=0.0,
        help="share of players whose sockets drop at once mid-question, then resume (0: off)",
    )  # fmt: skip
    ap.add_argument("--storm-question", type=int, default=0, help="(default: the middle one)")
    ap.add_argument("--storm-at", type=float, default=2.0, help="seconds into that question")
    ap.add_argument("--ack-p99-ms", type=float, default=250)
    ap.add_argument("--tick-p99-ms", type=float, default=1000)
    ap.add_argument("--join-p99-ms", type=float, default=1000)
    ap.add_argument("--resume-p99-ms", type=float, default=2000)
    a = ap.parse_args()
    a.join_storm = "--join-rate" in sys.argv
    a.redis_port = a.redis_port or free_port()
    if not 0 <= a.reconnect_storm <= 1:
        ap.error("--reconnect-storm: a share from 0 (off) to 1")
    a.storm_question = a.storm_question or (a.questions + 1) // 2
    if a.reconnect_storm and not 1 <= a.storm_question <= a.questions:
        ap.error(f"--storm-question: 1 to {a.questions}")
    if a.teams and not 2 <= a.teams <= 100:
        ap.error("--teams: 0 (off) or 2 to 100")
    return a


def say(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", flush=True)


def locust_cmd(a: argparse.Namespace, url: str, pin: str, out: Path, cap_s: int) -> list[str]:
    cmd = [sys.executable, "-m", "locust", "-f", str(ROOT / "loadtest" / "locustfile.py"),
           "--headless", "-u", str(a.players), "-r", str(a.rate), "-H", url, "--pin", pin,
           "-t", f"{cap_s}s", "--stop-timeout", "5", "--csv", str(out / "locust"),
           "--csv-full-history", "--html", str(out / "report.html"), "--only-summary",
           "--counters-file", str(out / "counters.json"), "--answer-delay", a.answer_delay,
           "--clock-offset-ms", "0" if not a.url else "auto", "--loglevel", "INFO", "--ws-client", a.ws_client]  # fmt: skip
    if a.processes > 1:
        cmd += ["--processes", str(a.processes)]
    if a.teams:
        cmd += ["--teams", str(a.teams), "--team-mode", a.team_mode]
    if a.reconnect_storm:
        cmd += ["--reconnect-storm", str(a.reconnect_storm), "--storm-question",
                str(a.storm_question), "--storm-at", str(a.storm_at)]  # fmt: skip
    return cmd


def run(a: argparse.Namespace, out: Path) -> int:
    stack = None
    url = a.url
    if not url:
        stack = Stack(
            redis_port=a.redis_port, db=a.db, workers=a.workers, ws=a.ws, log_dir=out,
            keep_db=a.keep_db,
        )  # fmt: skip
    profilers: list[subprocess.Popen[bytes]] = []
    try:
        if stack is not None:
            say(f"starting Redis :{a.redis_port}, database {a.db}, server ({a.workers} workers)")
            stack.start()
            url = stack.url
        assert url
        game = host_driver.setup(
            url, username=a.username, password=a.password, questions=a.questions,
            time_limit=a.time_limit,
            teams=team_board.setting(a.teams, mode=a.team_mode, score=a.team_score),
        )  # fmt: skip
        say(f"game {game.game}, PIN {game.pin}; {a.players} players, {a.questions} questions"
            + (f", {a.teams} teams ({a.team_mode}, {a.team_score})" if a.teams else ""))  # fmt: skip
        conns = play_sockets(url)
        groups: dict[str, Any] = {}
        if stack is not None:
            groups = {n: (lambda n=n: stack.pids(n)) for n in ("server", "redis", "flusher")}
        cap = int(a.players / a.rate + a.questions * (a.time_limit + a.gap + 5) + 120)
        loc_out = open(out / "locust.log", "wb")  # noqa: SIM115
        loc = subprocess.Popen(
            locust_cmd(a, url, game.pin, out, cap), cwd=ROOT, stdout=loc_out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        groups["locust"] = lambda: _tree(loc.pid)
        mon = Monitor(groups, conns)
        overflows = _listen_overflows()
        mon.start()
        played: dict[str, Any] = {}

        def host() -> None:
            try:
                p = host_driver.play(
                    game, players=a.players, questions=a.questions,
                    pace=a.pace or a.time_limit + 1, gap=a.gap, connected=conns, say=say,
                    on_start=lambda: _profile(a, stack, out, profilers),
                )  # fmt: skip
                played.update(asdict(p))
            except Exception as e:  # noqa: BLE001 - reported in the summary
                played["errors"] = [repr(e)]
                say(f"host failed: {e!r}")

        th = threading.Thread(target=host, daemon=True)
        th.start()
        try:
            loc.wait(cap + 90)
        except subprocess.TimeoutExpired:
            say("Locust did not stop by itself: stopping it")
            loc.send_signal(signal.SIGINT)
            loc.wait(60)
        secs = mon.stop()
        overflows = -1 if overflows < 0 else _listen_overflows() - overflows
        served = _server_answers(url, out) if stack is not None else None
        for p in profilers:
            p.send_signal(signal.SIGINT)
        for p in profilers:
            p.wait(60)
        th.join(150)
        verify_ok, verify_text = True, "skipped (--no-verify)"
        if not a.no_verify:
            env = stack.env if stack is not None else os.environ
            r = subprocess.run(
                [sys.executable, "manage.py", "verify_game", game.game], cwd=ROOT, env=env,
                capture_output=True, text=True,
            )  # fmt: skip
            verify_ok, verify_text = r.returncode == 0, r.stdout + r.stderr
        (out / "verify.txt").write_text(verify_text)
        (out / "host.json").write_text(json.dumps(played, indent=1))
        counters = {}
        if (out / "counters.json").exists():
            counters = json.loads((out / "counters.json").read_text())
        lines, problems, facts = summary.build(
            players=a.players, questions=a.questions, stats=summary.locust_stats(out / "locust"),
            failures=summary.locust_failures(out / "locust"), counters=counters, host=played,
            verify_text=verify_text, verify_ok=verify_ok,
            resources=_resources(mon, secs, a, overflows) + ([served] if served else []),
            targets=(a.ack_p99_ms, a.tick_p99_ms),
            storm=summary.Storm(
                share=a.reconnect_storm, question=a.storm_question, at_s=a.storm_at,
                resume_p99_ms=a.resume_p99_ms,
            ) if a.reconnect_storm else None,
            join_p99_ms=a.join_p99_ms if a.join_storm else None,
        )  # fmt: skip
        if a.teams:
            team_lines, team_problems = _teams(a, game, played, counters, verify_text)
            lines += team_lines
            problems += team_problems
            facts["teams"] = {"n": a.teams, "mode": a.team_mode, "score": a.team_score,
                              "board_ok": not team_problems}  # fmt: skip
        head = [
            f"Stadium load test: {a.players:,} players, {a.questions} questions, one game "
            f"({a.workers} server workers, --ws {a.ws}, Locust processes {a.processes}, "
            f"join rate {a.rate:g}/s, answer delay {a.answer_delay} s, client {a.ws_client}"
            + (f", {a.teams} teams {a.team_mode}/{a.team_score}" if a.teams else "")
            + (
                f", reconnect storm {a.reconnect_storm:g} at question {a.storm_question}"
                f" +{a.storm_at:g} s"
                if a.reconnect_storm
                else ""
            )
            + ")",
            describe(),
            f"reports: {out}",
            "",
        ]
        tail = ["", "PROBLEMS:", *problems] if problems else ["", "no errors, no lost answers"]
        if a.enforce_targets and not facts["targets_met"]:
            problems.append("latency target missed")
        text = "\n".join(head + lines + tail)
        print("\n" + text, flush=True)
        (out / "summary.txt").write_text(text + "\n")
        (out / "summary.json").write_text(
            json.dumps(
                {
                    "players": a.players,
                    "questions": a.questions,
                    "problems": problems,
                    "counters": counters,
                    **facts,
                },
                indent=1,
            )  # fmt: skip
        )
        return 1 if problems else 0
    finally:
        for p in profilers:
            if p.poll() is None:
                p.kill()
        if stack is not None:
            stack.stop()


def _teams(
    a: argparse.Namespace,
    game: host_driver.Game,
    played: dict[str, Any],
    counters: dict[str, int],
    verify_text: str,
) -> tuple[list[str], list[str]]:
    """The final team board checked (see loadtest/team_board.py)."""
    results = None
    try:
        results = host_driver.results(game)
    except Exception as e:  # noqa: BLE001 - reported as a problem
        say(f"results JSON: {e!r}")
    return team_board.check(
        n=a.teams, rule=a.team_score, results=results, over_teams=played.get("teams"),
        counters=counters, verify_text=verify_text,
    )  # fmt: skip


def _tree(pid: int) -> list[int]:
    import psutil

    try:
        me = psutil.Process(pid)
        return [pid, *(c.pid for c in me.children(recursive=True))]
    except psutil.NoSuchProcess:
        return []


def _profile(
    a: argparse.Namespace, stack: Stack | None, out: Path, procs: list[subprocess.Popen[bytes]]
) -> None:
    """py-spy each server worker from the first question on (raw stacks)."""
    if not a.profile or stack is None:
        return
    spy = Path(sys.executable).with_name("py-spy")
    for pid in stack.pids("server")[1:]:  # the workers, not the supervisor
        procs.append(
            subprocess.Popen(
                [
                    str(spy),
                    "record",
                    "--pid",
                    str(pid),
                    "--rate",
                    "50",
                    "--format",
                    "raw",
                    "--output",
                    str(out / f"profile-{pid}.txt"),
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
        )


def _listen_overflows() -> int:
    """Linux's count of connections dropped because a listen queue was full
    (TcpExt ListenOverflows; machine-wide): a client then waits for the
    kernel's SYN-ACK retry, 1 s and more. -1 where it cannot be read."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return -1
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            got = dict(zip(names.split()[1:], values.split()[1:], strict=False))
            return int(got.get("ListenOverflows", -1))
    return -1


def _server_answers(url: str, out: Path) -> str | None:
    """Our server's own time per answer, from its /metrics (all workers),
    which are kept in the report directory (metrics.txt)."""
    try:
        text = requests.get(f"{url}/metrics", timeout=10).text
    except requests.RequestException:
        return None
    (out / "metrics.txt").write_text(text)
    return summary.server_answer_line(text)


def _resources(mon: Monitor, secs: float, a: argparse.Namespace, overflows: int) -> list[str]:
    out = [f"CPU over {secs:.0f} s (2 cores = 200%): "]
    out[0] += ", ".join(
        f"{name} {g.used:.0f} s ({100 * g.used / secs:.0f}% avg, peak {100 * g.peak_cores:.0f}%)"
        for name, g in mon.groups.items()
        if g.used or g.rss
    )
    srv = mon.groups.get("server")
    if srv is not None and mon.peak_conns:
        per = (srv.rss_at_peak_conns - srv.base_rss) / mon.peak_conns
        out.append(
            f"server RSS: {srv.base_rss / 2**20:.0f} MiB before the players, "
            f"{srv.rss_at_peak_conns / 2**20:.0f} MiB with {mon.peak_conns:,} player sockets "
            f"open: {per / 1024:.1f} KB per connection (playing, not idle); "
            f"peak {srv.peak_rss / 2**20:.0f} MiB"
        )
    if overflows >= 0:
        out.append(f"listen queue overflows during the run (machine-wide): {overflows}")
    return out


def main() -> None:
    a = parse()
    out = a.report_dir or ROOT / "loadtest" / "reports" / time.strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    sys.exit(run(a, out))


if __name__ == "__main__":
    main()
