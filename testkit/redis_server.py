"""A private ``redis-server`` on a loopback port: the shared Redis is never
killed, emptied or flushed by a test or a benchmark."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from typing import Any

import redis

from . import processes
from .ports import HOST, free_port

START_S = 60  # a safety net against a server that never answers (AOF loading)


class PrivateRedis:
    """One redis-server process on ``port`` (a free one by default) and a
    directory of its own. ``aof``: append-only with ``appendfsync always``,
    so a SIGKILL loses nothing and :meth:`start` after :meth:`kill` comes back
    with every write; without it a restarted server comes back empty."""

    def __init__(
        self, port: int | None = None, *, aof: bool = False, args: Sequence[str] = ()
    ) -> None:
        self.port = port or free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        self.dir = tempfile.mkdtemp(prefix="stadium-redis-")
        self.aof = aof
        self.args = list(args)
        self.proc: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        aof = ["--appendonly", "yes", "--appendfsync", "always"] if self.aof else []
        return [
            "redis-server", "--bind", HOST, "--port", str(self.port), "--dir", self.dir,
            "--save", "", *(aof or ["--appendonly", "no"]), *self.args,
        ]  # fmt: skip

    def start(self) -> PrivateRedis:
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is needed (apt-get install redis-server)")
        self.proc = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL)
        client = redis.Redis(host=HOST, port=self.port)
        deadline = time.monotonic() + START_S
        try:
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"redis-server could not start on port {self.port}")
                try:
                    # ours, not another server that took the port meanwhile;
                    # refused (BUSY LOADING) while an AOF is read back
                    if client.info("server")["process_id"] == self.proc.pid:
                        return self
                except redis.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not answer on port {self.port}")
                time.sleep(0.05)
        finally:
            client.close()

    def kill(self) -> None:
        """SIGKILL: no shutdown save, as a crash."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def stop(self) -> None:
        processes.stop(self.proc, 10)
        self.proc = None

    def client(self, **kwargs: Any) -> Any:
        return redis.Redis.from_url(self.url, **kwargs)

    def destroy(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PrivateRedis:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.destroy()
