"""The Lua scripts, loaded from ``engine/lua/`` and called by SHA.

One file per atomic operation; each file's header states its keys, arguments
and replies. Callers run scripts by EVALSHA and, on NOSCRIPT (a restarted or
flushed Redis), load them again and re-run only the calls that failed: a call
refused with NOSCRIPT never ran, so re-running it is exact.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

LUA_DIR = Path(__file__).with_name("lua")


@dataclass(frozen=True, slots=True)
class Script:
    name: str
    source: str
    sha: str


def _load() -> dict[str, Script]:
    found = {}
    for path in sorted(LUA_DIR.glob("*.lua")):
        src = path.read_text()
        found[path.stem] = Script(path.stem, src, hashlib.sha1(src.encode()).hexdigest())
    return found


SCRIPTS: dict[str, Script] = _load()
