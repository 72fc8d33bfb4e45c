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
# the public development key of config/settings.py, copied: importing the
# settings module here would read this process's environment
DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"


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


def manage_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_without_a_secret_key_refuses_to_start() -> None:
    base = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    for what, env in [
        ("no SECRET_KEY", {**base, **PRODUCTION}),
        ("empty SECRET_KEY", {**base, **PRODUCTION, "SECRET_KEY": ""}),
        ("the development key", {**base, **PRODUCTION, "SECRET_KEY": DEV_SECRET}),
    ]:
        if what == "no SECRET_KEY":
            env.pop("SECRET_KEY")
        r = manage_check(env)
        assert r.returncode != 0, f"{what}: started anyway\n{r.stdout}"
        assert "ImproperlyConfigured" in r.stderr, what
        assert "STADIUM_PRODUCTION=1 needs a SECRET_KEY of its own" in r.stderr, what


def test_without_production_mode_the_development_key_still_serves() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    r = manage_check({**env, "STADIUM_PRODUCTION": "0"})
    assert r.returncode == 0, r.stderr
