"""Engine test fixtures: the async engine closes its answer pipe after use."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from engine import Engine


@pytest.fixture
async def engine(async_redis: Any) -> AsyncIterator[Engine]:
    eng = Engine(async_redis)
    yield eng
    await eng.aclose()
