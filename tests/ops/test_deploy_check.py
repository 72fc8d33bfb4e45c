"""Production settings pass ``manage.py check --deploy`` with no warning.

Run in a subprocess, since settings are read once per process. The control
case (the same command without production mode) shows the check does flag
what production mode fixes.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "STADIUM_PRODUCTION": "1",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "quiz.example.com",
}


def test_production_settings_pass_check_deploy() -> None:
    r = check_deploy(**PRODUCTION)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_without_production_mode_check_deploy_complains() -> None:
    r = check_deploy(**{**PRODUCTION, "STADIUM_PRODUCTION": "0"})
    assert r.returncode != 0
    assert "security.W008" in r.stderr  # SECURE_SSL_REDIRECT, set by production mode
