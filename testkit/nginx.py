"""nginx in front of Stadium's servers, as the tests run it: the shipped
config (deploy/nginx/stadium.conf.template) rendered the way envsubst
renders it for docker-compose.yml, only the placeholders' values differing,
and an nginx process of the test's own on a free loopback port, its pid and
temporary files in a directory of its own (never the system service)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from . import processes
from .ports import HOST, free_port
from .serve import ROOT, START_S

TEMPLATE = ROOT / "deploy" / "nginx" / "stadium.conf.template"
# nginx connects to the servers from this address in the tests, and the
# servers trust forwarded headers from it only (FORWARDED_ALLOW_IPS)
PROXY_ADDR = "127.0.0.2"
# envsubst's two forms, $NAME and ${NAME}, of the template's own names only
_PLACEHOLDER = re.compile(r"\$\{(STADIUM_NGINX_[A-Z0-9_]+)\}|\$(STADIUM_NGINX_[A-Z0-9_]+)")


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in _PLACEHOLDER.findall(text)}


def render(values: Mapping[str, str], template: Path = TEMPLATE) -> str:
    """The template with each placeholder replaced by its value; every
    placeholder needs one, and every value a placeholder."""
    text = template.read_text()
    names = placeholders(text)
    missing, unknown = names - set(values), set(values) - names
    if missing or unknown:
        raise ValueError(
            f"placeholders without a value: {sorted(missing)}; unknown: {sorted(unknown)}"
        )
    return _PLACEHOLDER.sub(lambda m: values[m.group(1) or m.group(2)], text)


def loopback_values(
    port: int,
    upstreams: Sequence[str],
    static_dir: Path,
    run_dir: Path,
    *,
    header_timeout: str = "10s",
    proxy_bind: str = PROXY_ADDR,
) -> dict[str, str]:
    """The placeholders' values for an nginx on ``HOST:port`` in front of
    ``upstreams`` ("host:port" of Stadium servers)."""
    return {
        "STADIUM_NGINX_LISTEN": f"{HOST}:{port}",
        "STADIUM_NGINX_UPSTREAMS": " ".join(f"server {u};" for u in upstreams),
        "STADIUM_NGINX_PROXY_BIND": proxy_bind,
        "STADIUM_NGINX_STATIC_DIR": str(static_dir),
        "STADIUM_NGINX_RUN_DIR": str(run_dir),
        "STADIUM_NGINX_HEADER_TIMEOUT": header_timeout,
    }


def nginx_binary() -> str | None:
    """$NGINX, or nginx on the PATH or in /usr/sbin (scripts/nginx.sh installs it)."""
    for candidate in (os.environ.get("NGINX"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class Nginx:
    """One nginx (master and workers) over ``upstreams`` ("host:port" of
    Stadium servers), its access log and errors in ``log``."""

    def __init__(
        self,
        upstreams: Sequence[str],
        static_dir: Path,
        *,
        header_timeout: str = "10s",
        proxy_bind: str = PROXY_ADDR,
        port: int | None = None,
    ) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (scripts/nginx.sh)")
        self.binary = binary
        self.port = port or free_port()
        # Readable by all: started as root, nginx's workers run as another user.
        self.dir = Path(tempfile.mkdtemp(prefix="stadium-nginx-"))
        self.dir.chmod(0o755)
        self.values = loopback_values(
            self.port,
            upstreams,
            static_dir,
            self.dir,
            header_timeout=header_timeout,
            proxy_bind=proxy_bind,
        )
        self.conf = self.dir / "nginx.conf"
        self.conf.write_text(render(self.values))
        self.log = self.dir / "nginx.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def http(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://{HOST}:{self.port}"

    def command(self, *args: str) -> list[str]:
        # -e: errors before the config is read go to stderr, not to a
        # system log file the test may not write
        return [self.binary, "-p", f"{self.dir}/", "-c", str(self.conf), "-e", "stderr", *args]

    def check(self) -> subprocess.CompletedProcess[str]:
        """``nginx -t`` on the rendered config."""
        return subprocess.run(
            self.command("-t"), capture_output=True, text=True, timeout=30, check=False
        )

    def start(self, timeout: float = START_S) -> Nginx:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.command("-g", "daemon off;"), stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 1):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not start on port {self.port}:\n{self.log_text()[-4000:]}")

    def stop(self) -> None:
        processes.stop(self.proc)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""
