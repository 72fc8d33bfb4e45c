"""The engine knows no Django: every module of ``engine`` imports in a fresh
interpreter where django, channels, quiz and sockets cannot be imported at
all (the import-linter contracts check the source; this checks what really
runs, lazy imports included)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, pkgutil, sys

FORBIDDEN = ("django", "channels", "quiz", "sockets")

class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in FORBIDDEN:
            raise ImportError(f"the engine imported {name}")
        return None

sys.meta_path.insert(0, Refuse())
import engine
names = [m.name for m in pkgutil.walk_packages(engine.__path__, "engine.")]
for name in names:
    importlib.import_module(name)
print(len(names), "modules")
"""


def test_every_engine_module_imports_without_django() -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}  # no DJANGO_SETTINGS_MODULE
    r = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.split()[0]) >= 10, r.stdout
