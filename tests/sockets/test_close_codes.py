"""The close codes have one name on both sides: every ``CLOSE_*`` constant
of sockets/messages.py is exported by the front end's protocol module with
the same name and value, and the front end has none the server lacks."""

from __future__ import annotations

import re
from pathlib import Path

from sockets import messages

ROOT = Path(__file__).resolve().parents[2]


def test_typescript_close_codes_match_python_names_and_values() -> None:
    ts = (ROOT / "frontend/src/lib/protocol.ts").read_text()
    in_ts = {k: int(v) for k, v in re.findall(r"export const (CLOSE_\w+) = (\d+);", ts)}
    in_py = {k: v for k, v in vars(messages).items() if k.startswith("CLOSE_")}
    assert in_ts == in_py
