"""A private PostgreSQL cluster (initdb in a temporary directory, a free
loopback port) that a test may stop, start and destroy; the server binaries
are found with ``pg_config --bindir``."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psycopg

from .ports import HOST, free_port


def pg_bindir() -> Path:
    """Where initdb and pg_ctl are: ``pg_config --bindir``, else the newest
    Debian server version."""
    try:
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if (Path(out) / "initdb").exists():
            return Path(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found (pg_config --bindir, initdb)")
    return found[-1].parent


def _as_postgres(*args: str) -> list[str]:
    # initdb and postgres refuse to run as root
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return list(args)


class PrivatePostgres:
    """``url`` names the database ``stadium`` (made by :meth:`create_db`)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.bin = pg_bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="stadium-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        subprocess.run(
            _as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                         "--auth=trust", "-E", "UTF8", "--no-sync"),
            check=True, capture_output=True,
        )  # fmt: skip
        self.url = f"postgres://postgres@{HOST}:{self.port}/stadium"

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses={HOST} -c fsync=off"
        subprocess.run(
            _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts,
                         "-l", str(self.dir / "log"), "-w", "start"),
            check=True, capture_output=True,
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"),
            check=False, capture_output=True,
        )  # fmt: skip

    def create_db(self) -> None:
        admin = f"postgres://postgres@{HOST}:{self.port}/postgres"
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute("CREATE DATABASE stadium")

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def admin_sql(url: str, sql: str) -> None:
    """Run ``sql`` (CREATE/DROP DATABASE) on the server of ``url``, connected
    to its ``postgres`` database."""
    from urllib.parse import urlparse

    admin = urlparse(url)._replace(path="/postgres", query="").geturl()
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(sql)


def url_of(db: Mapping[str, Any]) -> str:
    """The URL of a Django DATABASES entry (pytest-django's test database
    included), for a server started in a subprocess."""
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or HOST}:{db.get('PORT') or 5432}/{db['NAME']}"
