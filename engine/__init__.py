"""Stadium's Redis scoring engine: a library with no Django import.

It takes a redis client and plain values and returns plain values
(:mod:`engine.types`). Layout:

- :mod:`engine.keys`: the key schema, hash-tagged per game (Cluster-safe);
  only engine modules use it;
- :mod:`engine.layout`: the packed values (stats, recorded answer, log
  entry, question and meta hashes, snapshot), one definition each;
- ``engine/lua/``: one Lua script per atomic operation;
- :mod:`engine.calls`: an operation as data (the calls it makes, a decoder)
  and the engine settings its calls leave to the executor (knobs);
- :mod:`engine.ops`: the operations of live play;
- :mod:`engine.flush`, :mod:`engine.answer_log`: the write-behind's reads
  and releases; :mod:`engine.restore`: a game laid down again;
  :mod:`engine.housekeeping`: a game's keys as a whole, and Redis's clock;
- :mod:`engine.aio` / :mod:`engine.sync`: run operations async or blocking;
- :mod:`engine.batching` (the contract and the generic batcher) and
  :mod:`engine.answer_pipe` (the fast path): micro-batching of answer submissions;
- :mod:`engine.scoring`: the scoring rules and the composite board score.
"""

from . import answer_log, flush, housekeeping, keys, layout, ops, restore, scoring
from .aio import Engine
from .errors import EngineError, EngineUnavailable
from .layout import RecordedAnswer, Snapshot, Stats
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
    Reply,
    Settings,
    Standing,
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
    "Snapshot",
    "SyncEngine",
    "answer_log",
    "flush",
    "keys",
    "housekeeping",
    "layout",
    "ops",
    "restore",
    "scoring",
]
