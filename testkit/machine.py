"""One line describing the machine, printed under every benchmark table."""

from __future__ import annotations

import os
import platform
import subprocess


def describe() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        redis_v = subprocess.run(
            ["redis-server", "--version"], capture_output=True, text=True, timeout=5
        ).stdout.split()[2]
    except (OSError, IndexError, subprocess.SubprocessError):
        redis_v = "?"
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"machine: {os.cpu_count()} cores, {cpu}, {mem_gb:.0f} GiB, "
        f"Python {platform.python_version()}, Redis {redis_v.removeprefix('v=')}"
    )
