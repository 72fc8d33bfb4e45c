"""The Lua scripts, loaded from ``engine/lua/`` and called by SHA.

One file per atomic operation; each file's header states its keys, arguments
and replies. Callers run scripts by EVALSHA and, on NOSCRIPT (a restarted or
flushed Redis), load them again and re-run only the calls that failed: a call
refused with NOSCRIPT never ran, so re-running it is exact.

A line ``--@include <name>`` in a script is replaced by the text of
``engine/lua/lib/<name>.lua`` before the script is hashed and loaded: the
scoring rules (``lib/judge.lua``) are written once for the single-answer and
the batch scripts.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

LUA_DIR = Path(__file__).with_name("lua")
LIB_DIR = LUA_DIR / "lib"
_INCLUDE = re.compile(r"^--@include (\w+)$", re.M)


@dataclass(frozen=True, slots=True)
class Script:
    name: str
    source: str
    sha: str


def _load() -> dict[str, Script]:
    found = {}
    for path in sorted(LUA_DIR.glob("*.lua")):
        src = _INCLUDE.sub(lambda m: (LIB_DIR / f"{m[1]}.lua").read_text(), path.read_text())
        found[path.stem] = Script(path.stem, src, hashlib.sha1(src.encode()).hexdigest())
    return found


SCRIPTS: dict[str, Script] = _load()
