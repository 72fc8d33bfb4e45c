"""docker-compose.yml, the Dockerfile, .env.example and the README agree with
the project: every command a service runs exists and accepts its options,
every variable set for the app is read by the settings (or by the named tool
that reads it), and the web and flusher commands are the documented ones.
No Docker engine is needed: the files are parsed.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import get_commands, load_command_class

from testkit.serve import production_args

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
# Services that run this project's image (built from the Dockerfile).
APP = {name: s for name, s in SERVICES.items() if "build" in s}

# Variables set for the app that Django does not read, and who does.
READ_ELSEWHERE = {
    "WEB_CONCURRENCY": "uvicorn/config.py",
    "FORWARDED_ALLOW_IPS": "uvicorn/config.py",
    "PROMETHEUS_MULTIPROC_DIR": "prometheus_client/values.py",
}

SETTINGS_VARS = set(
    re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', (ROOT / "config/settings.py").read_text())
)


def site_file(rel: str) -> Path:
    spec = importlib.util.find_spec(rel.split("/")[0])
    assert spec and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / rel.split("/", 1)[1]


def readme_docker_section() -> str:
    text = (ROOT / "README.md").read_text()
    m = re.search(r"^## With Docker\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m, "README.md has no '## With Docker' section"
    return m.group(1)


def test_the_services_are_there_with_health_checks() -> None:
    assert {"redis", "postgres", "web", "flusher", "locust-master", "locust-worker"} <= set(
        SERVICES
    )
    for name in ("redis", "postgres", "web"):
        assert SERVICES[name]["healthcheck"]["test"], name
    redis_cmd = " ".join(SERVICES["redis"]["command"])
    for opt in ("--appendonly yes", "--appendfsync everysec", "--maxmemory-policy noeviction"):
        assert opt in redis_cmd
    assert SERVICES["redis"]["image"].startswith("redis:7")
    assert SERVICES["postgres"]["image"].startswith("postgres:15")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in SERVICES["postgres"]["volumes"])
    for name in ("locust-master", "locust-worker"):
        assert SERVICES[name]["profiles"] == ["loadtest"]
    assert set(APP) == {"migrate", "web", "flusher", "webhooks", "locust-master", "locust-worker"}


@pytest.mark.parametrize("name", sorted(APP))
def test_every_command_exists_and_takes_its_options(name: str) -> None:
    cmd = APP[name]["command"]
    if cmd[:2] == ["python", "manage.py"]:
        commands = get_commands()
        assert cmd[2] in commands, f"{name}: manage.py {cmd[2]} does not exist"
        parser = load_command_class(commands[cmd[2]], cmd[2]).create_parser("manage.py", cmd[2])
        parser.parse_args(cmd[3:])  # exits (fails the test) on an unknown option
    elif cmd[:3] == ["python", "-m", "uvicorn"]:
        module, attr = cmd[3].split(":")
        assert importlib.util.find_spec(module), module
        assert attr in (ROOT / (module.replace(".", "/") + ".py")).read_text()
        from uvicorn.main import main

        main.make_context("uvicorn", list(cmd[3:]))  # click validates every option
    elif cmd[0] == "locust":
        assert shutil.which("locust") or (ROOT / ".venv/bin/locust").exists()
        assert cmd[1] == "-f" and cmd[2].startswith("loadtest/")
    else:
        pytest.fail(f"{name}: unknown command {cmd}")


def test_the_locustfile_exists() -> None:
    path = ROOT / SERVICES["locust-master"]["command"][2]
    if not path.exists():
        pytest.skip(f"{path.relative_to(ROOT)} is not written yet (the Locust load test)")
    assert SERVICES["locust-worker"]["command"][2] == SERVICES["locust-master"]["command"][2]


@pytest.mark.parametrize("name", sorted(APP))
def test_every_variable_set_for_the_app_is_read(name: str) -> None:
    for var in APP[name].get("environment", {}):
        if var in READ_ELSEWHERE:
            assert var in site_file(READ_ELSEWHERE[var]).read_text(), var
        else:
            assert var in SETTINGS_VARS, f"{name}: {var} is not read by config/settings.py"


def test_env_example_documents_every_setting() -> None:
    text = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, re.M))
    assert SETTINGS_VARS - documented == set(), "document these in .env.example"
    compose_only = {"POSTGRES_PASSWORD", "WEB_PORT", "LOCUST_PORT"} | set(READ_ELSEWHERE)
    assert documented - SETTINGS_VARS - compose_only == set(), "read by nothing"


def test_web_and_flusher_commands_are_the_documented_ones() -> None:
    section = readme_docker_section()
    assert "docker compose up" in section
    for name in ("web", "flusher"):
        assert shlex.join(SERVICES[name]["command"]) in section, name
    assert shlex.join(SERVICES["flusher"]["command"]) == (
        "python manage.py flush_scores --loop --interval 2"
    )


def options(args: list[str]) -> list[str]:
    """Command-line options minus the ones a deployment sets (where to listen,
    how many workers), so two launchers of one server can be compared."""
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a in ("--host", "--port", "--workers"):
            skip = True
        else:
            out.append(a)
    return out


def test_web_serves_like_scripts_run_sh_and_the_dockerfile() -> None:
    # testkit.serve reads the options of scripts/run.sh: the tests, the load
    # test and the benchmarks start this very command
    web = SERVICES["web"]["command"]
    assert options(web[3:]) == list(production_args())
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim AS app$", dockerfile, re.M)
    assert "pip install -r requirements.txt" in dockerfile
    cmd = re.search(r"^CMD (\[.*?\])$", dockerfile.replace("\\\n", ""), re.M | re.S)
    assert cmd and json.loads(cmd.group(1)) == web
