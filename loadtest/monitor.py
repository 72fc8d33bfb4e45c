"""CPU and memory of the load test's processes, sampled once a second.

Groups of processes (the server's supervisor and workers, Redis, the flusher,
Locust) are named by a callable returning their pids. Per group it keeps the
CPU seconds used between :meth:`Monitor.mark` calls and the peak of the summed
RSS; ``connections`` (when given) reads the server's open player sockets
(``stadium_connections{kind="play"}`` in ``/metrics``), so the RSS at the
peak can be divided by the sockets open then.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psutil
import requests


@dataclass
class Group:
    pids: Callable[[], list[int]]
    cpu: dict[int, float] = field(default_factory=dict)  # pid -> last cpu seconds
    used: float = 0.0  # cpu seconds since mark()
    peak_cores: float = 0.0
    rss: int = 0
    peak_rss: int = 0
    base_rss: int = 0
    rss_at_peak_conns: int = 0


def play_sockets(url: str) -> Callable[[], int | None]:
    pat = re.compile(r'^stadium_connections\{kind="play"\}\s+([0-9.e+]+)', re.M)

    def read() -> int | None:
        try:
            m = pat.search(requests.get(f"{url}/metrics", timeout=2).text)
        except requests.RequestException:
            return None
        return int(float(m.group(1))) if m else None

    return read


class Monitor:
    def __init__(
        self, groups: dict[str, Callable[[], list[int]]], connections: Callable[[], int | None]
    ) -> None:
        self.groups = {k: Group(v) for k, v in groups.items()}
        self.connections = connections
        self.peak_conns = 0
        self.t0 = time.monotonic()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self, g: Group, dt: float) -> None:
        rss = 0
        used = 0.0
        for pid in g.pids():
            try:
                p = psutil.Process(pid)
                t = p.cpu_times()
                rss += p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
            now = t.user + t.system
            used += now - g.cpu.get(pid, now)
            g.cpu[pid] = now
        g.used += used
        if dt > 0:
            g.peak_cores = max(g.peak_cores, used / dt)
        g.rss = rss
        g.peak_rss = max(g.peak_rss, rss)

    def mark(self) -> None:
        """Start counting CPU from now; the current RSS is the baseline."""
        for g in self.groups.values():
            self._sample(g, 0)
            g.used, g.peak_cores, g.base_rss = 0.0, 0.0, g.rss
        self.t0 = time.monotonic()

    def start(self) -> None:
        self.mark()
        self.thread.start()

    def _loop(self) -> None:
        last = time.monotonic()
        k = 0
        while not self.stopped.wait(1.0):
            now = time.monotonic()
            for g in self.groups.values():
                self._sample(g, now - last)
            last = now
            k += 1
            if k % 3:  # /metrics costs the server a parse of every worker's file
                continue
            n = self.connections() or 0
            if n >= self.peak_conns:
                self.peak_conns = n
                for g in self.groups.values():
                    g.rss_at_peak_conns = g.rss

    def stop(self) -> float:
        """Stop sampling; returns the seconds since mark()."""
        self.stopped.set()
        self.thread.join(5)
        for g in self.groups.values():
            self._sample(g, 0)
        return time.monotonic() - self.t0
