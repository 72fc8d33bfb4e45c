"""docker-compose.yml, the Dockerfile, .env.example and the README agree with
the project: every command a service runs exists and accepts its options,
every variable set for the app is read by the settings (or by the named tool
that reads it), the web and flusher commands are the documented ones, and
the nginx in front runs the shipped config the proxy tests run.
No Docker engine is needed: the files are parsed.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands, load_command_class

from testkit.nginx import TEMPLATE, placeholders, render
from testkit.serve import production_args

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
# Services that run this project's image (built from the Dockerfile; the
# nginx service is built from its proxy stage, an nginx image).
APP = {name: s for name, s in SERVICES.items() if "build" in s and s["build"]["target"] != "proxy"}

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
    assert {"redis", "postgres", "web", "flusher", "nginx", "locust-master", "locust-worker"} <= (
        set(SERVICES)
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


# --- nginx in front of web ------------------------------------------------------


def dockerfile_stage(name: str) -> str:
    """The Dockerfile's stage ``name``, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    m = re.search(rf"^FROM \S+ AS {name}\n(.*?)(?=^FROM |\Z)", text, re.M | re.S)
    assert m, f"the Dockerfile has no {name} stage"
    return m.group(0)


def proxy_env() -> dict[str, str]:
    """The nginx container's environment: the proxy stage's ENV, then the
    service's own."""
    env: dict[str, str] = {}
    for line in re.findall(r"^ENV (.*)$", dockerfile_stage("proxy"), re.M):
        env.update(pair.split("=", 1) for pair in shlex.split(line))
    return {**env, **SERVICES["nginx"]["environment"]}


def compose_values() -> dict[str, str]:
    return {k: v for k, v in proxy_env().items() if k.startswith("STADIUM_NGINX_")}


def test_nginx_runs_the_shipped_config_in_front_of_web() -> None:
    nginx, web = SERVICES["nginx"], SERVICES["web"]
    assert nginx["build"] == {"context": ".", "target": "proxy"}
    stage = dockerfile_stage("proxy")
    # "resolve" on upstream servers (every replica of web) needs nginx 1.27.3+
    m = re.search(r"^FROM nginx:1\.(\d+)(\.\d+)? AS proxy$", stage, re.M)
    assert m and int(m.group(1)) >= 28, stage
    # the image's envsubst step renders the shipped template into nginx.conf
    # itself, substituting only the template's own names
    copy = re.search(r"^COPY (\S+) /etc/nginx/templates/nginx\.conf\.template$", stage, re.M)
    assert copy and ROOT / copy.group(1) == TEMPLATE, stage
    env = proxy_env()
    assert env["NGINX_ENVSUBST_OUTPUT_DIR"] == "/etc/nginx"
    assert env["NGINX_ENVSUBST_FILTER"] == "STADIUM_NGINX_"
    # the static files nginx serves are the app image's collectstatic
    app_stage = dockerfile_stage("app")
    assert "WORKDIR /app" in app_stage and "collectstatic --noinput" in app_stage
    assert settings.STATIC_ROOT == settings.BASE_DIR / "staticfiles"
    static_dir = env["STADIUM_NGINX_STATIC_DIR"]
    assert f"COPY --from=app /app/staticfiles {static_dir}" in stage
    # published on WEB_PORT; web is reached through nginx only
    assert nginx["ports"] == ["${WEB_PORT:-8000}:80"] and env["STADIUM_NGINX_LISTEN"] == "80"
    assert nginx["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert "ports" not in web
    # every replica of web, re-resolved through Docker's DNS
    port = web["command"][web["command"].index("--port") + 1]
    assert f"server web:{port} resolve;" in env["STADIUM_NGINX_UPSTREAMS"]
    assert "resolver 127.0.0.11 " in env["STADIUM_NGINX_UPSTREAMS"]
    assert env["STADIUM_NGINX_PROXY_BIND"] == "off"
    # web trusts the forwarded headers of whoever reaches it: nginx alone,
    # since it publishes no port (docs/operations.md, FORWARDED_ALLOW_IPS)
    assert web["environment"]["FORWARDED_ALLOW_IPS"] == "${FORWARDED_ALLOW_IPS:-*}"


def test_compose_gives_every_placeholder_of_the_template_a_value() -> None:
    values = compose_values()
    assert set(values) == placeholders(TEMPLATE.read_text())
    render(values)  # raises on a placeholder without a value; the tests render it with theirs
    header_s = settings.STADIUM["HTTP_HEADER_TIMEOUT_S"]
    assert values["STADIUM_NGINX_HEADER_TIMEOUT"] == f"{header_s:g}s"


def test_testkit_renders_the_template_as_envsubst_does() -> None:
    envsubst = shutil.which("envsubst")
    if envsubst is None:
        pytest.skip("envsubst (Debian: gettext-base) is not installed")
    values = compose_values()
    # the image's step: envsubst of the defined names the filter lets through
    names = " ".join(f"${{{k}}}" for k in proxy_env() if "STADIUM_NGINX_" in k)
    out = subprocess.run(
        [envsubst, names],
        input=TEMPLATE.read_text(),
        env={"PATH": "/usr/bin:/bin", **values},
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert out.stdout == render(values)
