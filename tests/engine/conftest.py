"""Engine test fixtures, without Django: ``make test`` runs this folder with
``-p no:django`` and no settings module, so the engine's independence from
Django is exercised, not assumed. Redis comes from REDIS_URL."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from engine import Engine
from testkit.redis_client import redis_url as env_redis_url


@pytest.fixture
def redis_url() -> str:
    return env_redis_url()


@pytest.fixture
async def engine(async_redis: Any) -> AsyncIterator[Engine]:
    eng = Engine(async_redis)
    yield eng
    await eng.aclose()


@pytest.fixture(scope="session", autouse=True)
def django_stays_out(request: Any) -> Iterator[None]:
    """Run without the Django plugin (as ``make test`` does), the session
    fails if anything it imported brought Django in."""
    yield
    if not request.config.pluginmanager.hasplugin("django"):
        assert "django" not in sys.modules, "an engine test or fixture imported Django"
