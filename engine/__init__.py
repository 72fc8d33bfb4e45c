"""Stadium's Redis scoring engine: a library with no Django import.

It takes a redis client and plain values and returns plain values
(:mod:`engine.types`). Layout:

- :mod:`engine.keys`: the key schema, hash-tagged per game (Cluster-safe);
- ``engine/lua/``: one Lua script per atomic operation;
- :mod:`engine.ops`: each operation as the calls it makes and a decoder;
- :mod:`engine.aio` / :mod:`engine.sync`: run operations async or blocking;
- :mod:`engine.batching`: micro-batching of answer submissions;
- :mod:`engine.scoring`: the scoring rules and the composite board score.
"""

from . import keys, ops, scoring
from .aio import Engine
from .errors import EngineError, EngineUnavailable
from .sync import SyncEngine
from .types import (
    AnswerResult,
    BoardEntry,
    Event,
    GameState,
    JoinResult,
    OpenResult,
    Question,
    QuestionState,
    RecordedAnswer,
    Reply,
    Settings,
    Standing,
    Stats,
)

__all__ = [
    "AnswerResult",
    "BoardEntry",
    "Engine",
    "EngineError",
    "EngineUnavailable",
    "Event",
    "GameState",
    "JoinResult",
    "OpenResult",
    "Question",
    "QuestionState",
    "RecordedAnswer",
    "Reply",
    "Settings",
    "Standing",
    "Stats",
    "SyncEngine",
    "keys",
    "ops",
    "scoring",
]
