"""`make lint` type-checks every package of the server, strictly: the engine,
the Django app, the sockets, the settings and the test harness (issue 12).
The Makefile's own mypy command is run, as `make lint` runs it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"engine", "quiz", "sockets", "config", "testkit"}


def lint_mypy_command() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "no lint target in the Makefile"
    lines = [line.strip() for line in recipe.group(1).splitlines() if "/bin/mypy" in line]
    assert len(lines) == 1, recipe.group(1)
    venv_bin = Path(sys.executable).parent
    return lines[0].replace("$(VENV)/bin/", f"{venv_bin}/").split()


def test_mypy_config_is_strict_on_every_package_with_django_stubs():
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert mypy["strict"] is True
    assert set(mypy["packages"]) >= PACKAGES
    assert "mypy_django_plugin.main" in mypy["plugins"]


def test_make_lint_mypy_passes_on_every_package():
    cmd = lint_mypy_command()
    assert not PACKAGES & set(cmd), f"packages come from pyproject.toml, not the command: {cmd}"
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("Success: no issues found"), out.stdout
