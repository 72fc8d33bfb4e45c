"""The server as production runs it: the uvicorn command line of
``scripts/run.sh`` (the timed HTTP protocol, the WebSocket protocol with the
clean 1009, the size limits), read from that script so that the tests, the
load test and the benchmarks can never drift from it. Only where to listen,
the worker count and the options a caller names differ."""

from __future__ import annotations

import contextlib
import os
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import httpx

from . import processes
from .ports import HOST, free_port

ROOT = Path(__file__).resolve().parents[1]
RUN_SH = ROOT / "scripts" / "run.sh"
START_S = 60  # a safety net against a server that never comes up, not a measure
DEPLOYMENT = ("--host", "--port", "--workers")  # set by whoever deploys it


def _pairs(args: Sequence[str]) -> list[tuple[str, str | None]]:
    """``[--opt, value, --flag, ...]`` as (option, value or None) pairs."""
    out: list[tuple[str, str | None]] = []
    i = 0
    while i < len(args):
        opt = args[i]
        if i + 1 < len(args) and not args[i + 1].startswith("--"):
            out.append((opt, args[i + 1]))
            i += 2
        else:
            out.append((opt, None))
            i += 1
    return out


@lru_cache(maxsize=1)
def production_args() -> tuple[str, ...]:
    """What follows ``python -m uvicorn`` in scripts/run.sh: the application,
    then every option but --host, --port and --workers."""
    text = RUN_SH.read_text().replace("\\\n", " ")
    line = next(ln for ln in text.splitlines() if "-m uvicorn" in ln)
    app, *rest = shlex.split(line.split("-m uvicorn", 1)[1])
    out = [app]
    for opt, value in _pairs(rest):
        if opt not in DEPLOYMENT:
            out += [opt] if value is None else [opt, value]
    return tuple(out)


def uvicorn_command(
    port: int,
    *,
    host: str = HOST,
    workers: int | None = None,
    options: Mapping[str, str | None] | None = None,
    app: str | None = None,
) -> list[str]:
    """The production command on ``host:port``. ``options`` changes the value
    of a production option (``{"--ws-max-size": "4096"}``), removes it (value
    None) or adds one (e.g. ``--log-level``); a flag without a value is given
    as ``""``. ``app`` serves another ASGI application with the production
    server options (a test's probe of the protocol)."""
    production_app, *rest = production_args()
    app = app or production_app
    pairs = dict(_pairs(rest))
    for opt, value in (options or {}).items():
        if value is None:
            pairs.pop(opt, None)
        else:
            pairs[opt] = value or None
    args = [sys.executable, "-m", "uvicorn", app, "--host", host, "--port", str(port)]
    if workers is not None:
        args += ["--workers", str(workers)]
    for opt, v in pairs.items():
        args += [opt] if v is None else [opt, v]
    return args


class Uvicorn:
    """One uvicorn server (its supervisor and workers) started with
    :func:`uvicorn_command`, output in ``log`` (appended) or inherited."""

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        port: int | None = None,
        workers: int | None = None,
        options: Mapping[str, str | None] | None = None,
        log: Path | None = None,
        app: str | None = None,
    ) -> None:
        self.port = port or free_port()
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.cmd = uvicorn_command(self.port, workers=workers, options=options, app=app)
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def http(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://{HOST}:{self.port}"

    def start(self, accept: Collection[int] | None = (200,), timeout: float = START_S) -> Uvicorn:
        """Start and wait until ``/healthz`` answers with a status in
        ``accept`` (None: until the port takes connections, for a server
        whose health does not matter, e.g. one without a database)."""
        out = self.log.open("ab") if self.log else None
        try:
            self.proc = subprocess.Popen(
                self.cmd,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT if out else None,
            )
        finally:
            if out:
                out.close()  # the child has its own copy
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            if accept is None:
                with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 1):
                    return self
            else:
                try:
                    if httpx.get(f"{self.http}/healthz", timeout=2).status_code in accept:
                        return self
                except httpx.HTTPError:
                    pass
            time.sleep(0.1)
        self.stop()
        tail = self.log_text()[-4000:] if self.log else "(output not captured)"
        raise RuntimeError(f"uvicorn did not start on port {self.port}:\n{tail}")

    def stop(self) -> None:
        processes.stop(self.proc)

    def restart(self) -> None:
        """Stopped and started on the same port, as a deploy or a crash would."""
        self.stop()
        self.start()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log and self.log.exists() else ""

    def tracebacks(self) -> str:
        """The server's log when it holds a traceback, else ''."""
        text = self.log_text()
        return text if "Traceback" in text else ""
