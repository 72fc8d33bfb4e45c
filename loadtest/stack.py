"""The private stack of a local load test: Redis, a database, the server, the flusher.

Nothing here touches the shared services: Redis runs as a private
``redis-server`` (no persistence) on its own port, the database is a private
one created (and by default dropped) on the shared PostgreSQL, and the ASGI
server is the ``scripts/run.sh`` command (testkit.serve: uvicorn, W workers)
plus the flusher ``manage.py flush_scores --loop``. Every process started here is
stopped by :meth:`Stack.stop`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import requests

from testkit.ports import free_port, port_free
from testkit.redis_server import PrivateRedis
from testkit.serve import ROOT, uvicorn_command

__all__ = ["ROOT", "Stack", "free_port"]
PG = "postgres://postgres@127.0.0.1:5432"


class Stack:
    def __init__(
        self, *, redis_port: int, db: str, workers: int, ws: str, log_dir: Path, keep_db: bool
    ) -> None:
        self.redis_port = redis_port
        self.db = db
        self.workers = workers
        self.ws = ws
        self.log_dir = log_dir
        self.keep_db = keep_db
        self.tmp = tempfile.mkdtemp(prefix="stadium-load-")
        self.port = free_port()
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.redis: PrivateRedis | None = None
        self.db_made = False
        self.env = {
            **os.environ,
            "DATABASE_URL": f"{PG}/{db}",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "PROMETHEUS_MULTIPROC_DIR": os.path.join(self.tmp, "prom"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        os.mkdir(self.env["PROMETHEUS_MULTIPROC_DIR"])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, name: str, cmd: list[str]) -> subprocess.Popen[bytes]:
        out = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        p = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.procs[name] = p
        return p

    def manage(self, *args: str) -> str:
        r = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True
        )
        if r.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)}: {r.stderr.decode()[-2000:]}")
        return r.stdout.decode()

    def start(self, say: object = print) -> None:
        if not port_free(self.redis_port):
            raise RuntimeError(f"port {self.redis_port} is busy: pick another --redis-port")
        self.redis = PrivateRedis(self.redis_port, args=["--maxclients", "20000"]).start()
        assert self.redis.proc is not None
        self.procs["redis"] = self.redis.proc  # watched by the monitor, stopped by destroy()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", self.db])
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", self.db], check=True)
        self.db_made = True
        self.manage("migrate", "--noinput")
        self.manage("demo_setup")  # the host account: host / stadium-demo
        self._spawn(
            "server",
            uvicorn_command(self.port, workers=self.workers, options={
                "--ws": self.ws, "--log-level": "warning", "--backlog": "8192"}),
        )  # fmt: skip
        self._spawn("flusher", [sys.executable, "manage.py", "flush_scores", "--loop"])
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not answer /healthz within 60 s")

    def pids(self, name: str) -> list[int]:
        """The process and its children (uvicorn's supervisor and workers)."""
        p = self.procs.get(name)
        if p is None or p.poll() is not None:
            return []
        try:
            me = psutil.Process(p.pid)
            return [me.pid, *(c.pid for c in me.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []

    def stop(self) -> None:
        for name in ("flusher", "server"):
            p = self.procs.pop(name, None)
            if p is None:
                continue
            p.terminate()
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        if self.redis is not None:
            self.redis.destroy()
        if self.db_made and not self.keep_db:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", self.db]
            )
        shutil.rmtree(self.tmp, ignore_errors=True)
